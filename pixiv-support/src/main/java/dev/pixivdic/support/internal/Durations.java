package dev.pixivdic.support.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of the project, for options, logs and reports: {@code 500ms},
 * {@code 90s}, {@code 30m}, {@code 6h}, {@code 7d}, combinations from the largest unit down
 * such as {@code 1h30m} or {@code 2d12h}, and ISO-8601 ({@code PT6H}, {@code P7D}). A bare
 * number is refused, since {@code 6} could mean seconds or minutes and a wrong guess is silent.
 * Negative durations and precision finer than a millisecond are refused too. {@link #format}
 * prints a duration back in the short form, never as {@code PT168H}.
 *
 * <p>{@code pixiv}, its libraries and {@code pixiv-launch} all read and print durations through
 * this class, so the two commands' options agree. Stateless and thread-safe.
 */
public final class Durations {

  /** The forms to suggest in a message. */
  public static final String FORMS = "write e.g. 500ms, 90s, 30m, 6h, 7d, 1h30m or ISO-8601 PT6H";

  private static final Pattern SHORT = Pattern.compile(
      "(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:[.,]\\d*)?");
  private static final Duration[] UNITS = {Duration.ofDays(1), Duration.ofHours(1),
      Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(1)};
  private static final String[] SUFFIXES = {"d", "h", "m", "s", "ms"};

  /**
   * The longest duration a library setting takes: ten years, the longest {@code --refresh-after}.
   * Beyond it a value is a mistake, and time arithmetic on it (an {@code Instant} plus it, its
   * nanoseconds) overflows later, in the middle of a run.
   */
  public static final Duration LONGEST = Duration.ofDays(3650);

  private Durations() {}

  /**
   * A library setting, checked at once: not null, not negative, zero only if {@code zeroAllowed},
   * at most {@link #LONGEST}.
   *
   * @return {@code d}
   * @throws NullPointerException naming {@code name} if {@code d} is null
   * @throws IllegalArgumentException naming {@code name} and the value otherwise
   */
  public static Duration setting(Duration d, String name, boolean zeroAllowed) {
    java.util.Objects.requireNonNull(d, name);
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw new IllegalArgumentException(
          name + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", was " + format(d));
    }
    if (d.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          name + " must be at most " + format(LONGEST) + " (ten years), was " + format(d));
    }
    return d;
  }

  /**
   * Reads a duration in the grammar above.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text} and what to write
   */
  public static Duration parse(String text) {
    String v = text.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("'' is not a duration; " + FORMS);
    }
    if (v.startsWith("-")) {
      throw new IllegalArgumentException("'" + text + "' is negative; durations are >= 0");
    }
    if (NUMBER.matcher(v).matches()) {
      throw new IllegalArgumentException("'" + text + "' has no unit; add one of ms, s, m, h, d"
          + " (e.g. " + v + "s or " + v + "m), or write ISO-8601 such as PT" + v + "S");
    }
    try {
      Duration d = v.startsWith("P") || v.startsWith("p") ? iso(text, v) : shortForm(text, v);
      if (d.getNano() % 1_000_000 != 0) {
        throw new IllegalArgumentException(
            "'" + text + "' is finer than a millisecond; durations count whole milliseconds");
      }
      return d;
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large to be a duration", e);
    }
  }

  private static Duration iso(String text, String v) {
    Duration d;
    try {
      d = Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; " + FORMS, e);
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative; durations are >= 0");
    }
    return d;
  }

  private static Duration shortForm(String text, String v) {
    Matcher m = SHORT.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; " + FORMS
          + " (units largest first: d, h, m, s, ms)");
    }
    Duration total = Duration.ZERO;
    for (int i = 0; i < UNITS.length; i++) {
      String n = m.group(i + 1);
      if (n != null) {
        total = total.plus(UNITS[i].multipliedBy(Long.parseLong(n)));
      }
    }
    return total;
  }

  /**
   * A duration in the short form, exact to the millisecond (finer parts are dropped):
   * {@code 7d}, {@code 1h30m}, {@code 2s500ms}, {@code 0s}. {@code parse(format(d))} equals
   * {@code d} for every non-negative duration of whole milliseconds.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder out = new StringBuilder();
    Duration left = d;
    for (int i = 0; i < UNITS.length; i++) {
      long n = left.dividedBy(UNITS[i]);
      if (n > 0) {
        out.append(n).append(SUFFIXES[i]);
        left = left.minus(UNITS[i].multipliedBy(n));
      }
    }
    return out.length() == 0 ? "0s" : out.toString();
  }

  /**
   * An elapsed or estimated time for a person, in the short form: whole seconds from one
   * second up ({@code 1h5m3s}), whole milliseconds below ({@code 350ms}).
   */
  public static String human(Duration d) {
    if (d.isNegative()) {
      return "0s";
    }
    return format(
        d.compareTo(Duration.ofSeconds(1)) >= 0 ? Duration.ofSeconds(d.getSeconds()) : d);
  }
}

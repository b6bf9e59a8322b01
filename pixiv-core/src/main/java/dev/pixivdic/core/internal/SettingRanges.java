package dev.pixivdic.core.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.Durations;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The allowed ranges of the run's settings, defined once for {@code PixivScraper.Builder} (which
 * throws {@link IllegalArgumentException} naming the setting) and the {@code pixiv} command's
 * options of the same meaning (which exit 2 naming the option), so an embedder's run takes what
 * the command takes.
 */
public final class SettingRanges {

  /** An inclusive range of a number. */
  public record Range(double min, double max) {

    public boolean contains(double v) {
      return v >= min && v <= max;
    }

    /**
     * {@code value} of the setting {@code name}, checked.
     *
     * @throws IllegalArgumentException naming the setting and the range
     */
    public double check(String name, double value) {
      if (!contains(value)) {
        throw new IllegalArgumentException(name + " must be " + this + ", was "
            + (value == Math.rint(value) && Math.abs(value) < 1e16
                ? Long.toString((long) value) : Double.toString(value)));
      }
      return value;
    }

    /** As the help and the messages show it: {@code from 0.0001 to 10000}. */
    @Override
    public String toString() {
      return "from " + number(min) + " to " + number(max);
    }

    /** Whole numbers in plain digits, as the options read them (1e12 is not a long). */
    private static String number(double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e16) {
        return Long.toString((long) v);
      }
      return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
  }

  /** An inclusive range of a duration. */
  public record DurationRange(Duration min, Duration max) {

    public DurationRange {
      requireNonNull(min, "min");
      requireNonNull(max, "max");
    }

    /**
     * {@code value} of the setting {@code name}, checked.
     *
     * @throws NullPointerException naming the setting when {@code value} is null
     * @throws IllegalArgumentException naming the setting and the range
     */
    public Duration check(String name, Duration value) {
      requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be " + this + ", was " + shown(value));
      }
      return value;
    }

    /** In the project's grammar when it says the value exactly (1ns does not), else ISO-8601. */
    private static String shown(Duration value) {
      String shown = Durations.format(value);
      return Durations.parse(shown).equals(value) ? shown : value.toString();
    }

    /** As the help and the messages show it: {@code from 1s to 10m}. */
    @Override
    public String toString() {
      return "from " + Durations.format(min) + " to " + Durations.format(max);
    }
  }

  /** Requests per second ({@code --qps}). */
  public static final Range QPS = new Range(0.0001, 10_000);
  /** Requests in flight at once ({@code --concurrency}). */
  public static final Range CONCURRENCY = new Range(1, 64);
  /** Attempts per page ({@code --max-attempts}). */
  public static final Range MAX_ATTEMPTS = new Range(1, 20);
  /** Rows per batch ({@code --flush-rows}). */
  public static final Range FLUSH_ROWS = new Range(1, 100_000);
  /** Items per run ({@code --limit}). */
  public static final Range LIMIT = new Range(1, 1e12);
  /** Blocked pages in a row that stop a run ({@code --blocked-limit}). */
  public static final Range BLOCKED_IN_A_ROW = new Range(1, 1_000);
  /** Pages the drift guard sees before it judges ({@code --drift-min-pages}). */
  public static final Range DRIFT_MIN_PAGES = new Range(1, 1_000_000);
  /** The time limit of one request ({@code --request-timeout}). */
  public static final DurationRange REQUEST_TIMEOUT =
      new DurationRange(Duration.ofSeconds(1), Duration.ofMinutes(10));
  /** How long a batch may wait ({@code --flush-interval}). */
  public static final DurationRange FLUSH_INTERVAL =
      new DurationRange(Duration.ofSeconds(1), Duration.ofDays(1));

  private SettingRanges() {}
}

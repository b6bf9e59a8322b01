package dev.pixivdic.core.parse;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a counter shows: an exact count, or a figure rounded to a unit ({@code 1.2万},
 * {@code 3.4k}) or capped ({@code 999+}, {@code 1,000以上}) that stands for a range of counts. A
 * figure that is not an exact count is never the count, but it is a finding of the counter: an
 * exact count found beside it must be one it can stand for.
 *
 * <p>Whether the site truncates or rounds to the nearest is not known, so a rounded figure stands
 * for every count it shows one way or the other: {@code 1.2万} for 11,500 to 12,999 (rounded,
 * 11,500 shows 1.2万; truncated, 12,999 does). A count outside both ranges contradicts the
 * figure and is refused; one inside either is a count the site may show so, and is kept.
 *
 * @param min the least count the figure stands for
 * @param max the greatest, {@link Long#MAX_VALUE} for a capped figure
 * @param exact whether it is a count: never a figure, even one that stands for one count only
 *     ({@code 1.234k})
 * @param text the figure as the page shows it
 */
record ShownCount(long min, long max, boolean exact, String text) {

  /** A figure and its unit (or cap), nothing else: what follows must not go on the number. */
  private static final Pattern FIGURE = Pattern.compile(
      "(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?\\s*(万|億|[kK]|M|B|\\+|以上|超)(?![\\dA-Za-z])");
  private static final Pattern NUMBER = Pattern.compile("\\d");

  /** An exact count. */
  static ShownCount exact(long n) {
    return new ShownCount(n, n, true, Long.toString(n));
  }

  boolean fits(long n) {
    return n >= min && n <= max;
  }

  /**
   * What a counter's one text shows: an exact bare count ({@link Text#bareCount}), else a rounded
   * or capped figure and nothing else; null for anything else.
   */
  static ShownCount ofBare(String s) {
    Long n = Text.bareCount(s);
    String t = Text.norm(s);
    if (n != null || t == null) {
      return n == null ? null : exact(n);
    }
    Matcher m = FIGURE.matcher(Normalizer.normalize(t, Normalizer.Form.NFKC));
    return m.matches() ? figure(m, t) : null;
  }

  /**
   * What the first number of a text shows: the exact count {@link Text#count} reads, else the
   * rounded or capped figure it starts (not after an approximating mark: {@code 約1.2万} says
   * less than {@code 1.2万}); null for anything else.
   */
  static ShownCount of(String s) {
    Long n = Text.count(s);
    String t = Text.norm(s);
    if (n != null || t == null) {
      return n == null ? null : exact(n);
    }
    String k = Normalizer.normalize(t, Normalizer.Form.NFKC);
    Matcher d = NUMBER.matcher(k);
    if (!d.find() || !Text.plainBefore(k.substring(0, d.start()))) {
      return null;
    }
    Matcher m = FIGURE.matcher(k).region(d.start(), k.length());
    return m.lookingAt() ? figure(m, t) : null;
  }

  private static ShownCount figure(Matcher m, String shown) {
    String whole = m.group(1).replace(",", "");
    String fraction = m.group(2) == null ? "" : m.group(2);
    String unit = m.group(3);
    if (whole.length() + fraction.length() > 18) {
      return null;
    }
    long digits = Long.parseLong(whole + fraction);
    if (unit.equals("+") || unit.equals("以上") || unit.equals("超")) {
      if (!fraction.isEmpty()) {
        return null;
      }
      // "999+" may say more than 999 or 999 and more: only more is sure.
      long least = unit.equals("以上") ? digits : digits + 1;
      return new ShownCount(least, Long.MAX_VALUE, false, shown);
    }
    int exponent = switch (unit) {
      case "万" -> 4;
      case "億" -> 8;
      case "M" -> 6;
      case "B" -> 9;
      default -> 3;
    } - fraction.length();
    if (exponent < 0) {
      return null;
    }
    try {
      long step = pow10(exponent);
      long shownAs = Math.multiplyExact(digits, step);
      if (step == 1) {
        return new ShownCount(shownAs, shownAs, false, shown);
      }
      // Rounded to the nearest from half a step below; truncated up to a whole step above.
      return new ShownCount(Math.max(0, shownAs - step / 2),
          Math.addExact(shownAs, step - 1), false, shown);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static long pow10(int exponent) {
    long p = 1;
    for (int i = 0; i < exponent; i++) {
      p = Math.multiplyExact(p, 10L);
    }
    return p;
  }

  /**
   * The count one strategy found, from all it found of a counter: the one exact count, when
   * every rounded or capped figure found beside it can stand for it; else null, with a note
   * naming the findings when they contradict each other. Figures alone give no count.
   */
  static Long agreed(String column, Collection<ShownCount> found, List<String> notes) {
    Long n = Fields.agreed(column, found.stream().filter(s -> s != null && s.exact())
        .map(ShownCount::min).toList(), notes);
    if (n == null) {
      return null;
    }
    List<String> unfit = new ArrayList<>();
    for (ShownCount s : found) {
      if (s != null && !s.fits(n)) {
        unfit.add("'" + s.text() + "'");
      }
    }
    if (!unfit.isEmpty()) {
      notes.add(column + " skipped: '" + n + "' is not what " + String.join(", ", unfit)
          + " shows");
      return null;
    }
    return n;
  }
}

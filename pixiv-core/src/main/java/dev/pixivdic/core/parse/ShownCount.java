package dev.pixivdic.core.parse;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a counter shows: an exact count, or a figure rounded to a unit ({@code 1.2万},
 * {@code 3.4k}), capped ({@code 999+}, {@code 1,000以上}) or approximate ({@code 約1,200},
 * {@code ~500}) that stands for a range of counts. A figure that is not an exact count is never
 * the count, but it is a finding of the counter: an exact count found beside it, by the same
 * strategy or another, must be one it can stand for.
 *
 * <p>How the site rounds or approximates is not known, so a figure stands for every count it
 * may show one way or the other, and contradicts only a count no reading of it allows:
 * <ul>
 *   <li>rounded, {@code 1.2万} for 11,500 to 12,999 (rounded to the nearest, 11,500 shows
 *       1.2万; truncated, 12,999 does);
 *   <li>more than ({@code 999+}, {@code 999超}, {@code >999}): from 1,000, and with a unit
 *       more than the number shown ({@code 1.2万+}: from 12,001); at least ({@code 1,000以上},
 *       {@code 1,000~}): from 1,000, with a unit from the least count the rounded figure stands
 *       for;
 *   <li>less than ({@code 1,000未満}, {@code <1,000}): below 1,000; at most
 *       ({@code 1,000以下}): to 1,000; with a unit, to the greatest the rounded figure stands
 *       for (less than: one below it);
 *   <li>about ({@code 約}, {@code およそ}, {@code ほぼ}, {@code 概算}, {@code ≒}, {@code ≈}
 *       before, {@code 程度}, {@code くらい}, {@code ぐらい}, {@code ほど} after): every count
 *       less than one step away, the step being the place of its last non-zero digit or of its
 *       second significant digit, whichever is coarser: {@code 約1,200} and {@code 約1,234} for
 *       1,101 to 1,299 and 1,135 to 1,333, {@code 約500} for 401 to 599, {@code 約1.2万} for
 *       11,001 to 12,999 (and what 1.2万 stands for);
 *   <li>{@code ~500} or {@code 〜500}: about 500 (English) or up to 500 (Japanese), so 0 to
 *       599.
 * </ul>
 * A figure with a mark both before and after it ({@code 約1,000以上}), a range
 * ({@code 1,000~2,000}), a little under or over ({@code 1万弱}, {@code 1万強}, {@code 1万余}:
 * how little is not said), a mark of a change, a rank or an ordinal ({@code +12}, {@code #3},
 * {@code 第3}) is no figure of the count.
 *
 * @param min the least count the figure stands for
 * @param max the greatest, {@link Long#MAX_VALUE} for a capped figure
 * @param exact whether it is a count: never a figure, even one that stands for one count only
 *     ({@code 1.234k})
 * @param text the figure as the page shows it
 */
record ShownCount(long min, long max, boolean exact, String text) {

  /** A mark before a number that makes it approximate or a bound. */
  private static final String BEFORE = "約|およそ|ほぼ|概算|[~〜≒≈<>]";
  /**
   * A figure: maybe a mark before, a number, maybe a fraction and a unit, maybe a mark after;
   * what follows must not go on the number.
   */
  private static final Pattern FIGURE = Pattern.compile("(?:(" + BEFORE + ")\\s*)?"
      + "(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?\\s*(万|億|[kK]|M|B)?"
      + "\\s*(\\+|以上|超|以下|未満|程度|くらい|ぐらい|ほど|[~〜])?(?![\\dA-Za-z弱強余])");
  private static final Pattern MARK_BEFORE = Pattern.compile("(?:" + BEFORE + ")$");
  private static final Pattern NUMBER = Pattern.compile("\\d");

  /** An exact count. */
  static ShownCount exact(long n) {
    return new ShownCount(n, n, true, Long.toString(n));
  }

  boolean fits(long n) {
    return n >= min && n <= max;
  }

  /**
   * What a counter's one text shows: an exact bare count ({@link Text#bareCount}), else a
   * rounded, capped or approximate figure and nothing else; null for anything else.
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
   * rounded, capped or approximate figure it is part of; null for anything else (a negative
   * number, a rank, a change).
   */
  static ShownCount of(String s) {
    Long n = Text.count(s);
    String t = Text.norm(s);
    if (n != null || t == null) {
      return n == null ? null : exact(n);
    }
    String k = Normalizer.normalize(t, Normalizer.Form.NFKC);
    Matcher d = NUMBER.matcher(k);
    if (!d.find()) {
      return null;
    }
    String before = k.substring(0, d.start());
    Matcher mark = MARK_BEFORE.matcher(before.stripTrailing());
    int from = d.start();
    if (mark.find()) {
      from = mark.start();
    } else if (!Text.plainBefore(before)) {
      return null;
    }
    Matcher m = FIGURE.matcher(k).region(from, k.length());
    return m.lookingAt() ? figure(m, t) : null;
  }

  private static ShownCount figure(Matcher m, String shown) {
    String before = m.group(1);
    String whole = m.group(2).replace(",", "");
    String fraction = m.group(3) == null ? "" : m.group(3);
    String unit = m.group(4);
    String after = m.group(5);
    // A plain number is a figure only with a mark; a fraction only with a unit (1.234 is no
    // count); marks on both sides say too much to read.
    if (unit == null && (before == null && after == null || !fraction.isEmpty())
        || before != null && after != null || whole.length() + fraction.length() > 18) {
      return null;
    }
    long digits = Long.parseLong(whole + fraction);
    try {
      long least = digits;
      long most = digits;
      long shownAs = digits;
      if (unit != null) {
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
        long step = pow10(exponent);
        shownAs = Math.multiplyExact(digits, step);
        least = shownAs;
        most = shownAs;
        if (step > 1) {
          // Rounded to the nearest from half a step below; truncated up to a whole step above.
          least = Math.max(0, shownAs - step / 2);
          most = Math.addExact(shownAs, step - 1);
        }
      }
      String mark = before != null ? before : after;
      if (mark == null) {
        return new ShownCount(least, most, false, shown);
      }
      switch (mark) {
        case "+", "超", ">" -> {
          // The site's "N+" says more than N, with a unit as without one: "999+" from 1,000,
          // "1.2万+" from 12,001.
          return new ShownCount(Math.addExact(shownAs, 1), Long.MAX_VALUE, false, shown);
        }
        case "以上" -> {
          return new ShownCount(least, Long.MAX_VALUE, false, shown);
        }
        case "以下" -> {
          return new ShownCount(0, most, false, shown);
        }
        case "未満", "<" -> {
          return most == 0 ? null : new ShownCount(0, most - 1, false, shown);
        }
        default -> {
          if ((mark.equals("~") || mark.equals("〜")) && after != null) {
            // "1,000~": from 1,000 on (or a range from it).
            return new ShownCount(least, Long.MAX_VALUE, false, shown);
          }
          long step = aboutStep(shownAs);
          long top = Math.max(most, Math.addExact(shownAs, step - 1));
          if (mark.equals("~") || mark.equals("〜")) {
            // "~500": about 500, or up to 500 as Japanese writes it.
            return new ShownCount(0, top, false, shown);
          }
          return new ShownCount(Math.max(0, Math.min(least, shownAs - step + 1)), top, false,
              shown);
        }
      }
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /**
   * How far an approximate count may be from its figure: the place of its last non-zero digit
   * or of its second significant digit, whichever is coarser (1,200 and 1,234: 100; 500: 100).
   */
  private static long aboutStep(long n) {
    int length = Long.toString(n).length();
    int zeros = 0;
    for (long x = n; x > 0 && x % 10 == 0; x /= 10) {
      zeros++;
    }
    return pow10(Math.max(zeros, length - 2));
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

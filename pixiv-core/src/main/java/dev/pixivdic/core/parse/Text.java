package dev.pixivdic.core.parse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whitespace normalisation and count parsing shared by the strategies. */
final class Text {

  private static final Pattern NUMBER = Pattern.compile("\\d[\\d,.]*");
  /** A count as the site writes one: plain digits, or groups of three after the first. */
  private static final Pattern GROUPED = Pattern.compile("\\d+|\\d{1,3}(,\\d{3})+");
  /** Just before a number: it is about that much, or below zero. */
  private static final Pattern APPROXIMATE_BEFORE =
      Pattern.compile("(約|およそ|ほぼ|概算|第|[~〜≒≈<>+#])$");
  /**
   * Just after a number: it was rounded to a unit, or capped or bounded ("999+", "1,000以上",
   * "1,000以下", "1,000~"), or it goes on after a space ("1 234": grouped by spaces, so its
   * first group is not the count).
   */
  private static final Pattern INEXACT_AFTER =
      Pattern.compile("\\d|[万億兆千百+~〜]|[kKmMbB](?![A-Za-z])|以上|以下|超|未満|程度|くらい"
          + "|ぐらい|ほど|位|番|[/_%]|[eE][+-]?\\d");
  private static final Pattern BARE = Pattern.compile("\\d[\\d,]*");

  private Text() {}

  /**
   * Collapses every run of whitespace (including no-break and ideographic spaces) to one space
   * and trims; null when nothing is left, as absent text is null, never "".
   */
  static String norm(String s) {
    if (s == null) {
      return null;
    }
    if (isNormal(s)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0xfeff) {
        space = out.length() > 0;
      } else if (Character.getType(cp) == Character.CONTROL) {
        continue;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.length() == 0 ? null : out.toString();
  }

  /**
   * Whether {@link #norm} would give {@code s} back unchanged: not empty, no space at either
   * end, no two spaces in a row, and no other whitespace or control character. Checked per
   * {@code char}: every whitespace, space and control character is in the BMP, and a surrogate
   * is none of them.
   */
  private static boolean isNormal(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
      return false;
    }
    char prev = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (prev == ' ') {
          return false;
        }
      } else if (c < 0x21 || c >= 0x7f && (Character.isWhitespace(c) || Character.isSpaceChar(c)
          || c == 0xfeff || Character.getType(c) == Character.CONTROL)) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  /**
   * The first whole number in the text, thousands separators removed ({@code "1,234"} → 1234,
   * full-width digits accepted); null when there is none, when it does not fit a long, or when
   * it is not an exact count: rounded ({@code 1.2万}, {@code 3.4k}, {@code 5.6M}, {@code 12万3456}),
   * capped, bounded or approximate ({@code 999+}, {@code 1,000以上}, {@code 1,000以下},
   * {@code 約1,200}, {@code ~500}),
   * negative, grouped unlike a count ({@code 1,2345}, {@code 1.234}, {@code 1 234}), or no count
   * at all: a rank or an ordinal ({@code 3位}, {@code 第3}, {@code #3}), a fraction, a share or
   * an exponent ({@code 12/100}, {@code 50%}, {@code 1e9}, {@code 10⁹}), written with digits
   * of another kind than decimal ones ({@code ②}), or with digits that an invisible character
   * separates ({@code 6&#8203;0}: {@link #digitsSplitByInvisible}).
   */
  static Long count(String s) {
    if (s == null || s.chars().anyMatch(c -> Character.getType(c) == Character.OTHER_NUMBER)
        || digitsSplitByInvisible(s)) {
      // A superscript, circled or fraction digit (10⁹, ②, ½): NFKC makes it a plain digit of
      // the number beside it ("10⁹" read as 109).
      return null;
    }
    String t = Normalizer.normalize(s, Normalizer.Form.NFKC);
    Matcher m = NUMBER.matcher(t);
    if (!m.find()) {
      return null;
    }
    String token = m.group();
    while (token.endsWith(",") || token.endsWith(".")) {
      // "1,234," or "1,234." ends a phrase or a sentence; the separator is not the number's.
      token = token.substring(0, token.length() - 1);
    }
    String before = t.substring(0, m.start());
    boolean negative = before.endsWith("-") || before.endsWith("−");
    before = before.stripTrailing();
    String after = t.substring(m.start() + token.length()).stripLeading();
    if (negative || !GROUPED.matcher(token).matches() || APPROXIMATE_BEFORE.matcher(before).find()
        || INEXACT_AFTER.matcher(after).lookingAt()) {
      return null;
    }
    String digits = token.replace(",", "");
    if (digits.length() > 18) {
      return null;
    }
    return Long.parseLong(digits);
  }

  /**
   * Whether a character is one a reader does not see, and that is no space: a format character
   * (a zero-width space, joiner or non-joiner, U+2060 word joiner, a soft hyphen, a byte order
   * mark, a direction mark), a control character other than whitespace, or another default
   * ignorable one (a combining grapheme joiner, a filler, a variation selector).
   */
  static boolean invisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT
        || type == Character.CONTROL && !Character.isWhitespace(cp)
        || cp == 0x034f || cp == 0x115f || cp == 0x1160 || cp == 0x17b4 || cp == 0x17b5
        || cp >= 0x180b && cp <= 0x180f || cp == 0x3164 || cp >= 0xfe00 && cp <= 0xfe0f
        || cp == 0xffa0 || cp >= 0xe0100 && cp <= 0xe01ef;
  }

  /**
   * Whether two digits of the text have only invisible characters ({@link #invisible}), maybe
   * with grouping characters, between them ({@code 6&#8203;0}, {@code 1,&#8288;234}): what shows
   * as one number is not one in the markup, so it is no count (jsoup's {@code text()} drops a
   * zero-width space and a soft hyphen, and {@link #norm} a control character, which would join
   * the digits).
   */
  static boolean digitsSplitByInvisible(String s) {
    boolean digit = false;
    boolean hidden = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isDigit(cp)) {
        if (digit && hidden) {
          return true;
        }
        digit = true;
        hidden = false;
      } else if (invisible(cp)) {
        hidden = digit;
      } else if (cp != ',' && cp != '.' && cp != '\uff0c' && cp != '\uff0e') {
        digit = false;
        hidden = false;
      }
    }
    return false;
  }

  /**
   * Whether the text just before a number leaves it as it is: no minus sign and no mark that
   * makes it approximate or an ordinal ({@code 約}, {@code ~}, {@code 第}, {@code #}).
   */
  static boolean plainBefore(String before) {
    return !before.endsWith("-") && !before.endsWith("−")
        && !APPROXIMATE_BEFORE.matcher(before.stripTrailing()).find();
  }

  /** The text as a bare count ({@code " 12,345 "}), or null if it is anything else. */
  static Long bareCount(String s) {
    if (s == null || digitsSplitByInvisible(s)) {
      return null; // norm() drops a control character, and would join the digits around it
    }
    String t = norm(s);
    if (t == null || !BARE.matcher(Normalizer.normalize(t, Normalizer.Form.NFKC)).matches()) {
      return null;
    }
    return count(t);
  }

  /**
   * Whether the text can be a reading (yomigana): it has kana and no Han character, as a
   * reading spells a title out in kana, never in kanji. A grey line in Latin letters or digits
   * only ({@code Updated June 13, 2024}, {@code 3 days ago}, {@code ID: 12345}) is no reading.
   */
  static boolean isReading(String s) {
    String t = norm(s);
    return t != null && t.codePoints().anyMatch(cp -> isKana(cp))
        && t.codePoints().noneMatch(cp ->
            Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
  }

  /**
   * Whether a label names the article's update and nothing else, once the dates and times in
   * it are left out and the spaces and punctuation around it: {@code 更新}, {@code 更新日},
   * {@code 更新日時}, {@code 最終更新日：}, "Updated", "Last updated", "Last modified". A label
   * that says more ({@code ランキング更新}, {@code 次回更新}, {@code 更新者}, {@code 更新なし},
   * {@code 作成日/更新日}, {@code 更新 3}) names another date, or no date of the article.
   */
  static boolean isUpdateLabel(String s) {
    String t = label(s);
    return t != null && UPDATE_LABEL.matcher(t).matches();
  }

  /** Whether a text says nothing but a date or time, if anything. */
  static boolean isDateOnly(String s) {
    String t = label(s);
    return t == null || t.isEmpty();
  }

  /** The text without its dates and times, and without spaces and punctuation around it. */
  private static String label(String s) {
    String t = norm(s);
    if (t == null) {
      return null;
    }
    t = DATE.matcher(Normalizer.normalize(t, Normalizer.Form.NFKC)).replaceAll(" ");
    return EDGES.matcher(t).replaceAll("").replaceAll("\\s+", " ");
  }

  /**
   * A date ({@code 2024/06/13}, {@code 2024-06-13}, {@code 2024年6月13日}), a time, or both in
   * ISO-8601 ({@code 2024-06-13T00:00:00Z}).
   */
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}"
      + "(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?|\\d{4}\\s*[-/.年]\\s*\\d{1,2}\\s*[-/.月]"
      + "\\s*\\d{1,2}\\s*日?|\\d{1,2}\\s*[:時]\\s*\\d{2}(?:\\s*[:分]\\s*\\d{2}\\s*秒?)?\\s*分?");
  private static final Pattern EDGES =
      Pattern.compile("^[\\s\\p{P}\\p{S}]+|[\\s\\p{P}\\p{S}]+$");
  private static final Pattern UPDATE_LABEL = Pattern.compile(
      "(?:最終)?更新(?:日|日時|時刻)?|(?i:(?:last )?updated?(?: (?:at|on))?|last modified)");

  /** Hiragana or katakana letters; the long-vowel mark {@code ー} alone is no reading. */
  private static boolean isKana(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return Character.isLetter(cp) && (script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA);
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8, and {@code +} as a space when {@code plusIsSpace}
   * (query strings); null when an escape is malformed or the bytes are not UTF-8.
   */
  static String percentDecode(String s, boolean plusIsSpace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** NFKC-normalised, trimmed, lower-cased: how the site's names are compared. */
  static String key(String s) {
    String n = norm(s);
    return n == null ? "" : Normalizer.normalize(n, Normalizer.Form.NFKC).strip()
        .toLowerCase(Locale.ROOT);
  }
}

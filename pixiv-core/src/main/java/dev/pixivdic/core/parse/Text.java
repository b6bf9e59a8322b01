package dev.pixivdic.core.parse;

import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whitespace normalisation and count parsing shared by the strategies. */
final class Text {

  private static final Pattern NUMBER = Pattern.compile("\\d[\\d,]*");

  private Text() {}

  /**
   * Collapses every run of whitespace (including no-break and ideographic spaces) to one space
   * and trims; null when nothing is left, as absent text is null, never "".
   */
  static String norm(String s) {
    if (s == null) {
      return null;
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
   * The first whole number in the text, thousands separators removed ({@code "1,234"} → 1234,
   * full-width digits accepted); null when there is none or it does not fit a long.
   */
  static Long count(String s) {
    if (s == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(Normalizer.normalize(s, Normalizer.Form.NFKC));
    if (!m.find()) {
      return null;
    }
    String digits = m.group().replace(",", "");
    if (digits.length() > 18) {
      return null;
    }
    return Long.parseLong(digits);
  }

  /** NFKC-normalised, trimmed, lower-cased: how the site's names are compared. */
  static String key(String s) {
    String n = norm(s);
    return n == null ? "" : Normalizer.normalize(n, Normalizer.Form.NFKC).strip()
        .toLowerCase(java.util.Locale.ROOT);
  }
}

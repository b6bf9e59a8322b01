package dev.pixivdic.support.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The control characters that text naming one thing (an article title, a name to resolve) must
 * not hold: C0 (U+0000 to U+001F, tab and line ends included), DEL (U+007F) and C1 (U+0080 to
 * U+009F), the characters {@link Character#isISOControl} names. No pixiv title holds one, and a
 * request for a title that does is a request for nothing; a tab inside a line is a sign of a
 * tab-separated file read as a list. Nor may it hold an unpaired surrogate (which JSON's
 * {@code \ud800} escape can give): it has no UTF-8 form, so the request would name {@code ?},
 * another article. White space at the ends is the caller's to strip first.
 */
public final class ControlChars {

  private ControlChars() {}

  /**
   * The first control character or unpaired surrogate of {@code s}, described for a message
   * (e.g. {@code a control character U+0009 at index 3}), or empty when there is none.
   */
  public static Optional<String> first(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of(String.format(Locale.ROOT, "a control character U+%04X at index %d",
            (int) c, i));
      }
      if (isUnpaired(s, i)) {
        return unpaired(s, i);
      }
    }
    return Optional.empty();
  }

  /**
   * The first unpaired surrogate of {@code s}, described for a message, or empty when every
   * character is whole: the text has a UTF-8 form.
   */
  public static Optional<String> firstUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isUnpaired(s, i)) {
        return unpaired(s, i);
      }
    }
    return Optional.empty();
  }

  private static boolean isUnpaired(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
  }

  private static Optional<String> unpaired(String s, int i) {
    return Optional.of(String.format(Locale.ROOT, "an unpaired surrogate U+%04X at index %d"
        + " (half a character, with no UTF-8 form)", (int) s.charAt(i), i));
  }

  /**
   * Whether the character shows as nothing of its own: white space (U+00A0 and U+3000 too), a
   * format character (U+200B, U+FEFF, U+2060, U+00AD), a mark with nothing to mark, a control, a
   * Hangul filler (U+115F, U+1160, U+3164, U+FFA0) or the blank Braille pattern (U+2800). Text
   * naming one thing never consists of these alone, nor begins or ends with one: the name or
   * title would differ from the one a reader sees by what no one can see.
   */
  public static boolean isBlank(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c)
        || switch (Character.getType(c)) {
          case Character.FORMAT, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
              Character.CONTROL -> true;
          default -> c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
        };
  }

  /**
   * The first or last character of {@code s} when {@link #isBlank} holds for it, described for a
   * message ({@code U+00A0 at index 3}), or empty. A mark or an emoji tag character (U+E0020 to
   * U+E007F, which ends a flag such as Scotland's) at the end marks what stands before it, so
   * only the first character is held to marks.
   */
  public static Optional<String> blankEnd(String s) {
    if (s.isEmpty()) {
      return Optional.empty();
    }
    int c = s.codePointAt(0);
    if (isBlank(c)) {
      return Optional.of(String.format(Locale.ROOT, "U+%04X at index 0", c));
    }
    int last = s.offsetByCodePoints(s.length(), -1);
    c = s.codePointAt(last);
    int type = Character.getType(c);
    if (last > 0 && isBlank(c) && type != Character.NON_SPACING_MARK
        && type != Character.ENCLOSING_MARK && !(c >= 0xE0020 && c <= 0xE007F)) {
      return Optional.of(String.format(Locale.ROOT, "U+%04X at index %d", c, last));
    }
    return Optional.empty();
  }
}

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
}

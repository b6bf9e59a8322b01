package dev.pixivdic.support.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The control characters that text naming one thing (an article title, a name to resolve) must
 * not hold: C0 (U+0000 to U+001F, tab and line ends included), DEL (U+007F) and C1 (U+0080 to
 * U+009F), the characters {@link Character#isISOControl} names. No pixiv title holds one, and a
 * request for a title that does is a request for nothing; a tab inside a line is a sign of a
 * tab-separated file read as a list. White space at the ends is the caller's to strip first.
 */
public final class ControlChars {

  private ControlChars() {}

  /**
   * The first control character of {@code s}, described for a message (e.g. {@code control
   * character U+0009 at index 3}), or empty when there is none.
   */
  public static Optional<String> first(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of(String.format(Locale.ROOT, "control character U+%04X at index %d",
            (int) c, i));
      }
    }
    return Optional.empty();
  }
}

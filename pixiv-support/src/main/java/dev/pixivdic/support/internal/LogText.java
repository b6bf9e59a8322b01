package dev.pixivdic.support.internal;

/**
 * Text from outside (a file, a server's answer, an option's value) made safe to quote in a
 * message or a log line: it cannot break the line, forge another one or drive a terminal.
 * Stateless.
 */
public final class LogText {
  private LogText() {}

  /**
   * {@code text} with {@code \n}, {@code \r} and {@code \t} written as those escapes, and as
   * {@code \}{@code uXXXX}: every other control character, the line and paragraph separators
   * (U+2028, U+2029), the marks and overrides that reorder text on a terminal (U+061C, U+200E,
   * U+200F, U+202A to U+202E, U+2066 to U+2069: a quoted value could make the rest of the
   * line read backwards), the byte order mark U+FEFF (invisible), and an unpaired surrogate
   * (printed, it would become {@code ?}).
   */
  public static String escaped(String text) {
    return escaped(text, Integer.MAX_VALUE);
  }

  /**
   * As {@link #escaped(String)}, stopping once the result holds {@code max} characters and then
   * saying how long the text was ({@code "... (N characters)"}). A character outside the
   * Basic Multilingual Plane is never cut in half.
   */
  public static String escaped(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 32);
    int i = 0;
    while (i < text.length() && out.length() < max) {
      int c = text.codePointAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (isEscaped(c)) {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    if (i < text.length()) {
      out.append("... (").append(text.length()).append(" characters)");
    }
    return out.toString();
  }

  /** Whether {@link #escaped(String)} gives {@code text} back unchanged. */
  public static boolean isPlain(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (isEscaped(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /**
   * Whether {@link #escaped(String)} escapes code point {@code c}: a control character, or one
   * that breaks a line, shows as nothing, moves other text, or cannot be printed (half a
   * character).
   */
  public static boolean isEscaped(int c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x061C
        || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF
        || Character.getType(c) == Character.SURROGATE;
  }
}

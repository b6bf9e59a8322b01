package dev.pixivdic.core.file.internal;

/** Text from a file, made safe and short for a message or a log line. */
final class Preview {
  /** The longest quotation in a message. */
  static final int MAX = 120;

  private Preview() {}

  /**
   * {@code text} with control characters escaped ({@code \n}, {@code \u001b}) and cut to
   * {@link #MAX} characters, saying how long it was when it is cut.
   */
  static String of(String text) {
    return of(text, MAX);
  }

  /** As {@link #of(String)}, cut to {@code max} characters. */
  static String of(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 32);
    int i = 0;
    for (; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (i < text.length()) {
      out.append("... (").append(text.length()).append(" characters)");
    }
    return out.toString();
  }
}

package dev.pixivdic.core.file.internal;

import dev.pixivdic.support.internal.LogText;

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
    return LogText.escaped(text, MAX);
  }

  /** As {@link #of(String)}, cut to {@code max} characters. */
  static String of(String text, int max) {
    return LogText.escaped(text, max);
  }
}

package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.Redaction;

/** Thrown when a string is not a pixiv encyclopedia article URL; the message names the input. */
public final class InvalidArticleUrlException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;

  public InvalidArticleUrlException(String reason, String input) {
    super(requireNonNull(reason, "reason") + ": " + quote(requireNonNull(input, "input")));
    this.input = input;
  }

  /**
   * For a rejected URL: the message shows it without user info, query and fragment, where
   * credentials hide ({@link Redaction#url}); {@link #input()} keeps it as given.
   */
  static InvalidArticleUrlException ofUrl(String reason, String input) {
    // A line of a key file given as a source was quoted whole in every warning.
    // (Redaction.url leaves such a line as it is: it holds no user info, query or fragment.)
    return new InvalidArticleUrlException(reason, input,
        Redaction.unlessKeyMaterial(Redaction.url(input)));
  }

  private InvalidArticleUrlException(String reason, String input, String shown) {
    super(requireNonNull(reason, "reason") + ": " + quote(shown));
    this.input = input;
  }

  /** The rejected input, as given. */
  public String input() {
    return input;
  }

  private static String quote(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    return "'" + shown + "'";
  }
}

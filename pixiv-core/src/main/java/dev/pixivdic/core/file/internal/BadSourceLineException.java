package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A source line that cannot be read: thrown in strict mode for any bad line, and in every mode
 * when the rest of the file cannot be read reliably (a CSV header without a {@code url} column,
 * an unclosed quote). Raised while a stream from
 * {@link FileSource#items} is consumed, it arrives wrapped in an
 * {@link java.io.UncheckedIOException}; a command line maps it to a usage error.
 */
public final class BadSourceLineException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final String reason;

  public BadSourceLineException(String source, long line, String reason) {
    this(source, line, reason, null);
  }

  public BadSourceLineException(String source, long line, String reason, Throwable cause) {
    super(requireNonNull(source, "source") + ":" + line + ": " + requireNonNull(reason, "reason"),
        cause);
    this.source = source;
    this.line = line;
    this.reason = reason;
  }

  /** The file name, or {@code stdin}. */
  public String source() {
    return source;
  }

  /** The one-based line number. */
  public long line() {
    return line;
  }

  /** Why the line was rejected, without the location. */
  public String reason() {
    return reason;
  }
}

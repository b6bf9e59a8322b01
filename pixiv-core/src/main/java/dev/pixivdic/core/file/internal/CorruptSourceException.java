package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A source file whose bytes cannot be read as what it says it is: a {@code .gz} file that is not
 * gzip, or whose gzip data is truncated or damaged. A retry reads the same bytes; a command line
 * maps it to a data error, not to an outage. The message names the source and what is wrong.
 * Raised while a stream from {@link FileSource#items} is consumed, it arrives wrapped in an
 * {@link java.io.UncheckedIOException}.
 */
public final class CorruptSourceException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;

  public CorruptSourceException(String source, String message, Throwable cause) {
    super(requireNonNull(source, "source") + " " + requireNonNull(message, "message"), cause);
    this.source = source;
  }

  /** The file name, or {@code stdin}. */
  public String source() {
    return source;
  }
}

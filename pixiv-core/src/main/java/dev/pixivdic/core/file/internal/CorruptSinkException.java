package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A line in the middle of a file this project writes (an NDJSON sink, a resolution file) is not
 * a row: damaged by hand or by a disk, not by a crash, which can only tear the last line. A
 * retry cannot help; the message says how to repair the file. A command line exits with the
 * data-error code (65).
 */
public final class CorruptSinkException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  CorruptSinkException(Path file, long line, String why, Throwable cause) {
    super(requireNonNull(file, "file") + ":" + line + ": not a row: " + requireNonNull(why, "why")
        + ". A retry cannot fix this: move the line out of the file (for example "
        + "sed -n '" + line + "p' FILE >> FILE.bad && sed -i '" + line + "d' FILE) and run again",
        cause);
    this.file = file;
    this.line = line;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** The one-based number of the damaged line. */
  public long line() {
    return line;
  }
}

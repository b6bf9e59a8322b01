package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A page archive file that does not hold what it should: a blob whose content does not match
 * its SHA-256 name, or an index line that is not an entry.
 */
public final class CorruptArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CorruptArchiveException(Path file, String message, Throwable cause) {
    super(requireNonNull(file, "file") + ": " + requireNonNull(message, "message"), cause);
    this.file = file;
  }

  /** The damaged file (null after deserialisation). */
  public Path file() {
    return file;
  }
}

package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Another run (in this process or another on this host) holds the writer's lock of a sink,
 * archive or resolution file. A command line exits with the "retry later" code: the file is
 * free again when that run ends.
 */
public final class FileInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String holder;

  FileInUseException(Path file, String holder) {
    super(requireNonNull(file, "file") + " is in use by another run"
        + (holder == null || holder.isBlank() ? "" : " (" + holder + ")")
        + "; wait for it to end, or write to another file");
    this.file = file;
    this.holder = holder;
  }

  /** The file whose lock is held. */
  public Path file() {
    return file;
  }

  /** Who holds the lock, as that run wrote it into the lock file, when known. */
  public Optional<String> holder() {
    return Optional.ofNullable(holder).filter(h -> !h.isBlank());
  }
}

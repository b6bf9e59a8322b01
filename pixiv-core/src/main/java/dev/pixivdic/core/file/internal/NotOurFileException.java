package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file named as a sink, archive index or resolution file that this project did not write (a
 * source list, a CSV, another kind of file): it is left exactly as it is. A usage error for a
 * command line.
 */
public final class NotOurFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  NotOurFileException(Path file, String why) {
    this(file, why, "Name a new file, or one that pixiv wrote");
  }

  /** As {@link #NotOurFileException(Path, String)}, with what to do instead. */
  NotOurFileException(Path file, String why, String advice) {
    super(requireNonNull(file, "file") + " " + requireNonNull(why, "why")
        + "; it was left unchanged. " + requireNonNull(advice, "advice"));
    this.file = file;
  }

  /** The file refused. */
  public Path file() {
    return file;
  }
}

package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a file name leads, for telling two names of one file apart from two files. */
public final class FileTargets {
  private FileTargets() {}

  /**
   * The file {@code file} names, through the symbolic links of the file and of its nearest
   * existing directory; the names below that directory are kept as written. Two names of one file
   * give one path, except hard links.
   *
   * @throws IOException when an existing part cannot be resolved
   */
  public static Path target(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    return existing.toRealPath().resolve(existing.relativize(abs));
  }
}

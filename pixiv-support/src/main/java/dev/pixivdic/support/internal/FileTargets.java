package dev.pixivdic.support.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a file name leads, for telling two names of one file apart from two files. */
public final class FileTargets {
  private static final int MAX_HOPS = 40; // as Linux's own limit

  private FileTargets() {}

  /**
   * The file {@code file} names, through the symbolic links of the file (also when they lead to
   * a file not made yet) and of its nearest existing directory; the names below that directory
   * are kept as written. Two names of one file give one path, except hard links.
   *
   * @throws IOException when an existing part cannot be resolved
   */
  public static Path target(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    // A link to a file not made yet leads where the file will be made: a writer that locked
    // beside the link's own name let a second one, coming once the file existed, lock beside
    // the file, and both wrote it.
    for (int hops = 0; Files.isSymbolicLink(abs) && !Files.exists(abs); hops++) {
      if (hops == MAX_HOPS) {
        throw new FileSystemException(file.toString(), null, "Too many levels of symbolic links");
      }
      abs = abs.resolveSibling(Files.readSymbolicLink(abs)).toAbsolutePath().normalize();
    }
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

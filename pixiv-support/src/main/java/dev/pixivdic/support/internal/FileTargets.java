package dev.pixivdic.support.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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

  /**
   * Why {@code file} cannot be written through, said after its name: it is a symbolic link to
   * nothing whose file would lie in a directory that does not exist. Making that directory
   * would make directories outside every one the user named ({@code --report} made
   * {@code /nonexistent/dir/} and wrote there; a sink failed on its lock beside the target).
   * Empty for any other file, and for a link to a file not made yet in a directory that exists
   * ({@code latest.json -> runs/r-17.json}), which is written where it leads.
   */
  public static Optional<String> linkToNothing(Path file) {
    if (!Files.isSymbolicLink(file) || Files.exists(file)) {
      return Optional.empty();
    }
    Path to;
    try {
      to = target(file);
    } catch (IOException e) {
      return Optional.empty(); // a loop: the opening says so
    }
    Path dir = to.getParent();
    if (dir == null || Files.isDirectory(dir)) {
      return Optional.empty();
    }
    return Optional.of("is a symbolic link to nothing: it leads to " + to + ", in a directory"
        + " that does not exist, and no directory is made where a link leads. Make the"
        + " directory, or name another file");
  }
}

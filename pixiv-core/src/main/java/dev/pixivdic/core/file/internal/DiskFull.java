package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Names the file of a write that failed because its disk is full. The JDK reports ENOSPC (and a
 * full quota, EDQUOT) as a bare "No space left on device" that names no file, which left an
 * operator with a full disk guessing which volume to clear.
 */
final class DiskFull {

  /** The operating system's words for a full disk, as the JDK passes them on. */
  private static final List<String> SIGNS = List.of("No space left on device",
      "Disk quota exceeded");

  private DiskFull() {}

  /** True when {@code e} says the disk (or the user's quota on it) is full. */
  static boolean is(IOException e) {
    String m = e.getMessage();
    return m != null && SIGNS.stream().anyMatch(m::contains);
  }

  /**
   * {@code e} as thrown, unless it says the disk is full: then an {@link IOException} naming
   * {@code file} and saying so, with {@code e} as its cause.
   *
   * @param file the file that was being written
   * @param undone what became of the write, e.g. "nothing of the batch was kept"
   */
  static IOException named(Path file, IOException e, String undone) {
    if (!is(e)) {
      return e;
    }
    return new IOException(file + ": the disk is full (" + e.getMessage() + "); " + undone
        + ". Free space on its volume and run again", e);
  }
}

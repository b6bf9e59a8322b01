package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file a writer holds was deleted or replaced under it while it ran: its lock file (another
 * run may now hold a new one and write the same file) or the file itself (what it appends would
 * go where no name leads); or the file was cut in place, shorter than this writer's own writes
 * left it ({@link #cutInPlace}), or grown by another program's append that ends without a line
 * end ({@link #endsInAPartLine}). The write that found it did not happen, and nothing more is
 * written; the source or sink is unavailable to this run.
 */
final class FileReplacedException extends IOException {
  private static final long serialVersionUID = 1L;

  FileReplacedException(Path file, String what) {
    super(file + " was " + what + " while this run was writing it, so this run stopped writing"
        + " (the batch at hand was not written; those before it are in the file it wrote).");
  }

  private FileReplacedException(String message) {
    super(message);
  }

  /**
   * The file was made shorter under the writer ({@code : > FILE}, {@code truncate -s}): rows
   * it had written may be gone, and what it appended next would sit after whatever is left.
   *
   * @param written the file's length after this writer's last write (or when it was opened)
   * @param now its length now, less than {@code written}
   */
  static FileReplacedException cutInPlace(Path file, long written, long now) {
    return new FileReplacedException(file + " was cut in place under the writer while this run"
        + " was writing it (" + now + " bytes, where its writes had left " + written + "), so"
        + " rows already written to it may be gone; this run stopped writing (the batch at hand"
        + " was not written). A run started again fetches what the file no longer holds.");
  }

  /**
   * Another program appended to the file under the writer and left a line without its line end
   * ({@code printf '{"url":...' >> FILE}): a batch appended now would be glued to that line, and
   * the row it begins with would not read back.
   *
   * @param written the file's length after this writer's last write (or when it was opened)
   * @param lineStart where the unterminated line begins, at or past {@code written}
   * @param now the file's length now, past {@code written}
   */
  static FileReplacedException endsInAPartLine(Path file, long written, long lineStart,
      long now) {
    return new FileReplacedException(file + " was appended to by another program while this"
        + " run was writing it, and it now ends in a line without a line end (bytes "
        + lineStart + " to " + now + "; this run's writes had left " + written + " bytes), so"
        + " this run stopped writing rather than glue its next row to that line. No row of the"
        + " batch at hand was written; the rows written before are whole. A run started again"
        + " keeps that line in " + LogFileCheck.tornFile(file) + " as a torn last line (or"
        + " names it, when it does not begin as pixiv's lines do), unless it was finished"
        + " meanwhile, and fetches what was not written.");
  }

  /** The identity (device and inode) of the file {@code path} names; null where unknown. */
  static Object keyOf(Path path, LinkOption... options) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, options).fileKey();
  }

  /**
   * Checks that {@code path} still names the file whose {@link #keyOf} was {@code key}.
   *
   * @throws FileReplacedException when it names none or another
   */
  static void requireSame(Path path, Object key, LinkOption... options) throws IOException {
    Object now;
    try {
      now = keyOf(path, options);
    } catch (NoSuchFileException e) {
      throw new FileReplacedException(path, "deleted");
    }
    if (key != null && !key.equals(now)) {
      throw new FileReplacedException(path, "replaced by another file");
    }
  }
}

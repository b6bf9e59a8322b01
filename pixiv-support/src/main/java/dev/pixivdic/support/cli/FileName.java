package dev.pixivdic.support.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picocli converter for an option that names a file to write (a report): it refuses a name
 * that can only be a directory ({@link #namesDirectory}), which {@code Path.of} would have
 * turned into a file of the directory's name ({@code out/} became {@code out}).
 */
public final class FileName implements ITypeConverter<Path> {

  /** What a path names, as the commands tell it apart before they open or replace it. */
  public enum Kind {
    /** Nothing (a dangling link too), or nothing that can be looked at. */
    MISSING("no such file"),
    REGULAR("a regular file"),
    DIRECTORY("a directory"),
    /** A named pipe (FIFO): opening it waits for a writer, reading it for the writer's end. */
    PIPE("a named pipe"),
    /**
     * A character or block device, or a socket: {@code /dev/zero} gives no end, {@code
     * /dev/null} nothing, a terminal what is typed. Also any other special file where the
     * system cannot tell which it is.
     */
    DEVICE("a device");

    /** What it is, for a message: "a directory", "a named pipe"... */
    public final String words;

    Kind(String words) {
      this.words = words;
    }
  }

  /**
   * What {@code file} is, following symbolic links; it is not opened. {@code /dev/zero} read as
   * rows was read for ever, a FIFO read to tell whether it is a report waited for a writer for
   * ever, and a directory opened as a file failed with a Java class's name.
   */
  public static Kind kind(Path file) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException | SecurityException e) {
      return Kind.MISSING;
    }
    if (a.isRegularFile()) {
      return Kind.REGULAR;
    }
    if (a.isDirectory()) {
      return Kind.DIRECTORY;
    }
    try {
      // The file type bits of st_mode: S_IFIFO.
      return ((Integer) Files.getAttribute(file, "unix:mode") & 0170000) == 0010000 ? Kind.PIPE
          : Kind.DEVICE;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException
        | SecurityException e) {
      return Kind.DEVICE;
    }
  }

  /**
   * Why {@code file} can hold no report, said after its name: a directory, or a named pipe or a
   * device (reading a FIFO to tell whether it is a report waited for a writer for ever, and the
   * move of {@link dev.pixivdic.support.internal.ReportFiles#write} would put a regular file in a
   * device's place). Empty for a regular file or none.
   */
  public static Optional<String> notAFile(Path file) {
    Kind kind = FileName.kind(file);
    if (kind == Kind.DIRECTORY) {
      return Optional.of("is a directory; name a file in it");
    }
    if (kind == Kind.PIPE || kind == Kind.DEVICE) {
      return Optional.of("is not a regular file (" + kind.words + "); name a file");
    }
    return Optional.empty();
  }

  /** Whether {@code spec} can only name a directory: it ends with '/', '.' or '..'. */
  public static boolean namesDirectory(String spec) {
    if (spec.endsWith("/") || spec.endsWith(File.separator)) {
      return true;
    }
    Path last = Path.of(spec).getFileName();
    return last != null && (last.toString().equals(".") || last.toString().equals(".."));
  }

  /**
   * Which of this process's standard streams {@code file} is, if it is one: "standard error"
   * for {@code /dev/stderr}, and for the very file {@code 2> run.log} sends it to. A report
   * replaces its file whole, so one written there replaced the log (and the lines after it
   * went to a file no longer there). Empty for any other file (a device, such as a terminal or
   * {@code /dev/null}, is said as one by the commands), and where it cannot be told.
   */
  public static Optional<String> standardStream(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty(); // a terminal, /dev/null: no log a report could replace
    }
    for (int fd = 1; fd <= 2; fd++) {
      Path stream = Path.of("/dev/fd/" + fd);
      try {
        if (Files.exists(stream) && Files.isSameFile(file, stream)) {
          return Optional.of(fd == 1 ? "standard output" : "standard error");
        }
      } catch (IOException | SecurityException e) {
        // Not comparable, so not known to be the same.
      }
    }
    return Optional.empty();
  }

  @Override
  public Path convert(String value) {
    if (value.isBlank()) {
      throw new TypeConversionException("an empty path names no file");
    }
    if (namesDirectory(value)) {
      throw new TypeConversionException("'" + value
          + "' ends with '/', '.' or '..', so it names a directory; name a file in it");
    }
    return Path.of(value);
  }
}

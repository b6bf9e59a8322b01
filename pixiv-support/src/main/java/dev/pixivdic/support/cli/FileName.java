package dev.pixivdic.support.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picocli converter for an option that names a file to write (a report): it refuses a name
 * that can only be a directory ({@link #namesDirectory}), which {@code Path.of} would have
 * turned into a file of the directory's name ({@code out/} became {@code out}).
 */
public final class FileName implements ITypeConverter<Path> {

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

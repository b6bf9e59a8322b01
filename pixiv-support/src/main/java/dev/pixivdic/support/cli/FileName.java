package dev.pixivdic.support.cli;

import java.io.File;
import java.nio.file.Path;
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

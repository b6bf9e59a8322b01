package dev.pixivdic.support.cli;

import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A check of the {@code @FILE} arguments a command line reads its arguments from, before picocli
 * reads them whole: {@code @/dev/zero} or a pipe nobody writes made the command hang, a file
 * of gigabytes ran it out of memory. Stateless.
 */
public final class ArgumentFiles {

  /** More than any list of options holds. */
  public static final long MAX_BYTES = 1 << 20;

  private ArgumentFiles() {}

  /**
   * Why an {@code @FILE} among {@code args} cannot be read as arguments: it is not a regular
   * file, is over {@link #MAX_BYTES}, or is not UTF-8 text without a byte order mark (UTF-16 or
   * UTF-32, or NUL bytes in it); empty when every one can (a missing file is picocli's to
   * treat: it takes {@code @name} as an argument then). {@code @@x} is the argument {@code @x}.
   */
  public static Optional<String> problem(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("@") || arg.startsWith("@@") || arg.length() == 1) {
        continue;
      }
      Path file;
      try {
        file = Path.of(arg.substring(1));
      } catch (InvalidPathException e) {
        continue;
      }
      if (!Files.exists(file)) {
        continue;
      }
      if (!Files.isRegularFile(file)) {
        return Optional.of(arg + ": an argument file must be a regular file (this one is a"
            + " directory, a pipe or a device)");
      }
      try {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
          return Optional.of(arg + ": an argument file holds options, at most " + MAX_BYTES
              + " bytes; this one has " + size);
        }
      } catch (IOException e) {
        return Optional.of(arg + ": cannot read the argument file: " + e.getMessage());
      }
      Optional<String> notUtf8 = notUtf8(file);
      if (notUtf8.isPresent()) {
        return Optional.of(arg + ": " + notUtf8.get());
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code file} is not the UTF-8 text that an argument file must be, if it is not. picocli
   * reads it as text in the platform's charset, byte order mark and NUL bytes and all: the first
   * option became an unknown word and the error said another option was missing, and UTF-16
   * text gave words with a NUL between their letters.
   */
  private static Optional<String> notUtf8(Path file) {
    byte[] bytes;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_BYTES);
    } catch (IOException e) {
      return Optional.empty(); // picocli says it, reading the file
    }
    String save = "; an argument file must be UTF-8: save it as UTF-8 text without a byte order"
        + " mark";
    TextFiles.Encoding encoding = TextFiles.encoding(bytes);
    if (encoding.plainUtf8()) {
      for (byte b : bytes) {
        if (b == 0) {
          return Optional.of("the argument file holds NUL bytes, which no option holds (is it"
              + " UTF-16 text?)" + save);
        }
      }
      return Optional.empty();
    }
    if (encoding.charset().equals(StandardCharsets.UTF_8)) {
      return Optional.of("the argument file begins with a UTF-8 byte order mark; save it as"
          + " UTF-8 without one (a plain text file)");
    }
    return Optional.of("the argument file is " + encoding.name() + " text (by "
        + (encoding.mark() > 0 ? "its byte order mark" : "the NUL bytes beside its characters")
        + ")" + save);
  }

  /**
   * The {@code @FILE} arguments before {@code --} whose file does not exist, each said as a
   * problem for a usage error's message: picocli reads an argument file only when it exists,
   * and takes the word as it is otherwise, so its own message ("Missing required option",
   * "Unmatched argument") hides the cause.
   */
  public static List<String> missing(String[] args) {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--")) {
        break; // what follows is passed on as it is (the launcher's scrape arguments)
      }
      if (!arg.startsWith("@") || arg.startsWith("@@") || arg.length() == 1) {
        continue;
      }
      try {
        if (!Files.exists(Path.of(arg.substring(1)))) {
          out.add("argument file " + arg.substring(1) + ": no such file or directory");
        }
      } catch (InvalidPathException e) {
        out.add("argument file " + arg.substring(1) + ": not a path (" + e.getReason() + ")");
      }
    }
    return out;
  }
}

package dev.pixivdic.support.cli;

import java.io.IOException;
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
   * file, or over {@link #MAX_BYTES}; empty when every one can (a missing file is picocli's to
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
      Optional<String> mark = byteOrderMark(file);
      if (mark.isPresent()) {
        // picocli reads the file as the platform's charset, a mark and all: the first option
        // became an unknown word, and the error said another option was missing.
        return Optional.of(arg + ": the argument file begins with a " + mark.get()
            + " byte order mark; save it as UTF-8 without one (a plain text file)");
      }
    }
    return Optional.empty();
  }

  /** The encoding a byte order mark at the start of {@code file} names, if it has one. */
  private static Optional<String> byteOrderMark(Path file) {
    byte[] head;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(3);
    } catch (IOException e) {
      return Optional.empty(); // picocli says it, reading the file
    }
    if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
        && (head[2] & 0xff) == 0xBF) {
      return Optional.of("UTF-8");
    }
    if (head.length >= 2 && ((head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF
        || (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE)) {
      return Optional.of("UTF-16");
    }
    return Optional.empty();
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

package dev.pixivdic.support.cli;

import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;
import java.io.StreamTokenizer;
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
      if (!isAtFile(arg)) {
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
      Optional<String> unreadable = unreadable(arg, file);
      if (unreadable.isPresent()) {
        return unreadable;
      }
    }
    return Optional.empty();
  }

  /**
   * As {@link #problem}, and also for the argument files that those name in turn, and with one
   * more reason: an argument file that names itself, directly or through others (picocli skipped
   * it without a word). Empty when every argument file can be read. An {@code @FILE} whose file
   * does not exist is no problem here: picocli takes the word as an argument then (a value such
   * as {@code --strip-pattern @.*}), and {@link #missing} names it when the command line does not
   * parse. {@code @@x} is the argument {@code @x}, in a file too.
   */
  public static Optional<String> problemInAll(String[] args) {
    return new Walk(args, false).problem();
  }

  /**
   * As {@link #problemInAll}, for the arguments before {@code --} only: what follows it is passed
   * on as it is, to a command that reads its own argument files where it runs (a pod), so those
   * files are not opened here.
   */
  public static Optional<String> problemBeforeEnd(String[] args) {
    return new Walk(args, true).problem();
  }

  /**
   * A word of an argument file as picocli reads it: its text, the file as it was named, the
   * line it stands on (from 1), and whether it was quoted.
   */
  public record Word(String text, String file, int line, boolean quoted) {}

  /**
   * The words of the argument files named before {@code --}, and of those they name in turn, in
   * the order picocli reads them: what a usage error may quote, and what shows how a line of a
   * file was split. Files that cannot be read give no words.
   */
  public static List<Word> words(String[] args) {
    return List.copyOf(new Walk(args, false).words);
  }

  private enum Kind { MISSING, NOT_A_PATH, UNREADABLE, CYCLE }

  private record Finding(Kind kind, String message, boolean beforeEnd) {}

  /**
   * One walk through the argument files that {@code args} name, and those they name in turn,
   * for every question asked of them: what cannot be read ({@link #problemInAll}), what does
   * not exist ({@link #missing}), and the words they hold ({@link #words}).
   */
  private static final class Walk {
    final List<Finding> findings = new ArrayList<>();
    final List<Word> words = new ArrayList<>();
    /** The files that led to the one being read, as written and as the system finds them. */
    private final List<String> names = new ArrayList<>();
    private final List<Path> reals = new ArrayList<>();
    private boolean beforeEnd = true;

    Walk(String[] args, boolean stopAtEnd) {
      for (String arg : args) {
        if (arg.equals("--")) {
          beforeEnd = false; // what follows is passed on as it is (the launcher's scrape arguments)
          if (stopAtEnd) {
            return;
          }
        }
        visit(arg);
      }
    }

    private void visit(String arg) {
      if (!isAtFile(arg)) {
        return;
      }
      String name = arg.substring(1);
      String where = names.isEmpty() ? "" : " (named in the argument file "
          + names.get(names.size() - 1) + ")";
      Path file;
      try {
        file = Path.of(name);
      } catch (InvalidPathException e) {
        found(Kind.NOT_A_PATH, "argument file " + name + ": not a path (" + e.getReason() + ")"
            + where);
        return;
      }
      if (!Files.exists(file)) {
        // A word picocli takes as it is (a value such as --strip-pattern @.*).
        found(Kind.MISSING, "argument file " + name + ": no such file or directory" + where);
        return;
      }
      Optional<String> unreadable = unreadable(arg, file);
      if (unreadable.isPresent()) {
        found(Kind.UNREADABLE, unreadable.get() + where);
        return;
      }
      Path real;
      List<Word> tokens;
      try {
        real = file.toRealPath();
        tokens = tokens(file, name);
      } catch (IOException e) {
        found(Kind.UNREADABLE, arg + ": cannot read the argument file: " + e.getMessage() + where);
        return;
      }
      int at = reals.indexOf(real);
      if (at >= 0) {
        List<String> cycle = new ArrayList<>(names.subList(at, names.size()));
        cycle.add(name);
        found(Kind.CYCLE, "argument file " + name + " includes itself"
            + (cycle.size() > 2 ? " through " + String.join(" -> ", cycle) : "")
            + "; an argument file cannot include itself, directly or through another: remove @"
            + name + " from " + names.get(names.size() - 1));
        return;
      }
      names.add(name);
      reals.add(real);
      for (Word token : tokens) {
        if (beforeEnd) {
          words.add(token);
        }
        visit(token.text());
      }
      names.remove(names.size() - 1);
      reals.remove(reals.size() - 1);
    }

    /** The first finding that is a problem: a missing file is picocli's to treat. */
    Optional<String> problem() {
      return findings.stream().filter(f -> f.kind() != Kind.MISSING).map(Finding::message)
          .findFirst();
    }

    private void found(Kind kind, String message) {
      findings.add(new Finding(kind, message, beforeEnd));
    }
  }

  private static boolean isAtFile(String arg) {
    return arg.startsWith("@") && !arg.startsWith("@@") && arg.length() > 1;
  }

  /**
   * Why {@code file}, which exists, cannot be read as an argument file: not a regular file, too
   * large, or not UTF-8 text.
   */
  private static Optional<String> unreadable(String arg, Path file) {
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
    return notUtf8.map(why -> arg + ": " + why);
  }

  /** The words of an argument file, split as picocli splits them (quotes, # comments). */
  private static List<Word> tokens(Path file, String name) throws IOException {
    List<Word> out = new ArrayList<>();
    try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StreamTokenizer tok = new StreamTokenizer(in);
      tok.resetSyntax();
      tok.wordChars(' ', 255);
      tok.whitespaceChars(0, ' ');
      tok.quoteChar('"');
      tok.quoteChar('\'');
      tok.commentChar('#');
      while (tok.nextToken() != StreamTokenizer.TT_EOF) {
        if (tok.sval != null) {
          out.add(new Word(tok.sval, name, tok.lineno(),
              tok.ttype == '"' || tok.ttype == '\''));
        }
      }
    }
    return out;
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
   * The {@code @FILE} arguments before {@code --} whose file does not exist, and those named in
   * turn in an argument file that does, each said as a problem for a usage error's message:
   * picocli reads an argument file only when it exists, and takes the word as it is otherwise,
   * so its own message ("Missing required option", "Unmatched argument") hides the cause.
   */
  public static List<String> missing(String[] args) {
    return new Walk(args, false).findings.stream()
        .filter(f -> f.beforeEnd() && (f.kind() == Kind.MISSING || f.kind() == Kind.NOT_A_PATH))
        .map(Finding::message).toList();
  }
}

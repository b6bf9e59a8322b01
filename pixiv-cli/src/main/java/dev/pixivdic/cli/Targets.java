package dev.pixivdic.cli;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.file.internal.CorruptSourceException;
import dev.pixivdic.core.file.internal.FileSource;
import dev.pixivdic.core.file.internal.NdjsonSink;
import dev.pixivdic.core.file.internal.SourceProblem;
import dev.pixivdic.support.cli.FileName;
import dev.pixivdic.support.internal.FileTargets;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.SinkSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sources and sinks from what the user wrote: a file, {@code -} for stdin, or
 * {@code bq:...}.
 */
final class Targets {

  private static final Logger log = LoggerFactory.getLogger(Targets.class);

  private Targets() {}

  static boolean isBigQuery(String spec) {
    return SinkSettings.isBigQuery(spec);
  }

  static FileSource fileSource(String spec, FileSource.Format format, boolean strict,
      Consumer<SourceProblem> problems) {
    FileSource.Builder b;
    if (spec.equals(FileSource.STDIN)) {
      InputStream in;
      // Said first: a run started without a pipe waits here, and the log tells why.
      log.info("reading the source from standard input");
      try {
        in = StandardInput.stoppable(StandardInput.readAhead(System.in));
      } catch (IOException e) {
        // Closed, or a directory: refused before anything is made, as a missing file is.
        throw new ConfigException(e instanceof java.nio.file.FileSystemException
            ? e.getMessage() : "standard input: " + e.getMessage(), e);
      }
      b = FileSource.stdin(() -> in);
    } else {
      if (spec.isBlank()) {
        throw new ConfigException("--source is empty; name a file, or - for standard input");
      }
      refuseBigQueryLookalike("--source", spec);
      Path p = Path.of(spec);
      FileName.Kind kind = FileName.kind(p);
      if (kind == FileName.Kind.REGULAR && FileName.namesDirectory(spec)) {
        // Path.of drops the slash; the system would not open "file.txt/" ("Not a directory").
        throw new ConfigException("--source " + spec + " ends with '/', but " + p
            + " is a file, not a directory; name the file without it");
      }
      if (kind == FileName.Kind.DIRECTORY) {
        throw new ConfigException("--source " + spec + " is a directory; name a file in it");
      }
      if (kind == FileName.Kind.PIPE || kind == FileName.Kind.DEVICE) {
        // It said "no such file". A pipe is read as standard input.
        throw new ConfigException("--source " + spec + " is not a regular file (" + kind.words
            + "); to read a pipe, give --source - and redirect the pipe to standard input");
      }
      if (kind == FileName.Kind.MISSING) {
        throw new ConfigException("--source " + spec + ": no such file");
      }
      if (!Files.isReadable(p)) {
        throw new ConfigException("--source " + spec + ": not readable");
      }
      b = FileSource.builder(p);
    }
    if (format != null) {
      b.format(format);
    }
    return b.strict(strict).problems(problems).build();
  }

  /**
   * Refuses a file name that reads as a BigQuery table in other letters ({@code BQ:p.d.t}): a
   * run meant for a table would write a local file and exit 0. A file of such a name is still
   * reachable as {@code ./BQ:...}.
   */
  static void refuseBigQueryLookalike(String option, String spec) {
    if (spec.regionMatches(true, 0, "bq:", 0, 3)) {
      throw new ConfigException(option + " " + spec + ": a BigQuery table is written"
          + " bq:PROJECT.DATASET.TABLE, in lower case; for a file of this name write ./" + spec);
    }
  }

  /**
   * The NDJSON sink named by {@code spec}; read-only for a dry run, which writes nothing (no
   * lock, no repair, no file created). Both refuse a place where the sink and its lock cannot
   * be created ({@link #checkPlace}) before anything is opened.
   */
  static NdjsonSink fileSink(String spec, boolean readOnly) throws IOException {
    if (spec.equals("-")) {
      throw new ConfigException("--sink - (stdout) is not supported: a sink must remember what "
          + "it stored; name a file");
    }
    if (spec.isBlank()) {
      throw new ConfigException("--sink is empty; name a file, or bq:TABLE");
    }
    refuseBigQueryLookalike("--sink", spec);
    refuseDirectoryName("--sink", spec);
    refuseCompanion("--sink " + spec, Path.of(spec));
    // The run and its dry run refuse such a place alike, in the same words (the run met it
    // only as the lock's bare "no such file or directory").
    checkPlace("--sink " + spec, Path.of(spec));
    return readOnly ? NdjsonSink.openReadOnly(Path.of(spec)) : NdjsonSink.open(Path.of(spec));
  }

  /**
   * Refuses a file's name that ends with a slash: it names a directory, and {@code Path.of}
   * drops the slash (a run wrote a file named as the directory the user meant).
   */
  static void refuseDirectoryName(String option, String spec) {
    if (FileName.namesDirectory(spec)) {
      throw new ConfigException(option + " " + LogText.escaped(spec, 200) + " ends with '/', '.'"
          + " or '..', so it names a directory; name a file in it");
    }
  }

  /**
   * Refuses a file named as one that pixiv keeps beside a sink or an archive's index: its lock
   * ({@code FILE.lock}) or the torn lines it cut ({@code FILE.torn}). A report or rows written
   * there before the lock exists would replace or fill another run's lock, and a third run
   * would then write beside the one that holds it.
   *
   * @throws ConfigException naming the option
   */
  static void refuseCompanion(String what, Path file) {
    Path name = file.getFileName();
    if (name != null && (name.toString().endsWith(".lock") || name.toString().endsWith(".torn"))) {
      throw new ConfigException(what + ": a name ending in .lock or .torn is kept for the files"
          + " pixiv puts beside a sink or an archive index (its lock, its torn lines); name a"
          + " file of its own");
    }
  }

  /**
   * Refuses a sink file that is also a file the run reads ({@code --source}, the archive's
   * index): rows appended to the list being read, or to the index, would spoil both.
   *
   * @throws ConfigException when they are the same file
   */
  static void refuseSameFile(String sinkSpec, String what, Path other) {
    if (isBigQuery(sinkSpec) || sinkSpec.equals("-")) {
      return;
    }
    if (sameFile(Path.of(sinkSpec), other)) {
      // No default is named: scrape's and resolve's differ, and either may have been given.
      throw new ConfigException("--sink " + sinkSpec + " is " + what + "; rows must go to a file"
          + " of their own: name another --sink");
    }
  }

  /**
   * Refuses, before anything is opened, a file whose directory could not be made or written:
   * missing directories are created (as the sink's and the report's are), so the nearest place
   * above {@code file} that exists must be a directory the run may write in; a link to nothing
   * is no directory (creating one through it fails), and {@code file} may not be a link to
   * nothing in a directory that does not exist ({@link #refuseLinkToNothing}).
   *
   * @param what the option and its value, as the message names them
   * @throws ConfigException naming the place
   */
  static void checkPlace(String what, Path file) {
    refuseLinkToNothing(what, file);
    for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(p)) {
          throw new ConfigException(what + ": " + p + (Files.exists(p)
              ? " is a file" : " is a symbolic link to nothing") + ", where a directory is"
              + " needed");
        }
        probe(what, p);
        return;
      }
    }
  }

  /**
   * Refuses a file that is a symbolic link to nothing in a directory that does not exist
   * ({@link FileTargets#linkToNothing}): writing through it would make that directory.
   *
   * @param what the option and its value, as the message names them
   * @throws ConfigException naming the link
   */
  static void refuseLinkToNothing(String what, Path file) {
    java.util.Optional<String> why = FileTargets.linkToNothing(file);
    if (why.isPresent()) {
      throw new ConfigException(what + ": " + file + " " + why.get());
    }
  }

  /**
   * Creates and deletes a file in {@code dir}: the only sure test that the run may write there
   * ({@link Files#isWritable} says yes to root where the system says no, as in {@code /sys}).
   */
  private static void probe(String what, Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, ".pixiv-", ".probe"));
    } catch (IOException e) {
      throw new ConfigException(what + ": cannot write in " + dir + " ("
          + Outcomes.message(e) + "); name a place the run may write", e);
    }
  }

  /**
   * How many items the shard of a file source holds, for the progress line's total; -1 when the
   * file cannot be read through (the run itself then reports why).
   *
   * @throws CorruptSourceException when the file is damaged (a truncated gzip file): the run
   *     would stop on it after fetching what comes before, so it is refused before the first
   *     request
   */
  static long count(Source<?> source, Shard shard) throws CorruptSourceException {
    try (Stream<?> items = source.items(shard)) {
      return items.count();
    } catch (OutOfMemoryError e) {
      // A shard too large for the heap: the run meets it too, and ends with its report.
      return -1;
    } catch (CorruptSourceException e) {
      throw e;
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CorruptSourceException damaged) {
        throw damaged;
      }
      return -1;
    } catch (IOException | IllegalStateException e) {
      return -1;
    }
  }

  /**
   * Refuses an {@code --archive} directory that is the sink file or lies below it: the run would
   * make the sink, then fail to make the archive where a file now stands, leaving the new sink.
   */
  static void refuseArchiveInSink(String sinkSpec, Path archive) {
    if (isBigQuery(sinkSpec) || sinkSpec.equals("-")) {
      return;
    }
    try {
      Path sink = FileTargets.target(Path.of(sinkSpec));
      Path dir = FileTargets.target(archive);
      if (dir.startsWith(sink)) {
        throw new ConfigException("--archive " + archive + (dir.equals(sink)
            ? " is the --sink file" : " is below the --sink file " + sinkSpec)
            + "; the archive is a directory of its own: name another --archive");
      }
    } catch (IOException e) {
      // Unresolvable: the run's own opening says why.
    }
  }

  /**
   * Whether two paths name one file: the same file when both exist, else the same place once
   * symbolic links (of the files and of their directories) are followed.
   */
  static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b)
          : FileTargets.target(a).equals(FileTargets.target(b));
    } catch (IOException e) {
      return false;
    }
  }
}

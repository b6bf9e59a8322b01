package dev.pixivdic.cli;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.file.internal.BadSourceLineException;
import dev.pixivdic.core.file.internal.CorruptArchiveException;
import dev.pixivdic.core.file.internal.CorruptSinkException;
import dev.pixivdic.core.file.internal.CorruptSourceException;
import dev.pixivdic.core.file.internal.FileInUseException;
import dev.pixivdic.core.file.internal.NotOurFileException;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.internal.StorageFailedException;
import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Maps what a run did to the exit code a scheduler acts on (design: docs/operations.md). */
final class Outcomes {

  private Outcomes() {}

  /**
   * The exit code of a run.
   *
   * @param permanentFailures failed items that a retry would not fix besides those the report
   *     counts {@linkplain RunReport#failedForGood() failed for good}: robots.txt refusals
   * @param damaged failed items whose stored input is damaged (an archived page that is not
   *     whole or not what its hash says): a retry reads the same damage, so they make a
   *     completed run 65
   * @param signalCode the exit code of the signal that stopped the run (130 or 143), 0 if none
   */
  static int exitCode(RunReport r, long permanentFailures, long damaged, int signalCode) {
    switch (r.stopReason()) {
      case PARSE_BREAKAGE:
        return ExitCodes.PARSE_BREAKAGE;
      case BLOCKED:
      case SITE_UNREACHABLE:
        return ExitCodes.TEMPORARY;
      case INTERRUPTED:
        return signalCode != 0 ? signalCode : ExitCodes.SIGINT;
      case INTERNAL_ERROR:
        return ExitCodes.INTERNAL;
      case SOURCE_FAILED:
      case SINK_FAILED:
        return forFailure(r.failure());
      case COMPLETED:
      default:
        if (damaged > 0) {
          return ExitCodes.PARSE_BREAKAGE;
        }
        long retryable = r.failed() - r.failedForGood() - permanentFailures + r.cancelled()
            + r.count(Outcome.BLOCKED) + r.count(Outcome.MAINTENANCE);
        return retryable > 0 ? ExitCodes.TEMPORARY : ExitCodes.OK;
    }
  }

  /** The exit code for an I/O failure of a source or sink. */
  static int forFailure(IOException e) {
    if (e == null) {
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof StorageFailedException && e.getCause() instanceof IOException cause) {
      // The archive's copy of a page could not be written: its own failure decides, as the
      // sink's would (an immutable index: 2; a full disk: 69).
      return forFailure(cause);
    }
    if (e instanceof BadSourceLineException || e instanceof NoSuchFileException
        || e instanceof AccessDeniedException || e instanceof NotOurFileException
        || e instanceof FileAlreadyExistsException || isWrongPlace(e) || isConfigError(e)) {
      return ExitCodes.USAGE;
    }
    if (e instanceof FileInUseException) {
      // Another run holds the sink: it is free again when that run ends.
      return ExitCodes.TEMPORARY;
    }
    if (e instanceof CorruptSinkException || e instanceof CorruptArchiveException
        || e instanceof CorruptSourceException) {
      // A damaged line in the middle of a file, a truncated gzip source: a retry reads the
      // same damage.
      return ExitCodes.PARSE_BREAKAGE;
    }
    return ExitCodes.UNAVAILABLE;
  }

  /**
   * Prints why a command stopped before or outside its run and returns the exit code: 2 with
   * the message of a {@link ConfigException}, else {@link #forFailure} with {@link #message} of
   * the I/O failure ({@link UncheckedIOException} unwrapped). Messages are escaped, so that no
   * value can forge a line.
   *
   * @param command the command as the message names it, e.g. {@code pixiv scrape}
   * @param e a {@link ConfigException}, an {@link IOException} or an
   *     {@link UncheckedIOException}
   */
  static int refused(String command, Exception e, PrintWriter err) {
    if (e instanceof ConfigException) {
      err.println(command + ": " + Logging.escape(e.getMessage()));
      return ExitCodes.USAGE;
    }
    IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
    err.println(command + ": " + Logging.escape(message(io)));
    return forFailure(io);
  }

  /**
   * The message for an I/O failure of a source or sink: {@link IOException#getMessage}, except
   * where that is only a path.
   */
  static String message(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() == null && f.getFile() != null) {
      String what = TextFiles.words(f);
      if (what != null) {
        return f.getFile() + (f.getOtherFile() == null ? "" : " (to " + f.getOtherFile() + ")")
            + ": " + what;
      }
    }
    return e.getMessage();
  }

  /**
   * A path that can never be written as given: on a read-only file system, through a file where
   * a directory belongs, or where the system forbids it even to root ({@code EPERM}: an
   * immutable file, a place such as {@code /sys}; the JDK words it by its reason alone, unlike
   * {@code EACCES}), or under a name too long for the file system (the sink's {@code .lock}
   * beside a name near the limit). A retry would meet the same refusal.
   */
  private static boolean isWrongPlace(IOException e) {
    return e instanceof FileSystemException f && f.getReason() != null
        && java.util.Set.of("Read-only file system", "Not a directory", "Is a directory",
            "Operation not permitted", "File name too long",
            "Too many levels of symbolic links").contains(f.getReason());
  }

  private static boolean isConfigError(IOException e) {
    return BigQueryTargets.isConfigError(e);
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.core.file.internal.SourceProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

/**
 * The bad lines of a file source, as the log and the report tell them: the first {@link #NAMED}
 * each get a warning and are kept for the report's problems; the rest are only counted, and
 * {@link #logUnnamed} says how many in one warning. One warning per line let a 30 MB binary
 * file given as the source write 115,954 log lines. Thread safe.
 */
final class SourceProblems implements Consumer<SourceProblem> {

  /** How many bad lines the log names and the report keeps. */
  static final int NAMED = 50;

  private final Logger log;
  private final String what;
  private final List<String> named = new ArrayList<>();
  private long unnamed;

  /**
   * @param log the command's logger, which writes the warnings
   * @param what the lines' name in the log: "bad source line"
   */
  SourceProblems(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** None, for a command without a file source: nothing to name, so no logger of its own. */
  static SourceProblems none() {
    return new SourceProblems(NOPLogger.NOP_LOGGER, "bad line");
  }

  @Override
  public void accept(SourceProblem p) {
    synchronized (this) {
      if (named.size() >= NAMED) {
        unnamed++;
        return;
      }
      named.add(p.toString());
    }
    log.warn("{}, skipped: {}", what, p);
  }

  /** The bad lines named so far, for the report. */
  synchronized List<String> named() {
    return List.copyOf(named);
  }

  /**
   * Logs, once, how many bad lines were skipped without being named; before the summary and
   * the final line, so that the log says the warnings above are not all. Nothing when the log
   * named them all.
   */
  void logUnnamed() {
    long n;
    synchronized (this) {
      n = unnamed;
      unnamed = 0;
    }
    if (n > 0) {
      log.warn("{} more {}{} skipped, not named in the log: it names the first {}", n, what,
          n == 1 ? " was" : "s were", NAMED);
    }
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.support.internal.Signals;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGINT/SIGTERM into a graceful stop while a run is going, and remembers which signal
 * came, so the summary, the report and the ledger carry the exit code the process really ends
 * with: 130 for SIGINT, 143 for SIGTERM.
 *
 * <p>The JVM's own handling (shutdown hooks, then exit 130 or 143) cannot tell the two apart, so
 * this replaces the handlers of both signals for the length of the run ({@link Signals}). The
 * first signal asks the run to stop; the command then flushes, reports and returns the
 * signal's code, which {@link Main} exits with. A second signal, or a run that has
 * not finished {@link #GRACE} after the first, exits at once with that code. {@link #close()}
 * puts the previous handlers back. Where {@code sun.misc.Signal} is missing, a shutdown hook
 * stops the run and the code is reported as SIGTERM's, the signal a scheduler sends.
 *
 * <p>Before the run starts (while options are checked, standard input is awaited, the source
 * and sink are opened), {@link #beforeRun} handles the signals instead: there is nothing to
 * flush, so the command prints its final line at once and exits with the signal's code. The
 * run's handlers replace these for the run's length and put them back after it. Under all of
 * them, from {@code main}'s first steps until the process exits, {@link #atStartup}'s handlers do
 * the same (for the commands that print a final line, with it): a command's put them back, never
 * the JVM's own, whose SIGTERM between the last restore and {@code System.exit} ended the process
 * with 143 whatever its final line said. The code the process exits with is decided once
 * ({@link #exitCode}), by {@code main} or by a signal, whichever comes first.
 */
final class StopOnSignal implements AutoCloseable {

  /**
   * The logger, got when first used: {@link #atStartup} makes its handlers before logging is
   * set up, which takes most of a second on a cold JVM (a signal then left no final line).
   */
  private static Logger log() {
    return LoggerFactory.getLogger(StopOnSignal.class);
  }

  /** How long a signal waits for the flush before the process exits anyway. */
  static final Duration GRACE = Duration.ofSeconds(60);

  private static final Map<String, Integer> SIGNALS = new LinkedHashMap<>();

  static {
    SIGNALS.put("INT", ExitCodes.SIGINT);
    SIGNALS.put("TERM", ExitCodes.SIGTERM);
  }

  private final Runnable stop;
  /** Before the run: the final line's printer, given the signal's code, giving the exit code. */
  private final IntUnaryOperator lastWords;
  private final Map<Object, Object> previous = new LinkedHashMap<>();
  private volatile int signalCode;
  private volatile boolean closed;
  /** Main's handlers ({@link #atStartup}): the process's exit code is decided once. */
  private volatile boolean exitsOnce;
  private Thread hook;

  /**
   * During the run: prints the final line (given the signal's code) before a forced exit, and
   * gives the code to exit with (that of a line already printed, if one was).
   */
  private final IntUnaryOperator beforeForcedExit;

  private StopOnSignal(Runnable stop, IntUnaryOperator lastWords,
      IntUnaryOperator beforeForcedExit) {
    this.stop = stop;
    this.lastWords = lastWords;
    this.beforeForcedExit = beforeForcedExit;
  }

  /**
   * Handles SIGINT/SIGTERM during a run: the first calls {@code stop}; a second, or a run not
   * done {@link #GRACE} after the first, exits at once, after {@code beforeForcedExit} has
   * printed the final line with what is known then (the run's own line is not coming), with the
   * code it gives: the line's.
   */
  static StopOnSignal install(Runnable stop, IntUnaryOperator beforeForcedExit) {
    StopOnSignal s = new StopOnSignal(stop, null, beforeForcedExit);
    if (!s.installHandlers()) {
      s.hook = new Thread(() -> s.onSignal(ExitCodes.SIGTERM, false), "pixiv-shutdown");
      Runtime.getRuntime().addShutdownHook(s.hook);
    }
    return s;
  }

  /**
   * Handles SIGINT/SIGTERM before the run starts: {@code lastWords} gets the signal's code
   * (130 or 143), prints what the command has to say last, and returns the code to exit with
   * (the signal's, or that of a final line already printed); the process then exits at once.
   * Where {@code sun.misc.Signal} is missing, the JVM's own handling stays.
   */
  static StopOnSignal beforeRun(IntUnaryOperator lastWords) {
    StopOnSignal s = new StopOnSignal(() -> { }, lastWords, code -> code);
    s.installHandlers();
    return s;
  }

  /** The handlers {@link #atStartup} made, until a command's own take over; else null. */
  private static StopOnSignal startup; // guarded by StopOnSignal.class

  /** The code the process exits with, once decided ({@link #exitCode}); else null. */
  private static Integer exiting; // guarded by StopOnSignal.class

  /**
   * Handles SIGINT/SIGTERM from the first steps of {@code main} until the process exits, as
   * {@link #beforeRun} does: while the command line is read (about a second on a cold JVM, before
   * a command can make handlers of its own), whenever no handlers of a command are in place, and
   * after {@code main} has decided its exit code, which such a signal then exits with.
   */
  static void atStartup(IntUnaryOperator lastWords) {
    StopOnSignal s = new StopOnSignal(() -> { }, lastWords, code -> code);
    s.exitsOnce = true;
    if (s.installHandlers()) {
      synchronized (StopOnSignal.class) {
        startup = s;
      }
    }
  }

  /**
   * The code the process exits with: {@code decide}'s, unless a signal taken by
   * {@link #atStartup}'s handlers decided it first. Decided once: a signal taken after exits with
   * this code too, and prints nothing.
   */
  static int exitCode(java.util.function.IntSupplier decide) {
    synchronized (StopOnSignal.class) {
      if (exiting == null) {
        exiting = decide.getAsInt();
      }
      return exiting;
    }
  }

  /**
   * Puts back the JVM's own handlers, which {@link #atStartup} replaced: for a JVM that goes on
   * after a command line (a test's); {@code main} keeps them until it exits.
   */
  static void endStartup() {
    StopOnSignal s;
    synchronized (StopOnSignal.class) {
      s = startup;
      startup = null;
      exiting = null;
    }
    if (s != null) {
      s.restore();
    }
  }

  /** The exit code of the signal that stopped the run, or 0 when none came. */
  int signalCode() {
    return signalCode;
  }

  private boolean installHandlers() {
    try {
      // Closed, these put back what they replaced: main's, when they are in place.
      previous.putAll(Signals.handle(SIGNALS, code -> onSignal(code, true)));
      return true;
    } catch (UnsupportedOperationException e) {
      log().debug("{}; using a shutdown hook", e.getMessage());
      return false;
    }
  }

  private void onSignal(int code, boolean handled) {
    if (exitsOnce) {
      // Main's: the code may be decided already (main is on its way to System.exit with it).
      exitAfter(exitCode(() -> lastWords.applyAsInt(code)));
      return;
    }
    if (lastWords != null) {
      // The words say why, before the line, when a line follows (FinalLine.Pending#interrupted).
      exitAfter(lastWords.applyAsInt(code));
      return;
    }
    if (signalCode != 0 && handled) {
      // The code is the final line's, which may have been printed already (with the first's).
      log().warn("second signal: exiting now");
      exitLater(code, Duration.ZERO);
      return;
    }
    signalCode = code;
    if (handled) {
      // The forced exit is set before the warning, which a stalled standard error may hold.
      exitLater(code, GRACE);
    }
    log().warn("stop requested by {}: taking no new items, flushing what is parsed",
        code == ExitCodes.SIGINT ? "SIGINT" : "SIGTERM");
    stop.run();
    if (!handled) {
      waitForClose();
    }
  }

  /** Exits with {@code code} after {@code delay} unless the run has finished by then. */
  private void exitLater(int code, Duration delay) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!closed || delay.isZero()) {
        exitAfter(beforeForcedExit.applyAsInt(code));
      }
    }, "pixiv-signal-exit");
    t.setDaemon(true);
    t.start();
  }

  /** Exits with {@code code} after the final line: nothing is logged after it. */
  private static void exitAfter(int code) {
    Logging.silence();
    System.exit(code);
  }

  private void waitForClose() {
    long deadline = System.nanoTime() + GRACE.toNanos();
    synchronized (this) {
      while (!closed && System.nanoTime() < deadline) {
        try {
          wait(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void restore() {
    String failure = Signals.restore(previous);
    if (failure != null) {
      log().debug("could not restore the signal handlers: {}", failure);
    }
    previous.clear();
  }

  /** The run has flushed and reported: signals get their usual handling again. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    restore();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it returns now that the report is written.
      }
    }
  }
}

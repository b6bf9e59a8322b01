package dev.pixivdic.launcher.run;

import dev.pixivdic.support.internal.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a signal (SIGTERM or SIGINT, through the JVM's shutdown hook) into a clean exit at any
 * moment of a run: while the Job is being created, watched, its logs followed, or deleted. The
 * signal stops new create requests and a credential plugin that runs (its request was never
 * sent), waits (within the bound) for requests in flight so their outcome is known, then removes
 * the Job ({@link JobHandle#remove}: deleted by name when it exists or may
 * exist). A deletion already under way is waited for, and tried again if it failed. Thread-safe.
 */
public final class Interruption {
  private static final Logger LOG = LoggerFactory.getLogger(Interruption.class);

  /** Beyond the signal's bound, how long the run waits for its cleanup to say how it ended. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  private JobHandle handle;
  private boolean finished;
  private int signalExitCode;
  private Runnable listener = () -> {};
  /** When the first signal's cleanup must have ended; null before a signal. */
  private Deadline cleanupDeadline;
  private Duration cleanupBound;
  /** What the first signal's cleanup did to the Job; null until it has ended. */
  private String cleanupOutcome;

  /** The run's Job; a signal cleans it up. */
  synchronized void attach(JobHandle h) {
    handle = h;
  }

  /** Runs {@code r} (once) when a signal arrives, e.g. to wake the run's loop. */
  synchronized void onInterrupt(Runnable r) {
    listener = r;
  }

  /** The run is over and has cleaned up: a later signal has nothing to do. */
  synchronized void finished() {
    finished = true;
  }

  /** Whether a signal arrived; then {@link #signalExitCode()} is the code to exit with. */
  synchronized boolean isInterrupted() {
    return signalExitCode != 0;
  }

  synchronized int signalExitCode() {
    return signalExitCode;
  }

  /**
   * Waits until the signal's cleanup has ended (at most its bound and a second more) and says
   * what became of the Job, for the run's report: deleted, never created, or why it may still be
   * running. Empty when no signal started a cleanup.
   */
  synchronized Optional<String> awaitCleanup() throws InterruptedException {
    if (cleanupDeadline == null) {
      return Optional.empty();
    }
    Deadline until = Deadline.in(cleanupDeadline.left().plus(GRACE));
    while (cleanupOutcome == null && !until.passed()) {
      TimeUnit.NANOSECONDS.timedWait(this, until.left().toNanos());
    }
    if (cleanupOutcome != null) {
      return Optional.of(cleanupOutcome);
    }
    String job = handle == null ? "the Job" : "Job " + handle.jobRef();
    return Optional.of(interrupted(signalExitCode) + job + " may still be running: its deletion"
        + " had not ended within " + Durations.format(cleanupBound));
  }

  private synchronized void cleanedUp(String outcome) {
    if (cleanupOutcome == null) {
      cleanupOutcome = outcome;
      notifyAll();
    }
  }

  private static String interrupted(int exitCode) {
    return "interrupted by " + (exitCode == ExitCodes.SIGINT ? "SIGINT" : "SIGTERM") + " (exit "
        + exitCode + "): ";
  }

  /**
   * Handles a signal: marks the run interrupted, waits for requests in flight for at most two
   * thirds of {@code bound}, then removes the Job within what is left of it. Returns the exit code
   * (130 for SIGINT, 143 for SIGTERM; the first signal's). Calling it again, or after the run
   * finished, removes nothing more.
   */
  public int onSignal(int exitCode, Duration bound) {
    Deadline deadline = Deadline.in(bound);
    JobHandle h;
    Runnable wake;
    synchronized (this) {
      if (finished) {
        return exitCode;
      }
      if (signalExitCode == 0) {
        signalExitCode = exitCode;
        cleanupDeadline = deadline;
        cleanupBound = bound;
      }
      h = handle;
      wake = listener;
    }
    wake.run();
    if (h == null) {
      cleanedUp(interrupted(exitCode) + "no Job was created");
      return exitCode;
    }
    String said = interrupted(exitCode) + "the deletion of Job " + h.jobRef()
        + " was interrupted";
    try {
      said = cleanUp(h, exitCode, bound, deadline);
    } finally {
      cleanedUp(said);
    }
    return exitCode;
  }

  /** Removes the Job of {@code h} after a signal; returns what became of it, for the report. */
  private static String cleanUp(JobHandle h, int exitCode, Duration bound, Deadline deadline) {
    String said = interrupted(exitCode);
    boolean existed = h.known() == JobHandle.Known.EXISTS;
    if (existed) {
      LOG.warn("interrupted (exit {}): removing Job {} before exiting", exitCode, h.jobRef());
    } else {
      LOG.warn("interrupted (exit {}): Job {} is not known to exist; waiting for requests in"
          + " flight", exitCode, h.jobRef());
    }
    try {
      boolean drained = h.close(Deadline.in(bound.multipliedBy(2).dividedBy(3)));
      if (drained && h.known() == JobHandle.Known.NOTHING) {
        // No create request was sent, or every one was refused: nothing to look up or delete.
        LOG.warn("no Job {} was created; nothing to delete", h.jobRef());
        return said + "no Job " + h.jobRef() + " was created; nothing to delete";
      }
      if (!existed) {
        LOG.warn("removing Job {} before exiting", h.jobRef());
      }
      if (!drained) {
        LOG.warn(
            "a request that may create Job {} is still unanswered; looking the Job up", h.jobRef());
      }
      JobHandle.Known before = h.known();
      boolean removed = h.remove(deadline);
      if (removed && !drained) {
        LOG.warn(
            "should the unanswered create of Job {} still succeed, a retry of this launch (the same"
                + " --name) re-attaches to the Job; otherwise its active deadline ends it",
            h.jobRef());
      }
      if (!removed) {
        LOG.error(
            "Job {} may still be running: it could not be deleted within {} ({}). Delete it with"
                + " kubectl delete job -n {}; otherwise its active deadline ends it and its TTL"
                + " removes it",
            h.jobRef(),
            Durations.format(bound),
            h.lastProblem(),
            h.jobRef().replace("/", " "));
        return said + "Job " + h.jobRef() + " may still be running: it could not be deleted"
            + " within " + Durations.format(bound)
            + (h.lastProblem().isEmpty() ? "" : " (" + h.lastProblem() + ")");
      }
      return said + removedAs(h, before);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return said + "the deletion of Job " + h.jobRef() + " was interrupted";
    }
  }

  /** What a removal that succeeded did, from what was known before it and is known now. */
  private static String removedAs(JobHandle h, JobHandle.Known before) {
    return switch (h.known()) {
      case KEPT -> "Job " + h.jobRef() + " was kept (--keep-on-failure)";
      case NOTHING -> "no Job " + h.jobRef() + " was created (a lookup by name found none of"
          + " ours); nothing to delete";
      default -> before == JobHandle.Known.GONE ? "Job " + h.jobRef() + " was already deleted"
          : "deleted Job " + h.jobRef();
    };
  }
}

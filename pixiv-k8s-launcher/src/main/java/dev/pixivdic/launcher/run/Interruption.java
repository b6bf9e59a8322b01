package dev.pixivdic.launcher.run;

import dev.pixivdic.support.internal.Durations;
import java.time.Duration;
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

  private JobHandle handle;
  private boolean finished;
  private int signalExitCode;
  private Runnable listener = () -> {};

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
      }
      h = handle;
      wake = listener;
    }
    wake.run();
    if (h == null) {
      return exitCode;
    }
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
        return exitCode;
      }
      if (!existed) {
        LOG.warn("removing Job {} before exiting", h.jobRef());
      }
      if (!drained) {
        LOG.warn(
            "a request that may create Job {} is still unanswered; looking the Job up", h.jobRef());
      }
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
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return exitCode;
  }
}

package dev.pixivdic.launcher.run;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the Job exactly once, whoever asks first: the run when it ends, or a signal (SIGTERM,
 * SIGINT through the JVM's shutdown hook) at any moment. A signal during the create request waits
 * (bounded) for its answer, so a Job created at that instant is deleted too. Thread-safe.
 */
public final class Interruption {
  private static final Logger LOG = LoggerFactory.getLogger(Interruption.class);

  /** The deletion itself; called at most once. */
  interface Deletion {
    void delete() throws java.io.IOException;
  }

  private enum State { NOT_CREATED, CREATING, CREATED }

  private final CountDownLatch createAnswered = new CountDownLatch(1);
  private State state = State.NOT_CREATED;
  private boolean deleted;
  private boolean finished;
  private int signalExitCode;
  private Deletion deletion;
  private Runnable listener = () -> {};

  /** Runs {@code r} (once) when a signal arrives, e.g. to wake the run's loop. */
  synchronized void onInterrupt(Runnable r) {
    listener = r;
  }

  /** Called before the create request; false when a signal came first (nothing to create). */
  synchronized boolean beginCreate(Deletion deletion) {
    if (signalExitCode != 0) {
      return false;
    }
    this.deletion = deletion;
    state = State.CREATING;
    return true;
  }

  /** The create request was answered: the Job exists (created or re-attached) or not. */
  void createAnswered(boolean exists) {
    synchronized (this) {
      state = exists ? State.CREATED : State.NOT_CREATED;
    }
    createAnswered.countDown();
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
   * Handles a signal: marks the run interrupted and deletes the Job if it exists, waiting at most
   * {@code bound} for a create in flight. Returns the exit code (130 for SIGINT, 143 for SIGTERM).
   * Calling it again, or after the run finished, deletes nothing more.
   */
  public int onSignal(int exitCode, Duration bound) {
    State seen;
    synchronized (this) {
      if (finished) {
        return exitCode;
      }
      if (signalExitCode == 0) {
        signalExitCode = exitCode;
      }
      seen = state;
    }
    Runnable wake;
    synchronized (this) {
      wake = listener;
    }
    wake.run();
    LOG.warn("interrupted (exit {}): deleting the Job before exiting", exitCode);
    if (seen == State.CREATING) {
      try {
        if (!createAnswered.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("the create request has not been answered within {}; the Job may be left behind",
              dev.pixivdic.launcher.manifest.Durations.format(bound));
          return exitCode;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return exitCode;
      }
    }
    deleteOnce();
    return exitCode;
  }

  /** Deletes the Job if it exists and nobody deleted it yet; returns whether this call did. */
  boolean deleteOnce() {
    Deletion d;
    synchronized (this) {
      if (deleted || state != State.CREATED) {
        return false;
      }
      deleted = true;
      d = deletion;
    }
    try {
      d.delete();
      return true;
    } catch (java.io.IOException e) {
      LOG.error("could not delete the Job: {}", e.getMessage());
      return true;
    }
  }

  synchronized boolean deleted() {
    return deleted;
  }
}

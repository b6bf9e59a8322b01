package dev.pixivdic.examples.rehearsal.kube;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Wakes whoever waits for a state of the stand-in cluster each time something in it changes (an
 * object stored or removed, a container started, a log line, a container's end), so a test waits
 * on the event it expects instead of polling. Thread-safe.
 */
final class Changes {

  private long version;

  /** Something changed: waiters check their condition again. */
  synchronized void changed() {
    version++;
    notifyAll();
  }

  /**
   * Waits until {@code condition} holds, checking it again after each change; returns whether
   * it held within {@code timeout}. The condition runs without this object's monitor, so it may
   * read the store (whose changes call {@link #changed} under the store's monitor).
   */
  boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (this) {
        seen = version;
      }
      if (condition.getAsBoolean()) {
        return true;
      }
      synchronized (this) {
        while (version == seen) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
    }
  }
}

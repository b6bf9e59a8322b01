package dev.pixivdic.launcher.run;

import java.time.Duration;

/**
 * When a blocking wait must end, on the monotonic clock ({@link System#nanoTime}). The run's
 * injected {@link java.time.Clock} says what time it is (for startup and log-idle timeouts, which
 * tests move by hand); a wait for an answer or a removal must end after real time has passed,
 * whatever that clock says, so it is measured here.
 */
record Deadline(long nanos) {

  /** The deadline {@code d} from now; a huge duration means "practically never". */
  static Deadline in(Duration d) {
    long wait;
    try {
      wait = Math.max(0, d.toNanos());
    } catch (ArithmeticException e) {
      wait = Long.MAX_VALUE / 4;
    }
    return new Deadline(System.nanoTime() + Math.min(wait, Long.MAX_VALUE / 4));
  }

  /** What is left of the wait; zero once it has passed. */
  Duration left() {
    long left = nanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  boolean passed() {
    return left().isZero();
  }
}

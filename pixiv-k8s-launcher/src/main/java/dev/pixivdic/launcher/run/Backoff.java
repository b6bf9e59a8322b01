package dev.pixivdic.launcher.run;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Growing waits between attempts: the first delay, doubled each time up to a bound, each wait
 * spread by up to {@value #JITTER} of itself either way (so that many launchers a restarted API
 * server dropped do not come back in step), never above the bound. {@link #reset} starts again
 * from the first delay. Not thread-safe: one per loop.
 */
final class Backoff {
  /** How far a wait may stray from its delay, as a fraction of it. */
  static final double JITTER = 0.2;
  private final Duration first;
  private final Duration max;
  private final DoubleSupplier random;
  private Duration current;

  /**
   * @param random numbers in [0, 1): {@code Math::random} in production, fixed ones in tests
   */
  Backoff(Duration first, Duration max, DoubleSupplier random) {
    this.first = requireNonNull(first, "first");
    this.max = requireNonNull(max, "max");
    this.random = requireNonNull(random, "random");
    this.current = first;
  }

  /** The next wait; the delay after it is twice as long, up to the bound. */
  Duration next() {
    Duration base = current;
    current = base.multipliedBy(2).compareTo(max) > 0 ? max : base.multipliedBy(2);
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    Duration wait = Duration.ofNanos(Math.round(base.toNanos() * factor));
    return wait.compareTo(max) > 0 ? max : wait;
  }

  /** Starts again from the first delay. */
  void reset() {
    current = first;
  }
}

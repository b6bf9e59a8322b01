package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * The clock a run measures intervals with (retry backoffs, the flush interval, the elapsed time
 * of its progress). The system clock is read through {@link System#nanoTime}: the wall clock
 * can step (NTP correcting a host that booted an hour wrong, a VM resumed from a snapshot), and
 * a step back of an hour would hold every retry and a batch's flush for that hour; a step
 * forward would send every deferred retry at once. Any other clock (a test's) is used as it is.
 * Timestamps (the rows' and the report's) stay on the wall clock.
 */
final class Intervals {

  private Intervals() {}

  /** {@code clock} itself, or, for a system clock, one that only {@link System#nanoTime} moves. */
  static Clock of(Clock clock) {
    requireNonNull(clock, "clock");
    return clock.equals(Clock.system(clock.getZone()))
        ? monotonic(clock.instant(), System::nanoTime, clock.getZone()) : clock;
  }

  /** A clock at {@code start} now that moves as {@code nanos} does from here on. */
  static Clock monotonic(Instant start, LongSupplier nanos, ZoneId zone) {
    return new Monotonic(start, nanos, nanos.getAsLong(), zone);
  }

  private static final class Monotonic extends Clock {
    private final Instant start;
    private final LongSupplier nanos;
    private final long startNanos;
    private final ZoneId zone;

    Monotonic(Instant start, LongSupplier nanos, long startNanos, ZoneId zone) {
      this.start = start;
      this.nanos = nanos;
      this.startNanos = startNanos;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return new Monotonic(start, nanos, startNanos, other);
    }

    @Override
    public Instant instant() {
      return start.plusNanos(nanos.getAsLong() - startNanos);
    }
  }
}

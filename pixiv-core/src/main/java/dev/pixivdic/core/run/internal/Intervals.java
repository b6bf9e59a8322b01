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
 * forward would send every deferred retry at once. A fixed clock ({@link Clock#fixed}, which an
 * embedder gives for reproducible timestamps) is read the same way from its instant on: it
 * never moves, and a retry it timed never came due, so the run never ended. Any other clock (a
 * test's, which it moves by hand) is used as it is. Timestamps (the rows' and the report's)
 * stay on the clock given.
 */
final class Intervals {

  private Intervals() {}

  /**
   * {@code clock} itself, or, for a system or a fixed clock, one that only {@link System#nanoTime}
   * moves.
   */
  static Clock of(Clock clock) {
    requireNonNull(clock, "clock");
    Instant now = clock.instant();
    ZoneId zone = clock.getZone();
    // Equal only to a clock of the same kind: Clock.fixed's equals asks for a fixed clock.
    return clock.equals(Clock.system(zone)) || clock.equals(Clock.fixed(now, zone))
        ? monotonic(now, System::nanoTime, zone) : clock;
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

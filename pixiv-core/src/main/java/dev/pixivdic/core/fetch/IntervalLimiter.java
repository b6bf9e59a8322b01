package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One global spacing between request starts, shared by every thread of a fetcher.
 *
 * <p>Why not Failsafe's RateLimiter: it reads {@code System.nanoTime} and blocks with real
 * sleeps, so tests could only check it against the wall clock, and its rate cannot be lowered
 * after construction, which a robots.txt {@code Crawl-delay} needs. This limiter reserves the
 * next free slot under a lock and sleeps outside it through the injected {@link Sleeper}, so
 * tests see exactly the waits it asks for. Thread-safe.
 */
final class IntervalLimiter {

  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  /** The spacing the fetcher was built with; a Crawl-delay may only widen it. */
  private final long baseNanos;
  private long intervalNanos;
  private long nextSlot;
  private boolean started;
  private long pausedUntil;
  private boolean paused;

  IntervalLimiter(Duration interval, LongSupplier nanoTime, Sleeper sleeper) {
    this.intervalNanos = interval.toNanos();
    this.baseNanos = intervalNanos;
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.sleeper = requireNonNull(sleeper, "sleeper");
  }

  /** A request start reserved by {@link #take}: when it was, and how long the taker waited. */
  record Slot(long atNanos, Duration waited) {}

  /**
   * Waits for the next slot and returns how long that was. The first request goes at once.
   * A thread interrupted while waiting gives its slot up (the spacing stays conservative).
   */
  Duration acquire() throws InterruptedException {
    return take().waited();
  }

  /** {@link #acquire}, returning the slot too, for {@link #giveBack}. */
  Slot take() throws InterruptedException {
    long total = 0;
    while (true) {
      long wait;
      long slot;
      synchronized (this) {
        long now = nanoTime.getAsLong();
        slot = started ? Math.max(now, nextSlot) : now;
        if (paused && pausedUntil - slot > 0) {
          slot = pausedUntil;
        }
        started = true;
        nextSlot = slot + intervalNanos;
        wait = slot - now;
      }
      if (wait > 0) {
        sleeper.sleep(Duration.ofNanos(wait));
        total += wait;
      }
      synchronized (this) {
        if (!paused || pausedUntil - nanoTime.getAsLong() <= 0) {
          return new Slot(slot, Duration.ofNanos(total));
        }
      }
      // A pause asked for while this thread slept holds it too, and its slot is gone: it books
      // a new one after the pause, behind any booked meanwhile, so the threads that waited out
      // the pause go one interval apart, not all at its end.
    }
  }

  /**
   * Gives back the slot of a request that never reached the site (its connection was refused),
   * so the next start need not wait a whole interval for it: the site saw nothing. Only the
   * latest slot can be given back; once a later one was reserved, the spacing stands.
   */
  synchronized void giveBack(Slot slot) {
    if (nextSlot == slot.atNanos() + intervalNanos) {
      nextSlot = slot.atNanos();
    }
  }

  /**
   * Holds every request start back until {@code pause} from now (a {@code Retry-After}): the
   * site asked the client to wait, so no thread sends before then. Never shortens a pause.
   */
  synchronized void pauseFor(Duration pause) {
    long until = nanoTime.getAsLong() + pause.toNanos();
    if (!paused || until - pausedUntil > 0) {
      pausedUntil = until;
      paused = true;
    }
  }

  /**
   * Spaces starts by the longer of the configured interval and {@code minInterval} (a
   * robots.txt {@code Crawl-delay}; zero when it sets none). A later call replaces an earlier
   * one, so a robots.txt read again with a shorter delay, or none, narrows the spacing back, but
   * never below the configured interval.
   */
  synchronized void atLeast(Duration minInterval) {
    long n = Math.max(baseNanos, minInterval.toNanos());
    nextSlot += n - intervalNanos;
    intervalNanos = n;
  }

  synchronized Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }
}

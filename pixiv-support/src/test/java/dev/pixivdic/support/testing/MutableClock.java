package dev.pixivdic.support.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that stands still until a test moves it; a subclass may move it as it is read,
 * so that time passes as the code under test looks at it. Safe to read from other threads.
 */
public class MutableClock extends Clock {
  private volatile Instant now;

  /** A clock at 2026-01-05T04:00:00Z. */
  public MutableClock() {
    this(Instant.parse("2026-01-05T04:00:00Z"));
  }

  public MutableClock(Instant now) {
    this.now = requireNonNull(now, "now");
  }

  /** Moves the time on by {@code d}. */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  /** Sets the time to {@code instant}, earlier or later. */
  public void set(Instant instant) {
    now = requireNonNull(instant, "instant");
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock itself: the zone does not change what a test reads. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}

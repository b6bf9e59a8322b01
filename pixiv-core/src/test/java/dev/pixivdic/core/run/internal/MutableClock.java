package dev.pixivdic.core.run.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it; a subclass may move it as it is read, so
 * that time passes as the code under test looks at it.
 */
public class MutableClock extends Clock {
  private volatile Instant now = Instant.parse("2026-01-05T04:00:00Z");

  /** Moves the time on by {@code d}. */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneOffset getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(java.time.ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}

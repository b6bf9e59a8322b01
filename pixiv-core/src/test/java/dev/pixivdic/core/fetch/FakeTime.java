package dev.pixivdic.core.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Time that moves only when the code under test sleeps; records every sleep asked for. */
final class FakeTime implements Sleeper, LongSupplier {
  private final Instant start;
  private long nanos;
  private final List<Duration> sleeps = new ArrayList<>();

  FakeTime(Instant start) {
    this.start = start;
  }

  FakeTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public synchronized void sleep(Duration d) {
    sleeps.add(d);
    if (!d.isNegative()) {
      nanos += d.toNanos();
    }
  }

  @Override
  public synchronized long getAsLong() {
    return nanos;
  }

  synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  synchronized Duration longestSleep() {
    return sleeps.stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /**
   * A fetcher's builder for a loopback server, timed by this fake time: a thousand requests a
   * second (the rate limiter's waits only move the fake time), 5 s for a request.
   */
  HttpFetcher.Builder fetcherOf(LoopbackSite site) {
    return HttpFetcher.builder()
        .origin(site.origin())
        .qps(1000)
        .requestTimeout(Duration.ofSeconds(5))
        .sleeper(this)
        .nanoTime(this)
        .clock(clock());
  }

  /** A wall clock that moves with the fake time. */
  Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return start.plusNanos(getAsLong());
      }
    };
  }
}

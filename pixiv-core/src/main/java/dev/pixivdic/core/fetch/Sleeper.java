package dev.pixivdic.core.fetch;

import java.time.Duration;

/**
 * Waits. Injected into {@link HttpFetcher} so that tests can observe the delays the fetcher
 * asks for (rate limit, backoff, Retry-After) without waiting for real.
 */
@FunctionalInterface
interface Sleeper {

  /**
   * Blocks for {@code duration} (a no-op when zero or negative).
   *
   * @throws InterruptedException if interrupted while waiting; the interrupt status is cleared
   */
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps with {@link Thread#sleep}. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        long nanos = duration.toNanos();
        Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
      }
    };
  }
}

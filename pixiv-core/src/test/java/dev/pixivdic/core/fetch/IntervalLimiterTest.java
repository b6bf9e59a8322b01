package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntervalLimiterTest {

  @Test
  void theFirstRequestGoesAtOnceAndLaterOnesAreSpaced() throws InterruptedException {
    FakeTime time = new FakeTime();
    IntervalLimiter limiter = new IntervalLimiter(Duration.ofSeconds(5), time, time);
    assertThat(limiter.acquire()).isZero();
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(5));
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(5));
    assertThat(time.getAsLong()).isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void timeSpentElsewhereCountsTowardsTheSpacing() throws InterruptedException {
    FakeTime time = new FakeTime();
    IntervalLimiter limiter = new IntervalLimiter(Duration.ofSeconds(5), time, time);
    limiter.acquire();
    time.sleep(Duration.ofSeconds(3));
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aLongerIntervalWidensTheSpacingButAShorterOneIsIgnored() throws InterruptedException {
    FakeTime time = new FakeTime();
    IntervalLimiter limiter = new IntervalLimiter(Duration.ofSeconds(1), time, time);
    limiter.acquire();
    limiter.atLeast(Duration.ofSeconds(10));
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(10));
    limiter.atLeast(Duration.ofSeconds(2));
    assertThat(limiter.interval()).isEqualTo(Duration.ofSeconds(10));
  }
}

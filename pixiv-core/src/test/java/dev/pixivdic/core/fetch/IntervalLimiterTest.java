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
  void threadsThatWaitedOutAPauseGoOneIntervalApartAfterIt() throws InterruptedException {
    FakeTime time = new FakeTime();
    IntervalLimiter[] limiter = new IntervalLimiter[1];
    // The second taker's sleep is where the site's Retry-After arrives: a 60 s pause.
    Sleeper pausing = new Sleeper() {
      private boolean paused;

      @Override
      public void sleep(Duration d) {
        if (!paused) {
          paused = true;
          limiter[0].pauseFor(Duration.ofSeconds(60));
        }
        time.sleep(d);
      }
    };
    limiter[0] = new IntervalLimiter(Duration.ofSeconds(5), time, pausing);
    assertThat(limiter[0].acquire()).isZero();
    assertThat(limiter[0].acquire()).isEqualTo(Duration.ofSeconds(60));

    assertThat(limiter[0].acquire()).as("the next start, after the one at the pause's end")
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(time.getAsLong()).isEqualTo(Duration.ofSeconds(65).toNanos());
  }

  @Test
  void aLongerIntervalWidensTheSpacingAndALaterOneReplacesItNeverBelowTheRate()
      throws InterruptedException {
    FakeTime time = new FakeTime();
    IntervalLimiter limiter = new IntervalLimiter(Duration.ofSeconds(1), time, time);
    limiter.acquire();
    limiter.atLeast(Duration.ofSeconds(10));
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(10));
    limiter.atLeast(Duration.ofSeconds(2));
    assertThat(limiter.interval()).isEqualTo(Duration.ofSeconds(2));
    limiter.atLeast(Duration.ZERO);
    assertThat(limiter.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(limiter.acquire()).as("one configured interval after the last start")
        .isEqualTo(Duration.ofSeconds(1));
  }
}

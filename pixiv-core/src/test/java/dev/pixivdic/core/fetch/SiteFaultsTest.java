package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fetcher's faults on fake time: a site that is gone, a Retry-After for everyone. */
class SiteFaultsTest {

  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/x");

  @Test
  void tenRequestsInARowWithoutAnAnswerOpenTheBreakerNamingOriginAndLastError() {
    FakeTime time = new FakeTime();
    SiteBreaker b = new SiteBreaker(10, Duration.ofMinutes(1), time, "http://127.0.0.1:9");
    for (int i = 0; i < 9; i++) {
      b.noAnswer(new ConnectException("Connection refused"));
    }
    assertThat(b.isOpen()).isFalse();
    b.noAnswer(new ConnectException("Connection refused"));

    assertThatThrownBy(() -> b.check(PAGE, 1)).isInstanceOf(SiteUnreachableException.class)
        .hasMessageContaining("http://127.0.0.1:9 is unreachable")
        .hasMessageContaining("ConnectException: Connection refused");
  }

  @Test
  void anAnswerOfAnyStatusResetsTheCount() {
    FakeTime time = new FakeTime();
    SiteBreaker b = new SiteBreaker(10, Duration.ofMinutes(1), time, "http://h");
    for (int i = 0; i < 30; i++) {
      b.noAnswer(new ConnectException("x"));
      if (i % 5 == 0) {
        b.answered();
      }
    }
    assertThat(b.isOpen()).isFalse();
  }

  @Test
  void aMinuteOfSlowTimeoutsOpensItBeforeTenOfThem() {
    FakeTime time = new FakeTime();
    SiteBreaker b = new SiteBreaker(10, Duration.ofMinutes(1), time, "http://h");
    b.noAnswer(new java.net.http.HttpTimeoutException("timed out"));
    time.sleep(Duration.ofSeconds(30));
    b.noAnswer(new java.net.http.HttpTimeoutException("timed out"));
    assertThat(b.isOpen()).isFalse();
    time.sleep(Duration.ofSeconds(31));
    b.noAnswer(new java.net.http.HttpTimeoutException("timed out"));

    assertThat(b.isOpen()).isTrue();
  }

  @Test
  void aRetryAfterHoldsBackEveryRequestStartNotOnlyTheOneThatGotIt() throws Exception {
    FakeTime time = new FakeTime();
    IntervalLimiter limiter = new IntervalLimiter(Duration.ofMillis(10), time, time);
    limiter.acquire();
    limiter.pauseFor(Duration.ofSeconds(30));

    Duration waited = limiter.acquire();

    assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(time.getAsLong()).isGreaterThanOrEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void aShorterRetryAfterNeverShortensAPauseAlreadyAskedFor() throws Exception {
    FakeTime time = new FakeTime();
    IntervalLimiter limiter = new IntervalLimiter(Duration.ofMillis(10), time, time);
    limiter.pauseFor(Duration.ofSeconds(30));
    limiter.pauseFor(Duration.ofSeconds(1));

    limiter.acquire();

    assertThat(time.getAsLong()).isGreaterThanOrEqualTo(Duration.ofSeconds(30).toNanos());
  }
}

package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

  @Test
  void secondsAreReadAsADelay() {
    assertThat(RetryAfter.parse(" 120 ", NOW)).contains(Duration.ofSeconds(120));
  }

  @Test
  void anHttpDateIsReadRelativeToNow() {
    assertThat(RetryAfter.parse("Sun, 22 Nov 2026 03:01:30 GMT", NOW))
        .contains(Duration.ofSeconds(90));
  }

  @Test
  void aDateInThePastMeansNoWait() {
    assertThat(RetryAfter.parse("Sun, 22 Nov 2026 02:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void absentOrMalformedValuesAreIgnored() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
    assertThat(RetryAfter.parse("later", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
  }

  @Test
  void hugeSecondCountsDoNotOverflow() {
    assertThat(RetryAfter.parse("99999999999999999999999", NOW).orElseThrow())
        .isGreaterThan(Duration.ofDays(365));
  }
}

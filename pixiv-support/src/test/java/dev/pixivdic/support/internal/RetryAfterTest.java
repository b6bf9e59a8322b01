package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

  @Test
  void secondsAreReadAsADelay() {
    assertThat(RetryAfter.parse(" 120 ", null, NOW)).contains(Duration.ofSeconds(120));
  }

  @Test
  void anHttpDateIsReadRelativeToNow() {
    assertThat(RetryAfter.parse("Sun, 22 Nov 2026 03:01:30 GMT", null, NOW))
        .contains(Duration.ofSeconds(90));
  }

  @Test
  void anHttpDateIsReadAgainstTheAnswersOwnDateWhateverThisHostsClockSays() {
    String date = "Sun, 22 Nov 2026 03:10:00 GMT"; // the server runs ten minutes ahead
    String retryAt = "Sun, 22 Nov 2026 03:11:30 GMT";

    assertThat(RetryAfter.parse(retryAt, date, NOW)).contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse(retryAt, " " + date + " ", NOW.plusSeconds(3600)))
        .contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse(retryAt, "not a date", NOW)).contains(Duration.ofSeconds(690));
    assertThat(RetryAfter.parse("30", date, NOW)).contains(Duration.ofSeconds(30));
  }

  @Test
  void aDateInThePastMeansNoWait() {
    assertThat(RetryAfter.parse("Sun, 22 Nov 2026 02:00:00 GMT", null, NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void absentOrMalformedValuesAreIgnored() {
    assertThat(RetryAfter.parse(null, null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("", null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("later", null, NOW)).isEmpty();
    assertThat(RetryAfter.parse("-5", null, NOW)).isEmpty();
  }

  @Test
  void hugeSecondCountsDoNotOverflow() {
    assertThat(RetryAfter.parse("99999999999999999999999", null, NOW).orElseThrow())
        .isGreaterThan(Duration.ofDays(365));
  }

  @Test
  void aValueQuotedForTheLogIsShortAndHasNoControlCharacters() {
    assertThat(RetryAfter.quoted("3.5")).isEqualTo("'3.5'");
    assertThat(RetryAfter.quoted("a\u001b[2Jb\u009b1m")).isEqualTo("'a\\u001b[2Jb\\u009b1m'");
    assertThat(RetryAfter.quoted("x".repeat(500)))
        .isEqualTo("'" + "x".repeat(40) + "... (500 characters)'");
  }

  @Test
  void theTwoObsoleteFormsOfAnHttpDateAreReadAsTheImfFixdateIs() {
    Duration imf = RetryAfter.parse("Sun, 22 Nov 2026 04:00:00 GMT", null, NOW).orElseThrow();
    assertThat(RetryAfter.parse("Sunday, 22-Nov-26 04:00:00 GMT", null, NOW)).contains(imf);
    assertThat(RetryAfter.parse("Sun Nov 22 04:00:00 2026", null, NOW)).contains(imf);
    assertThat(RetryAfter.parse("Sun Nov  8 04:00:00 2026", null, NOW))
        .as("asctime pads a one-digit day with a space").isPresent();
    assertThat(RetryAfter.parse("Sun Nov 22 04:00:00 2026", "Sunday, 22-Nov-26 03:00:00 GMT",
        NOW)).as("read against a Date in RFC 850 form").contains(Duration.ofHours(1));
  }

  @Test
  void anHttpDateIsReadInEachOfItsThreeFormsAndNothingElse() {
    Instant at = Instant.parse("2026-11-22T04:00:00Z");

    assertThat(RetryAfter.httpDate(" Sun, 22 Nov 2026 04:00:00 GMT ")).contains(at);
    assertThat(RetryAfter.httpDate("Sunday, 22-Nov-26 04:00:00 GMT")).contains(at);
    assertThat(RetryAfter.httpDate("Sun Nov 22 04:00:00 2026")).contains(at);
    assertThat(RetryAfter.httpDate("2026-11-22T04:00:00Z")).isEmpty();
    assertThat(RetryAfter.httpDate("")).isEmpty();
  }
}

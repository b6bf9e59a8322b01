package dev.pixivdic.core.fetch;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;

/**
 * For tests outside this package: the failures a fetcher throws once the site is gone, or asks
 * to be left alone.
 */
public final class DeadSite {
  private DeadSite() {}

  /** What the fetcher's breaker throws after ten requests in a row got no answer. */
  public static SiteUnreachableException unreachable() {
    SiteBreaker b =
        new SiteBreaker(10, Duration.ofMinutes(1), new FakeTime(), "http://127.0.0.1:9");
    for (int i = 0; i < 10; i++) {
      b.noAnswer(new ConnectException("Connection refused"));
    }
    try {
      b.check(URI.create("http://127.0.0.1:9/a/x"), 1);
    } catch (SiteUnreachableException e) {
      return e;
    }
    throw new AssertionError("the breaker did not open after ten requests without an answer");
  }

  /** What the fetcher throws when the site answered 429 with a {@code Retry-After} of a day. */
  public static RetryAfterTooLongException askedToWaitADay(URI uri) {
    return new RetryAfterTooLongException("GET " + uri + ": status 429 with Retry-After"
        + " '86400' (1d), longer than the longest wait honoured (10m)", uri, 1, 429,
        Duration.ofDays(1));
  }
}

package dev.pixivdic.core.fetch;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;

/** For tests outside this package: the failure a fetcher throws once the site is gone. */
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
}

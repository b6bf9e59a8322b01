package dev.pixivdic.core.fetch;

import java.net.URI;
import java.time.Duration;

/** For tests outside this package: a retry handed back as a fetcher hands it back. */
public final class HandedBack {
  private HandedBack() {}

  /**
   * A {@link RetryLaterException} of a first failure with a 503, whose {@link
   * RetryLaterException#abandon()} runs {@code onAbandon}, as a fetcher's drops its deferred call.
   */
  public static RetryLaterException retryLater(URI uri, Duration delay, Runnable onAbandon) {
    return new RetryLaterException(uri, delay, delay, 1, "status 503", onAbandon);
  }
}

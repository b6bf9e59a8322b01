package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * The site answered with {@code Retry-After} asking for a longer wait than the fetcher's
 * maximum ({@link HttpFetcher.Builder#maxRetryAfter}): it asks every client, not one request,
 * to stay away that long. The request is not tried again; the call waited out the maximum
 * before throwing this (and every other request of the fetcher waits it out too), so that
 * whatever comes next does not come back sooner. A run should stop and be tried again after
 * {@link #asked()}. The message names the URI, the status and both waits.
 */
public final class RetryAfterTooLongException extends FetchException {
  private static final long serialVersionUID = 1L;

  private final Duration asked;

  RetryAfterTooLongException(String message, URI uri, int attempts, int status,
      Duration asked) {
    super(message, uri, attempts, status, null);
    this.asked = requireNonNull(asked, "asked");
  }

  /** The wait the site asked for. */
  public Duration asked() {
    return asked;
  }
}

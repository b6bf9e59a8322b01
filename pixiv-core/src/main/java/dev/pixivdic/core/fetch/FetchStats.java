package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * Counters of a fetcher since it was built.
 *
 * @param requestsSent HTTP requests sent, including robots.txt, redirects and retries
 * @param retries attempts that were retried (each one waited a backoff or Retry-After delay)
 * @param bytesReceived response body bytes after gzip decoding
 * @param bytesOnWire response body bytes as received (compressed when gzip was used)
 * @param responsesByStatus responses received, by HTTP status code, every attempt counted
 * @param robotsDisallowed calls refused because robots.txt disallows the path
 * @param failures calls that ended in a {@link FetchException} other than robots refusals
 * @param rateLimitWait total time callers waited on the global rate limiter
 */
public record FetchStats(
    long requestsSent,
    long retries,
    long bytesReceived,
    long bytesOnWire,
    Map<Integer, Long> responsesByStatus,
    long robotsDisallowed,
    long failures,
    Duration rateLimitWait) {

  public FetchStats {
    responsesByStatus = Map.copyOf(requireNonNull(responsesByStatus, "responsesByStatus"));
    requireNonNull(rateLimitWait, "rateLimitWait");
  }

  /** Responses received with the given status, 0 when none. */
  public long responses(int status) {
    return responsesByStatus.getOrDefault(status, 0L);
  }
}

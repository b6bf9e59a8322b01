package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * A request failed in a way worth retrying, and the fetcher was built to hand the wait back to
 * its caller ({@link HttpFetcher.Builder#deferRetries}) instead of waiting it out in the
 * calling thread. Not a failure: the caller should call {@link Fetcher#get} with the same URI
 * again once {@link #delay()} has passed, and may do other work meanwhile. That call continues
 * where this one stopped (attempt count and backoff), so the number of attempts stays bounded
 * by the fetcher's setting. A {@code Retry-After} from the site already holds back every
 * request of the fetcher until it has passed, whoever sends it.
 */
public final class RetryLaterException extends IOException {
  private static final long serialVersionUID = 1L;

  private final URI uri;
  private final Duration delay;
  private final Duration soonest;
  private final int attempts;

  /**
   * A retry to make after {@code delay}, never sooner.
   *
   * @param uri the site URI asked for
   * @param delay how long to wait before asking again
   * @param attempts the attempts made so far
   * @param what the failure, for the message
   */
  public RetryLaterException(URI uri, Duration delay, int attempts, String what) {
    this(uri, delay, delay, attempts, what);
  }

  /**
   * A retry to make after {@code delay}, or after {@code soonest} by a caller that has nothing
   * else to send meanwhile.
   *
   * @param uri the site URI asked for
   * @param delay how long to wait before asking again
   * @param soonest the shortest wait acceptable when the caller would otherwise stand idle; at
   *     most {@code delay}
   * @param attempts the attempts made so far
   * @param what the failure, for the message
   * @throws IllegalArgumentException if {@code soonest} is negative or longer than {@code delay}
   */
  public RetryLaterException(URI uri, Duration delay, Duration soonest, int attempts,
      String what) {
    super("GET " + uri + ": " + what + " on attempt " + attempts + "; retry after "
        + dev.pixivdic.support.internal.Durations.format(delay));
    this.uri = requireNonNull(uri, "uri");
    this.delay = requireNonNull(delay, "delay");
    this.soonest = requireNonNull(soonest, "soonest");
    if (soonest.isNegative() || soonest.compareTo(delay) > 0) {
      throw new IllegalArgumentException("soonest must be between 0 and the delay ("
          + delay + "), was " + soonest);
    }
    this.attempts = attempts;
  }

  /** The site URI to ask for again. */
  public URI uri() {
    return uri;
  }

  /** The wait before asking again: the backoff, or the site's {@code Retry-After} if longer. */
  public Duration delay() {
    return delay;
  }

  /**
   * The shortest wait before asking again for a caller that would otherwise stand idle (its
   * rate budget unused): {@link #delay()} unless the fetcher allows less. The fetcher's rate
   * limit and any {@code Retry-After} pause still hold the request that follows.
   */
  public Duration soonest() {
    return soonest;
  }

  /** Attempts made so far. */
  public int attempts() {
    return attempts;
  }
}

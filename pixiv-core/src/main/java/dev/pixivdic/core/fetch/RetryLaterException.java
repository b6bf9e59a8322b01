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
 * request of the fetcher until it has passed, whoever sends it. A caller that will not ask again
 * (a run that ends first) calls {@link #abandon()}, so that the fetcher does not keep the call's
 * attempts and backoff for whoever asks for the URI next.
 */
public final class RetryLaterException extends IOException {
  private static final long serialVersionUID = 1L;

  private final URI uri;
  private final Duration delay;
  private final Duration soonest;
  private final int attempts;
  // Drops the retry state the fetcher keeps for the call; null when deserialized.
  private final transient Runnable onAbandon;

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
    this(uri, delay, soonest, attempts, what, () -> { });
  }

  /** A deferred call of a fetcher of this package; {@code onAbandon} forgets where it stopped. */
  RetryLaterException(URI uri, Duration delay, Duration soonest, int attempts, String what,
      Runnable onAbandon) {
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
    this.onAbandon = requireNonNull(onAbandon, "onAbandon");
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

  /**
   * Gives the retry up: no later {@link Fetcher#get} is to continue the call that threw this.
   * The fetcher forgets where the call stopped (its attempts, its backoff), so that the next get
   * of {@link #uri()}, by whoever asks, starts afresh with every attempt. A caller that asks
   * again need not call it; one that will not (a run that ends while the retry waits) should:
   * otherwise the fetcher keeps the call until its URI is asked for again, and a next run with
   * the same fetcher would go on with this run's attempts. Runs ({@code PixivScraper}, the
   * {@code pixiv} commands) do so for every retry they do not make. Idempotent and
   * thread-safe; does nothing once a later get has continued the call, or for an exception
   * that no fetcher of this package made (a caller's own {@link Fetcher}, or a copy a wrapping
   * fetcher made: only the instance the fetcher threw can give its call up). Until then the
   * exception holds the fetcher's state of the call.
   */
  public void abandon() {
    if (onAbandon != null) {
      onAbandon.run();
    }
  }
}

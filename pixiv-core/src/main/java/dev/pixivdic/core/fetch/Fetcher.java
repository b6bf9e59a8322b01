package dev.pixivdic.core.fetch;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Fetches pages of the pixiv encyclopedia politely.
 *
 * <p>Implementations are thread-safe: a run engine calls {@link #get} from several worker
 * threads, and the implementation enforces its own global rate and concurrency limits.
 */
public interface Fetcher extends Closeable {

  /**
   * GETs a site URL ({@code https://dic.pixiv.net/...}), politely and with retries.
   *
   * <p>Returns the final response whatever its status: 200, 404, and 403, 429 or 5xx once
   * retries are exhausted are all returned, not thrown, so that the caller can classify them.
   * The status returned is within HTTP's 100..599 ({@link FetchResponse#isHttpStatus}): an
   * answer with another one is malformed, and a run takes a response with one as the failure
   * of the call, as after the last attempt ({@link FetchResponse#requireHttpStatus}).
   *
   * @param siteUri an absolute {@code https://dic.pixiv.net/...} URI
   * @throws IllegalArgumentException if {@code siteUri} is not a URL of the site
   * @throws FetcherClosedException if the fetcher is closed
   * @throws RobotsDisallowedException if robots.txt forbids the path for our User-Agent
   * @throws FetchException if no response could be had: I/O errors, timeouts or malformed
   *     answers (a status line that is not HTTP, a status outside 100..599) after the last
   *     attempt, a body over the size cap, a redirect off the site, a {@code Retry-After} longer
   *     than the configured maximum, robots.txt unavailable
   * @throws InterruptedException if the calling thread is interrupted while waiting for the
   *     rate limiter, a free slot, a retry delay or a response; as with {@link Thread#sleep},
   *     the thread's interrupt status is cleared when this is thrown; a run takes it as its
   *     stop only when it was stopped, otherwise the item fails, naming it
   */
  FetchResponse get(URI siteUri) throws IOException, InterruptedException;

  /**
   * As {@link #get(URI)}, with {@code endsEarly} telling whether a page's 2xx answer ends
   * before its document does (it was cut short on its way: docs/parsing.md, "A page cut
   * short"), in place of the fetcher's own judgement: a caller that parses the page anyway
   * passes a judge that parses it and keeps what it read, so the page is parsed once. An answer
   * it says is cut is taken as a failed attempt: retried, and the call fails on the last one.
   * The judge must be thread-safe when the caller shares it between calls.
   *
   * <p>By default the judge is not asked and {@link #get(URI)} decides alone (a fetcher that
   * judges no answer, or judges it itself): a caller reads the page as it would any other.
   *
   * @throws NullPointerException if {@code endsEarly} is null
   */
  default FetchResponse get(URI siteUri, Predicate<? super FetchResponse> endsEarly)
      throws IOException, InterruptedException {
    Objects.requireNonNull(endsEarly, "endsEarly");
    return get(siteUri);
  }

  /**
   * Tells the fetcher that a run starts, before its first request: a fetcher that serves run
   * after run forgets what it keeps only for the run that met it, so that the new run tries
   * afresh (an {@link HttpFetcher} reads again a robots.txt that could not be had, and closes
   * its circuit breaker, rather than failing the new run at once; rules it read are kept, for a
   * day). What a run still going on through the same fetcher met is kept for it: an
   * {@link HttpFetcher} forgets only when no other run has started and not ended
   * ({@link #runEnded()}); it tells runs apart by the thread that starts them, so a run started
   * again in the same thread (or after the thread of the other ended) forgets even when a wrapper
   * did not pass {@link #runEnded()} on. Does nothing by default: a fetcher that wraps another
   * passes it on. Thread-safe.
   */
  default void runStarting() {}

  /**
   * Tells the fetcher that a run that {@linkplain #runStarting() started} has ended, however it
   * ended: once no run is going on, the next one to start tries afresh. Does nothing by
   * default: a fetcher that wraps another passes it on. Thread-safe.
   */
  default void runEnded() {}

  /** A consistent-enough snapshot of the counters since this fetcher was built. */
  FetchStats stats();
}

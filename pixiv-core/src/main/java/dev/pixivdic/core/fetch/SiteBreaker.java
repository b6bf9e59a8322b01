package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for a site that has gone away: counts requests that got no answer at all
 * (connection refused or reset, timeouts), across every item and thread. Any HTTP response,
 * whatever its status, shows the site is there and resets it. It opens after
 * {@code failuresInARow} such failures in a row, or when failures have gone on for
 * {@code silence} with no answer in between (at least two of them), so a dead site ends a run
 * within about a minute instead of being retried item after item. Once open it stays open until
 * a new run starts ({@link #reset}), none going on.
 *
 * <p>A site that answers, but with nothing but server errors (a dead backend behind a CDN or
 * proxy: 502, 503, 504, 520-524 on every attempt, or a page with an empty body or one cut
 * short), is as gone:
 * {@value #SERVER_ERROR_ITEMS} items in a row whose every attempt got one open the breaker too.
 * An item served with any other status resets that count. Thread-safe.
 */
final class SiteBreaker {

  /** Items in a row that got a server error on every attempt before the site counts as down. */
  static final int SERVER_ERROR_ITEMS = 5;

  private final int failuresInARow;
  private final long silenceNanos;
  private final LongSupplier nanoTime;
  private final String origin;
  private int inARow;
  private long firstFailureAt;
  private IOException last;
  private boolean open;
  private int errorItems;
  private int lastErrorStatus;
  private String lastError;
  private boolean byServerErrors;

  SiteBreaker(int failuresInARow, Duration silence, LongSupplier nanoTime, String origin) {
    this.failuresInARow = failuresInARow;
    this.silenceNanos = silence.toNanos();
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.origin = requireNonNull(origin, "origin");
  }

  /** Closes the breaker and forgets every failure counted: a new run tries the site afresh. */
  synchronized void reset() {
    open = false;
    byServerErrors = false;
    inARow = 0;
    last = null;
    errorItems = 0;
    lastErrorStatus = 0;
    lastError = null;
  }

  /** The site answered. */
  synchronized void answered() {
    if (!open) {
      inARow = 0;
      last = null;
    }
  }

  /** A request got no answer. */
  synchronized void noAnswer(IOException e) {
    long now = nanoTime.getAsLong();
    if (inARow == 0) {
      firstFailureAt = now;
    }
    inARow++;
    last = e;
    if (inARow >= failuresInARow || (inARow >= 2 && now - firstFailureAt >= silenceNanos)) {
      open = true;
    }
  }

  /**
   * An item's attempts ended, the last one answered with {@code status}; {@code lost} says, in
   * words, what a 2xx answer lost ({@code " with an empty body"}, or a body cut short: a page
   * never is either; robots.txt may be empty), which counts as a server error; empty when
   * nothing.
   */
  synchronized void itemEnded(int status, String lost) {
    if (open) {
      return;
    }
    boolean lostPage = !lost.isEmpty() && status / 100 == 2;
    if (!isServerError(status) && !lostPage) {
      errorItems = 0;
      return;
    }
    errorItems++;
    lastErrorStatus = status;
    lastError = "HTTP " + status + (lostPage ? lost : "");
    if (errorItems >= SERVER_ERROR_ITEMS) {
      open = true;
      byServerErrors = true;
    }
  }

  /** The statuses of a site whose backend is down or overloaded (not 429: that is a block). */
  static boolean isServerError(int status) {
    return status == 500 || status >= 502 && status <= 504 || status >= 520 && status <= 524;
  }

  synchronized boolean isOpen() {
    return open;
  }

  /**
   * Throws when the breaker is open.
   *
   * @throws SiteUnreachableException naming the origin and the last error
   */
  synchronized void check(URI siteUri, int attempts) throws SiteUnreachableException {
    if (open && byServerErrors) {
      throw new SiteUnreachableException(origin + " answers only server errors: " + errorItems
          + " items in a row got " + lastError + " (or another server error) on every attempt,"
          + " so the site, or what stands before it, is down. Stopping; the items not fetched"
          + " are left for the next run", siteUri, attempts, lastErrorStatus, null);
    }
    if (open) {
      throw new SiteUnreachableException(origin + " is unreachable: " + inARow
          + " requests in a row got no answer over "
          + Durations.human(Duration.ofNanos(nanoTime.getAsLong() - firstFailureAt))
          + "; last error: " + describe(last) + ". Stopping; the items not fetched are left"
          + " for the next run", siteUri, attempts, -1, last);
    }
  }

  static String describe(Throwable e) {
    if (e == null) {
      return "none";
    }
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}

package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of one GET: the retry policy (backoff, jitter, attempts), {@code Retry-After}
 * honoured as a floor and as a pause for the whole fetcher, and calls deferred to their caller
 * instead of waiting ({@link RetryLaterException}), continued by the next get of their URI
 * unless their caller abandons them first ({@link RetryLaterException#abandon()}).
 * Thread-safe.
 */
final class FetchAttempts {

  // Under the fetcher's name: the one logging configurations name for its retries.
  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  // 520-524: a CDN's words for an origin that is down, refused, timed out or failed TLS.
  private static final Set<Integer> RETRYABLE =
      Set.of(408, 429, 500, 501, 502, 503, 504, 520, 521, 522, 523, 524);
  /** What a page that ends before its document does lost (SiteExchange.Result#cut). */
  private static final String CUT =
      " with a body cut short (it ends before its document does: no </html>, or inside a tag,"
      + " a comment or an open element)";

  /** Where a deferred call stopped: its retry state, continued by the next get of its URI. */
  record Deferred(Execution<SiteExchange.Result> execution, int attempts, long start,
      boolean notAllEmpty) {}

  private final SiteExchange exchange;
  private final RetryPolicy<SiteExchange.Result> retryPolicy;
  private final RetryPolicy<SiteExchange.Result> robotsRetryPolicy;
  private final int maxAttempts;
  private final Duration maxRetryAfter;
  private final Sleeper sleeper;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final IntervalLimiter limiter;
  private final StatsRecorder stats;
  private final SiteBreaker breaker;
  // Deferred calls by site URI; an entry lives from the RetryLaterException to the next get,
  // or until that exception is abandoned (a run that ends leaves none for the next run).
  private final Map<URI, Deferred> deferred = new ConcurrentHashMap<>();

  FetchAttempts(HttpFetcher.Builder b, SiteExchange exchange, IntervalLimiter limiter,
      StatsRecorder stats, SiteBreaker breaker) {
    this.exchange = requireNonNull(exchange, "exchange");
    this.retryPolicy = retryPolicy(b.maxAttempts, b.backoffBase, b.backoffMax, true);
    this.robotsRetryPolicy = retryPolicy(b.maxAttempts, b.backoffBase, b.backoffMax, false);
    this.maxAttempts = b.maxAttempts;
    this.maxRetryAfter = b.maxRetryAfter;
    this.sleeper = b.sleeper;
    this.nanoTime = b.nanoTime;
    this.clock = b.clock;
    this.limiter = requireNonNull(limiter, "limiter");
    this.stats = requireNonNull(stats, "stats");
    this.breaker = requireNonNull(breaker, "breaker");
    exchange.onHeaders(this::holdOthersIfAsked);
  }

  private static RetryPolicy<SiteExchange.Result> retryPolicy(int maxAttempts,
      Duration backoffBase, Duration backoffMax, boolean pages) {
    RetryPolicyBuilder<SiteExchange.Result> retry = RetryPolicy.<SiteExchange.Result>builder()
        .handleIf((SiteExchange.Result r, Throwable t) -> t != null
            ? t instanceof IOException && !(t instanceof FetchException)
            : RETRYABLE.contains(r.status()) || pages && (lostBody(r) || r.cut()))
        .withMaxAttempts(maxAttempts);
    if (backoffMax.compareTo(backoffBase) > 0) {
      retry.withBackoff(backoffBase, backoffMax);
    } else {
      retry.withDelay(backoffBase);
    }
    // Jitter spreads the retries of workers that failed together; Retry-After is applied
    // after it (as a floor), so jitter never shortens what the site asked for.
    return retry.withJitter(0.25).build();
  }

  /**
   * Whether {@code r} is a 2xx answer without a body: no page of the site is empty, so a proxy
   * or gateway lost it, and another attempt may have it (robots.txt may be empty: its policy
   * does not retry these).
   */
  private static boolean lostBody(SiteExchange.Result r) {
    return r.status() / 100 == 2 && r.body().length == 0;
  }

  /**
   * What a 2xx answer lost, in words for a log line or message: its whole body (no page of the
   * site is empty), or its document's end (every page ends with {@code </html>}); empty when
   * it lost neither.
   */
  private static String lost(SiteExchange.Result r) {
    return lostBody(r) ? " with an empty body" : r.cut() ? CUT : "";
  }

  /**
   * Words for a {@code Retry-After} of a retried status that is neither seconds nor an HTTP-date
   * (then the ordinary backoff applies), so that a reader of the log knows why the wait is not
   * the one the site named; empty otherwise.
   */
  private String notUnderstood(SiteExchange.Result answer) {
    return answer.retryAfter() != null && askedToWait(answer).isEmpty()
        && RETRYABLE.contains(answer.status())
        ? ", Retry-After " + RetryAfter.quoted(answer.retryAfter())
            + " not understood (neither seconds nor an HTTP-date)"
        : "";
  }

  /** The wait an answer's {@code Retry-After} asks for, when its status is one that is retried. */
  private Optional<Duration> askedToWait(SiteExchange.Result answer) {
    return askedToWait(answer.status(), answer.retryAfter(), answer.date());
  }

  private Optional<Duration> askedToWait(int status, String retryAfter, String date) {
    return RETRYABLE.contains(status)
        ? RetryAfter.parse(retryAfter, date, clock.instant()) : Optional.empty();
  }

  /**
   * As soon as an answer's headers arrive, before its body is read: the site asked the client,
   * not this request, to wait, so no request goes until then, also when this one is not tried
   * again (its last attempt, a wait too long, a body that then fails). A wait too long holds the
   * others for twice the longest wait honoured: the call waits that out itself before it
   * throws, and no other request may slip in between, nor between the answer and the pause.
   * (When the body then fails, over the cap or cut off, the call fails as such, and its retry,
   * if any, waits in the rate limiter for the pause like every other request.)
   */
  private void holdOthersIfAsked(HttpResponse.ResponseInfo answer) {
    HttpHeaders headers = answer.headers();
    askedToWait(answer.statusCode(), headers.firstValue("Retry-After").orElse(null),
        headers.firstValue("Date").orElse(null)).ifPresent(asked -> limiter.pauseFor(
            asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter.multipliedBy(2) : asked));
  }

  /** The deferred call of {@code siteUri}, taken out (the next get continues it), or null. */
  Deferred resume(URI siteUri) {
    return deferred.remove(siteUri);
  }

  /**
   * The attempts of one call, from the first or from where a deferred call stopped
   * ({@code resumed}); a {@code deferrable} call throws {@link RetryLaterException} instead of
   * waiting out a retry delay (robots.txt is never deferred: every call waits for it).
   * {@code endsEarly} judges each 2xx answer (any type) of a page whose bytes alone do not show it
   * cut (see {@link #judged}).
   */
  FetchResponse fetch(URI siteUri, long start, SiteExchange.RedirectCheck onRedirect,
      Deferred resumed, boolean deferrable, Predicate<? super FetchResponse> endsEarly)
      throws IOException, InterruptedException {
    // Failsafe decides whether and after how long to retry (backoff, jitter, attempts); its
    // standalone Execution leaves the waiting to us, so every delay goes through the
    // injected Sleeper, where tests observe it, and Retry-After can raise it.
    boolean robots = siteUri.equals(HttpFetcher.ROBOTS_URI);
    Execution<SiteExchange.Result> execution = resumed != null ? resumed.execution()
        : Execution.of(robots ? robotsRetryPolicy : retryPolicy);
    SiteExchange.Result last = null;
    IOException lastError = null;
    int lastStatus = -1;
    int attempt = resumed != null ? resumed.attempts() : 0;
    // Whether an attempt had another answer than an empty 2xx (an error, a status, a page).
    boolean notAllEmpty = resumed != null && resumed.notAllEmpty();
    while (true) {
      attempt++;
      if (attempt > 1) {
        stats.retry(); // counted when made: a retry deferred and never asked for again is none
      }
      try {
        // robots.txt follows redirects to other hosts too (RFC 9309), pages only the site's.
        last = exchange.follow(siteUri, attempt, onRedirect, robots);
        if (!robots) {
          last = judged(siteUri, last, attempt, start, endsEarly);
        }
        lastError = null;
        lastStatus = last.status();
        execution.recordResult(last);
        notAllEmpty |= !lostBody(last);
      } catch (FetchException e) {
        throw e; // Not worth retrying: the same request would be refused the same way.
      } catch (IOException e) {
        last = null;
        lastError = e;
        notAllEmpty = true;
        execution.recordException(e);
        // A dead site ends the call (and the run) now rather than after every retry.
        breaker.check(siteUri, attempt);
      }
      Optional<Duration> asked = last != null ? askedToWait(last) : Optional.empty();
      boolean beyond = asked.isPresent() && asked.get().compareTo(maxRetryAfter) > 0;
      if (beyond) {
        // Not retried: the site asked every client to stay away longer than a run waits, so the
        // caller should stop. This call waits out the longest wait honoured first (as every
        // other request does), so that whatever comes next (a retried Job pod, a re-run) does
        // not come back sooner than a page asking for less would have been waited out.
        log.warn("GET {}: status {} with Retry-After '{}' ({}), longer than the longest wait"
            + " honoured ({}); waiting that long, then stopping", logged(siteUri),
            last.status(), last.retryAfter(), Durations.format(asked.get()),
            Durations.format(maxRetryAfter));
        String until = until(asked.get());
        sleeper.sleep(maxRetryAfter);
        throw new RetryAfterTooLongException("GET " + logged(siteUri) + ": status "
            + last.status() + " with Retry-After '" + last.retryAfter() + "' ("
            + Durations.format(asked.get()) + "), longer than the longest wait honoured ("
            + Durations.format(maxRetryAfter) + ", waited); the site asks to be left alone "
            + until, siteUri, attempt, last.status(), asked.get());
      }
      if (execution.isComplete()) {
        break;
      }
      Duration delay = execution.getDelay();
      String what;
      boolean askedToWait = false;
      if (last != null) {
        what = "status " + last.status() + lost(last);
        if (asked.isPresent()) {
          what += ", Retry-After " + Durations.format(asked.get());
          askedToWait = true;
          if (asked.get().compareTo(delay) > 0) {
            delay = asked.get();
          }
        } else {
          what += notUnderstood(last);
        }
      } else {
        what = String.valueOf(lastError);
      }
      log.warn("GET {}: {} on attempt {}/{}; retrying in {}",
          logged(siteUri), what, attempt, maxAttempts, Durations.format(delay));
      if (deferrable) {
        // The caller waits, not this thread: it re-asks after the delay and carries on here.
        Deferred stopped = new Deferred(execution, attempt, start, notAllEmpty);
        deferred.put(siteUri, stopped);
        // Abandoned, it drops this entry only: not one that a later deferral of the URI put.
        throw new RetryLaterException(siteUri, delay, soonest(delay, attempt, askedToWait),
            attempt, what, () -> deferred.computeIfPresent(siteUri,
                (uri, current) -> current == stopped ? null : current));
      }
      sleeper.sleep(delay);
    }
    if (last == null) {
      // As text: SLF4J would take a last Throwable argument for a stack trace, not for the {}.
      log.warn("GET {}: giving up after {} attempt(s): {}", logged(siteUri), attempt,
          String.valueOf(lastError));
      throw new FetchException("GET " + siteUri + " failed after " + attempt + " attempt(s): "
          + lastError, siteUri, attempt, lastStatus, lastError);
    }
    if (RETRYABLE.contains(last.status())) {
      log.warn("GET {}: still status {}{} after {} attempt(s); returning it",
          logged(siteUri), last.status(), notUnderstood(last), attempt);
    }
    // A site that answers every attempt of item after item with a server error is down.
    breaker.itemEnded(last.status(), robots ? "" : lost(last));
    breaker.check(siteUri, attempt);
    if (last.cut() && !robots) {
      // Whatever the page held past the cut is lost, and what it holds may be cut in a value:
      // no answer to hand over as the page, however many attempts got it so.
      throw new FetchException("GET " + siteUri + ": HTTP " + last.status() + CUT
          + " on the last of " + attempt + " attempt" + (attempt == 1 ? "" : "s"), siteUri,
          attempt, last.status(), null);
    }
    if (notAllEmpty && lostBody(last) && !robots) {
      // An empty answer last, after other failures: no page, and not the page's own answer on
      // every attempt (which a caller may take for good), but a site that failed this call.
      throw new FetchException("GET " + siteUri + ": HTTP " + last.status() + " with an empty"
          + " body on the last of " + attempt + " attempts, after other failures", siteUri,
          attempt, last.status(), null);
    }
    return response(siteUri, last, attempt, start);
  }

  private FetchResponse response(URI siteUri, SiteExchange.Result last, int attempt,
      long start) {
    return new FetchResponse(siteUri, last.siteUri(), last.redirects(), last.status(),
        last.contentType(), last.body(), attempt, Duration.ofNanos(nanoTime.getAsLong() - start));
  }

  /**
   * {@code last}, cut short when {@code endsEarly} says so of a 2xx answer with a body (any type)
   * that its bytes alone did not show cut ({@link SiteExchange.Result#cut}). Called after the
   * request's slot in flight is given back: the judge parses the page (the fetcher's own
   * {@link dev.pixivdic.core.internal.DocumentEnd#cutShort}, or the caller's parser, which
   * keeps what it read so that the page is parsed once), and a parse holding the slot would
   * keep the next request waiting for its CPU time.
   */
  private SiteExchange.Result judged(URI siteUri, SiteExchange.Result last, int attempt,
      long start, Predicate<? super FetchResponse> endsEarly) {
    // Whatever its label: a page a proxy or mirror mislabels (text/plain, octet-stream) is read
    // as markup all the same, and the judge says nothing of a body that is no markup.
    if (last.cut() || last.status() / 100 != 2 || last.body().length == 0) {
      return last;
    }
    return endsEarly.test(response(siteUri, last, attempt, start)) ? last.asCut() : last;
  }

  /** Until when a wait of {@code asked} from now lasts, in words, even past the last instant. */
  private String until(Duration asked) {
    try {
      return "until about " + clock.instant().plus(asked).truncatedTo(ChronoUnit.SECONDS);
    } catch (DateTimeException | ArithmeticException e) {
      return "for longer than any date can say";
    }
  }

  /**
   * The URI a log line names: robots.txt as fetched, under the configured origin (whose
   * robots.txt it is, and whose failure the line reports); a page as the site's URI, as every
   * other line names it (docs/fetching.md, "Origin").
   */
  private URI logged(URI siteUri) {
    return siteUri.equals(HttpFetcher.ROBOTS_URI) ? exchange.toOrigin(siteUri) : siteUri;
  }

  /**
   * How soon a deferred retry may go when its caller has nothing else to send: after a first
   * failure that came without {@code Retry-After}, one request interval of the rate limit (the
   * site sees no more than its budget either way, and a passing failure needs no more); after
   * a second failure, or when the site asked for a wait, the whole delay.
   */
  private Duration soonest(Duration delay, int attempt, boolean askedToWait) {
    if (attempt > 1 || askedToWait) {
      return delay;
    }
    Duration interval = limiter.interval();
    return interval.compareTo(delay) < 0 ? interval : delay;
  }
}

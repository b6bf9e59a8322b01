package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.internal.SiteChosenUrls;
import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * robots.txt for one fetcher: loaded lazily by the first caller (the others wait for it), then
 * consulted for every URI until it expires, when the next caller loads it again: its rules after
 * {@link #RULES_KEPT} (RFC 9309 asks not to keep them longer), a failure to have them after
 * {@link #FAILURE_KEPT} or until a new run starts ({@link #forgetFailure}), so a fetcher that
 * serves run after run neither misses a changed robots.txt nor stays stopped by one bad answer.
 * Thread-safe.
 */
final class RobotsGate {

  private static final Logger log = LoggerFactory.getLogger(RobotsGate.class);

  /** Fetches robots.txt politely (rate limit, retries), without consulting robots.txt. */
  @FunctionalInterface
  interface Loader {
    FetchResponse fetch(URI robotsUri) throws IOException, InterruptedException;
  }

  /** How long rules read from the site serve before robots.txt is read again: a day. */
  static final Duration RULES_KEPT = Duration.ofDays(1);
  /**
   * How long a robots.txt that could not be had (or asked not to crawl now) keeps every call
   * failing before it is tried again: long enough for the run it stops to end, not the life of
   * a fetcher that serves later runs.
   */
  static final Duration FAILURE_KEPT = Duration.ofMinutes(1);

  /**
   * robots.txt as loaded: {@code rules} is null when it was unavailable; it serves until
   * {@code expiresAt} ({@link #nanoTime}).
   */
  private record State(RobotsRules rules, String unavailable, int lastStatus, Throwable cause,
      long expiresAt) {

    boolean expired(long now) {
      return now - expiresAt >= 0;
    }
  }

  private final URI robotsUri;
  private final String token;
  private final IntervalLimiter limiter;
  private final StatsRecorder stats;
  private final Loader loader;
  private final String origin;
  /** How many processes share the site's budget, and so its Crawl-delay. */
  private final int budgetSharedBy;
  private final LongSupplier nanoTime;
  // A lock rather than synchronized: callers waiting for the first load stay interruptible.
  private final ReentrantLock lock = new ReentrantLock();
  private volatile State state;

  RobotsGate(URI robotsUri, String token, IntervalLimiter limiter, StatsRecorder stats,
      Loader loader, String origin, int budgetSharedBy, LongSupplier nanoTime) {
    this.budgetSharedBy = budgetSharedBy;
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.origin = requireNonNull(origin, "origin");
    this.robotsUri = requireNonNull(robotsUri, "robotsUri");
    this.token = requireNonNull(token, "token");
    this.limiter = requireNonNull(limiter, "limiter");
    this.stats = requireNonNull(stats, "stats");
    this.loader = requireNonNull(loader, "loader");
  }

  /**
   * Returns normally when {@code siteUri} may be fetched.
   *
   * @throws RobotsDisallowedException when robots.txt disallows it (counted in the stats)
   * @throws SiteUnreachableException when robots.txt was unavailable, see {@link #load()}
   */
  void check(URI siteUri) throws IOException, InterruptedException {
    check(siteUri, siteUri);
  }

  /**
   * As {@link #check(URI)}, for {@code target}, where a redirect of the site leads: judged as it
   * is, query included, and named without its query, fragment and user information
   * ({@link SiteChosenUrls}), which may hold the site's token.
   */
  void checkRedirect(URI target) throws IOException, InterruptedException {
    check(target, SiteChosenUrls.shown(target));
  }

  private void check(URI siteUri, URI named) throws IOException, InterruptedException {
    State s = state();
    if (s.rules() == null) {
      throw new SiteUnreachableException("GET " + named + " not attempted: " + s.unavailable(),
          named, 0, s.lastStatus(), s.cause());
    }
    if (!s.rules().allows(SiteMapping.pathAndQuery(siteUri))) {
      stats.robotsDisallowed();
      log.info("robots.txt disallows {} for '{}'; not fetched", named, token);
      throw new RobotsDisallowedException(named, robotsUri, token);
    }
  }

  /**
   * Forgets a failure to have robots.txt (kept {@link #FAILURE_KEPT} to stop the run that met it),
   * so that the next caller, of a new run, reads it again; rules read are kept. Never waits: a
   * read in progress (another run's, on a shared fetcher) sets a fresh state anyway, and a run's
   * start must not wait for it, deaf to a stop.
   */
  void forgetFailure() {
    if (!lock.tryLock()) {
      return;
    }
    try {
      State s = state;
      if (s != null && s.rules() == null) {
        state = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private State state() throws InterruptedException {
    State s = state;
    if (s != null && !s.expired(nanoTime.getAsLong())) {
      return s;
    }
    lock.lockInterruptibly();
    try {
      s = state;
      if (s == null || s.expired(nanoTime.getAsLong())) {
        s = load();
        state = s;
      }
      return s;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Up to five redirects are followed, to other hosts too, and what they lead to is this
   * origin's robots.txt (RFC 9309 2.3.1.2); more, or a loop, is a robots.txt unavailable, as a
   * 4xx. 2xx: its rules, and its Crawl-delay widens the limiter's spacing. Other 4xx: no
   * restriction (RFC 9309). 429, 5xx or unreachable after retries: the whole site is treated
   * as disallowed, as RFC 9309 asks, and every call for {@link #FAILURE_KEPT} fails fast with
   * a {@link SiteUnreachableException} saying so, so a run stops as "retry later" instead of
   * crawling blind or marking every page as forbidden. An interrupt leaves what was there: an
   * expired state is loaded again by the next caller.
   */
  private State load() throws InterruptedException {
    FetchResponse response;
    try {
      response = loader.fetch(robotsUri);
    } catch (RedirectRefusedException e) {
      if (!e.tooMany()) {
        return unreachable(e);
      }
      // RFC 9309 2.3.1.2: past five redirects robots.txt may be taken as unavailable, as a 4xx
      // is (2.3.1.3): the site gave no rules to follow, not a failure to reach it.
      log.warn("robots.txt of {} not reached: {}; taken as unavailable, as after more than {}"
          + " redirects RFC 9309 allows: no robots.txt restrictions apply", origin,
          e.getMessage(), SiteExchange.ROBOTS_REDIRECTS);
      limiter.atLeast(Duration.ZERO);
      return kept(RobotsRules.allowAll(), e.lastStatus().orElse(-1));
    } catch (IOException e) {
      return unreachable(e);
    }
    int status = response.status();
    String from = response.finalUri().equals(response.uri()) ? ""
        : " (from " + SiteChosenUrls.shown(response.finalUri()) + ", where it redirects)";
    if (status >= 200 && status < 300) {
      RobotsRules rules = RobotsRules.parse(response.bodyText(), token);
      Optional<Duration> delay = rules.crawlDelay();
      if (delay.isPresent() && delay.get().compareTo(RobotsRules.MAX_CRAWL_DELAY) > 0) {
        String why = "robots.txt of " + origin + " asks for Crawl-delay "
            + Durations.format(delay.get()) + ", more than "
            + Durations.format(RobotsRules.MAX_CRAWL_DELAY) + " between requests: the site is"
            + " not to be crawled now; stopping, retry later";
        log.error("{}", why);
        return failed(why, status, null);
      }
      // The site's spacing across every process that shares its budget, not each one's; read
      // again, robots.txt may set another delay, or none, and the spacing follows it.
      limiter.atLeast(delay.orElse(Duration.ZERO).multipliedBy(budgetSharedBy));
      delay.ifPresent(d -> {
        log.info("robots.txt asks for Crawl-delay {}{}; spacing requests {} apart",
            Durations.format(d), budgetSharedBy == 1 ? ""
                : ", shared by " + budgetSharedBy + " processes",
            Durations.format(limiter.interval()));
      });
      log.info("robots.txt of {}{} loaded for user-agent '{}'", origin, from, token);
      return kept(rules, status);
    }
    if (status == 429 || status >= 500) {
      String why = "robots.txt of " + origin + from + " answered " + status + " after "
          + response.attempts() + " attempt(s); the whole site is treated as disallowed for this"
          + " run (RFC 9309): stopping, retry later";
      log.error("{}", why);
      return failed(why, status, null);
    }
    log.info("robots.txt of {}{} answered {}; no robots.txt restrictions apply", origin, from,
        status);
    limiter.atLeast(Duration.ZERO);
    return kept(RobotsRules.allowAll(), status);
  }

  /**
   * robots.txt could not be had: the whole site is treated as disallowed (RFC 9309 2.3.1.4),
   * and the run stops to be retried later.
   */
  private State unreachable(IOException e) {
    // The proxy refusing its credentials says so in the exception's own words (the cause is
    // the JDK's "too many authentication attempts").
    boolean ownWords = e instanceof SiteUnreachableException
        || e instanceof FetchException fe && fe.lastStatus().orElse(-1) == 407;
    String why = "robots.txt of " + origin + " could not be fetched ("
        + SiteBreaker.describe(e.getCause() != null && !ownWords ? e.getCause() : e)
        + "); the whole site is treated as disallowed for this run (RFC 9309): stopping,"
        + " retry later";
    log.error("{}", why);
    int status = e instanceof FetchException fe ? fe.lastStatus().orElse(-1) : -1;
    return failed(why, status, e);
  }

  private State kept(RobotsRules rules, int status) {
    return new State(rules, null, status, null, nanoTime.getAsLong() + RULES_KEPT.toNanos());
  }

  private State failed(String why, int status, Throwable cause) {
    return new State(null, why, status, cause, nanoTime.getAsLong() + FAILURE_KEPT.toNanos());
  }

  /** The product token of a User-Agent ("pixiv-dic" of "pixiv-dic/1.0 (...)"). */
  static String productToken(String userAgent) {
    String ua = userAgent.trim();
    int end = 0;
    while (end < ua.length() && ua.charAt(end) != '/'
        && !Character.isWhitespace(ua.charAt(end))) {
      end++;
    }
    return ua.substring(0, end);
  }
}

package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * robots.txt for one fetcher: loaded once, lazily, by the first caller (the others wait for
 * it), then consulted for every URI. Thread-safe.
 */
final class RobotsGate {

  private static final Logger log = LoggerFactory.getLogger(RobotsGate.class);

  /** Fetches robots.txt politely (rate limit, retries), without consulting robots.txt. */
  @FunctionalInterface
  interface Loader {
    FetchResponse fetch(URI robotsUri) throws IOException, InterruptedException;
  }

  /** robots.txt as loaded: {@code rules} is null when it was unavailable. */
  private record State(RobotsRules rules, String unavailable, int lastStatus, Throwable cause) {}

  private final URI robotsUri;
  private final String token;
  private final IntervalLimiter limiter;
  private final StatsRecorder stats;
  private final Loader loader;
  private final String origin;
  /** How many processes share the site's budget, and so its Crawl-delay. */
  private final int budgetSharedBy;
  // A lock rather than synchronized: callers waiting for the first load stay interruptible.
  private final ReentrantLock lock = new ReentrantLock();
  private volatile State state;

  RobotsGate(URI robotsUri, String token, IntervalLimiter limiter, StatsRecorder stats,
      Loader loader, String origin, int budgetSharedBy) {
    this.budgetSharedBy = budgetSharedBy;
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
    State s = state();
    if (s.rules() == null) {
      throw new SiteUnreachableException("GET " + siteUri + " not attempted: " + s.unavailable(),
          siteUri, 0, s.lastStatus(), s.cause());
    }
    if (!s.rules().allows(SiteMapping.pathAndQuery(siteUri))) {
      stats.robotsDisallowed();
      log.info("robots.txt disallows {} for '{}'; not fetched", siteUri, token);
      throw new RobotsDisallowedException(siteUri, robotsUri, token);
    }
  }

  private State state() throws InterruptedException {
    State s = state;
    if (s != null) {
      return s;
    }
    lock.lockInterruptibly();
    try {
      if (state == null) {
        state = load();
      }
      return state;
    } finally {
      lock.unlock();
    }
  }

  /**
   * 2xx: its rules, and its Crawl-delay widens the limiter's spacing. Other 4xx: no
   * restriction (RFC 9309). 429, 5xx or unreachable after retries: the whole site is treated
   * as disallowed for this fetcher, as RFC 9309 asks, and every call fails fast with a
   * {@link SiteUnreachableException} saying so, so a run stops as "retry later"
   * instead of crawling blind or marking every page as forbidden. An interrupt leaves
   * nothing cached: the next caller loads again.
   */
  private State load() throws InterruptedException {
    FetchResponse response;
    try {
      response = loader.fetch(robotsUri);
    } catch (IOException e) {
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
      return new State(null, why, status, e);
    }
    int status = response.status();
    if (status >= 200 && status < 300) {
      RobotsRules rules = RobotsRules.parse(response.bodyText(), token);
      Optional<Duration> delay = rules.crawlDelay();
      if (delay.isPresent() && delay.get().compareTo(RobotsRules.MAX_CRAWL_DELAY) > 0) {
        String why = "robots.txt of " + origin + " asks for Crawl-delay "
            + Durations.format(delay.get()) + ", more than "
            + Durations.format(RobotsRules.MAX_CRAWL_DELAY) + " between requests: the site is"
            + " not to be crawled now; stopping, retry later";
        log.error("{}", why);
        return new State(null, why, status, null);
      }
      delay.ifPresent(d -> {
        // The site's spacing across every process that shares its budget, not each one's.
        limiter.atLeast(d.multipliedBy(budgetSharedBy));
        log.info("robots.txt asks for Crawl-delay {}{}; spacing requests {} apart",
            Durations.format(d), budgetSharedBy == 1 ? ""
                : ", shared by " + budgetSharedBy + " processes",
            Durations.format(limiter.interval()));
      });
      log.info("robots.txt of {} loaded for user-agent '{}'", origin, token);
      return new State(rules, null, status, null);
    }
    if (status == 429 || status >= 500) {
      String why = "robots.txt of " + origin + " answered " + status + " after "
          + response.attempts() + " attempt(s); the whole site is treated as disallowed for this"
          + " run (RFC 9309): stopping, retry later";
      log.error("{}", why);
      return new State(null, why, status, null);
    }
    log.info("robots.txt of {} answered {}; no robots.txt restrictions apply", origin, status);
    return new State(RobotsRules.allowAll(), null, status, null);
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

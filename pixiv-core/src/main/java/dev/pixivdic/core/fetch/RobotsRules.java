package dev.pixivdic.core.fetch;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of a robots.txt that apply to one product token (RFC 9309), plus the non-standard
 * {@code Crawl-delay}: crawler-commons' {@link SimpleRobotRulesParser}, the parser of Nutch and
 * StormCrawler, rather than one of our own. Immutable and thread-safe.
 *
 * <p>What it gives, as RFC 9309 asks: the groups naming our product token are merged (a group
 * headed by the full product, {@code pixiv-dic/1.0}, names the token too), else the {@code *}
 * groups, else everything is allowed; the longest matching pattern wins and {@code allow} wins a
 * tie; {@code *} and a final {@code $} match without backtracking; a UTF-8 byte-order mark,
 * CRLF line ends and percent-encoding differences do not change the outcome;
 * {@code /robots.txt} is always allowed.
 */
final class RobotsRules {

  private static final RobotsRules ALLOW_ALL = new RobotsRules(
      new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL));
  /** Any absolute URL of the site: the rules look at the path and query only. */
  private static final String BASE = SiteMapping.SITE.toString();

  private final BaseRobotRules rules;

  private RobotsRules(BaseRobotRules rules) {
    this.rules = rules;
  }

  static RobotsRules allowAll() {
    return ALLOW_ALL;
  }

  /** The longest Crawl-delay honoured: a site asking for more is not crawled now. */
  static final Duration MAX_CRAWL_DELAY = Duration.ofDays(1);

  /** The rules of {@code text} for {@code productToken} (e.g. {@code pixiv-dic}). */
  static RobotsRules parse(String text, String productToken) {
    SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
    // crawler-commons reads a Crawl-delay over its maximum as "disallow everything", which a
    // run reported as every page disallowed and exit 0; the fetcher decides instead
    // (RobotsGate: up to MAX_CRAWL_DELAY honoured, beyond it the run stops with "retry later").
    parser.setMaxCrawlDelay(Long.MAX_VALUE);
    String token = productToken.toLowerCase(Locale.ROOT);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return new RobotsRules(parser.parseContent(BASE + "/robots.txt", body,
        "text/plain; charset=utf-8", List.of(token)));
  }

  /** Whether a raw path with optional query (as sent on the request line) may be fetched. */
  boolean allows(String pathAndQuery) {
    if (pathAndQuery.equals("/robots.txt")) {
      return true;
    }
    return rules.isAllowed(BASE + pathAndQuery);
  }

  /** The Crawl-delay of the selected group, if any. */
  Optional<Duration> crawlDelay() {
    long ms = rules.getCrawlDelay();
    return ms == BaseRobotRules.UNSET_CRAWL_DELAY || ms < 0 ? Optional.empty()
        : Optional.of(Duration.ofMillis(ms));
  }
}

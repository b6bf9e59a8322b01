package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * robots.txt that redirects to another authority (RFC 9309 2.3.1.2), with the site and the other
 * host as two loopback servers on two ports: up to five redirects are followed and the rules
 * found apply to the site; more, or a loop, is a robots.txt unavailable (allow all, as a 4xx),
 * as is a redirect to a 404. On fake time, one request every 5 s.
 */
@Timeout(60)
class RobotsRedirectsIT {

  private static final String RULES = "User-agent: *\nDisallow: /a/secret\n";
  private static final URI ALLOWED = URI.create("https://dic.pixiv.net/a/open");
  private static final URI DISALLOWED = URI.create("https://dic.pixiv.net/a/secret");

  private final FakeTime time = new FakeTime();
  /** What each server was asked, in order. */
  private final List<String> siteAsked = new CopyOnWriteArrayList<>();
  private final List<String> otherAsked = new CopyOnWriteArrayList<>();
  private LoopbackSite site;
  private LoopbackSite other;
  private HttpFetcher fetcher;

  @AfterEach
  void tearDown() {
    if (fetcher != null) {
      fetcher.close();
    }
    if (site != null) {
      site.close();
    }
    if (other != null) {
      other.close();
    }
  }

  private interface Answers {
    void answer(String path, HttpExchange exchange) throws IOException;
  }

  /**
   * The site, whose robots.txt redirects to {@code robotsAt} (a path of the other host, or an
   * absolute URI when it holds "://"), and whose pages answer 200; the other host answers as
   * {@code other} says.
   */
  private void start(String robotsAt, Answers otherAnswers) throws IOException {
    other = LoopbackSite.start(exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      otherAsked.add(path);
      otherAnswers.answer(path, exchange);
    });
    site = LoopbackSite.start(exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      siteAsked.add(path);
      if (path.equals("/robots.txt")) {
        redirect(exchange, 301, robotsAt.contains("://") ? robotsAt : other.origin() + robotsAt);
      } else {
        send(exchange, 200, "<html><body><p>page</p></body></html>");
      }
    });
    fetcher = HttpFetcher.builder().origin(site.origin()).qps(0.2).maxAttempts(2)
        .backoff(Duration.ofMillis(10), Duration.ofSeconds(1))
        .sleeper(time).nanoTime(time).clock(time.clock()).build();
  }

  private static void redirect(HttpExchange exchange, int status, String location)
      throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** The other host: {@code /hop/N} redirects to {@code /hop/N+1} (relative) up to {@code last}. */
  private static Answers chainTo(int last) {
    return (path, exchange) -> {
      int n = Integer.parseInt(path.substring("/hop/".length()));
      if (n < last) {
        redirect(exchange, 302, "/hop/" + (n + 1));
      } else {
        send(exchange, 200, RULES);
      }
    };
  }

  @Test
  void robotsTxtOnAnotherHostIsFollowedAndItsRulesApplyToTheSite() throws Exception {
    // The site's redirect, then four relative ones on the other host: five in all.
    start("/hop/1", chainTo(5));

    assertThat(fetcher.get(ALLOWED).status()).isEqualTo(200);
    assertThatThrownBy(() -> fetcher.get(DISALLOWED))
        .isInstanceOf(RobotsDisallowedException.class);

    assertThat(otherAsked).containsExactly("/hop/1", "/hop/2", "/hop/3", "/hop/4", "/hop/5");
    assertThat(siteAsked).containsExactly("/robots.txt", "/a/open");
    assertThat(fetcher.stats().robotsDisallowed()).isEqualTo(1);
    // Every hop took its rate slot: six requests for robots.txt, then the page, 5 s apart.
    assertThat(fetcher.stats().requestsSent()).isEqualTo(7);
    assertThat(Duration.ofNanos(time.getAsLong())).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void moreThanFiveRedirectsLeaveRobotsTxtUnavailableSoNothingIsDisallowed() throws Exception {
    // The rules at the end of six redirects would disallow the page: they are never read.
    start("/hop/1", chainTo(6));

    assertThat(fetcher.get(DISALLOWED).status()).isEqualTo(200);

    assertThat(otherAsked).containsExactly("/hop/1", "/hop/2", "/hop/3", "/hop/4", "/hop/5");
    assertThat(siteAsked).containsExactly("/robots.txt", "/a/secret");
    assertThat(fetcher.stats().failures()).isZero();
  }

  @Test
  void aRedirectLoopLeavesRobotsTxtUnavailableAndIsLeftAtOnce() throws Exception {
    // The other host sends robots.txt back to the site, which sends it on again.
    start("/away", (path, exchange) -> redirect(exchange, 302, site.origin() + "/robots.txt"));

    assertThat(fetcher.get(DISALLOWED).status()).isEqualTo(200);
    assertThat(fetcher.get(ALLOWED).status()).isEqualTo(200);

    assertThat(otherAsked).containsExactly("/away");
    assertThat(siteAsked).containsExactly("/robots.txt", "/a/secret", "/a/open");
  }

  @Test
  void aRedirectToA404OnAnotherHostAllowsEverything() throws Exception {
    start("/gone/robots.txt", (path, exchange) -> send(exchange, 404, "not here"));

    assertThat(fetcher.get(DISALLOWED).status()).isEqualTo(200);

    assertThat(otherAsked).containsExactly("/gone/robots.txt");
    assertThat(siteAsked).containsExactly("/robots.txt", "/a/secret");
  }

  @Test
  void aServerErrorOnTheOtherHostStillStopsTheRunAsUnreachable() throws Exception {
    start("/robots.txt", (path, exchange) -> send(exchange, 503, "down"));

    assertThatThrownBy(() -> fetcher.get(ALLOWED))
        .isInstanceOf(SiteUnreachableException.class)
        .hasMessageContaining("answered 503")
        .hasMessageContaining(other.origin() + "/robots.txt");

    assertThat(otherAsked).containsExactly("/robots.txt", "/robots.txt");
    assertThat(siteAsked).containsExactly("/robots.txt", "/robots.txt");
  }
}

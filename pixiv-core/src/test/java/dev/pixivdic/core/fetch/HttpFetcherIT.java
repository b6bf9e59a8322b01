package dev.pixivdic.core.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpFetcherIT {

  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3");
  private static final String PAGE_PATH = "/a/%E5%88%9D%E9%9F%B3";

  private static WireMockServer server;

  private FakeTime time;
  private HttpFetcher fetcher;

  @BeforeAll
  static void startServer() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
        .gzipDisabled(true));
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @BeforeEach
  void setUp() {
    server.resetAll();
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(404)));
    time = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @AfterEach
  void tearDown() {
    if (fetcher != null) {
      fetcher.close();
    }
  }

  private URI origin() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** Fast and fake-timed; backoff and Retry-After only show up as sleeps asked for. */
  private HttpFetcher.Builder builder() {
    return HttpFetcher.builder()
        .origin(origin())
        .qps(1000)
        .maxAttempts(3)
        .requestTimeout(Duration.ofSeconds(5))
        .sleeper(time)
        .nanoTime(time)
        .clock(time.clock());
  }

  private static ResponseDefinitionBuilder html(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/html; charset=UTF-8")
        .withBody(body);
  }

  private void stubThenSucceed(ResponseDefinitionBuilder first) {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
        .willReturn(first).willSetStateTo("ok"));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs("ok")
        .willReturn(html("<p>ok</p>")));
  }

  @Test
  void retryAfterInSecondsIsWaitedBeforeTheNextAttempt() throws Exception {
    stubThenSucceed(aResponse().withStatus(503).withHeader("Retry-After", "120"));
    fetcher = builder().build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(time.longestSleep()).isGreaterThanOrEqualTo(Duration.ofSeconds(120));
    assertThat(fetcher.stats().retries()).isEqualTo(1);
  }

  @Test
  void retryAfterAsAnHttpDateIsWaitedUntil() throws Exception {
    stubThenSucceed(aResponse().withStatus(429)
        .withHeader("Retry-After", "Thu, 01 Jan 2026 00:03:00 GMT"));
    fetcher = builder().build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(200);
    // The fake clock stood within milliseconds of 00:00:00 when the 429 came back.
    assertThat(time.longestSleep()).isGreaterThan(Duration.ofSeconds(179));
    assertThat(time.clock().instant()).isAfterOrEqualTo(Instant.parse("2026-01-01T00:03:00Z"));
  }

  @Test
  void aRetryAfterLongerThanTheMaximumIsWaitedOutOnceThenThrownAndHoldsEveryRequestLonger()
      throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(429)
        .withHeader("Retry-After", "86400")));
    server.stubFor(get(urlEqualTo("/a/other")).willReturn(html("<p>ok</p>")));
    fetcher = builder().maxRetryAfter(Duration.ofMinutes(10)).build();
    long start = time.getAsLong();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RetryAfterTooLongException.class, e -> {
          assertThat(e.asked()).isEqualTo(Duration.ofDays(1));
          assertThat(e.attempts()).isEqualTo(1);
          assertThat(e.lastStatus()).hasValue(429);
        })
        .hasMessageContaining("Retry-After '86400'")
        .hasMessageContaining("until about 2026-01-02T00:00");
    assertThat(time.sleeps()).as("the call waited the longest wait honoured before it threw")
        .contains(Duration.ofMinutes(10));
    fetcher.get(URI.create("https://dic.pixiv.net/a/other"));

    server.verify(1, getRequestedFor(urlEqualTo(PAGE_PATH)));
    assertThat(Duration.ofNanos(time.getAsLong() - start))
        .as("no other request slips in as the call throws: the next goes after twice the wait")
        .isBetween(Duration.ofMinutes(20), Duration.ofMinutes(20).plusSeconds(1));
  }

  @Test
  void aRetryAfterBeyondAnyDateStillStopsTheCallAfterTheLongestWait() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(429)
        .withHeader("Retry-After", "9223372036854775807")));
    fetcher = builder().maxRetryAfter(Duration.ofMinutes(10)).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOf(RetryAfterTooLongException.class)
        .hasMessageContaining("longer than any date can say");
    assertThat(time.sleeps()).contains(Duration.ofMinutes(10));
  }

  @Test
  void anEmptyAnswerAfterAServerErrorFailsTheCallRatherThanPassingForThePagesOwn()
      throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(500)).willSetStateTo("empty"));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs("empty")
        .willReturn(aResponse().withStatus(200)));
    fetcher = builder().maxAttempts(2).build();

    assertThatThrownBy(() -> fetcher.get(PAGE)).isExactlyInstanceOf(FetchException.class)
        .hasMessageContaining("HTTP 200 with an empty body on the last of 2 attempts");
  }

  @Test
  void aPageAnsweredEmptyIsTriedAgainAndServedByTheNextAttempt() throws Exception {
    stubThenSucceed(aResponse().withStatus(200));
    fetcher = builder().build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("<p>ok</p>");
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(fetcher.stats().retries()).isEqualTo(1);
  }

  @Test
  void anEmptyRobotsTxtIsNotTriedAgain() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("<p>ok</p>")));
    fetcher = builder().respectRobots(true).build();

    assertThat(fetcher.get(PAGE).status()).isEqualTo(200);

    server.verify(1, getRequestedFor(urlEqualTo("/robots.txt")));
    assertThat(fetcher.stats().retries()).isZero();
  }

  @Test
  void aRetryAfterOnTheLastAttemptStillHoldsTheNextRequest() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
    server.stubFor(get(urlEqualTo("/a/other")).willReturn(html("<p>ok</p>")));
    fetcher = builder().maxAttempts(1).build();

    assertThat(fetcher.get(PAGE).status()).isEqualTo(429);
    long before = time.getAsLong();
    fetcher.get(URI.create("https://dic.pixiv.net/a/other"));

    assertThat(Duration.ofNanos(time.getAsLong() - before)).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void aSiteThatAnswersOnlyServerErrorsIsStoppedAfterFiveItemsNamingTheOrigin()
      throws Exception {
    server.stubFor(get(urlMatching("/a/.*")).willReturn(aResponse().withStatus(502)));
    server.stubFor(get(urlEqualTo("/a/served")).willReturn(html("<p>ok</p>")));
    fetcher = builder().maxAttempts(2).build();
    for (int i = 0; i < SiteBreaker.SERVER_ERROR_ITEMS - 1; i++) {
      assertThat(fetcher.get(URI.create("https://dic.pixiv.net/a/p" + i)).status()).isEqualTo(502);
    }
    // A page served resets the count: a few broken pages are not a dead site.
    fetcher.get(URI.create("https://dic.pixiv.net/a/served"));
    for (int i = 0; i < SiteBreaker.SERVER_ERROR_ITEMS - 1; i++) {
      assertThat(fetcher.get(URI.create("https://dic.pixiv.net/a/q" + i)).status()).isEqualTo(502);
    }

    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/last")))
        .isInstanceOf(SiteUnreachableException.class)
        .hasMessageContaining("answers only server errors")
        .hasMessageContaining(":" + origin().getPort())
        .hasMessageContaining("HTTP 502");
    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/after")))
        .as("it stays open").isInstanceOf(SiteUnreachableException.class);
    server.verify(0, getRequestedFor(urlEqualTo("/a/after")));
  }

  @Test
  void aSiteThatAnswersOnlyEmptyPagesIsStoppedAsOneThatAnswersServerErrors() throws Exception {
    server.stubFor(get(urlMatching("/a/.*")).willReturn(aResponse().withStatus(200)));
    fetcher = builder().build();
    for (int i = 0; i < SiteBreaker.SERVER_ERROR_ITEMS - 1; i++) {
      FetchResponse r = fetcher.get(URI.create("https://dic.pixiv.net/a/p" + i));
      assertThat(r.body()).isEmpty();
      assertThat(r.attempts()).as("an empty page is tried again").isEqualTo(3);
    }

    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/last")))
        .isInstanceOf(SiteUnreachableException.class)
        .hasMessageContaining("HTTP 200 with an empty body");
  }

  @Test
  void a503ThenA200SucceedsOnTheSecondAttemptAfterABackoff() throws Exception {
    stubThenSucceed(aResponse().withStatus(503));
    fetcher = builder().backoff(Duration.ofSeconds(2), Duration.ofMinutes(5)).build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(r.bodyText()).isEqualTo("<p>ok</p>");
    // 2 s with 25% jitter either way.
    assertThat(time.longestSleep()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
    assertThat(fetcher.stats().responses(503)).isEqualTo(1);
    assertThat(fetcher.stats().responses(200)).isEqualTo(1);
  }

  @Test
  void aPersistent429IsReturnedAfterTheLastAttempt() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(429)));
    fetcher = builder().maxAttempts(4).build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.attempts()).isEqualTo(4);
    server.verify(4, getRequestedFor(urlEqualTo(PAGE_PATH)));
    assertThat(fetcher.stats().retries()).isEqualTo(3);
  }

  @Test
  void a404IsReturnedNotThrownAndNotRetried() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(404)));
    fetcher = builder().build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.attempts()).isEqualTo(1);
    server.verify(1, getRequestedFor(urlEqualTo(PAGE_PATH)));
  }

  @Test
  void connectionResetsAreRetriedUntilAResponseComes() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
        .willSetStateTo("reset again"));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs("reset again")
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).inScenario("s").whenScenarioStateIs("ok")
        .willReturn(html("<p>ok</p>")));
    fetcher = builder().maxAttempts(5).build();

    FetchResponse r = fetcher.get(PAGE);

    // The JDK client silently repeats a GET once when a connection closes before any response
    // byte, so two resets take one or two of our attempts; either way ours must retry.
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.attempts()).isBetween(2, 3);
    assertThat(fetcher.stats().retries()).isEqualTo(r.attempts() - 1L);
  }

  @Test
  void connectionsResetEveryTimeFailAfterTheLastAttempt() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH))
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    fetcher = builder().respectRobots(false).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(FetchException.class, e -> {
          assertThat(e.attempts()).isEqualTo(3);
          assertThat(e.getCause()).isInstanceOf(IOException.class);
        })
        .hasMessageContaining("failed after 3 attempt(s)");
    assertThat(server.getAllServeEvents()).hasSizeBetween(3, 6);
  }

  @Test
  void aRequestThatTimesOutIsRetriedThenFails() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("late").withFixedDelay(3_000)));
    fetcher = builder().requestTimeout(Duration.ofMillis(200)).maxAttempts(2).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(FetchException.class, e -> {
          assertThat(e.attempts()).isEqualTo(2);
          assertThat(e.uri()).isEqualTo(PAGE);
          assertThat(e.lastStatus()).isEmpty();
          assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class);
        })
        .hasMessageContaining(PAGE.toString());
    assertThat(fetcher.stats().retries()).isEqualTo(1);
  }

  @Test
  void gzipBodiesAreDecodedAndTheWireBytesCounted() throws Exception {
    String text = "<html>" + "初音ミク ".repeat(2000) + "</html>";
    server.stubFor(get(urlEqualTo(PAGE_PATH)).withHeader("Accept-Encoding", equalTo("gzip"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Encoding", "gzip")
            .withHeader("Content-Type", "text/html; charset=UTF-8").withBody(gzip(text))));
    fetcher = builder().build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.bodyText()).isEqualTo(text);
    FetchStats s = fetcher.stats();
    assertThat(s.bytesReceived()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    assertThat(s.bytesOnWire()).isLessThan(s.bytesReceived() / 10);
  }

  @Test
  void aBodyOverTheCapFailsWithoutRetrying() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("x".repeat(5_000))));
    fetcher = builder().maxBodyBytes(1_000).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining(PAGE.toString())
        .hasMessageContaining("1000 bytes");
    server.verify(1, getRequestedFor(urlEqualTo(PAGE_PATH)));
  }

  @Test
  void aBodyOverTheCapIsCountedAsAnAnswerByItsStatusAndNotAsAFailedCall() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("x".repeat(200_000))));
    server.stubFor(get(urlEqualTo("/a/bomb")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Encoding", "gzip").withBody(gzip("\0".repeat(2_000_000)))));
    fetcher = builder().maxBodyBytes(100_000).build();

    assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(BodyTooLargeException.class);
    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/bomb")))
        .isInstanceOf(BodyTooLargeException.class);

    // The site answered both times: the report's responses by status and its failures agree
    // with the pages' outcome (classified, not failed).
    FetchStats s = fetcher.stats();
    assertThat(s.responses(200)).isEqualTo(2);
    assertThat(s.failures()).isZero();
  }

  @Test
  void aGzipBodyThatExpandsBeyondTheCapFails() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Encoding", "gzip").withBody(gzip("\0".repeat(2_000_000)))));
    fetcher = builder().maxBodyBytes(100_000).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("expands beyond the cap of 100000 bytes");
  }

  @Test
  void aRedirectWithinTheSiteIsFollowed() throws Exception {
    server.stubFor(get(urlEqualTo("/a/old")).willReturn(aResponse().withStatus(301)
        .withHeader("Location", "https://dic.pixiv.net/a/middle")));
    server.stubFor(get(urlEqualTo("/a/middle")).willReturn(aResponse().withStatus(302)
        .withHeader("Location", "/a/new?x=1")));
    server.stubFor(get(urlEqualTo("/a/new?x=1")).willReturn(html("new")));
    fetcher = builder().build();

    FetchResponse r = fetcher.get(URI.create("https://dic.pixiv.net/a/old"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.uri()).isEqualTo(URI.create("https://dic.pixiv.net/a/old"));
    assertThat(r.finalUri()).isEqualTo(URI.create("https://dic.pixiv.net/a/new?x=1"));
    assertThat(r.bodyText()).isEqualTo("new");
    assertThat(r.redirects()).containsExactly(301, 302);
    assertThat(r.permanentRedirect()).isFalse();
  }

  /**
   * Both ends are named; the target, which the site chose, without its query and user
   * information, where a login host's token may be.
   */
  @Test
  void aRedirectOffTheSiteIsRefusedNamingBothUrls() throws Exception {
    server.stubFor(get(urlEqualTo("/a/old")).willReturn(aResponse().withStatus(302)
        .withHeader("Location",
            "https://guest:pw@login.example.com/x?return_to=%2Fa%2Fold&code=C0DE5ECRET#f")));
    fetcher = builder().build();

    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/old")))
        .isInstanceOfSatisfying(FetchException.class,
            e -> assertThat(e.lastStatus()).hasValue(302))
        .hasMessageContaining("https://dic.pixiv.net/a/old")
        .hasMessageContaining("to https://login.example.com/x")
        .hasMessageContaining("off the site")
        .hasMessageNotContaining("C0DE5ECRET")
        .hasMessageNotContaining("return_to")
        .hasMessageNotContaining("guest");
    server.verify(1, getRequestedFor(urlEqualTo("/a/old")));
  }

  @Test
  void aRedirectThatStepsAboveTheOriginsPathIsRefusedAsOffTheSite() throws Exception {
    server.stubFor(get(urlEqualTo("/mirror/robots.txt")).willReturn(aResponse().withStatus(404)));
    server.stubFor(get(urlEqualTo("/mirror" + PAGE_PATH)).willReturn(aResponse().withStatus(302)
        .withHeader("Location", "/mirror/../admin/secret")));
    server.stubFor(get(urlEqualTo("/mirror/a/moved")).willReturn(aResponse().withStatus(301)
        .withHeader("Location", "/mirror/a/./x/../new")));
    server.stubFor(get(urlEqualTo("/mirror/a/new")).willReturn(html("new")));
    fetcher = builder().origin(URI.create(origin() + "/mirror")).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("off the site")
        .hasMessageContaining("/admin/secret");
    FetchResponse moved = fetcher.get(URI.create("https://dic.pixiv.net/a/moved"));

    assertThat(moved.finalUri()).isEqualTo(URI.create("https://dic.pixiv.net/a/new"));
    assertThat(moved.bodyText()).isEqualTo("new");
    server.verify(0, getRequestedFor(urlMatching(".*(admin|\\.\\.).*")));
  }

  @Test
  void aRedirectIsCheckedAgainstRobotsTxtAtThePathTheServerWillServe() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nDisallow: /private/\n")));
    server.stubFor(get(urlEqualTo("/a/old")).willReturn(aResponse().withStatus(302)
        .withHeader("Location", "/a/../private/page?code=C0DE5ECRET")));
    fetcher = builder().build();

    // Named without the query the site chose, where its token may be.
    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/old")))
        .isInstanceOf(RobotsDisallowedException.class)
        .hasMessageContaining("disallows https://dic.pixiv.net/private/page for")
        .hasMessageNotContaining("C0DE5ECRET");
    server.verify(0, getRequestedFor(urlMatching("/(private|a/\\.\\.).*")));
  }

  @Test
  void requestsGoToTheOriginUnderItsPathWhileResultsKeepTheSiteUri() throws Exception {
    server.stubFor(get(urlEqualTo("/mirror/robots.txt")).willReturn(aResponse().withStatus(404)));
    server.stubFor(get(urlEqualTo("/mirror" + PAGE_PATH)).willReturn(html("mirrored")));
    fetcher = builder().origin(URI.create(origin() + "/mirror")).build();

    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.uri()).isEqualTo(PAGE);
    assertThat(r.finalUri()).isEqualTo(PAGE);
    assertThat(r.bodyText()).isEqualTo("mirrored");
  }

  @Test
  void theDefaultUserAgentIsSentWhenNoneIsConfigured() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("ok")));
    fetcher = builder().build();

    fetcher.get(PAGE);

    server.verify(getRequestedFor(urlEqualTo(PAGE_PATH))
        .withHeader("User-Agent", equalTo(HttpFetcher.defaultUserAgent())));
  }

  @Test
  void theUserAgentIsSentOnEveryRequest() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("ok")));
    fetcher = builder().userAgent("pixiv-dic/test (+https://example.org/contact)").build();

    fetcher.get(PAGE);

    server.verify(getRequestedFor(urlEqualTo(PAGE_PATH))
        .withHeader("User-Agent", equalTo("pixiv-dic/test (+https://example.org/contact)"))
        .withHeader("Accept-Encoding", equalTo("gzip"))
        .withHeader("Accept", containing("text/html")));
    server.verify(getRequestedFor(urlEqualTo("/robots.txt"))
        .withHeader("User-Agent", equalTo("pixiv-dic/test (+https://example.org/contact)")));
  }

  @Test
  void aPathDisallowedByRobotsIsNotFetchedAndIsCounted() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nDisallow: /a/\n")));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("ok")));
    fetcher = builder().build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RobotsDisallowedException.class,
            e -> assertThat(e.robotsUri())
                .isEqualTo(URI.create("https://dic.pixiv.net/robots.txt")))
        .hasMessageContaining(PAGE.toString())
        .hasMessageContaining("--ignore-robots");
    assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(RobotsDisallowedException.class);

    server.verify(0, getRequestedFor(urlEqualTo(PAGE_PATH)));
    server.verify(1, getRequestedFor(urlEqualTo("/robots.txt")));
    assertThat(fetcher.stats().robotsDisallowed()).isEqualTo(2);
    assertThat(fetcher.stats().failures()).isZero();
  }

  @Test
  void ignoringRobotsFetchesDisallowedPathsWithoutAskingForRobotsTxt() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nDisallow: /\n")));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("ok")));
    fetcher = builder().respectRobots(false).build();

    assertThat(fetcher.get(PAGE).status()).isEqualTo(200);
    server.verify(0, getRequestedFor(urlEqualTo("/robots.txt")));
  }

  @Test
  void aRedirectIntoADisallowedPathIsNotFollowed() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nDisallow: /secret\n")));
    server.stubFor(get(urlEqualTo("/a/old")).willReturn(aResponse().withStatus(301)
        .withHeader("Location", "/secret/x")));
    fetcher = builder().build();

    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/old")))
        .isInstanceOf(RobotsDisallowedException.class)
        .hasMessageContaining("https://dic.pixiv.net/secret/x");
    server.verify(0, getRequestedFor(urlPathEqualTo("/secret/x")));
  }

  @Test
  void anUnavailableRobotsTxtStopsTheRunFromCrawlingAndIsAskedForOnlyOnce() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(503)));
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(html("ok")));
    fetcher = builder().maxAttempts(2).build();

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> fetcher.get(PAGE))
          .isInstanceOf(SiteUnreachableException.class)
          .hasMessageContaining(PAGE.toString())
          .hasMessageContaining("robots.txt of http://")
          .hasMessageContaining("answered 503");
    }
    server.verify(2, getRequestedFor(urlEqualTo("/robots.txt")));
    server.verify(0, getRequestedFor(urlEqualTo(PAGE_PATH)));
    assertThat(fetcher.stats().failures()).isEqualTo(2);
  }

  @Test
  void aCrawlDelayLongerThanTheQpsIntervalSpacesRequestsFurther() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nCrawl-delay: 10\n")));
    server.stubFor(get(urlPathEqualTo("/a/x")).willReturn(html("ok")));
    fetcher = builder().qps(1).build();

    fetcher.get(URI.create("https://dic.pixiv.net/a/x"));
    fetcher.get(URI.create("https://dic.pixiv.net/a/x?2"));
    fetcher.get(URI.create("https://dic.pixiv.net/a/x?3"));

    // robots.txt at t=0, then three pages at least 10 s apart.
    assertThat(time.getAsLong()).isGreaterThanOrEqualTo(Duration.ofSeconds(21).toNanos());
    assertThat(time.longestSleep()).isEqualTo(Duration.ofSeconds(10));
    assertThat(fetcher.stats().rateLimitWait()).isGreaterThanOrEqualTo(Duration.ofSeconds(21));
  }

  @Test
  void aCrawlDelayOfMoreThanADayStopsTheFetcherAsRetryLaterNotAsEveryPageDisallowed()
      throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nCrawl-delay: 86401\n")));
    server.stubFor(get(urlPathEqualTo("/a/x")).willReturn(html("ok")));
    fetcher = builder().qps(1).build();

    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/x")))
        .isInstanceOf(SiteUnreachableException.class)
        .hasMessageContaining("Crawl-delay 1d1s")
        .hasMessageContaining("retry later");
    server.verify(0, getRequestedFor(urlPathEqualTo("/a/x")));
    assertThat(fetcher.stats().robotsDisallowed()).isZero();
  }

  @Test
  void aCrawlDelaySharedByFourProcessesSpacesEachOnesRequestsFourTimesAsFar() throws Exception {
    server.stubFor(get(urlEqualTo("/robots.txt")).willReturn(aResponse().withStatus(200)
        .withBody("User-agent: *\nCrawl-delay: 10\n")));
    server.stubFor(get(urlPathEqualTo("/a/x")).willReturn(html("ok")));
    fetcher = builder().qps(0.5).budgetSharedBy(4).build();

    fetcher.get(URI.create("https://dic.pixiv.net/a/x"));
    fetcher.get(URI.create("https://dic.pixiv.net/a/x?2"));

    // Four pods at once: the site sees one request per 10 s across them all.
    assertThat(time.longestSleep()).isEqualTo(Duration.ofSeconds(40));
    assertThatThrownBy(() -> builder().budgetSharedBy(0)).hasMessageContaining("from 1 to 100000");
  }

  @Test
  void anEncodingTheClientDoesNotReadIsNotRetriedAndNamed() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Encoding", "br").withBody(new byte[] {1, 2, 3})));
    fetcher = builder().build();

    assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(FetchException.class)
        .hasMessageContaining("unsupported Content-Encoding 'br'");
    server.verify(1, getRequestedFor(urlEqualTo(PAGE_PATH)));
    assertThat(fetcher.stats().responses(200)).isEqualTo(1);
  }

  @Test
  void withoutACrawlDelayRequestsAreSpacedByQps() throws Exception {
    server.stubFor(get(urlPathEqualTo("/a/x")).willReturn(html("ok")));
    fetcher = builder().qps(0.2).build();

    fetcher.get(URI.create("https://dic.pixiv.net/a/x"));
    fetcher.get(URI.create("https://dic.pixiv.net/a/x?2"));

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertThat(fetcher.stats().requestsSent()).isEqualTo(3);
  }

  @Test
  void withDeferredRetriesA503HandsTheBackoffToTheCallerAndTheNextGetContinues()
      throws Exception {
    stubThenSucceed(aResponse().withStatus(503));
    fetcher = builder().deferRetries(true).backoff(Duration.ofSeconds(2), Duration.ofMinutes(5))
        .build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RetryLaterException.class, e -> {
          assertThat(e.uri()).isEqualTo(PAGE);
          assertThat(e.attempts()).isEqualTo(1);
          assertThat(e.delay()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
          assertThat(e.getMessage()).contains(PAGE.toString(), "503");
        });
    // The calling thread did not wait out the backoff.
    assertThat(time.longestSleep()).isLessThan(Duration.ofMillis(100));
    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(fetcher.stats().retries()).isEqualTo(1);
    assertThat(fetcher.stats().failures()).isZero();
  }

  @Test
  void deferredRetriesStillStopAtTheMaximumOfAttempts() throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(503)));
    fetcher = builder().deferRetries(true).maxAttempts(3).build();

    assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(RetryLaterException.class);
    assertThat(fetcher.stats().retries()).as("put off, not made").isZero();
    assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(RetryLaterException.class);
    assertThat(fetcher.stats().retries()).isEqualTo(1);
    FetchResponse r = fetcher.get(PAGE);

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.attempts()).isEqualTo(3);
    server.verify(3, getRequestedFor(urlEqualTo(PAGE_PATH)));
    assertThat(fetcher.stats().retries()).isEqualTo(2);
  }

  @Test
  void aDeferredRetryAfterStillPausesEveryRequestOfTheFetcher() throws Exception {
    stubThenSucceed(aResponse().withStatus(503).withHeader("Retry-After", "120"));
    server.stubFor(get(urlPathEqualTo("/a/x")).willReturn(html("ok")));
    fetcher = builder().deferRetries(true).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RetryLaterException.class,
            e -> assertThat(e.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(120)));
    long before = time.getAsLong();
    fetcher.get(URI.create("https://dic.pixiv.net/a/x"));

    // Another page, asked for by the free worker, waits for the pause the site asked for.
    assertThat(time.getAsLong() - before).isGreaterThanOrEqualTo(
        Duration.ofSeconds(119).toNanos());
  }

  @Test
  void deferredRetriesGoThroughTheRateLimiterLikeEveryRequest() throws Exception {
    stubThenSucceed(aResponse().withStatus(503));
    fetcher = builder().qps(0.2).deferRetries(true).backoff(Duration.ofMillis(10),
        Duration.ofMillis(10)).build();

    assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(RetryLaterException.class);
    fetcher.get(PAGE);

    // robots.txt at 0 s, the page at 5 s, its retry at 10 s: never faster than qps.
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertThat(fetcher.stats().requestsSent()).isEqualTo(3);
  }

  @Test
  void aFirstFailureMayBeRetriedAfterOneRequestIntervalByACallerWithNothingElseToDo()
      throws Exception {
    server.stubFor(get(urlEqualTo(PAGE_PATH)).willReturn(aResponse().withStatus(503)));
    fetcher = builder().qps(2).deferRetries(true).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RetryLaterException.class, e -> {
          assertThat(e.delay()).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
          assertThat(e.soonest()).isEqualTo(Duration.ofMillis(500));
        });
    // A second failure is not a passing one: its whole backoff, even for an idle caller.
    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RetryLaterException.class,
            e -> assertThat(e.soonest()).isEqualTo(e.delay()));
  }

  @Test
  void aRetryAfterIsWaitedOutInFullEvenByACallerWithNothingElseToDo() throws Exception {
    stubThenSucceed(aResponse().withStatus(503).withHeader("Retry-After", "120"));
    fetcher = builder().qps(2).deferRetries(true).build();

    assertThatThrownBy(() -> fetcher.get(PAGE))
        .isInstanceOfSatisfying(RetryLaterException.class, e -> {
          assertThat(e.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(120));
          assertThat(e.soonest()).isEqualTo(e.delay());
        });
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}

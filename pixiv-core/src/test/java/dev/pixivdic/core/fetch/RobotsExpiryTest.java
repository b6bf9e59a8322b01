package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.scrape.PixivScraper;
import dev.pixivdic.core.testing.InMemorySink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fetcher that serves run after run reads robots.txt again as RFC 9309 says: its rules after
 * a day, a failure to have it after a minute or at the start of the next run; and its circuit
 * breaker, open on a dead site, closes at the start of the next run. A run that starts while
 * another goes on through the same fetcher clears neither for that one. Against a loopback site,
 * on fake time.
 */
@Timeout(60)
class RobotsExpiryTest {

  private static final String PAGE = "https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3";

  private final FakeTime time = new FakeTime();
  private final AtomicInteger robotsReads = new AtomicInteger();
  /** What robots.txt answers: a status, or 200 with this body. */
  private final AtomicReference<Object> robots = new AtomicReference<>(503);
  /** What every page answers. */
  private final AtomicInteger pageStatus = new AtomicInteger(404);
  private LoopbackSite site;
  private HttpFetcher fetcher;
  /** Runs started beside the test's own go on, in their threads, until the test ends. */
  private final CountDownLatch testEnded = new CountDownLatch(1);

  /** A run starts through the same fetcher in another thread, and goes on. */
  private void anotherRunStarts() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      fetcher.runStarting();
      started.countDown();
      try {
        testEnded.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "another-run");
    other.setDaemon(true);
    other.start();
    started.await();
  }

  @BeforeEach
  void startLoopbackSite() throws IOException {
    site = LoopbackSite.start(ex -> {
      if (ex.getRequestURI().getRawPath().equals("/robots.txt")) {
        robotsReads.incrementAndGet();
        Object answer = robots.get();
        if (answer instanceof Integer status) {
          send(ex, status, "unavailable");
        } else {
          send(ex, 200, (String) answer);
        }
      } else {
        send(ex, pageStatus.get(), "<html><body>not found</body></html>");
      }
    });
    fetcher = time.fetcherOf(site).maxAttempts(1).build();
  }

  @AfterEach
  void stop() {
    testEnded.countDown();
    fetcher.close();
    site.close();
  }

  private static void send(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private RunReport run() {
    return run(List.of(PAGE));
  }

  private RunReport run(List<String> pages) {
    return PixivScraper.builder().fetcher(fetcher).sink(InMemorySink.forRows()).build()
        .run(pages);
  }

  /**
   * A failure to have robots.txt was remembered for a minute whoever asked, so a run started
   * within it (a scheduler's retry, an embedder's next run) failed at once without a request.
   */
  @Test
  void aRunStartedRightAfterARobotsTxtFailureReadsItAgainAndProceeds() {
    RunReport failed = PixivScraper.builder().fetcher(fetcher).sink(InMemorySink.forRows())
        .build().run(List.of(PAGE, PAGE + "2", PAGE + "3"));
    assertThat(failed.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(robotsReads).as("once in the run, however many pages").hasValue(1);

    robots.set("User-agent: *\nAllow: /\n");
    RunReport next = run();

    assertThat(next.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(next.count(Outcome.NOT_FOUND)).isEqualTo(1);
    assertThat(robotsReads).hasValue(2);
  }

  @Test
  void rulesReadByOneRunServeTheNextRunWithoutAnotherRead() {
    robots.set("User-agent: *\nAllow: /\n");

    assertThat(run().stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(run().stopReason()).isEqualTo(StopReason.COMPLETED);

    assertThat(robotsReads).hasValue(1);
  }

  @Test
  void outsideARunARobotsTxtThatAnswered503IsTriedAgainAMinuteLater() throws Exception {
    URI page = URI.create(PAGE);
    assertThatThrownBy(() -> fetcher.get(page)).isInstanceOf(SiteUnreachableException.class);

    robots.set("User-agent: *\nAllow: /\n");
    assertThatThrownBy(() -> fetcher.get(page)).as("within the minute: the failure holds")
        .isInstanceOf(SiteUnreachableException.class);
    assertThat(robotsReads).hasValue(1);

    time.sleep(Duration.ofMinutes(1));

    assertThat(fetcher.get(page).status()).isEqualTo(404);
    assertThat(robotsReads).hasValue(2);
  }

  @Test
  void aChangedRobotsTxtIsSeenOnceItsDayIsOver() throws Exception {
    robots.set("User-agent: *\nAllow: /\n");
    URI page = URI.create(PAGE);
    assertThat(fetcher.get(page).status()).isEqualTo(404);

    robots.set("User-agent: *\nDisallow: /a/\n");
    time.sleep(Duration.ofDays(1).minusSeconds(1));
    assertThat(fetcher.get(page).status()).as("within the day: the rules read first")
        .isEqualTo(404);
    assertThat(robotsReads).hasValue(1);

    time.sleep(Duration.ofSeconds(1));

    assertThatThrownBy(() -> fetcher.get(page)).isInstanceOf(RobotsDisallowedException.class);
    assertThat(robotsReads).hasValue(2);
  }

  @Test
  void aCrawlDelayDroppedFromTheNewRobotsTxtNoLongerSpacesRequests() throws Exception {
    robots.set("User-agent: *\nCrawl-delay: 30\n");
    URI page = URI.create(PAGE);
    fetcher.get(page);
    fetcher.get(page);
    assertThat(time.longestSleep()).isGreaterThanOrEqualTo(Duration.ofSeconds(29));

    robots.set("User-agent: *\nAllow: /\n");
    time.sleep(Duration.ofDays(1));
    fetcher.get(page);
    long before = time.getAsLong();
    fetcher.get(page);

    assertThat(Duration.ofNanos(time.getAsLong() - before)).isLessThan(Duration.ofSeconds(1));
    assertThat(robotsReads).hasValue(2);
  }

  @Test
  void aRunAfterOneTheBreakerStoppedStartsWithTheBreakerClosed() {
    robots.set(404);
    pageStatus.set(503);
    List<String> pages = new ArrayList<>();
    for (int i = 0; i < SiteBreaker.SERVER_ERROR_ITEMS + 3; i++) {
      pages.add(PAGE + i);
    }
    RunReport down = run(pages);
    assertThat(down.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);

    pageStatus.set(404);
    RunReport next = run(List.of(PAGE));

    assertThat(next.stopReason()).as(next.toString()).isEqualTo(StopReason.COMPLETED);
    assertThat(next.count(Outcome.NOT_FOUND)).isEqualTo(1);
  }

  @Test
  void aRunStartingBesideAnotherKeepsTheOthersRobotsTxtFailure() throws Exception {
    URI page = URI.create(PAGE);
    fetcher.runStarting();
    assertThatThrownBy(() -> fetcher.get(page)).isInstanceOf(SiteUnreachableException.class);

    robots.set("User-agent: *\nAllow: /\n");
    anotherRunStarts();

    assertThatThrownBy(() -> fetcher.get(page)).as("the first run still stops on it")
        .isInstanceOf(SiteUnreachableException.class);
    assertThat(robotsReads).hasValue(1);
  }

  @Test
  void aRunStartingBesideAnotherKeepsTheOthersOpenBreaker() throws Exception {
    robots.set(404);
    pageStatus.set(503);
    fetcher.runStarting();
    for (int i = 1; i < SiteBreaker.SERVER_ERROR_ITEMS; i++) {
      assertThat(fetcher.get(URI.create(PAGE + i)).status()).isEqualTo(503);
    }
    assertThatThrownBy(() -> fetcher.get(URI.create(PAGE))).as("the breaker opens")
        .isInstanceOf(SiteUnreachableException.class);

    pageStatus.set(404);
    anotherRunStarts();

    assertThatThrownBy(() -> fetcher.get(URI.create(PAGE))).as("the first run still stops")
        .isInstanceOf(SiteUnreachableException.class);

    fetcher.runEnded();
    fetcher.runEnded();
    fetcher.runStarting(); // a run after both ended

    assertThat(fetcher.get(URI.create(PAGE)).status()).isEqualTo(404);
  }

  @Test
  void aRunAfterEveryOtherEndedReadsAFailedRobotsTxtAgain() throws Exception {
    URI page = URI.create(PAGE);
    fetcher.runStarting();
    anotherRunStarts();
    assertThatThrownBy(() -> fetcher.get(page)).isInstanceOf(SiteUnreachableException.class);
    fetcher.runEnded();
    fetcher.runEnded();
    fetcher.runEnded(); // one too many changes nothing

    robots.set("User-agent: *\nAllow: /\n");
    fetcher.runStarting();

    assertThat(fetcher.get(page).status()).isEqualTo(404);
    assertThat(robotsReads).hasValue(2);
  }

  /**
   * A wrapping fetcher written before runEnded existed passes on runStarting alone: the next run
   * in the same thread still reads a failed robots.txt again, instead of failing at once.
   */
  @Test
  void aWrapperThatPassesOnlyRunStartingOnStillGetsAFreshRobotsTxtReadOnTheNextRun() {
    Fetcher wrapper = new Fetcher() {
      @Override
      public FetchResponse get(URI siteUri) throws IOException, InterruptedException {
        return fetcher.get(siteUri);
      }

      @Override
      public void runStarting() {
        fetcher.runStarting();
      }

      @Override
      public FetchStats stats() {
        return fetcher.stats();
      }

      @Override
      public void close() {
        fetcher.close();
      }
    };
    PixivScraper through = PixivScraper.builder().fetcher(wrapper).sink(InMemorySink.forRows())
        .build();
    assertThat(through.run(List.of(PAGE)).stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);

    robots.set("User-agent: *\nAllow: /\n");
    RunReport next = through.run(List.of(PAGE));

    assertThat(next.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(next.count(Outcome.NOT_FOUND)).isEqualTo(1);
    assertThat(robotsReads).hasValue(2);
  }
}

package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.run.internal.ItemProcessor;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.testing.InMemorySink;
import dev.pixivdic.support.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A deferred call ({@link RetryLaterException}) belongs to the caller it was handed to: given up
 * ({@link RetryLaterException#abandon()}), and by every run that ends before it retries, it
 * leaves nothing in the fetcher, so that a next run through the same fetcher makes every
 * attempt of a page afresh. Against a loopback site that answers 503 for the page.
 */
@Timeout(60)
class DeferredRetriesAcrossRunsTest {

  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/busy");
  private static final int ATTEMPTS = 3;

  private final AtomicInteger pageHits = new AtomicInteger();
  private final FakeTime time = new FakeTime();
  private LoopbackSite site;
  private HttpFetcher fetcher;

  @BeforeEach
  void startLoopbackSite() throws IOException {
    site = LoopbackSite.start(ex -> {
      if (ex.getRequestURI().getRawPath().equals("/a/busy")) {
        pageHits.incrementAndGet();
        send(ex, 503);
      } else {
        send(ex, 404); // robots.txt too: no restrictions
      }
    });
    // Fake-timed: the rate limiter's waits only move the fake time; no backoff is waited out
    // in a call, the caller (the test, the engine's queue) is handed it.
    fetcher = time.fetcherOf(site).maxAttempts(ATTEMPTS).deferRetries(true).build();
  }

  @AfterEach
  void stop() {
    fetcher.close();
    site.close();
  }

  private static void send(HttpExchange ex, int status) throws IOException {
    byte[] body = "<html><body>busy</body></html>".getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static RetryLaterException retryLater(Fetcher f) {
    RetryLaterException[] thrown = new RetryLaterException[1];
    assertThatThrownBy(() -> f.get(PAGE)).isInstanceOfSatisfying(RetryLaterException.class,
        e -> thrown[0] = e);
    return thrown[0];
  }

  @Test
  void anAbandonedRetryLeavesNothingForTheNextGetOfItsUri() throws Exception {
    RetryLaterException first = retryLater(fetcher);
    first.abandon();
    first.abandon(); // idempotent

    assertThat(retryLater(fetcher).attempts()).as("a call afresh").isEqualTo(1);
    assertThat(retryLater(fetcher).attempts()).isEqualTo(2);
    FetchResponse last = fetcher.get(PAGE);

    assertThat(last.status()).isEqualTo(503);
    assertThat(last.attempts()).isEqualTo(ATTEMPTS);
    assertThat(pageHits).hasValue(1 + ATTEMPTS);
  }

  @Test
  void abandoningAnEarlierRetryOfACallThatWentOnKeepsWhereTheCallStands() throws Exception {
    RetryLaterException first = retryLater(fetcher);
    RetryLaterException second = retryLater(fetcher);
    assertThat(second.attempts()).isEqualTo(2);

    first.abandon(); // already continued: the deferral the second attempt left stays

    FetchResponse last = fetcher.get(PAGE);
    assertThat(last.attempts()).isEqualTo(ATTEMPTS);
    assertThat(pageHits).hasValue(ATTEMPTS);
  }

  @Test
  void aRetryLaterExceptionMadeElsewhereHasNothingToAbandon() {
    new RetryLaterException(PAGE, Duration.ofSeconds(2), 1, "status 503").abandon();
  }

  @Test
  void aRunStoppedWhileAPageWaitsForItsRetryLeavesTheNextRunEveryAttempt() throws Exception {
    // The stop comes as the page's first attempt is handed back: the page waits in the queue
    // for its retry when the run sees the stop (as on SIGTERM), and is cancelled.
    firstRunStoppedAsThePageIsHandedBack(false);

    assertNextRunMakesEveryAttempt();
  }

  @Test
  void aRetryHandedBackAfterTheRunStoppedIsGivenUpToo() throws Exception {
    // The page's worker hands its retry back only once the run has stopped and interrupts it
    // (blocked on a latch that is never released): the run never queues it.
    firstRunStoppedAsThePageIsHandedBack(true);

    assertNextRunMakesEveryAttempt();
  }

  /**
   * A first run that is stopped as the page's first attempt is handed back for a retry; with
   * {@code untilInterrupted}, the worker hands it back only once the stop has interrupted it.
   */
  private void firstRunStoppedAsThePageIsHandedBack(boolean untilInterrupted) {
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    engine.set(engine("run-1", k -> {
      try {
        return fetch(k, new CopyOnWriteArrayList<>());
      } catch (RetryLaterException e) {
        engine.get().stop();
        if (untilInterrupted) {
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
          }
        }
        throw e;
      }
    }));
    RunReport first = engine.get().run();
    assertThat(first.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(first.cancelled()).isEqualTo(1);
    assertThat(pageHits).hasValue(1);
  }

  /** A second run through the same fetcher: the page gets every attempt, from the first. */
  private void assertNextRunMakesEveryAttempt() {
    int before = pageHits.get();
    List<Object> answers = new CopyOnWriteArrayList<>();

    RunReport second = engine("run-2", k -> fetch(k, answers)).run();

    assertThat(second.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(second.failed()).isEqualTo(1);
    assertThat(pageHits.get() - before).as("requests of the page in the second run")
        .isEqualTo(ATTEMPTS);
    assertThat(answers).hasSize(ATTEMPTS);
    assertThat(answers.get(0)).as("the second run's first answer")
        .isInstanceOfSatisfying(RetryLaterException.class,
            e -> assertThat(e.attempts()).isEqualTo(1));
    assertThat(answers.get(ATTEMPTS - 1)).isInstanceOfSatisfying(FetchResponse.class,
        r -> assertThat(r.attempts()).isEqualTo(ATTEMPTS));
  }

  /** Fetches the page, noting what came back; a 503 after the retries fails the item. */
  private Processed<String> fetch(String key,
      List<Object> answers) throws IOException, InterruptedException {
    FetchResponse r;
    try {
      r = fetcher.get(URI.create(key));
    } catch (RetryLaterException e) {
      answers.add(e);
      throw e;
    }
    answers.add(r);
    throw new IOException(key + ": HTTP " + r.status() + " after " + r.attempts() + " attempts");
  }

  private static RunEngine<String, String> engine(String runId,
      ItemProcessor<String, String> processor) {
    // Time passes as the engine looks at it: a retry's delay is over within a few looks.
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z")) {
      @Override
      public Instant instant() {
        advance(Duration.ofMinutes(1));
        return super.instant();
      }
    };
    RunConfig config = RunConfig.builder().runId(runId).workers(1).driftMinPages(1)
        .clock(clock).build();
    return RunEngine.create(Source.of(List.of(PAGE.toString()), k -> k), k -> k, processor,
        InMemorySink.of(k -> k, k -> Instant.MAX), config);
  }
}

package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fetcher behaviour across threads and at the connection level, against loopback sites. */
@Timeout(60)
class HttpFetcherThreadsIT {

  private static final int CONCURRENCY = 2;

  private LoopbackSite site;
  private ExecutorService serverThreads;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final CountDownLatch firstTwoArrived = new CountDownLatch(CONCURRENCY);
  private final CountDownLatch overflow = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  /** Counted down when a request for {@code /a/hold} reaches the site. */
  private final CountDownLatch holdArrived = new CountDownLatch(1);
  private final FakeTime time = new FakeTime();
  private HttpFetcher fetcher;
  private LoopbackSite fewBytesSite;

  @BeforeEach
  void startServer() throws IOException {
    serverThreads = Executors.newFixedThreadPool(8);
    site = LoopbackSite.start(ex -> {
      switch (ex.getRequestURI().getPath()) {
        case "/robots.txt" -> respond(ex, 404, "", null);
        case "/a/count" -> countingHandler(ex);
        case "/a/busy" -> respond(ex, 503, "busy", "60");
        case "/a/hold" -> {
          holdArrived.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, 200, "held", null);
        }
        default -> respond(ex, 404, "", null);
      }
    }, serverThreads);
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (fetcher != null) {
      fetcher.close();
    }
    site.close();
    if (fewBytesSite != null) {
      fewBytesSite.close();
    }
    serverThreads.shutdownNow();
  }

  private HttpFetcher.Builder builder() {
    return HttpFetcher.builder()
        .origin(site.origin())
        .qps(1000)
        .concurrency(CONCURRENCY)
        .sleeper(time)
        .nanoTime(time)
        .clock(time.clock());
  }

  /**
   * Holds each request until a request beyond the bound shows up, or a short while: a broken
   * bound is then seen as more than CONCURRENCY requests in flight at once.
   */
  private void countingHandler(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    if (now > CONCURRENCY) {
      overflow.countDown();
    }
    firstTwoArrived.countDown();
    try {
      firstTwoArrived.await(5, TimeUnit.SECONDS);
      overflow.await(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
    respond(ex, 200, "counted", null);
  }

  private static void respond(HttpExchange ex, int status, String body, String retryAfter)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (retryAfter != null) {
      ex.getResponseHeaders().add("Retry-After", retryAfter);
    }
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void noMoreRequestsThanTheConcurrencyAreInFlightAtOnce() throws Exception {
    fetcher = builder().build();
    ExecutorService workers = Executors.newFixedThreadPool(6);
    try {
      List<Future<FetchResponse>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        URI uri = URI.create("https://dic.pixiv.net/a/count?" + i);
        results.add(workers.submit(() -> fetcher.get(uri)));
      }
      for (Future<FetchResponse> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      workers.shutdownNow();
    }
    assertThat(maxInFlight.get()).isEqualTo(CONCURRENCY);
    assertThat(fetcher.stats().responses(200)).isEqualTo(6);
  }

  @Test
  void anInterruptDuringARetryWaitThrowsInterruptedExceptionWithTheFlagCleared()
      throws Exception {
    CountDownLatch sleeping = new CountDownLatch(1);
    Sleeper blocking = d -> {
      sleeping.countDown();
      new CountDownLatch(1).await();
    };
    fetcher = builder().respectRobots(false).sleeper(blocking).build();

    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean(true);
    Thread worker = new Thread(() -> {
      try {
        fetcher.get(URI.create("https://dic.pixiv.net/a/busy"));
      } catch (Throwable t) {
        thrown.set(t);
        flagAfter.set(Thread.currentThread().isInterrupted());
      }
    });
    worker.start();
    assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
    worker.interrupt();
    worker.join(10_000);

    assertThat(worker.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(flagAfter.get()).isFalse();
  }

  @Test
  void anInterruptWhileWaitingForAFreeSlotThrowsInterruptedException() throws Exception {
    fetcher = builder().respectRobots(false).concurrency(1).build();
    ExecutorService holder = Executors.newSingleThreadExecutor();
    try {
      Future<FetchResponse> held =
          holder.submit(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/hold")));
      // Wait until the held request is really on the server, then queue a second one.
      assertThat(holdArrived.await(10, TimeUnit.SECONDS)).as("the held request is on the site")
          .isTrue();
      assertThat(fetcher.stats().requestsSent()).isEqualTo(1);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try {
          fetcher.get(URI.create("https://dic.pixiv.net/a/count"));
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      waiter.start();
      awaitWaiting(waiter, "the second caller waits for a free slot");
      waiter.interrupt();
      waiter.join(10_000);
      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);

      release.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(maxInFlight.get()).isZero();
    } finally {
      holder.shutdownNow();
    }
  }

  @Test
  void aTruncatedBodyIsRetriedThenFails() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    fetcher = fewBytesSite(false, requests).maxAttempts(3).build();
    URI page = URI.create("https://dic.pixiv.net/a/short");

    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> fetcher.get(page));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining(page.toString());
    assertThat(((FetchException) t).attempts()).isEqualTo(3);
    assertThat(fetcher.stats().retries()).isEqualTo(2);
    assertThat(requests.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aBodyThatStopsComingAfterTheHeadersTimesOutAndIsRetriedThenFails() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    fetcher = fewBytesSite(true, requests).maxAttempts(2)
        .requestTimeout(Duration.ofMillis(300)).build();
    URI page = URI.create("https://dic.pixiv.net/a/stalled");

    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> fetcher.get(page));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining(page.toString())
        .hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
    // The JDK's own timeout ends with the headers; the body's deadline is the fetcher's.
    assertThat(t.getCause()).hasMessageContaining("no complete response")
        .hasMessageContaining("within 300ms");
    assertThat(((FetchException) t).attempts()).isEqualTo(2);
    assertThat(requests.get()).isEqualTo(2);
  }

  /**
   * A fetcher (robots ignored, fake time) for a loopback site that promises 1000 bytes and sends
   * a few, then closes the connection, or with {@code hold} keeps it open until the test ends;
   * {@code requests} counts what reached it. The site is closed after the test.
   */
  private HttpFetcher.Builder fewBytesSite(boolean hold, AtomicInteger requests)
      throws IOException {
    fewBytesSite = LoopbackSite.start(ex -> {
      requests.incrementAndGet();
      ex.getResponseHeaders().set("Content-Type", "text/html");
      ex.sendResponseHeaders(200, 1000);
      OutputStream out = ex.getResponseBody();
      out.write("<html><body>cut sh".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (hold) {
        try {
          release.await(); // counted down after the test
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.close(); // 982 bytes short: the server closes the connection
    }, serverThreads);
    return HttpFetcher.builder()
        .origin(fewBytesSite.origin())
        .respectRobots(false)
        .sleeper(time).nanoTime(time).clock(time.clock());
  }

  /**
   * Waits, for at most 10 s, until {@code thread} is blocked waiting (the fetcher's slots are
   * private to it, and a thread entering a wait signals nobody): its state is looked at every
   * millisecond, parked in between rather than spinning. A bounded guard, not a timing assertion.
   */
  private static void awaitWaiting(Thread thread, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}

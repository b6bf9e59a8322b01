package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code Retry-After} holds every request from the moment its answer arrives: a request that
 * waits for the answer's slot in flight cannot take it and go before the pause is set.
 */
class RetryAfterSlotTest {
  private static final Duration ASKED = Duration.ofSeconds(2);

  private LoopbackSite site;

  @AfterEach
  void stop() {
    if (site != null) {
      site.close();
    }
  }

  @Test
  @Timeout(60)
  void aRequestWaitingForTheSlotGoesOnlyAfterTheWaitTheAnswerAskedFor() throws Exception {
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch answerFirst = new CountDownLatch(1);
    AtomicLong firstAnsweredAt = new AtomicLong();
    AtomicLong secondArrivedAt = new AtomicLong();
    site = LoopbackSite.start(ex -> {
      if (ex.getRequestURI().getPath().equals("/a/first")) {
        firstArrived.countDown();
        try {
          answerFirst.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.getResponseHeaders().set("Retry-After", Long.toString(ASKED.toSeconds()));
        firstAnsweredAt.set(System.nanoTime());
        send(ex, 503);
      } else {
        secondArrivedAt.set(System.nanoTime());
        send(ex, 404);
      }
    }, java.util.concurrent.Executors.newCachedThreadPool());
    URI origin = site.origin();
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(origin).qps(1000).concurrency(1)
        .respectRobots(false).maxAttempts(1).build()) {
      Thread first = new Thread(() -> get(fetcher, "https://dic.pixiv.net/a/first"));
      first.start();
      firstArrived.await();
      Thread second = new Thread(() -> get(fetcher, "https://dic.pixiv.net/a/second"));
      second.start();
      // The second request waits for the one slot in flight, which the first holds.
      while (second.getState() != Thread.State.WAITING) {
        Thread.onSpinWait();
      }
      answerFirst.countDown();
      first.join();
      second.join();
    }

    assertThat(secondArrivedAt.get() - firstAnsweredAt.get())
        .as("nanoseconds from the Retry-After answer to the next request")
        .isGreaterThanOrEqualTo(ASKED.toNanos());
  }

  private static void get(HttpFetcher fetcher, String url) {
    try {
      fetcher.get(URI.create(url));
    } catch (IOException e) {
      // the first page's 503: its attempts are spent
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(com.sun.net.httpserver.HttpExchange ex, int status) throws IOException {
    byte[] body = "<html><body>x</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}

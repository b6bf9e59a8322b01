package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an answer asks of every request (a {@code Retry-After} pause) is heard as soon as its
 * headers arrive: a large page on a slow link must not leave a window, while its body is still
 * coming, in which other requests go out.
 */
class SiteExchangeHeadersTest {
  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/first");

  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final InlineExecutor clientThreads = new InlineExecutor();
  private LoopbackSite site;
  private final CountDownLatch headersHeard = new CountDownLatch(1);
  private final AtomicBoolean heardBeforeTheBody = new AtomicBoolean();
  private final List<String> heard = new ArrayList<>();

  @AfterEach
  void stop() {
    if (site != null) {
      site.close();
    }
    serverThreads.shutdownNow();
    clientThreads.shutdown();
  }

  /** Answers 503 with {@code Retry-After: 30}, and holds the body until the client heard it. */
  private void answerWithABodyHeldBack(int bodyBytes) throws IOException {
    site = LoopbackSite.start(ex -> {
      ex.getResponseHeaders().set("Retry-After", "30");
      ex.sendResponseHeaders(503, 0); // chunked: the headers go out now, the body later
      try {
        heardBeforeTheBody.set(headersHeard.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      writeBody(ex, bodyBytes);
    }, serverThreads);
  }

  private static void writeBody(HttpExchange ex, int bytes) throws IOException {
    byte[] chunk = new byte[8192];
    Arrays.fill(chunk, (byte) 'x');
    try (OutputStream out = ex.getResponseBody()) {
      for (int left = bytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, Math.min(left, chunk.length));
      }
    } catch (IOException e) {
      // the client stopped reading a body over its cap
    }
  }

  private SiteExchange exchange(long maxBodyBytes) {
    URI origin = site.origin();
    HttpFetcher.Builder b = HttpFetcher.builder().origin(origin).maxBodyBytes(maxBodyBytes);
    SiteExchange exchange = new SiteExchange(b,
        SiteExchange.newClient(b, clientThreads), new SiteMapping(origin),
        new IntervalLimiter(Duration.ofMillis(1), System::nanoTime, Sleeper.system()),
        new StatsRecorder(), new SiteBreaker(10, Duration.ofMinutes(1), System::nanoTime, "x"));
    exchange.onHeaders(this::hear);
    return exchange;
  }

  private void hear(HttpResponse.ResponseInfo info) {
    synchronized (heard) {
      heard.add(info.statusCode() + " " + info.headers().firstValue("Retry-After").orElse(""));
    }
    headersHeard.countDown();
  }

  @Test
  @Timeout(60)
  void theHeadersAreHeardBeforeTheBodyIsSent() throws Exception {
    answerWithABodyHeldBack(200_000);

    SiteExchange.Result answer = exchange(1_000_000).follow(PAGE, 1,
        SiteExchange.RedirectCheck.NONE);

    assertThat(heardBeforeTheBody).as("heard while the server held the body back").isTrue();
    assertThat(heard).containsExactly("503 30");
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body()).hasSize(200_000);
  }

  @Test
  @Timeout(60)
  void theHeadersOfAnAnswerWhoseBodyIsOverTheCapAreHeardToo() throws Exception {
    answerWithABodyHeldBack(200_000);

    assertThatThrownBy(() -> exchange(50_000).follow(PAGE, 1, SiteExchange.RedirectCheck.NONE))
        .isInstanceOf(BodyTooLargeException.class);

    assertThat(heardBeforeTheBody).isTrue();
    assertThat(heard).containsExactly("503 30");
  }
}

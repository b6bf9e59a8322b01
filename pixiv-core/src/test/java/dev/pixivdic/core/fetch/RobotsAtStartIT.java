package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * robots.txt from an origin whose port is closed at the start, on fake time: the fetch gives up
 * after the backoffs of its attempts, as the retry policy says, not after the rate limit's
 * intervals, since no refused connection reached the site.
 */
@Timeout(60)
class RobotsAtStartIT {

  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3");

  private final FakeTime time = new FakeTime();

  /** One request every 5 s, the default rate; retries 10 ms doubling. */
  private HttpFetcher.Builder builder(URI origin) {
    return HttpFetcher.builder().origin(origin).qps(0.2).maxAttempts(5)
        .backoff(Duration.ofMillis(10), Duration.ofMinutes(5))
        .sleeper(time).nanoTime(time).clock(time.clock());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aClosedPortAtTheStartGivesUpAfterTheBackoffsNotAfterFiveRateIntervals() throws Exception {
    URI origin = URI.create("http://127.0.0.1:" + closedPort());
    try (HttpFetcher fetcher = builder(origin).build()) {

      assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(SiteUnreachableException.class)
          .hasMessageContaining("robots.txt of " + origin)
          .hasMessageContaining("ConnectException");

      assertThat(fetcher.stats().requestsSent()).isEqualTo(5);
      // 10 + 20 + 40 + 80 ms, each at most 25% longer (jitter): the policy's own waits.
      assertThat(Duration.ofNanos(time.getAsLong())).isLessThan(Duration.ofMillis(200));
    }
  }

  @Test
  void onceTheSiteHasAnsweredARefusedConnectionStillWaitsForItsRateSlot() throws Exception {
    LoopbackSite site = LoopbackSite.start(exchange -> {
      byte[] body = "<p>ok</p>".getBytes(StandardCharsets.UTF_8);
      int status = exchange.getRequestURI().getPath().equals("/robots.txt") ? 404 : 200;
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    try (HttpFetcher fetcher = builder(site.origin()).build()) {
      assertThat(fetcher.get(PAGE).status()).isEqualTo(200);
      site.close();
      long before = time.getAsLong();

      assertThatThrownBy(() -> fetcher.get(PAGE)).isInstanceOf(FetchException.class);

      // Five attempts, each in its own 5 s slot: a restart mid-run is ridden out as before.
      assertThat(Duration.ofNanos(time.getAsLong() - before))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(20));
    } finally {
      site.close();
    }
  }
}

package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's client wraps an {@link OutOfMemoryError} of its own threads in an
 * {@link IOException} ("Java heap space"): that is no network error, so it is neither retried
 * nor counted against the site, which would end the run as unreachable ("retry later").
 */
class SiteExchangeOutOfMemoryTest {
  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/first");

  private final InlineExecutor clientThreads = new InlineExecutor();
  private LoopbackSite site;

  @BeforeEach
  void start() throws IOException {
    site = LoopbackSite.start(ex -> {
      byte[] body = "<html>ok</html>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
  }

  @AfterEach
  void stop() {
    site.close();
    clientThreads.shutdown();
  }

  @Test
  @Timeout(60)
  void anOutOfMemoryErrorWrappedByTheClientIsThrownAsItselfAndNotCountedAgainstTheSite()
      throws Exception {
    URI origin = site.origin();
    HttpFetcher.Builder b = HttpFetcher.builder().origin(origin);
    // One request without an answer is enough to call the site gone.
    SiteExchange exchange = new SiteExchange(b,
        SiteExchange.newClient(b, clientThreads), new SiteMapping(origin),
        new IntervalLimiter(Duration.ofMillis(1), System::nanoTime, Sleeper.system()),
        new StatsRecorder(), new SiteBreaker(1, Duration.ZERO, System::nanoTime, "x"));
    exchange.onHeaders(info -> {
      throw new OutOfMemoryError("Java heap space");
    });

    assertThatThrownBy(() -> exchange.follow(PAGE, 1, SiteExchange.RedirectCheck.NONE))
        .isInstanceOf(OutOfMemoryError.class).hasMessage("Java heap space");

    exchange.onHeaders(info -> { });
    assertThat(exchange.follow(PAGE, 2, SiteExchange.RedirectCheck.NONE).status())
        .isEqualTo(200);
  }
}

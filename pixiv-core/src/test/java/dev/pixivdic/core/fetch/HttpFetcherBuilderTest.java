package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpFetcherBuilderTest {

  @Test
  void nonsenseOptionsFailFastNamingTheValue() {
    HttpFetcher.Builder b = HttpFetcher.builder();
    assertThatThrownBy(() -> b.qps(-1)).hasMessage("qps must be > 0 and finite, was -1.0");
    assertThatThrownBy(() -> b.qps(Double.NaN)).hasMessageContaining("qps");
    assertThatThrownBy(() -> b.concurrency(0)).hasMessage("concurrency must be >= 1, was 0");
    assertThatThrownBy(() -> b.maxAttempts(0)).hasMessage("maxAttempts must be >= 1, was 0");
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout must be > 0, was 0s");
    assertThatThrownBy(() -> b.backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessageContaining("backoff max must be >= base");
    assertThatThrownBy(() -> b.maxBodyBytes(0)).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> b.userAgent("a\nb")).hasMessageContaining("userAgent");
    assertThatThrownBy(() -> b.origin(URI.create("mailto:x@y"))).hasMessageContaining("origin");
  }

  @Test
  void aUserAgentThatNoRequestCouldCarryIsRefusedWithItsControlCharactersEscaped() {
    HttpFetcher.Builder b = HttpFetcher.builder();
    // Java's HTTP client refuses these header values on every request; refused here, they
    // are one clear error instead of every item failing.
    assertThatThrownBy(() -> b.userAgent("ユーザー")).hasMessageContaining("userAgent")
        .hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> b.userAgent("a\u0001b")).hasMessageContaining("userAgent");
    assertThatThrownBy(() -> b.userAgent("x\r\nX-Forged: 1"))
        .hasMessageContaining("x\\r\\nX-Forged: 1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
    assertThat(b.userAgent("  pixiv-dic/1.0 (+https://example.org; tab\tok)  ")).isNotNull();
  }

  @Test
  void theDefaultUserAgentNamesTheToolAndAContactUrl() {
    String ua = HttpFetcher.defaultUserAgent();
    assertThat(ua).startsWith("pixiv-dic/").contains("+https://").contains("Mozilla/5.0");
    assertThat(RobotsGate.productToken(ua)).isEqualTo("pixiv-dic");
  }

  @Test
  void aUrlOffTheSiteIsRejectedBeforeAnyRequest() throws Exception {
    try (HttpFetcher f = HttpFetcher.builder().build()) {
      assertThatThrownBy(() -> f.get(URI.create("https://example.com/a/x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("https://example.com/a/x");
      assertThat(f.stats().requestsSent()).isZero();
    }
  }

  @Test
  void aClosedFetcherRefusesFurtherCalls() {
    HttpFetcher f = HttpFetcher.builder().build();
    f.close();
    assertThatThrownBy(() -> f.get(URI.create("https://dic.pixiv.net/a/x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}

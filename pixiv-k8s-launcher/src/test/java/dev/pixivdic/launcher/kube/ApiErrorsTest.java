package dev.pixivdic.launcher.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** How failures to reach the API server are told, and what never reaches a message. */
class ApiErrorsTest {
  private static final String SERVER = "https://10.0.0.1:443";

  private static ApiConnectionException failure(IOException cause) {
    return ApiConnectionException.of("POST", SERVER + "/apis/batch/v1/namespaces/b/jobs", SERVER,
        Duration.ofSeconds(10), cause);
  }

  @Test
  void aNameThatDoesNotResolveIsCalledADnsFailureAndIsWorthRetrying() {
    ConnectException e = new ConnectException();
    e.initCause(new UnresolvedAddressException());

    ApiConnectionException f = failure(e);

    assertThat(f).hasMessageEndingWith("no answer from the API server " + SERVER
        + ": the host name does not resolve (DNS)");
    assertThat(f.isTransient()).isTrue();
    assertThat(f.mayHaveArrived()).isFalse();
  }

  @Test
  void aRequestWithoutAnswerInTimeMayHaveArrived() {
    ApiConnectionException f = failure(new HttpTimeoutException("request timed out"));

    assertThat(f).hasMessageEndingWith(": no answer within 10s");
    assertThat(f.isTransient()).isTrue();
    assertThat(f.mayHaveArrived()).isTrue();
  }

  @Test
  void aConnectTimeoutNeverArrived() {
    ApiConnectionException f = failure(new HttpConnectTimeoutException("HTTP connect timed out"));

    assertThat(f).hasMessageEndingWith(": connecting timed out after 10s");
    assertThat(f.mayHaveArrived()).isFalse();
  }

  @Test
  void aTlsFailureIsNotRetriedAndSaysWhy() {
    ApiConnectionException f = failure(new SSLHandshakeException("PKIX path building failed"));

    assertThat(f).hasMessageEndingWith(": TLS failed: PKIX path building failed");
    assertThat(f.isTransient()).isFalse();
    assertThat(KubeApi.isTransient(f)).isFalse();
  }

  @Test
  void aHandshakeTheServerEndedIsRetriedAndOneItRefusedIsNot() {
    SSLHandshakeException cut = new SSLHandshakeException("Remote host terminated the handshake");
    cut.initCause(new java.io.EOFException());
    assertThat(failure(cut).isTransient()).isTrue();
    assertThat(failure(cut).mayHaveArrived()).isFalse();

    assertThat(failure(new SSLHandshakeException("Received fatal alert: bad_certificate"))
        .isTransient()).isFalse();
    SSLHandshakeException name = new SSLHandshakeException("No name matching x found");
    name.initCause(new java.security.cert.CertificateException("No name matching x found"));
    assertThat(failure(name).isTransient()).isFalse();
  }

  /** An answer of {@code status} to a request of {@link #SERVER}, without headers. */
  private static HttpResponse<String> answer(int status) {
    return new HttpResponse<>() {
      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public HttpRequest request() {
        return HttpRequest.newBuilder(uri()).build();
      }

      @Override
      public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
      }

      @Override
      public HttpHeaders headers() {
        return HttpHeaders.of(Map.of(), (k, v) -> true);
      }

      @Override
      public String body() {
        return "";
      }

      @Override
      public Optional<SSLSession> sslSession() {
        return Optional.empty();
      }

      @Override
      public URI uri() {
        return URI.create(SERVER + "/apis/batch/v1/namespaces/b/jobs");
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }

  /**
   * A body that is no {@code Status} is said by its start: cut before it was scrubbed, a token
   * across the cut left its first characters, a run too short to be known as the token's.
   */
  @Test
  void aTokenAcrossTheCutOfARawBodyLeavesNoneOfItsCharacters() {
    String token = "sekret-token-0123456789abcdefghij";
    ApiErrors errors = new ApiErrors(null, Clock.systemUTC());
    errors.sent(token);
    String body = "<html>" + "x".repeat(490) + token + "</html>";

    ApiException e = errors.of("POST", SERVER + "/apis/batch/v1/namespaces/b/jobs", answer(502),
        body);

    assertThat(e.getMessage()).doesNotContain(token.substring(0, 4)).contains("***");
  }

  private static final String TOKEN = "sekret/token+0123456789abcdefghij";

  /** The answer's {@code message} as the launcher reads it, once masked. */
  private static String readMasked(String answer) throws IOException {
    ApiErrors errors = new ApiErrors(null, Clock.systemUTC());
    errors.sent(TOKEN);
    return KubeJson.read(errors.masked(answer)).path("message").asText();
  }

  /** The token's characters written as JSON {@code \\u} escapes, every other one. */
  private static String jsonEscaped(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(i % 2 == 0 ? String.format("\\u%04X", (int) c)
          : c == '/' ? "\\/" : String.valueOf(c));
    }
    return out.toString();
  }

  @Test
  void aTokenInAnAnswerIsMaskedWhetherItsCharactersAreJsonEscapesOrNot() throws IOException {
    String said = readMasked("{\"message\":\"pull failed; token " + jsonEscaped(TOKEN)
        + " then \\u0073ekret\\/token+0123456789abcdefghij.\"}");

    assertThat(said).isEqualTo("pull failed; token *** then ***.");
  }

  @Test
  void aTokenInAnAnswerIsMaskedInBase64AloneOrInsideALongerEncodedText() throws IOException {
    Base64.Encoder std = Base64.getEncoder();
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    for (String prefix : List.of("", "u:", "user:", "bearer ")) {
      byte[] secret = (prefix + TOKEN).getBytes(StandardCharsets.UTF_8);
      for (String encoded : List.of(std.encodeToString(secret), url.encodeToString(secret))) {
        String said = readMasked("{\"message\":\"header " + encoded + " refused\"}");

        assertThat(said).as(encoded).startsWith("header ").contains("***").endsWith(" refused")
            .doesNotContain(encoded.substring(encoded.length() / 2, encoded.length() / 2 + 8));
      }
    }
  }

  @Test
  void everyAnswerLosesRunsOfTheTokenInAnyCaseAndEncodingNotOnlyErrorTexts() throws IOException {
    String cut = TOKEN.substring(0, ApiErrors.MIN_RUN).toUpperCase(java.util.Locale.ROOT);

    assertThat(readMasked("{\"message\":\"a pod's event: " + cut + " (cut)\"}"))
        .isEqualTo("a pod's event: *** (cut)");
    assertThat(readMasked("{\"message\":\"quoted: sekret%2Ftoken%2B0123456789abcdefghij\"}"))
        .isEqualTo("quoted: ***");
    assertThat(readMasked("{\"message\":\"no secret: \\u0041 %41 \\/ \\\\u0073ekret\"}"))
        .as("other escapes are kept as they are").isEqualTo("no secret: A %41 / \\u0073ekret");
  }

  @Test
  void aFailureWithoutAnyMessageStillSaysSomething() {
    assertThat(failure(new IOException()))
        .hasMessageEndingWith(": IOException")
        .hasMessageNotContaining("null");
  }

  @Test
  void userInfoQueryStringsAndFragmentsAreMaskedInUrlsAndInText() {
    assertThat(Redact.url("https://user:pw@host:6443/p?token=x#f"))
        .isEqualTo("https://***@host:6443/p?***");
    assertThat(Redact.url("https://u:p/w@h")).isEqualTo("https://***@h");
    assertThat(Redact.urlsIn("bad origin 'http://a:SECRET@x/?k=SECRET2' and https://ok/path"))
        .isEqualTo("bad origin 'http://***@x/?***' and https://ok/path");
  }

  @Test
  void retryAfterIsReadAsSecondsOrADateCappedAndNonsenseIgnored() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String inTenSeconds = now.plusSeconds(10).atZone(ZoneOffset.UTC)
        .format(DateTimeFormatter.RFC_1123_DATE_TIME);

    assertThat(ApiErrors.retryAfter(Optional.of("7"), Optional.empty(), now))
        .contains(Duration.ofSeconds(7));
    assertThat(ApiErrors.retryAfter(Optional.of("99999999"), Optional.empty(), now))
        .contains(KubeApi.MAX_RETRY_AFTER);
    assertThat(ApiErrors.retryAfter(Optional.of("-5"), Optional.empty(), now))
        .as("no delay of the site's form: the launcher's own backoff").isEmpty();
    assertThat(ApiErrors.retryAfter(Optional.of("Thu Jan  1 00:00:20 2026"), Optional.empty(),
        now)).as("asctime, one of the three forms of an HTTP-date, as the fetcher reads")
        .contains(Duration.ofSeconds(20));
    assertThat(ApiErrors.retryAfter(Optional.of("soon"), Optional.empty(), now)).isEmpty();
    assertThat(ApiErrors.retryAfter(Optional.empty(), Optional.empty(), now)).isEmpty();
    assertThat(ApiErrors.retryAfter(Optional.of(inTenSeconds), Optional.empty(), now).orElseThrow())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRetryAfterDateIsCountedFromTheAnswersDateNotFromThisHostsClock() {
    Instant host = Instant.parse("2026-01-01T00:00:00Z");
    Instant server = host.plus(Duration.ofHours(1)); // the API server's clock runs an hour ahead
    String date = server.atZone(ZoneOffset.UTC).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    String inTenSeconds = server.plusSeconds(10).atZone(ZoneOffset.UTC)
        .format(DateTimeFormatter.RFC_1123_DATE_TIME);

    assertThat(ApiErrors.retryAfter(Optional.of(inTenSeconds), Optional.of(date), host))
        .contains(Duration.ofSeconds(10));
    assertThat(ApiErrors.retryAfter(Optional.of(inTenSeconds), Optional.of("yesterday"), host))
        .as("an unreadable Date: this host's clock").contains(KubeApi.MAX_RETRY_AFTER);
  }
}

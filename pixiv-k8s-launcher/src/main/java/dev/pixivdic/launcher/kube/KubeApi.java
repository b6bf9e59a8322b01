package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small Kubernetes REST client over {@code java.net.http}: JSON requests and streaming GETs
 * (watches, logs). A 401 invalidates the cached token and the request is sent once more; transient
 * failures of GET and DELETE (connection errors, timeouts, 429, 5xx) are retried a few times,
 * after the server's {@code Retry-After} when it gives one.
 *
 * <p>Failures are typed: {@link ApiException} for an error status, {@link ApiConnectionException}
 * when no answer came (its message names the server and the cause). Messages never carry the
 * bearer token, even when a server echoes it back. Thread-safe.
 */
public final class KubeApi {
  /** The longest {@code Retry-After} honoured; a server asking for more is asked again sooner. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIN_SCRUBBED = 8;
  private final Cluster cluster;
  private final HttpClient http;
  private final Duration timeout;
  private final RetryPolicy<Object> retry;
  /** Reads {@code Retry-After} dates. */
  private final Clock clock = Clock.systemUTC();
  /** Tokens sent so far, scrubbed from what servers answer. */
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();

  /**
   * @param timeout time limit of one request (streams: of their opening) and of connecting
   * @param retryDelay first delay between retries of transient failures (doubles, at most 10x)
   */
  public KubeApi(Cluster cluster, Duration timeout, Duration retryDelay) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.timeout = requireNonNull(timeout, "timeout");
    HttpClient.Builder client = HttpClient.newBuilder();
    if (cluster.proxy().isUsed()) {
      client.proxy(cluster.proxy().selector());
    }
    this.http = client
        .sslContext(cluster.ssl())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        // Daemon threads: a stuck stream must never keep the JVM alive.
        .executor(Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "kube-http");
          t.setDaemon(true);
          return t;
        }))
        .build();
    Duration first = retryDelay.isZero() ? Duration.ofNanos(1) : retryDelay;
    this.retry = RetryPolicy.builder()
        .handleIf(KubeApi::isTransient)
        .withMaxRetries(3)
        .withBackoff(first, retryDelay.isZero() ? Duration.ofNanos(2) : retryDelay.multipliedBy(10))
        // A negative delay tells Failsafe to use the backoff.
        .withDelayFnOn(ctx -> ((ApiException) ctx.getLastException()).retryAfter()
            .orElse(Duration.ofMillis(-1)), ApiException.class)
        .build();
  }

  public Cluster cluster() {
    return cluster;
  }

  /** The server's base URL as it may be shown. */
  public String server() {
    return cluster.server().toString();
  }

  /** The time limit of one request. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Whether a failure may go away by trying again: no answer (except TLS failures), 429, 5xx.
   * An interruption is not transient.
   */
  public static boolean isTransient(Throwable t) {
    if (t instanceof ApiException e) {
      return e.isTransient();
    }
    if (t instanceof ApiConnectionException e) {
      return e.isTransient();
    }
    return t instanceof IOException && !(t instanceof java.io.InterruptedIOException);
  }

  public JsonNode get(String path) throws IOException {
    return retried(() -> json("GET", path, null, timeout));
  }

  public JsonNode delete(String path) throws IOException {
    return retried(() -> json("DELETE", path, null, timeout));
  }

  /** POST is not retried: a repeated create answers 409, which the caller must see. */
  public JsonNode post(String path, JsonNode body) throws IOException {
    return json("POST", path, body, timeout);
  }

  /**
   * Sends one request once, with its own time limit: for callers that retry themselves and must
   * stay within a deadline.
   *
   * @param body the JSON body, or null for none
   */
  public JsonNode once(String method, String path, JsonNode body, Duration limit)
      throws IOException {
    return json(method, path, body, limit);
  }

  /**
   * Opens a streaming GET (a watch or a followed log). The caller closes the stream; closing it
   * from another thread aborts a blocked read.
   *
   * @throws ApiException when the server answers with an error status
   */
  public InputStream stream(String path) throws IOException {
    HttpResponse<InputStream> response =
        send("GET", path, null, HttpResponse.BodyHandlers.ofInputStream(), timeout);
    if (response.statusCode() / 100 != 2) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      }
      throw error("GET", path, response, body);
    }
    return response.body();
  }

  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T retried(Call<T> call) throws IOException {
    try {
      return Failsafe.with(retry).get(call::run);
    } catch (dev.failsafe.FailsafeException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  private JsonNode json(String method, String path, JsonNode body, Duration limit)
      throws IOException {
    HttpResponse<String> response =
        send(method, path, body, HttpResponse.BodyHandlers.ofString(), limit);
    if (response.statusCode() / 100 != 2) {
      throw error(method, path, response, response.body());
    }
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      // The request was served but its answer is unusable: as good as lost.
      throw ApiConnectionException.garbled(method, url(path), server(), response.statusCode(), e);
    }
  }

  private <T> HttpResponse<T> send(String method, String path, JsonNode body,
      HttpResponse.BodyHandler<T> handler, Duration limit) throws IOException {
    HttpResponse<T> response = sendOnce(method, path, body, handler, limit);
    if (response.statusCode() == 401) {
      // Rotated service-account token or expired exec token: fetch a fresh one and try again once.
      if (response.body() instanceof InputStream in) {
        in.close();
      }
      cluster.credentials().invalidate();
      response = sendOnce(method, path, body, handler, limit);
    }
    return response;
  }

  private <T> HttpResponse<T> sendOnce(String method, String path, JsonNode body,
      HttpResponse.BodyHandler<T> handler, Duration limit) throws IOException {
    URI uri = URI.create(server() + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
    if (!path.contains("watch=true") && !path.contains("follow=true")) {
      request.timeout(limit);
    }
    Optional<String> token = cluster.credentials().bearerToken();
    token.ifPresent(t -> {
      tokens.add(t);
      request.header("Authorization", "Bearer " + t);
    });
    // Its own credentials to the proxy, on the CONNECT of a tunnel (see ProxySettings).
    cluster.proxy().authorization(uri).ifPresent(a -> request.header("Proxy-Authorization", a));
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(request.build(), handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(method + " " + uri + " interrupted");
    } catch (IOException e) {
      throw ApiConnectionException.of(method, uri.toString(), server(), limit, e);
    }
  }

  private String url(String path) {
    return server() + path;
  }

  private ApiException error(String method, String path, HttpResponse<?> response,
      String answer) {
    // A proxy's 407 to CONNECT comes without a body.
    String body = answer == null ? "" : answer;
    String reason = "";
    String message = body.length() > 500 ? body.substring(0, 500) : body;
    try {
      JsonNode s = JSON.readTree(body);
      if (s != null && "Status".equals(s.path("kind").asText())) {
        reason = s.path("reason").asText("");
        message = s.path("message").asText("");
      }
    } catch (IOException e) {
      // Not a Status object (a proxy's HTML page, say): keep the raw text as the message.
    }
    if (response.statusCode() == 407) {
      reason = "ProxyAuthenticationRequired";
      message = "the proxy " + cluster.proxy().proxyFor(response.uri()).map(Object::toString)
          .orElse("on the way") + " refused the connection to the API server: give its user and"
          + " password in the proxy URL (http://user:password@host:port)";
    }
    return new ApiException(response.statusCode(), method, url(path), scrub(reason), scrub(message),
        retryAfter(response.headers().firstValue("Retry-After"), clock.instant()));
  }

  /**
   * The server's text made safe to print: without any token we sent (a hostile or buggy server may
   * echo it) and with control characters escaped, so it cannot forge log lines or drive a
   * terminal. Tokens shorter than {@link #MIN_SCRUBBED} characters (test fixtures; no real token
   * is that short) are left, as masking them would garble every message.
   */
  private String scrub(String text) {
    String out = escapeControls(text);
    for (String t : tokens) {
      if (t.length() >= MIN_SCRUBBED) {
        out = out.replace(t, Redact.MASK);
      }
    }
    return out;
  }

  /** {@code text} with control characters written as Java escapes: a newline as backslash-n. */
  static String escapeControls(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  /**
   * {@code Retry-After} as seconds or as an HTTP date (counted from {@code now}), capped; nonsense
   * is ignored.
   */
  static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().strip();
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      try {
        d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
  }
}

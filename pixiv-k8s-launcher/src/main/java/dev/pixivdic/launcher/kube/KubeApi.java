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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * A small Kubernetes REST client over {@code java.net.http}: JSON requests and streaming GETs
 * (watches, logs). A 401 invalidates the cached token and the request is sent once more; transient
 * failures of idempotent requests (connection errors, 429, 5xx) are retried a few times.
 * Thread-safe.
 */
public final class KubeApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Cluster cluster;
  private final HttpClient http;
  private final Duration timeout;
  private final RetryPolicy<Object> retry;

  /**
   * @param retryDelay first delay between retries of transient failures (doubles, at most 10x)
   */
  public KubeApi(Cluster cluster, Duration timeout, Duration retryDelay) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.timeout = requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder()
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
    RetryPolicy<Object> policy = RetryPolicy.builder()
        .handleIf(KubeApi::transientFailure)
        .withMaxRetries(3)
        .withBackoff(retryDelay.isZero() ? Duration.ofNanos(1) : retryDelay,
            retryDelay.isZero() ? Duration.ofNanos(2) : retryDelay.multipliedBy(10))
        .build();
    this.retry = policy;
  }

  public Cluster cluster() {
    return cluster;
  }

  private static boolean transientFailure(Throwable t) {
    if (t instanceof ApiException e) {
      return e.status() == 429 || e.status() >= 500;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        return false; // a certificate problem does not go away by retrying
      }
    }
    return t instanceof IOException && !(t instanceof java.io.InterruptedIOException);
  }

  public JsonNode get(String path) throws IOException {
    return retried(() -> json("GET", path, null));
  }

  public JsonNode delete(String path) throws IOException {
    return retried(() -> json("DELETE", path, null));
  }

  /** POST is not retried: a repeated create answers 409, which the caller must see. */
  public JsonNode post(String path, JsonNode body) throws IOException {
    return json("POST", path, body);
  }

  /**
   * Opens a streaming GET (a watch or a followed log). The caller closes the stream; closing it
   * from another thread aborts a blocked read.
   *
   * @throws ApiException when the server answers with an error status
   */
  public InputStream stream(String path) throws IOException {
    HttpResponse<InputStream> response = send("GET", path, null, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 != 2) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      }
      throw error("GET", path, response.statusCode(), body);
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

  private JsonNode json(String method, String path, JsonNode body) throws IOException {
    HttpResponse<String> response = send(method, path, body, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw error(method, path, response.statusCode(), response.body());
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private <T> HttpResponse<T> send(String method, String path, JsonNode body, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    HttpResponse<T> response = sendOnce(method, path, body, handler);
    if (response.statusCode() == 401) {
      // Rotated service-account token or expired exec token: fetch a fresh one and try again once.
      if (response.body() instanceof InputStream in) {
        in.close();
      }
      cluster.credentials().invalidate();
      response = sendOnce(method, path, body, handler);
    }
    return response;
  }

  private <T> HttpResponse<T> sendOnce(String method, String path, JsonNode body,
      HttpResponse.BodyHandler<T> handler) throws IOException {
    URI uri = cluster.server().resolve(path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
    if (!path.contains("watch=true") && !path.contains("follow=true")) {
      request.timeout(timeout);
    }
    Optional<String> token = cluster.credentials().bearerToken();
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
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
      throw new IOException(method + " " + uri + " failed: " + e.getMessage(), e);
    }
  }

  private ApiException error(String method, String path, int status, String body) {
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
    return new ApiException(status, method, cluster.server().resolve(path).toString(), reason, message);
  }
}

package dev.pixivdic.launcher.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.RetryAfter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns the API server's error answers into {@link ApiException}s whose texts are safe to print:
 * no token the client sent, no control characters. Thread-safe.
 */
final class ApiErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIN_SCRUBBED = 8;
  private final Cluster cluster;
  /** Reads {@code Retry-After} dates. */
  private final Clock clock;
  /** Tokens sent so far, scrubbed from what servers answer. */
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  /** Per token, the forms a server may echo it in ({@link #echoes}). */
  private final Map<String, Pattern> echoes = new ConcurrentHashMap<>();

  ApiErrors(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** Remembers a token sent, to keep it out of every later message. */
  void sent(String token) {
    tokens.add(token);
  }

  /**
   * The error an answer with an error status stands for: the reason and message of a Kubernetes
   * {@code Status} body, else the body's start; a proxy's 407 says how to give credentials.
   */
  ApiException of(String method, String url, HttpResponse<?> response, String answer) {
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
    return new ApiException(response.statusCode(), method, url, scrub(reason), scrub(message),
        retryAfter(response.headers().firstValue("Retry-After"),
            response.headers().firstValue("Date"), clock.instant()));
  }

  /**
   * The server's text made safe to print: without any token we sent (a hostile or buggy server may
   * echo it) and with control characters escaped, so it cannot forge log lines or drive a
   * terminal. Tokens shorter than {@link #MIN_SCRUBBED} characters (test fixtures; no real token
   * is that short) are left, as masking them would garble every message.
   */
  String scrub(String text) {
    String out = masked(LogText.escaped(text));
    for (String t : tokens) {
      if (t.length() >= MIN_SCRUBBED) {
        out = out.replace(t, Redact.MASK);
      }
    }
    return out;
  }

  /**
   * {@code text} (an answer's JSON, before it is read) without any token sent, in any case and
   * with any of its characters percent-encoded, as a proxy that quotes the request writes it.
   */
  String masked(String text) {
    String out = text;
    for (String t : tokens) {
      if (t.length() >= MIN_SCRUBBED) {
        out = echoes.computeIfAbsent(t, ApiErrors::echoes).matcher(out)
            .replaceAll(Redact.MASK);
      }
    }
    return out;
  }

  /** The token, each character as itself or percent-encoded (UTF-8), in any case. */
  static Pattern echoes(String token) {
    StringBuilder re = new StringBuilder();
    token.codePoints().forEach(c -> {
      String ch = Character.toString(c);
      re.append("(?:").append(Pattern.quote(ch)).append('|');
      for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
        re.append('%').append(String.format("%02X", b & 0xff));
      }
      re.append(')');
    });
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /**
   * {@code Retry-After} as seconds or as an HTTP date ({@link RetryAfter}, as the fetcher reads
   * it), capped; nonsense is ignored. A date is counted from the answer's own {@code Date} (both
   * are the server's clock, so a host whose clock is off waits what the server meant), or from
   * {@code now} without a readable one.
   */
  static Optional<Duration> retryAfter(Optional<String> header, Optional<String> date,
      Instant now) {
    return header.flatMap(h -> RetryAfter.parse(h, date.orElse(null), now))
        .map(d -> d.compareTo(KubeApi.MAX_RETRY_AFTER) > 0 ? KubeApi.MAX_RETRY_AFTER : d);
  }
}

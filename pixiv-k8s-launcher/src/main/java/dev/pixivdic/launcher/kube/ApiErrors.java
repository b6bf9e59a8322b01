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
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
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
  /**
   * The shortest run of a token's characters that is masked where it stands alone: a server that
   * echoes the token cut short (a character less, its first half) shows part of a secret.
   */
  static final int MIN_RUN = 16;
  private final Cluster cluster;
  /** Reads {@code Retry-After} dates. */
  private final Clock clock;
  /**
   * Tokens sent so far, scrubbed from what servers answer, each with its runs of
   * {@link #MIN_RUN} characters (the whole token when shorter).
   */
  private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();
  /** Per token, the forms a server may echo it in ({@link #echoes}). */
  private final Map<String, Pattern> echoes = new ConcurrentHashMap<>();

  ApiErrors(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** Remembers a token sent, to keep it out of every later message. */
  void sent(String token) {
    if (token.length() >= MIN_SCRUBBED) {
      tokens.computeIfAbsent(token, ApiErrors::runs);
    }
  }

  private static Set<String> runs(String token) {
    int n = Math.min(MIN_RUN, token.length());
    Set<String> runs = new HashSet<>();
    for (int i = 0; i + n <= token.length(); i++) {
      runs.add(token.substring(i, i + n));
    }
    return Set.copyOf(runs);
  }

  /**
   * The error an answer with an error status stands for: the reason and message of a Kubernetes
   * {@code Status} body, else the body's start; a proxy's 407 says how to give credentials.
   */
  ApiException of(String method, String url, HttpResponse<?> response, String answer) {
    // A proxy's 407 to CONNECT comes without a body.
    String body = answer == null ? "" : answer;
    String reason = "";
    // Cut to its start only once scrubbed: a token across the cut would leave a run too short
    // to be known as one.
    String message = body;
    boolean raw = true;
    try {
      JsonNode s = JSON.readTree(body);
      if (s != null && "Status".equals(s.path("kind").asText())) {
        reason = s.path("reason").asText("");
        message = s.path("message").asText("");
        raw = false;
      }
    } catch (IOException e) {
      // Not a Status object (a proxy's HTML page, say): keep the raw text as the message.
    }
    if (response.statusCode() == 407) {
      reason = "ProxyAuthenticationRequired";
      raw = false;
      message = "the proxy " + cluster.proxy().proxyFor(response.uri()).map(Object::toString)
          .orElse("on the way") + " refused the connection to the API server: give its user and"
          + " password in the proxy URL (http://user:password@host:port)";
    }
    String said = scrub(message);
    if (raw && said.length() > 500) {
      said = said.substring(0, 500);
    }
    return new ApiException(response.statusCode(), method, url, scrub(reason), said,
        retryAfter(response.headers().firstValue("Retry-After"),
            response.headers().firstValue("Date"), clock.instant()));
  }

  /**
   * The server's text made safe to print: without any token we sent, nor any run of
   * {@link #MIN_RUN} or more of a token's characters (a hostile or buggy server may echo it, whole
   * or cut short), and with control characters escaped, so it cannot forge log lines or drive a
   * terminal. Tokens shorter than {@link #MIN_SCRUBBED} characters (test fixtures; no real token
   * is that short) are left, as masking them would garble every message.
   */
  String scrub(String text) {
    String out = masked(LogText.escaped(text));
    boolean[] secret = new boolean[out.length()];
    boolean any = false;
    for (Set<String> runs : tokens.values()) {
      int n = runs.iterator().next().length();
      for (int i = 0; i + n <= out.length(); i++) {
        if (runs.contains(out.substring(i, i + n))) {
          Arrays.fill(secret, i, i + n, true);
          any = true;
        }
      }
    }
    if (!any) {
      return out;
    }
    StringBuilder masked = new StringBuilder(out.length());
    for (int i = 0; i < out.length(); i++) {
      if (!secret[i]) {
        masked.append(out.charAt(i));
      } else if (i == 0 || !secret[i - 1]) {
        masked.append(Redact.MASK);
      }
    }
    return masked.toString();
  }

  /**
   * {@code text} (an answer's JSON, before it is read) without any token sent, in any case and
   * with any of its characters percent-encoded, as a proxy that quotes the request writes it.
   */
  String masked(String text) {
    String out = text;
    for (String t : tokens.keySet()) {
      out = echoes.computeIfAbsent(t, ApiErrors::echoes).matcher(out).replaceAll(Redact.MASK);
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

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
   * Tokens sent so far, masked in what servers answer: per token, by length, the runs of
   * {@link #MIN_RUN} characters (the whole form when shorter) of each of its forms
   * ({@link #forms}), in lower case.
   */
  private final Map<String, Map<Integer, Set<String>>> tokens = new ConcurrentHashMap<>();

  ApiErrors(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** Remembers a token sent, to keep it out of every later answer. */
  void sent(String token) {
    if (token.length() >= MIN_SCRUBBED) {
      tokens.computeIfAbsent(token, ApiErrors::runs);
    }
  }

  private static Map<Integer, Set<String>> runs(String token) {
    Map<Integer, Set<String>> runs = new HashMap<>();
    for (String form : forms(token)) {
      String f = form.toLowerCase(Locale.ROOT);
      int n = Math.min(MIN_RUN, f.length());
      for (int i = 0; i + n <= f.length(); i++) {
        runs.computeIfAbsent(n, k -> new HashSet<>()).add(f.substring(i, i + n));
      }
    }
    Map<Integer, Set<String>> copy = new HashMap<>();
    runs.forEach((n, r) -> copy.put(n, Set.copyOf(r)));
    return Map.copyOf(copy);
  }

  /**
   * The forms a server may echo a token in: as it is, and base64-encoded (standard and URL-safe
   * alphabets), alone or inside a longer encoded text (the characters that encode the token's
   * bytes alone, at each of the three places it may start in a group of three bytes). Forms
   * shorter than {@link #MIN_SCRUBBED} are left out.
   */
  static List<String> forms(String token) {
    List<String> forms = new ArrayList<>();
    forms.add(token);
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    for (int before = 0; before < 3; before++) {
      byte[] shifted = new byte[before + bytes.length];
      System.arraycopy(bytes, 0, shifted, before, bytes.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
      // The characters whose six bits all come from the token's bytes.
      String own = encoded.substring((8 * before + 5) / 6, 8 * (before + bytes.length) / 6);
      if (own.length() >= MIN_SCRUBBED) {
        forms.add(own);
        forms.add(own.replace('+', '-').replace('/', '_'));
      }
    }
    return forms;
  }

  /**
   * The error an answer with an error status stands for: the reason and message of a Kubernetes
   * {@code Status} body, else the body's start; a proxy's 407 says how to give credentials.
   */
  ApiException of(String method, String url, HttpResponse<?> response, String answer) {
    // A proxy's 407 to CONNECT comes without a body. Masked whole before it is read or cut: a
    // token across the cut would leave a run too short to be known as one.
    String body = masked(answer == null ? "" : answer);
    String reason = "";
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
    String said = LogText.escaped(message);
    if (raw && said.length() > 500) {
      said = said.substring(0, 500);
    }
    return new ApiException(response.statusCode(), method, url, LogText.escaped(reason), said,
        retryAfter(response.headers().firstValue("Retry-After"),
            response.headers().firstValue("Date"), clock.instant()));
  }

  /**
   * A text of an answer already {@link #masked} made safe to print: control characters escaped,
   * so it cannot forge log lines or drive a terminal.
   */
  String scrub(String text) {
    return LogText.escaped(text);
  }

  /**
   * {@code text} (an answer, before it is read) without any token we sent, in one pass: every run
   * of {@link #MIN_RUN} or more of a token's characters (a hostile or buggy server may echo it,
   * whole or cut short), in any case, with any of its characters written as they are,
   * percent-encoded ({@code %2D}, as a proxy that quotes the request writes it) or escaped as JSON
   * writes them ({@code \\u0065}, {@code \/}); and the same of the token's base64 forms
   * ({@link #forms}). Tokens shorter than {@link #MIN_SCRUBBED} characters (test fixtures; no real
   * token is that short) are left, as masking them would garble every message.
   */
  String masked(String text) {
    if (tokens.isEmpty() || text.isEmpty()) {
      return text;
    }
    Decoded d = Decoded.of(text);
    boolean[] secret = new boolean[d.chars().length()];
    boolean any = false;
    for (Map<Integer, Set<String>> byLength : tokens.values()) {
      for (Map.Entry<Integer, Set<String>> e : byLength.entrySet()) {
        int n = e.getKey();
        for (int i = 0; i + n <= secret.length; i++) {
          if (e.getValue().contains(d.chars().substring(i, i + n))) {
            Arrays.fill(secret, i, i + n, true);
            any = true;
          }
        }
      }
    }
    if (!any) {
      return text;
    }
    StringBuilder masked = new StringBuilder(text.length());
    for (int i = 0; i < secret.length; i++) {
      if (!secret[i]) {
        masked.append(text, d.starts()[i], d.starts()[i + 1]);
      } else if (i == 0 || !secret[i - 1]) {
        masked.append(Redact.MASK);
      }
    }
    return masked.toString();
  }

  /**
   * A text's characters as a server may have written a token's: each percent-encoded ASCII
   * character, JSON escape ({@code \\uXXXX}, {@code \/}, {@code \\}, {@code \"}) or other
   * character is one character, in lower case.
   *
   * @param chars the characters read
   * @param starts where each starts in the text, and at the end the text's length
   */
  private record Decoded(String chars, int[] starts) {
    static Decoded of(String text) {
      StringBuilder chars = new StringBuilder(text.length());
      int[] starts = new int[text.length() + 1];
      int n = 0;
      int i = 0;
      while (i < text.length()) {
        starts[n++] = i;
        char c = text.charAt(i);
        int width = 1;
        if (c == '%' && hex(text, i + 1, 2) >= 0 && hex(text, i + 1, 2) < 0x80) {
          c = (char) hex(text, i + 1, 2);
          width = 3;
        } else if (c == '\\' && i + 1 < text.length()) {
          char next = text.charAt(i + 1);
          if (next == 'u' && hex(text, i + 2, 4) >= 0) {
            c = (char) hex(text, i + 2, 4);
            width = 6;
          } else if (next == '/' || next == '\\' || next == '"') {
            c = next;
            width = 2;
          }
        }
        chars.append(Character.toLowerCase(c));
        i += width;
      }
      starts[n] = text.length();
      return new Decoded(chars.toString(), Arrays.copyOf(starts, n + 1));
    }

    /** The value of {@code digits} hex digits at {@code at}, or -1 when they are not there. */
    private static int hex(String text, int at, int digits) {
      if (at + digits > text.length()) {
        return -1;
      }
      int value = 0;
      for (int k = at; k < at + digits; k++) {
        int d = Character.digit(text.charAt(k), 16);
        if (d < 0) {
          return -1;
        }
        value = value * 16 + d;
      }
      return value;
    }
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

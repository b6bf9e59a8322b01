package dev.pixivdic.support.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.pixivdic.support.internal.TextFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook that receives a run's summary when the run ends (an alert). Its URL is a secret:
 * whoever holds it can post to the channel, so it is given as {@code env:NAME} or
 * {@code file:PATH} where it is kept in a secret store, and only {@link #masked()} (scheme and
 * host) ever appears in a message. Delivery is bounded: {@value #ATTEMPTS} attempts with a short
 * backoff on no answer, 429 and 5xx; it never throws, it reports whether the notice arrived.
 * Thread-safe.
 *
 * <p>Both {@code pixiv --notify} and {@code pixiv-launch} send their notices through this class.
 */
public final class Webhook {
  /** How many times a notice is sent before giving up. */
  public static final int ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The body sent: Slack-compatible ({@code text} plus {@code blocks}), or the plain data. */
  public enum Format {
    SLACK,
    JSON
  }

  /** When a notice is sent. */
  public enum When {
    FAILURE,
    ALWAYS;

    /** Whether a run that ended with {@code exitCode} is notified. */
    public boolean fires(int exitCode) {
      return this == ALWAYS || exitCode != 0;
    }
  }

  private final URI uri;
  private final Duration backoff;
  /** Null: the JDK's default selector. */
  private final ProxySelector proxy;
  private final Function<URI, Optional<String>> proxyAuthorization;
  /** How long the body of an answer that is no 2xx is read at most. */
  private final Duration answerWait;

  private Webhook(URI uri, Duration backoff) {
    this(uri, backoff, null, target -> Optional.empty(), TIMEOUT);
  }

  private Webhook(URI uri, Duration backoff, ProxySelector proxy,
      Function<URI, Optional<String>> proxyAuthorization, Duration answerWait) {
    this.uri = uri;
    this.backoff = backoff;
    this.proxy = proxy;
    this.proxyAuthorization = proxyAuthorization;
    this.answerWait = answerWait;
  }

  /**
   * Reads a webhook from the value of {@code option}: an http(s) URL, {@code env:NAME} (the
   * URL is the variable's value) or {@code file:PATH} (the file's first line, as a mounted
   * Kubernetes secret holds it).
   *
   * @param env looks up environment variables; returns null for an unset one
   * @throws IllegalArgumentException naming the option and the problem, never the URL
   */
  public static Webhook resolve(String option, String value, Function<String, String> env) {
    requireNonNull(value, "value");
    String url;
    String from;
    if (value.startsWith("env:")) {
      String name = value.substring(4);
      url = name.isEmpty() ? null : env.apply(name);
      from = option + " " + value;
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException(from + ": the environment variable is not set");
      }
    } else if (value.startsWith("file:")) {
      from = option + " " + value;
      try {
        // A byte order mark (an editor's, on Windows) is no part of the URL: it was "not a URL".
        url = TextFiles.withoutMark(TextFiles.read(Path.of(value.substring(5)),
            TextFiles.MAX_SECRET_BYTES)).strip().lines().findFirst().orElse("");
      } catch (IOException e) {
        throw new IllegalArgumentException(from + ": cannot read the file: "
            + TextFiles.reason(e), e);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(from + ": cannot read the file ("
            + e.getClass().getSimpleName() + ")", e);
      }
    } else {
      url = value;
      from = option;
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(from + ": not a URL (the value is a secret and is not"
          + " shown)");
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new IllegalArgumentException(from + ": not an http(s) URL with a host (the value is"
          + " a secret and is not shown); use a URL, env:NAME or file:PATH");
    }
    return new Webhook(uri, Duration.ofSeconds(1));
  }

  /** The same webhook with another first delay between attempts (doubled each time). */
  public Webhook withBackoff(Duration first) {
    return new Webhook(uri, requireNonNull(first, "first"), proxy, proxyAuthorization,
        answerWait);
  }

  /**
   * The same webhook reached as the command reaches the rest of the world: through
   * {@code selector} (its proxy settings, NO_PROXY included), sending the proxy's Basic
   * credentials that {@code authorization} gives for a target, if any (on the CONNECT of a
   * tunnel for an https webhook). Without this the JDK's default selector applies, which reads
   * no HTTPS_PROXY, so a cluster that reaches the internet only through a proxy lost its notices.
   */
  public Webhook through(ProxySelector selector,
      Function<URI, Optional<String>> authorization) {
    return new Webhook(uri, backoff, requireNonNull(selector, "selector"),
        requireNonNull(authorization, "authorization"), answerWait);
  }

  /** The same webhook, reading an answer's body no longer than {@code wait}; for tests. */
  Webhook withAnswerWait(Duration wait) {
    return new Webhook(uri, backoff, proxy, proxyAuthorization, requireNonNull(wait, "wait"));
  }

  /** Scheme and host, the rest masked: the only form of the URL that may be shown. */
  public String masked() {
    return uri.getScheme() + "://" + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/***";
  }

  /** {@code text} with every occurrence of the URL, or of its path, masked. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = text.replace(uri.toString(), masked());
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      out = out.replace(query, "***"); // a token may be there too
    }
    String path = uri.getRawPath();
    return path == null || path.length() < 2 ? out : out.replace(path, "/***");
  }

  @Override
  public String toString() {
    return masked();
  }

  /**
   * The body of a notice.
   *
   * @param title one line: what ran and how it ended
   * @param lines the human summary, one entry per line
   * @param data the machine summary (a report), sent whole with {@link Format#JSON}
   */
  public static ObjectNode payload(Format format, String title, List<String> lines,
      ObjectNode data) {
    ObjectNode root = JSON.createObjectNode();
    if (format == Format.JSON) {
      root.put("title", title);
      ArrayNode l = root.putArray("lines");
      lines.forEach(l::add);
      root.set("report", data.deepCopy());
      return root;
    }
    String body = String.join("\n", lines);
    root.put("text", title + (body.isEmpty() ? "" : "\n" + body));
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode head = blocks.addObject().put("type", "section");
    head.putObject("text").put("type", "mrkdwn").put("text", "*" + title + "*");
    if (!body.isEmpty()) {
      // Slack refuses a text object above 3000 characters; the whole text is in "text" anyway.
      String shown = body.length() > 2900 ? body.substring(0, 2900) + "\n..." : body;
      ObjectNode detail = blocks.addObject().put("type", "section");
      detail.putObject("text").put("type", "mrkdwn").put("text", "```" + shown + "```");
    }
    return root;
  }

  /**
   * Posts {@code payload}; retried on no answer, 429 and 5xx. Never throws: a notice that
   * cannot be delivered is a logged warning, as the run's outcome does not depend on it.
   *
   * @return whether the receiver accepted the notice (a 2xx answer)
   */
  public boolean send(ObjectNode payload) {
    ProxySelector selector = proxy != null ? proxy : ProxySelector.getDefault();
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
        .proxy(selector == null ? HttpClient.Builder.NO_PROXY : selector)
        .build();
    HttpRequest.Builder post = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(payload.toString(), StandardCharsets.UTF_8));
    proxyAuthorization.apply(uri).ifPresent(a -> post.header("Proxy-Authorization", a));
    HttpRequest request = post.build();
    RetryPolicy<Answer> retry = RetryPolicy.<Answer>builder()
        .handle(IOException.class)
        .handleResultIf(r -> r.status() == 429 || r.status() >= 500)
        .withMaxAttempts(ATTEMPTS)
        .withBackoff(backoff, backoff.multipliedBy(4))
        .onRetry(e -> LOG.info("notice to {} not delivered ({}); trying again", masked(),
            problem(e.getLastResult(), e.getLastException())))
        .build();
    try {
      Answer r = Failsafe.with(retry).get(() -> answer(client, request));
      if (r.status() / 100 == 2) {
        LOG.info("notice sent to {}", masked());
        return true;
      }
      LOG.warn("could not deliver the notice to {}: {}", masked(), problem(r, null));
      return false;
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("could not deliver the notice to {}: {}", masked(), problem(null, cause));
      return false;
    }
  }

  /** An answer's status and what was read of its body. */
  private record Answer(int status, String body) {}

  private Answer answer(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    try {
      HttpResponse<String> r =
          client.send(request, info -> new AnswerHead(info.statusCode(), answerWait));
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      if (noContentWithABody(e)) {
        return new Answer(204, "");
      }
      throw e;
    }
  }

  /**
   * Whether the JDK's client refused a 204 answer because it came with a body (a
   * {@code Content-Length} or {@code Transfer-Encoding}): it fails the exchange with this
   * message before any body handler sees the status. The receiver took the notice all the same;
   * retried as a failure, it was posted on every attempt.
   */
  private static boolean noContentWithABody(IOException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if ("unexpected content length header with 204 response".equals(c.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the notice needs of an answer's body: nothing of a 2xx (the notice was delivered, and
   * is not sent again however the body goes on), else its first {@link #MAX} bytes, for the
   * warning. The body is read no longer than {@link #answerWait} after its headers. A receiver
   * whose body stalled, or went on for a gigabyte, held the command after its run had ended
   * (the request's timeout stops at the headers), holding the whole body in memory.
   */
  private static final class AnswerHead implements HttpResponse.BodySubscriber<String> {
    static final int MAX = 4096;

    private final int max;
    private final Duration wait;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription; // guarded by this

    AnswerHead(int status, Duration wait) {
      this.max = status / 100 == 2 ? 0 : MAX;
      this.wait = wait;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (max == 0) {
        finish();
        return;
      }
      CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
          .execute(this::finishNow);
      s.request(1);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), max - bytes.size());
        byte[] chunk = new byte[n];
        b.get(chunk);
        bytes.write(chunk, 0, n);
      }
      if (bytes.size() >= max) {
        finish();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      // A body cut short still has its first bytes to tell what the receiver said.
      body.complete(text());
    }

    @Override
    public synchronized void onComplete() {
      body.complete(text());
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    private synchronized void finishNow() {
      if (!body.isDone()) {
        finish();
      }
    }

    /** Stops reading (the client closes the connection) and completes with what was read. */
    private void finish() {
      subscription.cancel();
      body.complete(text());
    }

    private String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private String problem(Answer r, Throwable e) {
    if (r != null) {
      // One line: a receiver's answer must not forge log lines.
      String body = r.body() == null ? "" : r.body().replaceAll("\\s+", " ").strip();
      return mask("HTTP " + r.status()
          + (body.isEmpty() ? "" : " " + body.substring(0, Math.min(200, body.length()))));
    }
    return e == null ? "unknown" : mask(cause(e));
  }

  /**
   * The failure in words: the first message along the cause chain, else what its type says
   * (the JDK's client throws a {@code ConnectException} without any message when the connection
   * is refused), with the exception's name after it.
   */
  static String cause(Throwable e) {
    String words = null;
    for (Throwable c = e; c != null && words == null; c = c.getCause()) {
      String m = c.getMessage();
      words = m != null && !m.isBlank() ? m.replaceAll("\\s+", " ").strip() : null;
    }
    for (Throwable c = e; c != null && words == null; c = c.getCause()) {
      words = byType(c);
    }
    return (words == null ? "" : words + " ") + "(" + e.getClass().getSimpleName() + ")";
  }

  /** What an exception without a message means, for the types the JDK's client throws so. */
  private static String byType(Throwable c) {
    if (c instanceof java.net.http.HttpConnectTimeoutException) {
      return "connecting timed out";
    }
    if (c instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    if (c instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (c instanceof java.net.UnknownHostException
        || c instanceof java.nio.channels.UnresolvedAddressException) {
      return "the host name does not resolve";
    }
    return c instanceof java.io.EOFException ? "the connection closed before an answer" : null;
  }
}

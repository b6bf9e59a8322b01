package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.pixivdic.support.internal.RetryAfter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Kubernetes REST client over {@code java.net.http}: JSON requests and streaming GETs
 * (watches, logs). A 401 invalidates the cached token (if it is still the one the request sent)
 * and the request is sent once more; transient failures of GET and DELETE (connection errors,
 * timeouts, 429, 5xx) are retried a few times, after the server's {@code Retry-After} when it
 * gives one.
 *
 * <p>Failures are typed: {@link ApiException} for an error status, {@link ApiConnectionException}
 * when no answer came (its message names the server and the cause). Messages never carry the
 * bearer token, even when a server echoes it back. Thread-safe.
 */
public final class KubeApi {
  /** The longest {@code Retry-After} honoured; a server asking for more is asked again sooner. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Cluster cluster;
  private final HttpClient http;
  private final Duration timeout;
  private final RetryPolicy<Object> retry;
  private final ApiErrors errors;
  private final Clock hostClock;
  private final AnswerWait answerWait;
  /** Why a create abandoned before it was sent failed. */
  private static final String UNSENT = "stopped before it was sent, as the launcher is stopping";
  /** Creates in flight that may not have been sent yet ({@link #abandonUnsentCreates}). */
  private final java.util.Set<Unsent> creates = ConcurrentHashMap.newKeySet();
  /** Set by {@link #abandonUnsentCreates}: a create that starts afterwards is abandoned too. */
  private volatile boolean abandonCreates;
  /** {@link #serverClockAhead()}; written by every answer. */
  private volatile Duration serverAhead = Duration.ZERO;

  /**
   * @param timeout time limit of one request (streams: of their opening) and of connecting
   * @param retryDelay first delay between retries of transient failures (doubles, at most 10x)
   */
  public KubeApi(Cluster cluster, Duration timeout, Duration retryDelay) {
    this(cluster, timeout, retryDelay, Clock.systemUTC());
  }

  /** As above, with this host's clock, which {@link #serverClockAhead()} compares. */
  public KubeApi(Cluster cluster, Duration timeout, Duration retryDelay, Clock hostClock) {
    this(cluster, timeout, retryDelay, hostClock, AnswerWait.REAL_TIME);
  }

  /** As above, with the wait that bounds each answer by its time limit. */
  KubeApi(Cluster cluster, Duration timeout, Duration retryDelay, Clock hostClock,
      AnswerWait answerWait) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.timeout = requireNonNull(timeout, "timeout");
    this.hostClock = requireNonNull(hostClock, "hostClock");
    this.answerWait = requireNonNull(answerWait, "answerWait");
    this.errors = new ApiErrors(cluster, hostClock);
    HttpClient.Builder client = HttpClient.newBuilder();
    if (cluster.proxy().isUsed()) {
      client.proxy(cluster.proxy().selector());
    }
    this.http = client
        .sslContext(cluster.ssl())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        // Daemon threads: a stuck stream must never keep the JVM alive.
        .executor(Executors.newCachedThreadPool(Daemons.factory("kube-http")))
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
   * Whether a failure may go away by trying again: no answer (except TLS refused over a
   * certificate or by the server; see {@link ApiConnectionException#isTransient()}), 429, 5xx.
   * An interruption is not transient.
   */
  public static boolean isTransient(Throwable t) {
    if (t instanceof CredentialsException) {
      return false;
    }
    if (t instanceof ApiException e) {
      return e.isTransient();
    }
    if (t instanceof ApiConnectionException e) {
      return e.isTransient();
    }
    return t instanceof IOException && !(t instanceof java.io.InterruptedIOException);
  }

  public JsonNode get(String path) throws IOException {
    return retried(() -> json("GET", path, null, timeout, tree -> tree));
  }

  /** GET of one object, as a record ({@link Job}, {@link Pod}...). */
  public <T> T get(String path, Class<T> type) throws IOException {
    return retried(() -> json("GET", path, null, timeout, tree -> KubeJson.decode(tree, type)));
  }

  /** GET of a collection, its items as records. */
  public <T> ObjectList<T> list(String path, Class<T> type) throws IOException {
    return retried(() -> json("GET", path, null, timeout, tree -> KubeJson.list(tree, type)));
  }

  public JsonNode delete(String path) throws IOException {
    return retried(() -> json("DELETE", path, null, timeout, tree -> tree));
  }

  /** POST is not retried: a repeated create answers 409, which the caller must see. */
  public <T> T post(String path, JsonNode body, Class<T> type) throws IOException {
    return json("POST", path, body, timeout, tree -> KubeJson.decode(tree, type));
  }

  /**
   * Sends one request once, with its own time limit: for callers that retry themselves and must
   * stay within a deadline.
   *
   * @param body the JSON body, or null for none
   */
  public <T> T once(String method, String path, JsonNode body, Duration limit, Class<T> type)
      throws IOException {
    return json(method, path, body, limit, tree -> KubeJson.decode(tree, type));
  }

  /**
   * Deletes an object once, with its own time limit, in the background (its dependents after it),
   * and only while it is the one with {@code uid}: a newer object of the same name stays (409).
   *
   * @param uid the object's uid, or empty to delete whatever holds the name
   */
  public void deleteOnce(String path, String uid, Duration limit) throws IOException {
    ObjectNode options = JSON.createObjectNode();
    options.put("apiVersion", "v1");
    options.put("kind", "DeleteOptions");
    options.put("propagationPolicy", "Background");
    if (!uid.isEmpty()) {
      options.putObject("preconditions").put("uid", uid);
    }
    json("DELETE", path + "?propagationPolicy=Background", options, limit, tree -> tree);
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

  /**
   * One line of a watch stream ({@link KubeJson#watchLine}); the reason and message of an
   * {@code ERROR} line are made safe to print as those of an error answer are: without the
   * tokens sent, control characters escaped.
   *
   * @param path the watched path, for the error's message
   * @throws ApiException for an {@code ERROR} line (410 Gone: the version expired)
   * @throws MalformedAnswerException when the line is not a watch event of this type
   */
  public <T> WatchEvent<T> watchLine(String line, Class<T> type, String path)
      throws ApiException, MalformedAnswerException {
    return KubeJson.watchLine(errors.masked(line), type, path, errors::scrub);
  }

  /**
   * How a request waits for its answer within its time limit. The limit runs from the start of
   * the wait and is not renewed by anything the server sends: an answer that trickles in a byte
   * at a time still ends at the limit. Real time but in tests, which drive the time of the wait.
   */
  interface AnswerWait {
    AnswerWait REAL_TIME = (answer, limit) -> answer.get(limit.toNanos(), TimeUnit.NANOSECONDS);

    /**
     * Waits until {@code answer} is complete or {@code limit} has passed.
     *
     * @throws TimeoutException when the limit passed first
     * @throws ExecutionException when the answer failed
     */
    void await(CompletableFuture<?> answer, Duration limit)
        throws InterruptedException, ExecutionException, TimeoutException;
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

  /** Turns an answer's JSON into what the caller asked for. */
  private interface Decoder<T> {
    T decode(JsonNode tree) throws MalformedAnswerException;
  }

  private <T> T json(String method, String path, JsonNode body, Duration limit,
      Decoder<T> decoder) throws IOException {
    HttpResponse<String> response =
        send(method, path, body, HttpResponse.BodyHandlers.ofString(), limit);
    if (response.statusCode() / 100 != 2) {
      throw error(method, path, response, response.body());
    }
    try {
      // Server text (pod statuses, events, conditions) is printed: no token may be in it.
      return decoder.decode(KubeJson.read(errors.masked(response.body())));
    } catch (MalformedAnswerException e) {
      // The request was served but its answer is unusable: as good as lost, never "absent".
      throw ApiConnectionException.garbled(method, url(path), server(), response.statusCode(), e);
    }
  }

  private <T> HttpResponse<T> send(String method, String path, JsonNode body,
      HttpResponse.BodyHandler<T> handler, Duration limit) throws IOException {
    Optional<String> token = cluster.credentials().bearerToken();
    HttpResponse<T> response = sendOnce(method, path, body, handler, limit, token);
    if (response.statusCode() == 401) {
      // Rotated service-account token or expired exec token: fetch a fresh one and try again once.
      // Only the token this request sent is forgotten, not one another request fetched since.
      if (response.body() instanceof InputStream in) {
        in.close();
      }
      token.ifPresent(cluster.credentials()::invalidate);
      response = sendOnce(method, path, body, handler, limit, cluster.credentials().bearerToken());
    }
    return response;
  }

  private <T> HttpResponse<T> sendOnce(String method, String path, JsonNode body,
      HttpResponse.BodyHandler<T> handler, Duration limit, Optional<String> token)
      throws IOException {
    URI uri = URI.create(server() + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json");
    request.timeout(limit);
    if (token.isPresent()) {
      if (unsendable(token.get())) {
        // The HTTP client would refuse it with a message quoting the whole header, token and all.
        throw new CredentialsException("the bearer token of " + cluster.source()
            + " holds a character a token cannot hold (a line break, a space, a byte order mark,"
            + " a typographic quote or another character outside printable ASCII), so it cannot"
            + " be sent; check the token, token file or exec plugin for stray characters (the"
            + " token is not shown)");
      }
      errors.sent(token.get());
      request.header("Authorization", "Bearer " + token.get());
    }
    // Its own credentials to the proxy, on the CONNECT of a tunnel (see ProxySettings).
    cluster.proxy().authorization(uri).ifPresent(a -> request.header("Proxy-Authorization", a));
    // The client asks for the body only once it has connected (the TLS handshake included) and
    // written the headers: a body never asked for means a request that never left.
    AtomicBoolean written = new AtomicBoolean(body == null);
    Unsent unsent = new Unsent(new AtomicInteger(), new CompletableFuture<>());
    if (body != null) {
      request.header("Content-Type", "application/json");
      HttpRequest.BodyPublisher json =
          HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
      request.method(method, new Written(json, written, unsent));
      if (method.equals("POST")) {
        creates.add(unsent);
        if (abandonCreates) {
          // Started as the signal abandoned the others: it is abandoned as well, never sent.
          abandon(unsent);
        }
      }
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    // The request's own timeout ends when the headers arrive; waiting on the future bounds the
    // whole answer (a body handler completes with the body, a stream's with its headers).
    // The server's Date comes after this: against the time of sending, a slow body does not
    // make a server whose clock agrees look behind.
    Instant sentAt = hostClock.instant();
    CompletableFuture<HttpResponse<T>> answer = http.sendAsync(request.build(), handler);
    try {
      answerWait.await(CompletableFuture.anyOf(answer, unsent.abandoned()), limit);
      if (!answer.isDone()) {
        // Abandoned before its body was asked for (abandonUnsentCreates): it never left.
        answer.cancel(true);
        throw failed(method, uri, limit,
            new IOException(UNSENT), false);
      }
      HttpResponse<T> response = answer.get();
      noteServerClock(response, sentAt);
      return response;
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException(method + " " + uri + " interrupted");
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw failed(method, uri, limit, new HttpTimeoutException("request timed out"),
          written.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw failed(method, uri, limit, io, written.get());
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      creates.remove(unsent);
    }
  }

  /**
   * Ends at once every create ({@code POST}) in flight whose body the HTTP client has not asked
   * for yet (it is still connecting, or in the TLS handshake): it fails as a request that never
   * left, and its body is never sent, so it cannot make the object. A create whose body was asked
   * for goes on. For a signal, which must not wait for a connection's timeout to learn that no Job
   * was created. A create started afterwards is abandoned the same way. Thread-safe.
   */
  public void abandonUnsentCreates() {
    abandonCreates = true;
    for (Unsent u : creates) {
      abandon(u);
    }
  }

  private static void abandon(Unsent u) {
    if (u.state().compareAndSet(Unsent.WAITING, Unsent.ABANDONED)) {
      u.abandoned().complete(null);
    }
  }

  /**
   * A request whose body may not have been asked for yet: {@link #WAITING}, then either
   * {@link #ASKED} (the body goes out) or {@link #ABANDONED} (it never will), whichever first.
   */
  private record Unsent(AtomicInteger state, CompletableFuture<Void> abandoned) {
    static final int WAITING = 0;
    static final int ASKED = 1;
    static final int ABANDONED = 2;
  }

  /**
   * @param written false when the request's body was never asked for: the request never left
   */
  private ApiConnectionException failed(String method, URI uri, Duration limit, IOException e,
      boolean written) {
    return ApiConnectionException.of(method, uri.toString(), server(),
        cluster.proxy().proxyFor(uri), limit, e, written);
  }

  /**
   * A body that notes when the HTTP client first asks for it, and that is never given once its
   * request was abandoned unsent.
   */
  private record Written(HttpRequest.BodyPublisher body, AtomicBoolean asked, Unsent unsent)
      implements HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      if (!unsent.state().compareAndSet(Unsent.WAITING, Unsent.ASKED)
          && unsent.state().get() == Unsent.ABANDONED) {
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
        subscriber.onError(new IOException(UNSENT));
        return;
      }
      asked.set(true);
      body.subscribe(subscriber);
    }
  }

  /**
   * How far the API server's clock is ahead of this host's (negative: behind), by the
   * {@code Date} header of its latest answer; zero before any answer, without a readable header,
   * or when they differ by less than {@link #CLOCKS_AGREE} (the header's resolution is a second,
   * and a request takes time). The times the server writes (a pod's creation, an event's last
   * time) are told in this host's time by subtracting it.
   */
  public Duration serverClockAhead() {
    return serverAhead;
  }

  /** Clocks closer than this are taken to agree. */
  static final Duration CLOCKS_AGREE = Duration.ofSeconds(2);

  private void noteServerClock(HttpResponse<?> response, Instant sentAt) {
    // A Date no one can read says nothing of the server's clock; keep what we knew.
    response.headers().firstValue("Date").flatMap(RetryAfter::httpDate).ifPresent(server -> {
      Duration ahead = Duration.between(sentAt, server);
      serverAhead = ahead.abs().compareTo(CLOCKS_AGREE) < 0 ? Duration.ZERO : ahead;
    });
  }

  /**
   * Whether the token holds a character outside printable ASCII. A bearer token is printable
   * ASCII without spaces (RFC 6750's b64token); the HTTP client would refuse most others with a
   * message quoting the whole header, and send the rest as bytes no server reads as the token.
   */
  private static boolean unsendable(String token) {
    return token.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f);
  }

  private String url(String path) {
    return server() + path;
  }

  private ApiException error(String method, String path, HttpResponse<?> response,
      String answer) {
    return errors.of(method, url(path), response, answer);
  }
}

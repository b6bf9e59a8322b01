package dev.pixivdic.bigquery.testing;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

// One piece on purpose: the proxy with the public rule type it applies (FaultProxy.Rule and
// FaultProxy.Fault are its API); the forwarding itself is a few short methods.
/**
 * An HTTP proxy on loopback that forwards to a target (a {@link BigQueryStandIn}) and injects
 * faults by a list of rules: which request (method and path), what happens to it, how many
 * times. The first rule that matches a request and has uses left applies; a request no rule
 * takes is forwarded as it is. Give clients {@link #endpoint()} instead of the target's.
 *
 * <pre>
 * FaultProxy proxy = FaultProxy.start(standIn.endpoint(), List.of(
 *     Rule.on("PUT", "/upload/.*").loseAnswer(),            // the load runs, its answer is lost
 *     Rule.on("GET", ".*&#47;jobs/.*").respond(404, "notFound"),  // the lookup misses it once
 *     Rule.on("POST", ".*&#47;queries").times(2).respond(503, "backendError")));
 * </pre>
 *
 * <p>Thread-safe. Delays and holds are bounded by their duration; {@link #close()} ends them.
 */
public final class FaultProxy implements AutoCloseable {

  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection",
      "transfer-encoding", "expect", "upgrade", "keep-alive", "te", "trailer");

  /** What a rule does to a request it takes. */
  public enum Fault {
    /** Answers with the rule's status and a BigQuery error body; the target never sees it. */
    RESPOND,
    /** Closes the connection without an answer; the target never sees the request. */
    RESET,
    /** Forwards the request, then closes the connection without the target's answer. */
    LOSE_ANSWER,
    /** Waits the rule's duration, then forwards the request. */
    DELAY,
    /** Forwards the request, then waits the rule's duration before passing the answer on. */
    DELAY_ANSWER,
    /**
     * Holds the request until {@link FaultProxy#release()} (at most the rule's duration), then
     * forwards it: lines up requests of concurrent clients ({@link FaultProxy#awaitHeld}).
     */
    HOLD,
    /**
     * Forwards the request, then holds the target's answer until {@link FaultProxy#release()}
     * (at most the rule's duration): a call whose work is done and whose client still waits
     * ({@link FaultProxy#awaitHeld}), for as long as the test needs.
     */
    HOLD_ANSWER,
    /**
     * Answers with the rule's status and body as it is, as JSON; the target never sees the
     * request: an answer BigQuery's client does not expect ({@code {}}, a field missing).
     */
    ANSWER
  }

  /**
   * One rule. Build with {@link #on(String, String)}; immutable.
   *
   * @param method the HTTP method it takes, or {@code *} for any
   * @param path a regular expression the whole request path must match
   * @param fault what it does
   * @param times how many requests it takes (after the first {@code after} matches)
   * @param after how many matching requests pass untouched before it takes any
   * @param status the status of {@link Fault#RESPOND}
   * @param reason the BigQuery error reason of {@link Fault#RESPOND}
   * @param delay the wait of {@link Fault#DELAY} and {@link Fault#DELAY_ANSWER}, the longest
   *     of {@link Fault#HOLD} and {@link Fault#HOLD_ANSWER}
   * @param body the body of {@link Fault#ANSWER}
   */
  public record Rule(String method, Pattern path, Fault fault, int times, int after, int status,
      String reason, Duration delay, String body) {

    public Rule {
      requireNonNull(body, "body");
      requireNonNull(method, "method");
      requireNonNull(path, "path");
      requireNonNull(fault, "fault");
      requireNonNull(reason, "reason");
      requireNonNull(delay, "delay");
      if (times < 1 || after < 0) {
        throw new IllegalArgumentException("times must be >= 1 and after >= 0, were " + times
            + ", " + after);
      }
    }

    /** A rule with no body (any fault but {@link Fault#ANSWER}). */
    public Rule(String method, Pattern path, Fault fault, int times, int after, int status,
        String reason, Duration delay) {
      this(method, path, fault, times, after, status, reason, delay, "");
    }

    /** A rule taking requests of {@code method} whose path matches {@code pathRegex}, once. */
    public static Rule on(String method, String pathRegex) {
      return new Rule(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex), Fault.RESET,
          1, 0, 0, "", Duration.ZERO);
    }

    /** Takes {@code n} requests. */
    public Rule times(int n) {
      return new Rule(method, path, fault, n, after, status, reason, delay, body);
    }

    /** Lets the first {@code n} matching requests pass untouched. */
    public Rule after(int n) {
      return new Rule(method, path, fault, times, n, status, reason, delay, body);
    }

    /** Answers {@code status} with BigQuery's error body and {@code reason}. */
    public Rule respond(int status, String reason) {
      return new Rule(method, path, Fault.RESPOND, times, after, status, reason, delay);
    }

    /** Closes the connection without answering; nothing reaches the target. */
    public Rule reset() {
      return new Rule(method, path, Fault.RESET, times, after, status, reason, delay);
    }

    /** Forwards, then drops the answer. */
    public Rule loseAnswer() {
      return new Rule(method, path, Fault.LOSE_ANSWER, times, after, status, reason, delay);
    }

    /** Forwards after waiting {@code d}. */
    public Rule delay(Duration d) {
      return new Rule(method, path, Fault.DELAY, times, after, status, reason, d);
    }

    /** Forwards, then waits {@code d} before answering. */
    public Rule delayAnswer(Duration d) {
      return new Rule(method, path, Fault.DELAY_ANSWER, times, after, status, reason, d);
    }

    /** Holds the request until {@link FaultProxy#release()}, at most {@code d}, then forwards. */
    public Rule hold(Duration d) {
      return new Rule(method, path, Fault.HOLD, times, after, status, reason, d);
    }

    /**
     * Forwards, then holds the answer until {@link FaultProxy#release()}, at most {@code d}.
     */
    public Rule holdAnswer(Duration d) {
      return new Rule(method, path, Fault.HOLD_ANSWER, times, after, status, reason, d);
    }

    /** Answers {@code status} with {@code body} (JSON) as it is; nothing reaches the target. */
    public Rule answer(int status, String body) {
      return new Rule(method, path, Fault.ANSWER, times, after, status, reason, delay, body);
    }

    boolean matches(String m, String p) {
      return (method.equals("*") || method.equals(m)) && path.matcher(p).matches();
    }

    @Override
    public String toString() {
      return fault + (fault == Fault.RESPOND ? " " + status + " " + reason : "")
          + (fault == Fault.ANSWER ? " " + status + " " + body : "")
          + (delay.isZero() ? "" : " " + delay) + " on " + method + " " + path + " x" + times
          + (after > 0 ? " after " + after : "");
    }
  }

  private final class Slot {
    final Rule rule;
    int seen;
    int used;

    Slot(Rule rule) {
      this.rule = rule;
    }
  }

  private final URI target;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Slot> slots = new ArrayList<>();
  private final List<String> applied = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private int held;

  private FaultProxy(URI target, HttpServer server, ExecutorService executor) {
    this.target = target;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts a proxy on 127.0.0.1 forwarding to {@code target}.
   *
   * @throws IllegalArgumentException when the target is not a loopback http URI
   */
  public static FaultProxy start(URI target, List<Rule> rules) throws IOException {
    requireNonNull(target, "target");
    if (!"http".equals(target.getScheme()) || !InetAddress.getByName(target.getHost())
        .isLoopbackAddress()) {
      throw new IllegalArgumentException("the proxy forwards to loopback http only, not "
          + target);
    }
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newCachedThreadPool(new ThreadFactoryBuilder()
        .setNameFormat("fault-proxy-%d").setDaemon(true).build());
    server.setExecutor(executor);
    FaultProxy proxy = new FaultProxy(target, server, executor);
    rules.forEach(proxy::add);
    server.createContext("/", proxy::handle);
    server.start();
    return proxy;
  }

  /** The proxy's endpoint: {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds a rule after the others. */
  public synchronized void add(Rule rule) {
    slots.add(new Slot(requireNonNull(rule, "rule")));
  }

  /** Each fault applied so far, as {@code "<fault> <method> <path>"}, in order. */
  public List<String> applied() {
    return List.copyOf(applied);
  }

  /**
   * Waits until {@code n} requests (or their answers) have been held by {@link Rule#hold} and
   * {@link Rule#holdAnswer} rules, or {@code timeout} has passed.
   *
   * @return whether they had
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public synchronized boolean awaitHeld(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (held < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /**
   * Lets every request a {@link Rule#hold} rule holds go on (every answer a
   * {@link Rule#holdAnswer} rule holds), and later ones pass at once.
   */
  public void release() {
    released.countDown();
  }

  /** Whether every rule has taken all the requests it was given. */
  public synchronized boolean exhausted() {
    return slots.stream().allMatch(s -> s.used >= s.rule.times());
  }

  private synchronized Rule take(String method, String path) {
    for (Slot s : slots) {
      if (s.used < s.rule.times() && s.rule.matches(method, path)) {
        if (s.seen++ < s.rule.after()) {
          return null;
        }
        s.used++;
        return s.rule;
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    Rule rule = take(method, path);
    if (rule != null) {
      applied.add(rule.fault() + " " + method + " " + path);
    }
    try {
      byte[] body = ex.getRequestBody().readAllBytes();
      Fault fault = rule == null ? null : rule.fault();
      if (fault == Fault.RESPOND) {
        send(ex, rule.status(), Http.JSON.writeValueAsBytes(Http.error(rule.status(),
            rule.reason(), "injected by the fault proxy: " + rule.reason())),
            "application/json; charset=UTF-8");
        return;
      }
      if (fault == Fault.ANSWER) {
        send(ex, rule.status(), rule.body().getBytes(StandardCharsets.UTF_8),
            "application/json; charset=UTF-8");
        return;
      }
      if (fault == Fault.RESET) {
        ex.close();
        return;
      }
      if (fault == Fault.DELAY) {
        Thread.sleep(rule.delay().toMillis());
      }
      if (fault == Fault.HOLD) {
        holdUntilReleased(rule);
      }
      HttpResponse<byte[]> answer = forward(ex, method, body);
      if (fault == Fault.LOSE_ANSWER) {
        ex.close();
        return;
      }
      if (fault == Fault.DELAY_ANSWER) {
        Thread.sleep(rule.delay().toMillis());
      }
      if (fault == Fault.HOLD_ANSWER) {
        holdUntilReleased(rule);
      }
      answer.headers().map().forEach((k, v) -> {
        if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
          ex.getResponseHeaders().put(k, v);
        }
      });
      send(ex, answer.statusCode(), answer.body(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.close();
    } catch (IOException e) {
      // The target is gone or the client left: the client sees a dropped connection.
      ex.close();
    }
  }

  private void holdUntilReleased(Rule rule) throws InterruptedException {
    synchronized (this) {
      held++;
      notifyAll();
    }
    released.await(rule.delay().toMillis(), TimeUnit.MILLISECONDS);
  }

  private HttpResponse<byte[]> forward(HttpExchange ex, String method, byte[] body)
      throws IOException, InterruptedException {
    URI uri = target.resolve(ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((k, v) -> {
      if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
        v.forEach(value -> b.header(k, value));
      }
    });
    String host = ex.getRequestHeaders().getFirst("Host");
    b.header("X-Forwarded-Host", host == null ? endpoint().getAuthority() : host);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void send(HttpExchange ex, int status, byte[] body, String contentType)
      throws IOException {
    if (contentType != null) {
      ex.getResponseHeaders().set("Content-Type", contentType);
    }
    if (body.length == 0) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  /** Stops the proxy; waits in progress end. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package dev.pixivdic.launcher.fake;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTPS proxy in front of the Kubernetes API stand-in ({@link FakeKube}),
 * driven by a list of rules: which request (method and URI regex), what happens to it (a
 * {@link Fault}), how many times. The first rule that matches and has uses left applies; a request
 * no rule matches is passed through. Every fault applied is recorded.
 */
public final class FaultProxy implements AutoCloseable {

  /** What the proxy does with a request a rule matched. */
  public sealed interface Fault {}

  /** Answer with a Kubernetes Status object; the request never reaches the API server. */
  public record Answer(int status, String reason, Map<String, String> headers) implements Fault {
    public Answer {
      headers = Map.copyOf(headers);
    }
  }

  /** Close the connection without an answer; the request never reaches the API server. */
  public record Reset() implements Fault {}

  /**
   * Pass the request on, then close the connection without the answer: its effect is unknown to the
   * client.
   */
  public record LoseAnswer() implements Fault {}

  /**
   * Pass the request on, then answer {@code instead} (a gateway's 504 after the API server acted,
   * say).
   */
  public record ServedThen(Answer instead) implements Fault {}

  /** Pass the request on, then answer 200 with a body that is not JSON (an HTML error page). */
  public record Garbled() implements Fault {}

  /**
   * Answer {@code status} with a message that repeats the request's Authorization header (a hostile
   * server).
   */
  public record EchoCredentials(int status) implements Fault {}

  /**
   * Pass the request on, and hold its answer back for {@code delay} (or until {@code release}
   * opens).
   */
  public record DelayAnswer(Duration delay, CountDownLatch release) implements Fault {
    public DelayAnswer {
      requireNonNull(delay, "delay");
      requireNonNull(release, "release");
    }
  }

  /** Never answer and never pass on: the client's own time limit ends the request. */
  public record Stall() implements Fault {}

  /** A fault that applied, for assertions. */
  public record Applied(String method, String uri, Fault fault) {}

  private static final class Rule {
    final String method;
    final Pattern uri;
    final Fault fault;
    final AtomicInteger left;

    Rule(String method, String uriRegex, int times, Fault fault) {
      this.method = method;
      this.uri = Pattern.compile(uriRegex);
      this.fault = fault;
      this.left = new AtomicInteger(times);
    }
  }

  private static final java.util.Set<String> FORWARDED =
      java.util.Set.of("authorization", "content-type", "accept");
  private final HttpsServer server;
  private final HttpClient upstreamClient;
  private final URI upstream;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Applied> applied = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });

  private FaultProxy(TestPki pki, URI upstream, int port)
      throws IOException, GeneralSecurityException {
    this.upstream = upstream;
    this.upstreamClient = HttpClient.newBuilder().sslContext(pki.clientContext())
        .version(HttpClient.Version.HTTP_1_1).executor(executor).build();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A proxy on a free port in front of {@code upstream}. */
  public static FaultProxy start(TestPki pki, URI upstream)
      throws IOException, GeneralSecurityException {
    return new FaultProxy(pki, upstream, 0);
  }

  /** A proxy on {@code port}: an API server that comes up after the client started trying. */
  public static FaultProxy startOn(TestPki pki, URI upstream, int port)
      throws IOException, GeneralSecurityException {
    return new FaultProxy(pki, upstream, port);
  }

  public URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Applies {@code fault} to the next {@code times} requests matching {@code method} and the URI
   * regex.
   */
  public FaultProxy rule(String method, String uriRegex, int times, Fault fault) {
    rules.add(new Rule(method, uriRegex, times, fault));
    return this;
  }

  public static Answer status(int status, String reason) {
    return new Answer(status, reason, Map.of());
  }

  public static Answer tooManyRequests(String retryAfter) {
    return new Answer(429, "TooManyRequests", Map.of("Retry-After", retryAfter));
  }

  public List<Applied> applied() {
    return List.copyOf(applied);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String uri = ex.getRequestURI().toString();
      byte[] body = ex.getRequestBody().readAllBytes();
      Fault fault = match(method, uri);
      if (fault != null) {
        applied.add(new Applied(method, uri, fault));
      }
      if (fault instanceof Answer a) {
        answer(ex, a);
        return;
      }
      if (fault instanceof EchoCredentials e) {
        String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
        byte[] status =
            ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":"
                    + "\"Forbidden\",\"message\":\"you sent "
                    + auth
                    + " and "
                    + auth.replace("Bearer ", "")
                    + "\",\"code\":"
                    + e.status()
                    + "}")
                .getBytes(StandardCharsets.UTF_8);
        FakeKube.write(ex, e.status(), "application/json", status);
        return;
      }
      if (fault instanceof Reset) {
        return; // closing the exchange before any answer closes the connection
      }
      if (fault instanceof Stall) {
        closed.await();
        return;
      }
      HttpResponse<InputStream> answer = forward(ex, method, uri, body);
      if (fault instanceof LoseAnswer) {
        answer.body().close();
        return;
      }
      if (fault instanceof ServedThen s) {
        answer.body().close();
        answer(ex, s.instead());
        return;
      }
      if (fault instanceof Garbled) {
        answer.body().close();
        FakeKube.write(
            ex, 200, "text/html", "<html>upstream error</html>".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (fault instanceof DelayAnswer d) {
        d.release().await(d.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
      relay(ex, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // The client or the API server went away mid-answer, which several faults do on purpose.
    }
  }

  private static void answer(HttpExchange ex, Answer a) throws IOException {
    a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    byte[] status =
        ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\""
                + a.reason()
                + "\",\"message\":\"injected by the fault proxy\",\"code\":"
                + a.status()
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    FakeKube.write(ex, a.status(), "application/json", status);
  }

  private Fault match(String method, String uri) {
    for (Rule r : rules) {
      if (r.method.equals(method)
          && r.uri.matcher(uri).find()
          && r.left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return r.fault;
      }
    }
    return null;
  }

  private HttpResponse<InputStream> forward(HttpExchange ex, String method, String uri, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + uri))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders().forEach((k, values) -> {
      if (FORWARDED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(v -> request.header(k, v));
      }
    });
    return upstreamClient.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** Copies the API server's answer, flushing each piece: watches and logs are streams. */
  private static void relay(HttpExchange ex, HttpResponse<InputStream> answer) throws IOException {
    answer
        .headers()
        .firstValue("Content-Type")
        .ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
    answer
        .headers()
        .firstValue("Retry-After")
        .ifPresent(v -> ex.getResponseHeaders().set("Retry-After", v));
    ex.sendResponseHeaders(answer.statusCode(), 0);
    try (InputStream in = answer.body(); OutputStream out = ex.getResponseBody()) {
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}

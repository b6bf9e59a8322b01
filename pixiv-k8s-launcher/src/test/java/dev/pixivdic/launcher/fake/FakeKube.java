package dev.pixivdic.launcher.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An in-process Kubernetes API server over HTTPS on 127.0.0.1 whose answers the test scripts.
 * Each route ({@code METHOD path-regex}) has a queue of responders; a request takes the next one,
 * waiting for the test to supply it. Every request is recorded.
 */
public final class FakeKube implements AutoCloseable {
  /** Answers one request. */
  public interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  /** A request as the server saw it. */
  public record Request(String method, String uri, Optional<String> authorization, String body,
      Optional<String> clientCertificate) {}

  private record Route(String method, String regex) {
    Pattern path() {
      return Pattern.compile(regex);
    }
  }

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-kube");
    t.setDaemon(true);
    return t;
  });
  private final Object scripted = new Object();
  private final Map<Route, BlockingQueue<Responder>> routes = new java.util.LinkedHashMap<>();
  private final List<Map.Entry<Route, Responder>> persistent = new java.util.ArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();
  private final List<Streams.Stream> streams = new CopyOnWriteArrayList<>();

  private FakeKube(TestPki pki, boolean needClientAuth)
      throws IOException, GeneralSecurityException {
    SSLContext ssl = pki.serverContext();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = ssl.getDefaultSSLParameters();
        if (needClientAuth) {
          p.setNeedClientAuth(true);
        } else {
          p.setWantClientAuth(true);
        }
        params.setSSLParameters(p);
      }
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeKube start(TestPki pki) throws IOException, GeneralSecurityException {
    return new FakeKube(pki, false);
  }

  public static FakeKube startRequiringClientCertificates(TestPki pki)
      throws IOException, GeneralSecurityException {
    return new FakeKube(pki, true);
  }

  public URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Queues {@code responder} for the next request matching {@code method} and the path regex. */
  public FakeKube on(String method, String pathRegex, Responder responder) {
    synchronized (scripted) {
      routes
          .computeIfAbsent(new Route(method, pathRegex), r -> new LinkedBlockingQueue<>())
          .add(responder);
      scripted.notifyAll();
    }
    return this;
  }

  /**
   * Answers every request matching {@code method} and the regex with {@code responder}, after any
   * queued one; among persistent routes the one added last wins.
   */
  public FakeKube always(String method, String pathRegex, Responder responder) {
    synchronized (scripted) {
      persistent.add(0, Map.entry(new Route(method, pathRegex), responder)); // the latest wins
      scripted.notifyAll();
    }
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Waits for the next request to arrive (any route). */
  public Request awaitRequest() throws InterruptedException {
    Request r = arrivals.poll(20, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived; seen so far: " + requests);
    }
    return r;
  }

  /** Waits for a request whose method and URI match, skipping others. */
  public Request awaitRequest(String method, String uriRegex) throws InterruptedException {
    Pattern p = Pattern.compile(uriRegex);
    while (true) {
      Request r = awaitRequest();
      if (r.method().equals(method) && p.matcher(r.uri()).find()) {
        return r;
      }
    }
  }

  /** A new watch or log stream the test feeds; closed when the fake closes. */
  public Streams.Stream newStream() {
    Streams.Stream s = new Streams.Stream();
    streams.add(s);
    return s;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String uri = ex.getRequestURI().toString();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Optional<String> cert = Optional.empty();
      if (ex instanceof HttpsExchange https) {
        try {
          cert =
              Optional.of(
                  ((java.security.cert.X509Certificate)
                          https.getSSLSession().getPeerCertificates()[0])
                      .getSubjectX500Principal()
                      .getName());
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
          cert = Optional.empty();
        }
      }
      Request request = new Request(ex.getRequestMethod(), uri,
          Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")), body, cert);
      requests.add(request);
      arrivals.add(request);
      Responder responder = next(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), uri);
      if (responder == null) {
        Responses.status(
                503,
                "ServiceUnavailable",
                "fake: nothing scripted for " + request.method() + " " + uri)
            .respond(ex);
        return;
      }
      responder.respond(ex);
    } catch (IOException | RuntimeException e) {
      // The client went away mid-stream, which several tests do on purpose.
    }
  }

  private Responder next(String method, String path, String uri) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (scripted) {
      while (!executor.isShutdown()) {
        for (Map.Entry<Route, BlockingQueue<Responder>> e : routes.entrySet()) {
          if (e.getKey().method().equals(method) && e.getKey().path().matcher(uri).find()) {
            Responder r = e.getValue().poll();
            if (r != null) {
              return r;
            }
          }
        }
        for (Map.Entry<Route, Responder> e : persistent) {
          if (e.getKey().method().equals(method) && e.getKey().path().matcher(uri).find()) {
            return e.getValue();
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        try {
          // Until the test scripts this route (on() notifies).
          TimeUnit.NANOSECONDS.timedWait(scripted, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return null;
    }
  }

  @Override
  public void close() {
    streams.forEach(Streams.Stream::end);
    synchronized (scripted) {
      scripted.notifyAll();
    }
    server.stop(0);
    executor.shutdownNow();
  }

  /** Writes a body to an exchange with a fixed length. */
  static void write(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}

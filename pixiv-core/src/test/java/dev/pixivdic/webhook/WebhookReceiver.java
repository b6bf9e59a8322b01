package dev.pixivdic.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for a chat webhook (Slack's incoming webhooks and the like): it records
 * every request and answers with the next scripted status, then with the default one. It knows
 * nothing of what is posted. Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  public record Request(String method, String path, String contentType, String body) {}

  private final HttpServer server;
  private final String path;
  private final Deque<Integer> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private int otherwise = 200;

  private WebhookReceiver(String path) throws IOException {
    this.path = path;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      int status;
      synchronized (this) {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            new String(body, StandardCharsets.UTF_8)));
        status = script.isEmpty() ? otherwise : script.poll();
        notifyAll();
      }
      byte[] answer = (status / 100 == 2 ? "ok" : "no_service").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "webhook-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** Starts a receiver whose URL has a secret-looking path, as a chat's webhook URL has. */
  public static WebhookReceiver start() throws IOException {
    return new WebhookReceiver("/services/T0001/B0002/s3cretT0kenXyz");
  }

  /** Answers the next requests with these statuses, in order. */
  public synchronized WebhookReceiver answer(Integer... statuses) {
    script.addAll(List.of(statuses));
    return this;
  }

  /** Answers requests beyond the script with this status. */
  public synchronized WebhookReceiver otherwise(int status) {
    otherwise = status;
    return this;
  }

  /** The webhook's URL, secret path included. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** The secret part of the URL, which must never be shown. */
  public String secret() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Waits until at least {@code n} requests arrived. */
  public synchronized List<Request> await(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + n + " webhook requests, got " + requests);
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}

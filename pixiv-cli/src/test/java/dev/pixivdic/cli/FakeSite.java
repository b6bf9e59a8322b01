package dev.pixivdic.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the site in CLI tests: every article path answers with the same
 * article page (or a page chosen per test), robots.txt allows everything (or says what a test
 * sets), and every request is counted.
 */
final class FakeSite implements AutoCloseable {

  static final byte[] ARTICLE = read("current-dom-full.html");
  static final byte[] CHALLENGE = read("blocked-just-a-moment-503.html");
  static final byte[] UNRELATED = read("unrelated-page.html");

  record Answer(int status, byte[] body, Map<String, String> headers) {
    Answer(int status, byte[] body) {
      this(status, body, Map.of());
    }
  }

  /** When an article request arrived, and what it was answered (System.nanoTime). */
  record Seen(String path, long arrivedNanos, long answeredNanos, int status) {}

  interface Script {
    Answer answer(String path, int nth);
  }

  /** A script that also knows how many article requests came so far, this one included. */
  interface CountingScript extends Script {
    Answer answer(String path, int nth, int overall);

    @Override
    default Answer answer(String path, int nth) {
      return answer(path, nth, nth);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  final AtomicInteger articleRequests = new AtomicInteger();
  final Map<String, AtomicInteger> perPath = new ConcurrentHashMap<>();
  final java.util.List<Seen> seen =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private volatile Script script = (path, nth) -> new Answer(200, ARTICLE);
  private volatile CountDownLatch afterRequests = new CountDownLatch(0);
  private volatile String robots = "User-agent: *\nAllow: /\n";

  FakeSite() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A site for a field initialiser, where a checked exception cannot go. */
  static FakeSite open() {
    try {
      return new FakeSite();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeSite answering(Script s) {
    this.script = s;
    return this;
  }

  /** Serves {@code text} as robots.txt instead of one that allows everything. */
  FakeSite robots(String text) {
    this.robots = text;
    return this;
  }

  /** A latch released once this many article requests have been answered. */
  CountDownLatch latchAfter(int requests) {
    CountDownLatch l = new CountDownLatch(requests);
    afterRequests = l;
    return l;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      if (path.equals("/robots.txt")) {
        send(ex, new Answer(200, robots.getBytes(StandardCharsets.UTF_8)));
        return;
      }
      long arrived = System.nanoTime();
      int n = articleRequests.incrementAndGet();
      int nth = perPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Answer a = script instanceof CountingScript c ? c.answer(path, nth, n)
          : script.answer(path, nth);
      send(ex, a);
      seen.add(new Seen(path, arrived, System.nanoTime(), a.status()));
      afterRequests.countDown();
    }
  }

  private static void send(HttpExchange ex, Answer a) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
    if (a.body().length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(a.body());
      }
    }
  }

  /** The port the site listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static byte[] read(String corpusFile) {
    try {
      return Files.readAllBytes(ParseCommandTest.CORPUS.resolve(corpusFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

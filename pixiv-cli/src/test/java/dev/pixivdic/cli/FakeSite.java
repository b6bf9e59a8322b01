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
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for the site in CLI tests: every article path answers with the same
 * article page (or a page chosen per test), robots.txt allows everything, and every request is
 * counted.
 */
final class FakeSite implements AutoCloseable {

  static final byte[] ARTICLE = read("current-dom-full.html");
  static final byte[] CHALLENGE = read("blocked-just-a-moment-503.html");
  static final byte[] UNRELATED = read("unrelated-page.html");

  record Answer(int status, byte[] body) {}

  interface Script {
    Answer answer(String path, int nth);
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  final AtomicInteger articleRequests = new AtomicInteger();
  final Map<String, AtomicInteger> perPath = new ConcurrentHashMap<>();
  private volatile Script script = (path, nth) -> new Answer(200, ARTICLE);
  private volatile CountDownLatch afterRequests = new CountDownLatch(0);

  FakeSite() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  FakeSite answering(Script s) {
    this.script = s;
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
        send(ex, new Answer(200, "User-agent: *\nAllow: /\n".getBytes(StandardCharsets.UTF_8)));
        return;
      }
      articleRequests.incrementAndGet();
      int nth = perPath.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      send(ex, script.answer(path, nth));
      afterRequests.countDown();
    }
  }

  private static void send(HttpExchange ex, Answer a) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
    if (a.body().length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(a.body());
      }
    }
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

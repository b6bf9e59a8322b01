package dev.pixivdic.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for the site's search, serving the search pages listed in the core's
 * {@code resolve/search/site.tsv}, and the same article page at every {@code /a/...} path.
 * A search not listed answers 500, which the resolve tests never expect. Records every request.
 */
final class SearchSite implements AutoCloseable {

  static final Path DIR = Path.of("..", "pixiv-core", "src", "test", "resources", "dev",
      "pixivdic", "core", "resolve", "search");

  private record Page(int status, byte[] body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, Page> pages = new HashMap<>();
  final List<String> searches = new CopyOnWriteArrayList<>();
  final List<String> articles = new CopyOnWriteArrayList<>();
  private volatile boolean challengeEverything;
  private volatile Page everything;
  private final Set<String> failOnce = ConcurrentHashMap.newKeySet();

  SearchSite() throws IOException {
    for (String line : Files.readAllLines(DIR.resolve("site.tsv"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split("\t");
        pages.put(f[0] + "#" + f[1],
            new Page(Integer.parseInt(f[2]), Files.readAllBytes(DIR.resolve(f[3]))));
      }
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The search for {@code query} page {@code page} answers 503 the first time it is asked. */
  SearchSite failingOnce(String query, int page) {
    failOnce.add(query + "#" + page);
    return this;
  }

  /** Every search answers with a bot challenge from now on. */
  SearchSite challengingEverything() {
    challengeEverything = true;
    return this;
  }

  /**
   * Every request but robots.txt answers {@code status} with {@code body} from now on, as a
   * server that is not the site does.
   */
  SearchSite answeringEverything(int status, String body) {
    everything = new Page(status, body.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      Page fixed = everything;
      if (fixed != null && !path.equals("/robots.txt")) {
        searches.add(path);
        send(ex, fixed.status(), fixed.body());
      } else if (path.equals("/robots.txt")) {
        send(ex, 200, "User-agent: *\nAllow: /\n".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/search")) {
        String query = null;
        String page = null;
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
          String[] p = kv.split("=", 2);
          String v = URLDecoder.decode(p[1], StandardCharsets.UTF_8);
          if (p[0].equals("query")) {
            query = v;
          } else if (p[0].equals("page")) {
            page = v;
          }
        }
        searches.add(query + "#" + page);
        Page answer = challengeEverything ? pages.get("ブロック#1") : pages.get(query + "#" + page);
        if (failOnce.remove(query + "#" + page)) {
          send(ex, 503, "try again".getBytes(StandardCharsets.UTF_8));
        } else if (answer == null) {
          send(ex, 500, "unexpected search".getBytes(StandardCharsets.UTF_8));
        } else {
          send(ex, answer.status(), answer.body());
        }
      } else {
        articles.add(path);
        send(ex, 200, FakeSite.ARTICLE);
      }
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.core.ArticleUrl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback copy of the site built from the golden corpus: every corpus page is served at its
 * article path with its status and content type, gzip-compressed when asked, and a few pages
 * fail once (503 with Retry-After, 429, 500) so the demo shows retries. Serves only 127.0.0.1.
 */
final class DemoSite implements AutoCloseable {

  record Page(ArticleUrl url, int status, String contentType, byte[] body, String outcome) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] NOT_FOUND = ("<!doctype html><html><head><title>記事が見つかりません - "
      + "ピクシブ百科事典</title></head>"
      + "<body><h1>お探しの記事は見つかりませんでした</h1></body></html>").getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Page> pages;
  private final Map<String, Integer> faultsLeft = new ConcurrentHashMap<>();
  private final Map<String, Integer> faultStatus;

  private DemoSite(Map<String, Page> pages, Map<String, Integer> faults) throws IOException {
    this.pages = pages;
    this.faultStatus = faults;
    faults.keySet().forEach(k -> faultsLeft.put(k, 1));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(4,
        new ThreadFactoryBuilder().setNameFormat("demo-site-%d").setDaemon(true).build());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the site with every servable corpus page; three of the stored ones fail once. */
  static DemoSite start() throws IOException {
    Map<String, Page> pages = loadCorpus();
    List<String> stored = storedUrls(pages);
    Map<String, Integer> faults = new TreeMap<>();
    int[] codes = {503, 429, 500};
    for (int i = 0; i < codes.length && i < stored.size(); i++) {
      faults.put(stored.get(i), codes[i]);
    }
    return new DemoSite(pages, faults);
  }

  /** The origin to pass as {@code --origin}. */
  URI origin() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The pages served, by canonical URL. */
  Map<String, Page> pages() {
    return pages;
  }

  /** URLs of the pages that yield a stored row (ARTICLE or NOT_FOUND), sorted. */
  static List<String> storedUrls(Map<String, Page> pages) {
    return pages.values().stream()
        .filter(p -> p.outcome().equals("ARTICLE") || p.outcome().equals("NOT_FOUND"))
        .map(p -> p.url().canonical()).sorted().toList();
  }

  /** How many pages fail once before they are served. */
  int faults() {
    return faultStatus.size();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      if (path.equals("/robots.txt")) {
        send(ex, 200, "text/plain",
            "User-agent: *\nDisallow: /admin/\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Page page = ArticleUrl.tryParse(ArticleUrl.ORIGIN + path)
          .map(u -> pages.get(u.canonical())).orElse(null);
      if (page == null) {
        send(ex, 404, "text/html; charset=utf-8", NOT_FOUND);
        return;
      }
      String key = page.url().canonical();
      Integer fault = faultStatus.get(key);
      if (fault != null && faultsLeft.merge(key, -1, Integer::sum) >= 0) {
        ex.getResponseHeaders().add("Retry-After", "1");
        send(ex, fault, "text/html; charset=utf-8", ("<html><body>temporarily unavailable (" + fault
            + ")</body></html>").getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(ex, page.status(), page.contentType(), page.body());
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().add("Content-Type", type);
    }
    byte[] out = body;
    String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
    if (accept != null && accept.contains("gzip") && body.length > 256) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(body.length / 4);
      try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
        gz.write(body);
      }
      out = buf.toByteArray();
      ex.getResponseHeaders().add("Content-Encoding", "gzip");
    }
    ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Reads every {@code article/*.expected.json} with an HTML page beside it from the classpath. */
  static Map<String, Page> loadCorpus() throws IOException {
    URL root = DemoSite.class.getResource("demo-site/article");
    if (root == null) {
      throw new IOException("the demo pages are missing from this build (demo-site/article)");
    }
    URI uri;
    try {
      uri = root.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (uri.getScheme().equals("jar")) {
      try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
        return load(fs.provider().getPath(uri));
      }
    }
    return load(Path.of(uri));
  }

  private static Map<String, Page> load(Path dir) throws IOException {
    Map<String, Page> pages = new TreeMap<>();
    List<Path> expected = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted()
          .forEach(expected::add);
    }
    Set<String> seen = new java.util.HashSet<>();
    for (Path e : expected) {
      String name = e.getFileName().toString();
      Path html = e.resolveSibling(
          name.substring(0, name.length() - ".expected.json".length()) + ".html");
      if (!Files.exists(html)) {
        continue;
      }
      JsonNode meta;
      try {
        meta = JSON.readTree(Files.readAllBytes(e));
      } catch (IOException ex) {
        throw new UncheckedIOException("bad demo page description " + name, ex);
      }
      ArticleUrl url = ArticleUrl.parse(meta.path("url").asText());
      if (!seen.add(url.canonical())) {
        continue;
      }
      int status = meta.path("http_status").asInt(200);
      pages.put(url.canonical(), new Page(url, status == 0 ? 200 : status,
          meta.path("content_type").asText("text/html; charset=utf-8"), Files.readAllBytes(html),
          meta.path("outcome").asText("")));
    }
    return pages;
  }
}

package dev.pixivdic.examples.rehearsal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.parse.GoldenCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The encyclopedia on 127.0.0.1, built from the golden corpus as {@code pixiv demo}'s site is:
 * every corpus article at its path, the site's not-found page for any other article, search result
 * pages listing the articles whose title matches the query, and robots.txt. It can change mid-run:
 * {@link Mode#REDESIGNED} serves every article in a layout whose counts the parser cannot find,
 * {@link Mode#BLOCKING} answers with Cloudflare's block page. Every request is recorded with its
 * time. Thread-safe.
 */
public final class Site implements AutoCloseable {

  /** How the site answers now. */
  public enum Mode {
    NORMAL,
    REDESIGNED,
    BLOCKING
  }

  /** One request and its answer's status. */
  public record Hit(Instant at, String path, String query, int status) {
    public boolean article() {
      return path.startsWith("/a/");
    }

    public boolean search() {
      return path.equals("/search");
    }
  }

  /** A corpus article the site serves, with the row the parser must make of it. */
  public record Article(String url, String title, JsonNode expectedRow) {
    public Article {
      requireNonNull(url, "url");
      requireNonNull(title, "title");
      requireNonNull(expectedRow, "expectedRow");
    }
  }

  private record Page(int status, String contentType, byte[] body) {}

  private static final String HTML = "text/html; charset=utf-8";
  private static final byte[] ROBOTS =
      "User-agent: *\nDisallow: /admin/\n".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8, daemons("site-%d"));
  private final Map<String, Page> pages = new LinkedHashMap<>();
  private final List<Article> articles = new ArrayList<>();
  private final byte[] notFound;
  private final byte[] blocked;
  private final byte[] noHits;
  private final String redesigned = resource("redesigned-article.html");
  private final String results = resource("search-results.html");
  private final String hit = resource("search-hit.html");
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  // Notified after each request is recorded, for awaitHits.
  private final Object arrived = new Object();
  private volatile Mode mode = Mode.NORMAL;

  private Site() throws IOException {
    byte[] nf = null;
    byte[] bl = null;
    byte[] nh = null;
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      JsonNode e = c.expected();
      switch (c.name()) {
        case "article/not-found-404" -> nf = c.body();
        case "article/blocked-attention-required-403" -> bl = c.body();
        case "search/search-zero-hits-404" -> nh = c.body();
        default -> {}
      }
      if (c.kind() == GoldenCorpus.Kind.ARTICLE_HTML
          && e.path("outcome").asText().equals("ARTICLE")
          && !pages.containsKey(c.url())) {
        String type = Optional.ofNullable(c.contentType()).orElse(HTML);
        pages.put(c.url(), new Page(200, type, c.body()));
        articles.add(new Article(c.url(), e.path("row").path("title").asText(), e.path("row")));
      }
    }
    notFound = requireNonNull(nf, "the corpus lost its not-found page");
    blocked = requireNonNull(bl, "the corpus lost its block page");
    noHits = requireNonNull(nh, "the corpus lost its zero-hits search page");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static Site start() throws IOException {
    return new Site();
  }

  /** The origin that stands for {@code https://dic.pixiv.net}. */
  public URI origin() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The corpus articles served, one per URL. */
  public List<Article> articles() {
    return List.copyOf(articles);
  }

  public void mode(Mode m) {
    mode = requireNonNull(m, "m");
  }

  public List<Hit> hits() {
    return List.copyOf(hits);
  }

  /** The requests that arrived at or after {@code since}. */
  public List<Hit> hitsSince(Instant since) {
    return hits.stream().filter(h -> !h.at().isBefore(since)).toList();
  }

  /**
   * Waits until the requests that arrived at or after {@code since} satisfy {@code enough},
   * woken by each request as it is recorded; returns whether they did within {@code timeout}.
   */
  public boolean awaitHits(Instant since, java.util.function.Predicate<List<Hit>> enough,
      Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (arrived) {
      while (!enough.test(hitsSince(since))) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(arrived, left);
      }
      return true;
    }
  }

  /** The most of these requests that fell in one window of this length. */
  public static int busiestWindow(List<Hit> hits, Duration window) {
    List<Instant> times = hits.stream().map(Hit::at).sorted().toList();
    int most = 0;
    int from = 0;
    for (int to = 0; to < times.size(); to++) {
      while (!times.get(from).plus(window).isAfter(times.get(to))) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      Page page = answer(path, query == null ? "" : query);
      hits.add(new Hit(Instant.now(), path, query == null ? "" : query, page.status()));
      synchronized (arrived) {
        arrived.notifyAll();
      }
      ex.getResponseHeaders().set("Content-Type", page.contentType());
      ex.sendResponseHeaders(page.status(), page.body().length == 0 ? -1 : page.body().length);
      if (page.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(page.body());
        }
      }
    }
  }

  private Page answer(String path, String query) {
    if (path.equals("/robots.txt")) {
      return new Page(200, "text/plain", ROBOTS);
    }
    Mode now = mode;
    if (now == Mode.BLOCKING) {
      return new Page(403, HTML, blocked);
    }
    if (path.equals("/search")) {
      return search(query);
    }
    Optional<String> url = ArticleUrl.tryParse(ArticleUrl.ORIGIN + path).map(ArticleUrl::canonical);
    Optional<Page> article = url.map(pages::get);
    if (article.isEmpty()) {
      return new Page(404, HTML, notFound);
    }
    if (now == Mode.REDESIGNED) {
      String title =
          articles.stream()
              .filter(a -> a.url().equals(url.get()))
              .findFirst()
              .orElseThrow()
              .title();
      String page = redesigned.replace("{{title}}", escape(title));
      return new Page(200, HTML, page.getBytes(StandardCharsets.UTF_8));
    }
    return article.get();
  }

  /** Page 1 of a search: the articles whose title is the query, as the site lists them. */
  private Page search(String rawQuery) {
    String q = "";
    for (String kv : rawQuery.split("&")) {
      if (kv.startsWith("query=")) {
        q = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8);
      }
    }
    String wanted = normalize(q);
    StringBuilder list = new StringBuilder();
    int count = 0;
    for (Article a : articles) {
      if (normalize(a.title()).equals(wanted)) {
        String articlePath = URI.create(a.url()).getRawPath();
        list.append(hit.replace("{{path}}", articlePath).replace("{{title}}", escape(a.title())));
        count++;
      }
    }
    if (count == 0) {
      return new Page(404, HTML, noHits);
    }
    String page =
        results
            .replace("{{query}}", escape(q))
            .replace("{{count}}", Integer.toString(count))
            .replace("{{hits}}", list);
    return new Page(200, HTML, page.getBytes(StandardCharsets.UTF_8));
  }

  private static String normalize(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
  }

  private static java.util.concurrent.ThreadFactory daemons(String nameFormat) {
    return new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#x27;");
  }

  private static String resource(String name) {
    try (InputStream in = Site.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package dev.pixivdic.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.scrape.internal.ArticleScraper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

// One file although long: a benchmark harness whose modes (ratios, faults, gaps, rss) share
// one loopback site and one run helper; it is a command, not library code.
/**
 * How close a run comes to its politeness budget: wall time ÷ (items ÷ qps) against a loopback
 * site that answers after a fixed latency, for several budgets and concurrencies (1.00 is
 * ideal; the fetcher's rate limiter must neither overshoot nor waste the budget). With
 * {@code faults}, one request in 20 answers 503 once (no {@code Retry-After}), and the ratio is
 * wall time ÷ (requests ÷ qps), retries counted as requests, with retries deferred to the
 * engine's queue (as {@code pixiv scrape} runs) and, for comparison, waited out in the worker,
 * after a warm-up run that no figure includes. With {@code gaps}, measures the time between
 * two requests at concurrency 1 through each layer, from a plain socket to a whole run. With
 * {@code rss}, scrapes many items as fast as possible and prints the peak resident set.
 *
 * <pre>
 * java -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.ScrapeThroughput \
 *     [ratio|faults|gaps|rss] [seconds|requests|items] [faults: warm-up seconds |
 *     gaps: only the layers whose name contains this]
 * </pre>
 */
public final class ScrapeThroughput {

  private ScrapeThroughput() {}

  public static void main(String[] args) throws Exception {
    // The JDK server writes headers and body apart; with Nagle's algorithm on, loopback adds
    // a 40 ms delayed-ACK stall to every small response, which no real site would.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String mode = args.length > 0 ? args[0] : "ratio";
    if (mode.equals("rss")) {
      int items = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
      rss(items);
    } else if (mode.equals("gaps")) {
      gaps(args.length > 1 ? Integer.parseInt(args[1]) : 200, args.length > 2 ? args[2] : "");
    } else if (mode.equals("faults")) {
      faults(args.length > 1 ? Integer.parseInt(args[1]) : 20,
          args.length > 2 ? Integer.parseInt(args[2]) : 10);
    } else {
      int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
      ratios(seconds);
    }
  }

  private static void ratios(int seconds) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ofMillis(100), 0)) {
      System.out.printf(Locale.ROOT, "loopback site, 100 ms latency, %d s of budget per run%n",
          seconds);
      System.out.printf(Locale.ROOT, "| qps | concurrency | items | wall s | ideal s | ratio |%n"
          + "| --- | --- | --- | --- | --- | --- |%n");
      for (double qps : new double[] {20, 50}) {
        for (int c : new int[] {1, 2, 4, 8}) {
          int items = (int) (qps * seconds);
          long t0 = System.nanoTime();
          RunReport r = run(site, qps, c, items, true).report();
          double wall = (System.nanoTime() - t0) / 1e9;
          double ideal = items / qps;
          if (r.rowsWritten() != items) {
            throw new IllegalStateException("expected " + items + " rows, got "
                + r.rowsWritten() + ": " + r.problems());
          }
          System.out.printf(Locale.ROOT, "| %.0f | %d | %d | %.2f | %.2f | %.2f |%n",
              qps, c, items, wall, ideal, wall / ideal);
        }
      }
    }
  }

  /**
   * The fault mode: one warm-up run, excluded from every figure (a production run lasts hours,
   * so the JIT's first minute is not what it costs), then the measured runs, each with the
   * site's own view of its requests.
   */
  private static void faults(int seconds, int warmupSeconds) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ofMillis(100), 20)) {
      System.out.printf(Locale.ROOT, "loopback site, 100 ms latency, one request in 20 answers 503"
          + " once; %d s of budget per run%n", seconds);
      long w0 = System.nanoTime();
      Result warm = run(site, 40, 4, 40 * warmupSeconds, true);
      System.out.printf(Locale.ROOT, "warm-up (excluded): qps 40, concurrency 4, %d requests in"
          + " %.2f s%n%n", warm.requests(), (System.nanoTime() - w0) / 1e9);
      System.out.printf(Locale.ROOT, "| qps | concurrency | retries | items | requests | wall s "
          + "| requests ÷ qps s | ratio | steady ratio | site latency ms | site ms "
          + "| in flight at the site | latency floor | client gap ms |%n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
      for (double[] qc : new double[][] {{10, 1}, {40, 4}}) {
        for (boolean defer : new boolean[] {true, false}) {
          double qps = qc[0];
          int c = (int) qc[1];
          int items = (int) (qps * seconds);
          site.timeline.clear();
          long t0 = System.nanoTime();
          Result res = run(site, qps, c, items, defer);
          long t1 = System.nanoTime();
          if (res.report().rowsWritten() != items) {
            throw new IllegalStateException("expected " + items + " rows, got "
                + res.report().rowsWritten() + ": " + res.report().problems());
          }
          double wall = (t1 - t0) / 1e9;
          double ideal = res.requests() / qps;
          SiteView v = SiteView.of(List.copyOf(site.timeline), t0, t1);
          System.out.printf(Locale.ROOT, "| %.0f | %d | %s | %d | %d | %.2f | %.2f | %.3f | %.3f "
              + "| %.2f | %.1f | %.2f | %.3f | %s |%n",
              qps, c, defer ? "queued (`pixiv scrape`)" : "waited in the worker", items,
              res.requests(), wall, ideal, wall / ideal, v.steadyRatio(qps), v.latencyMillis(),
              v.siteMillis(),
              v.inFlight(), Math.max(1, v.siteMillis() / 1000 * qps / c),
              c == 1 ? String.format(Locale.ROOT, "%.1f", v.clientGapMillis()) : "-");
        }
      }
      System.out.println();
      System.out.println("steady ratio: the same from the site's view, over its requests after"
          + " the first tenth of the run; site latency ms: mean time from a request's arrival"
          + " in the site's handler to the start of its answer; site ms: from its arrival to"
          + " the end of its answer; in flight at the site: requests there on average over"
          + " the run; latency floor: site ms × qps ÷ concurrency, the ratio no client can"
          + " beat with this many requests in flight; client gap ms (concurrency 1): mean"
          + " time from one answer to the next request's arrival");
    }
  }

  /**
   * Where the time between two requests goes at concurrency 1, layer by layer: the site's
   * view of {@code n} requests in a row sent by the JDK's HTTP client alone (synchronously, and
   * asynchronously on a pool as {@code HttpFetcher} sends), by {@code HttpFetcher.get}, and by
   * a whole run (fetch, parse, engine), each without a rate limit, after a warm-up of each.
   */
  private static void gaps(int n, String only) throws Exception {
    layerFilter = only;
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ofMillis(100), 0)) {
      System.out.printf(Locale.ROOT, "loopback site, 100 ms latency, %d requests in a row per"
          + " layer, one in flight%n%n| layer | site latency ms | site ms | client gap ms "
          + "| cycle ms |%n|---|---|---|---|---|%n", n);
      java.net.http.HttpClient sync = java.net.http.HttpClient.newHttpClient();
      ExecutorService pool = Executors.newCachedThreadPool();
      java.net.http.HttpClient async = java.net.http.HttpClient.newBuilder().executor(pool)
          .build();
      java.net.http.HttpClient http11 = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      ExecutorService single = Executors.newSingleThreadExecutor();
      java.net.http.HttpClient http11single = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).executor(single).build();
      java.net.http.HttpClient http11direct = java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1).executor(Runnable::run).build();
      try {
        for (int pass = 0; pass < 2; pass++) {
          boolean warm = pass == 1;
          try (RawClient raw = new RawClient(site.origin())) {
            layer(site, warm, "a plain socket (HTTP/1.1 by hand, no client library)", n,
                raw::get);
          }
          layer(site, warm, "JDK HttpClient.send", n, i -> sync.send(request(site, i),
              java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
          layer(site, warm, "JDK HttpClient.send, the client on a pool", n, i -> async.send(
              request(site, i), java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
          layer(site, warm, "JDK HttpClient.sendAsync on a pool", n, i -> async.sendAsync(
              request(site, i), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).get());
          layer(site, warm, "JDK HttpClient.send, HTTP/1.1", n, i -> http11.send(
              request(site, i), java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
          layer(site, warm, "JDK HttpClient.send, HTTP/1.1, one-thread executor", n,
              i -> http11single.send(request(site, i),
                  java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
          layer(site, warm, "JDK HttpClient.send, HTTP/1.1, direct executor", n,
              i -> http11direct.send(request(site, i),
                  java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
          try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(1000)
              .concurrency(1).respectRobots(false).deferRetries(true)
              .executor(pool).build()) {
            layer(site, warm, "HttpFetcher.get, the client on a pool", n, i -> fetcher.get(
                ArticleUrl.ofTitle("gapp" + i + "-" + System.nanoTime()).uri()));
          }
          try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(1000)
              .concurrency(1).respectRobots(false).deferRetries(true).build()) {
            layer(site, warm, "HttpFetcher.get", n, i -> fetcher.get(
                ArticleUrl.ofTitle("gap" + i + "-" + System.nanoTime()).uri()));
          }
          for (int workers : new int[] {1, 2}) {
            layer(site, warm, "the engine and HttpFetcher.get, no parse; " + workers
                + " worker" + (workers == 1 ? "" : "s"), n, i -> {
                  if (i == 0) {
                    fetchOnly(site, n, workers);
                  }
                });
          }
          layer(site, warm, "the engine, fetch, then parse 5 ms later; 2 workers", n, i -> {
            if (i == 0) {
              fetchParse(site, n, 5);
            }
          });
          layer(site, warm, "a whole run (fetch, parse, engine; 2 workers)", n,
              i -> {
                if (i == 0) {
                  run(site, 1000, 1, n, true);
                }
              });
        }
      } finally {
        pool.shutdownNow();
        single.shutdownNow();
      }
    }
  }

  /**
   * The least a client can do: one kept-alive socket, a request written by hand, the answer
   * read to its Content-Length. Its gap is the loopback and the site stand-in's own share.
   */
  private static final class RawClient implements AutoCloseable {
    private final java.net.Socket socket;
    private final java.io.BufferedInputStream in;
    private final OutputStream out;

    RawClient(URI origin) throws IOException {
      socket = new java.net.Socket(origin.getHost(), origin.getPort());
      socket.setTcpNoDelay(true);
      in = new java.io.BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void get(int i) throws IOException {
      out.write(("GET /a/raw" + i + "-" + System.nanoTime() + " HTTP/1.1\r\nHost: 127.0.0.1"
          + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      long length = -1;
      StringBuilder line = new StringBuilder();
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the site closed the connection");
        }
        if (b != '\n') {
          line.append((char) b);
          continue;
        }
        String l = line.toString().trim();
        line.setLength(0);
        if (l.isEmpty()) {
          break;
        }
        if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(l.substring(15).trim());
        }
      }
      if (length < 0) {
        throw new IOException("no Content-Length");
      }
      in.skipNBytes(length);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A run whose items are only fetched, at concurrency 1 with {@code workers} workers. */
  private static void fetchOnly(Site site, int n, int workers) throws IOException {
    List<WorkItem> work = IntStream.range(0, n)
        .mapToObj(i -> WorkItem.of(ArticleUrl.ofTitle("f" + i + "-" + System.nanoTime())))
        .toList();
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(1000)
        .concurrency(1).respectRobots(false).deferRetries(true).build()) {
      RunConfig config = RunConfig.builder().workers(workers).build();
      RunEngine.create(Source.ofItems(work), WorkItem::key,
          (WorkItem item) -> {
            fetcher.get(item.url().uri());
            return Processed.<ArticleRow>noRow(Outcome.NOT_FOUND, "fetched");
          }, new Dropping(), config).run();
    }
  }

  /** A run that fetches, waits {@code pauseMillis}, then parses; 2 workers, concurrency 1. */
  private static void fetchParse(Site site, int n, long pauseMillis) throws IOException {
    List<WorkItem> work = IntStream.range(0, n)
        .mapToObj(i -> WorkItem.of(ArticleUrl.ofTitle("p" + i + "-" + System.nanoTime())))
        .toList();
    ArticleParser parser = ArticleParser.create();
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(1000)
        .concurrency(1).respectRobots(false).deferRetries(true).build()) {
      RunConfig config = RunConfig.builder().workers(2).build();
      RunEngine.create(Source.ofItems(work), WorkItem::key,
          (WorkItem item) -> {
            dev.pixivdic.core.fetch.FetchResponse r = fetcher.get(item.url().uri());
            Thread.sleep(pauseMillis);
            parser.parse(new dev.pixivdic.core.parse.Page(item.url(), r.status(),
                r.contentType(), r.body()));
            return Processed.<ArticleRow>noRow(Outcome.NOT_FOUND, "parsed");
          }, new Dropping(), config).run();
    }
  }

  private static java.net.http.HttpRequest request(Site site, int i) {
    return java.net.http.HttpRequest.newBuilder(
        site.origin().resolve("/a/gap" + i + "-" + System.nanoTime())).GET().build();
  }

  /** One request, or for i = 0 a whole run of them. */
  @FunctionalInterface
  private interface Step {
    void run(int i) throws Exception;
  }

  /** Only the layers whose name contains this are run ({@code gaps}' third argument). */
  private static String layerFilter = "";

  private static void layer(Site site, boolean print, String name, int n, Step step)
      throws Exception {
    if (!name.contains(layerFilter)) {
      return;
    }
    site.timeline.clear();
    long t0 = System.nanoTime();
    for (int i = 0; i < n && site.timeline.size() < n; i++) {
      step.run(i);
    }
    SiteView v = SiteView.of(List.copyOf(site.timeline), t0, System.nanoTime());
    if (print) {
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.2f | %.2f | %.2f |%n", name,
          v.latencyMillis(), v.siteMillis(),
          v.clientGapMillis(), v.siteMillis() + v.clientGapMillis());
    }
  }

  /** What the site saw of one run: each request's arrival and answer, in nanoseconds. */
  private record SiteView(List<long[]> requests, long start, long end) {

    static SiteView of(List<long[]> timeline, long start, long end) {
      List<long[]> sorted = new java.util.ArrayList<>(timeline);
      sorted.sort(java.util.Comparator.comparingLong(r -> r[0]));
      return new SiteView(sorted, start, end);
    }

    double siteMillis() {
      return requests.stream().mapToLong(r -> r[1] - r[0]).average().orElse(0) / 1e6;
    }

    /** Mean time from a request's arrival to the start of its answer: the site's latency. */
    double latencyMillis() {
      return requests.stream().mapToLong(r -> r[2] - r[0]).average().orElse(0) / 1e6;
    }

    double inFlight() {
      return requests.stream().mapToLong(r -> r[1] - r[0]).sum() / (double) (end - start);
    }

    /** Arrival of the last request ÷ the budget of the requests since the first tenth. */
    double steadyRatio(double qps) {
      int from = requests.size() / 10;
      int last = requests.size() - 1;
      if (last - from < 1) {
        return Double.NaN;
      }
      double span = (requests.get(last)[0] - requests.get(from)[0]) / 1e9;
      return span / ((last - from) / qps);
    }

    double clientGapMillis() {
      long sum = 0;
      for (int i = 1; i < requests.size(); i++) {
        sum += requests.get(i)[0] - requests.get(i - 1)[1];
      }
      return requests.size() < 2 ? Double.NaN : sum / 1e6 / (requests.size() - 1);
    }
  }

  private static void rss(int items) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ZERO, 0)) {
      long t0 = System.nanoTime();
      RunReport r = run(site, 100_000, 8, items, true).report();
      double wall = (System.nanoTime() - t0) / 1e9;
      if (r.rowsWritten() != items) {
        throw new IllegalStateException("expected " + items + " rows, got " + r.rowsWritten()
            + ": " + r.stopReason() + " " + r.problems());
      }
      System.out.printf(Locale.ROOT,
          "%d items in %.1f s, %d rows written to a sink that drops them%n",
          items, wall, r.rowsWritten());
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
          System.out.println(line.replaceAll("\\s+", " "));
        }
      }
      System.out.printf(Locale.ROOT, "max heap %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  /** A run's report and the requests its fetcher sent. */
  private record Result(RunReport report, long requests) {}

  /** One run as {@code pixiv scrape} makes it (retries deferred unless {@code defer} is false). */
  private static Result run(Site site, double qps, int concurrency, int items, boolean defer)
      throws IOException {
    List<WorkItem> work = IntStream.range(0, items)
        .mapToObj(i -> WorkItem.of(ArticleUrl.ofTitle("bench" + i + "-" + System.nanoTime())))
        .toList();
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(qps)
        .concurrency(concurrency).respectRobots(false).deferRetries(defer).build()) {
      // As pixiv scrape: one worker more than requests in flight, so parsing overlaps fetching.
      RunConfig config = RunConfig.builder().workers(concurrency + 1).flushRows(1000)
          .requiredColumns(ArticleParser.requiredColumns()).build();
      ArticleScraper scraper = ArticleScraper.create(fetcher, ArticleParser.create(),
          config.runId(), Clock.systemUTC());
      RunReport report = RunEngine.create(Source.ofItems(work), WorkItem::key, scraper,
          new Dropping(), config).run();
      return new Result(report, fetcher.stats().requestsSent());
    }
  }

  /** Drops rows, so the RSS figure is about the engine, not about rows kept for a test. */
  private static final class Dropping implements Sink<ArticleRow> {
    @Override
    public StoredKeys stored(Shard shard, Instant since) {
      return StoredKeys.none();
    }

    @Override
    public void write(List<ArticleRow> batch) {}
  }

  private static byte[] page(String name) throws IOException {
    try (InputStream in = ScrapeThroughput.class.getResourceAsStream("/corpus/article/" + name)) {
      if (in == null) {
        throw new IOException(
            "corpus page " + name + " is not on the classpath (pixiv-core's test-jar)");
      }
      return in.readAllBytes();
    }
  }

  /**
   * A loopback site answering every path with one page after a fixed latency; with
   * {@code failOneIn} n > 0, the first request of one path in n (by hash) answers 503 instead.
   */
  private static final class Site implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    /** Every request's arrival and answer ({@code System.nanoTime}), for the site's view. */
    final java.util.Queue<long[]> timeline = new java.util.concurrent.ConcurrentLinkedQueue<>();

    Site(byte[] page, Duration latency, int failOneIn) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      server.setExecutor(pool);
      server.createContext("/", ex -> {
        long arrived = System.nanoTime();
        long answering = arrived;
        try (ex) {
          if (!latency.isZero()) {
            try {
              awaitDeadline(arrived + latency.toNanos());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          answering = System.nanoTime();
          String path = ex.getRequestURI().toString();
          if (failOneIn > 0 && Math.floorMod(path.hashCode(), failOneIn) == 0
              && failedOnce.add(path)) {
            ex.sendResponseHeaders(503, -1);
            return;
          }
          ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, page.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(page);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        } finally {
          timeline.add(new long[] {arrived, System.nanoTime(), answering});
        }
      });
      server.start();
    }

    /**
     * Returns at {@code deadline} ({@code System.nanoTime}) as exactly as the JVM allows: the
     * site's latency is the benchmark's specification, and {@code Thread.sleep} alone wakes
     * about a millisecond late. Sleeps to 2 ms before it, parks to 0.1 ms before it, then
     * spins (0.1 ms of one core per request, under 1% of a core at these rates).
     */
    private static void awaitDeadline(long deadline) throws InterruptedException {
      long left = deadline - System.nanoTime();
      if (left > 2_000_000) {
        Thread.sleep((left - 2_000_000) / 1_000_000);
      }
      while ((left = deadline - System.nanoTime()) > 100_000) {
        java.util.concurrent.locks.LockSupport.parkNanos(left - 100_000);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      while (deadline - System.nanoTime() > 0) {
        Thread.onSpinWait();
      }
    }

    URI origin() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
      pool.shutdownNow();
    }
  }
}

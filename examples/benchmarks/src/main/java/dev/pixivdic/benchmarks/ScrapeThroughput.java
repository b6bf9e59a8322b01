package dev.pixivdic.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.RunReport;
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

/**
 * How close a run comes to its politeness budget: wall time ÷ (items ÷ qps) against a loopback
 * site that answers after a fixed latency, for several budgets and concurrencies (1.00 is
 * ideal; the fetcher's rate limiter must neither overshoot nor waste the budget). With
 * {@code faults}, one request in 20 answers 503 once (no {@code Retry-After}), and the ratio is
 * wall time ÷ (requests ÷ qps), retries counted as requests, with retries deferred to the
 * engine's queue (as {@code pixiv scrape} runs) and, for comparison, waited out in the worker.
 * With {@code rss}, scrapes many items as fast as possible and prints the peak resident set.
 *
 * <pre>
 * java -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.ScrapeThroughput [ratio|faults|rss] [seconds|items]
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
    } else if (mode.equals("faults")) {
      faults(args.length > 1 ? Integer.parseInt(args[1]) : 20);
    } else {
      int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
      ratios(seconds);
    }
  }

  private static void ratios(int seconds) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ofMillis(100), 0)) {
      System.out.printf(Locale.ROOT, "loopback site, 100 ms latency, %d s of budget per run%n", seconds);
      System.out.printf(Locale.ROOT, "| qps | concurrency | items | wall s | ideal s | ratio |%n| --- | --- | --- | --- | --- | --- |%n");
      for (double qps : new double[] {20, 50}) {
        for (int c : new int[] {1, 2, 4, 8}) {
          int items = (int) (qps * seconds);
          long t0 = System.nanoTime();
          RunReport r = run(site, qps, c, items, true).report();
          double wall = (System.nanoTime() - t0) / 1e9;
          double ideal = items / qps;
          if (r.rowsWritten() != items) {
            throw new IllegalStateException("expected " + items + " rows, got " + r.rowsWritten() + ": " + r.problems());
          }
          System.out.printf(Locale.ROOT, "| %.0f | %d | %d | %.2f | %.2f | %.2f |%n", qps, c, items, wall, ideal, wall / ideal);
        }
      }
    }
  }

  private static void faults(int seconds) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ofMillis(100), 20)) {
      System.out.printf(Locale.ROOT, "loopback site, 100 ms latency, one request in 20 answers 503"
          + " once; %d s of budget per run%n", seconds);
      System.out.printf(Locale.ROOT, "| qps | concurrency | retries | items | requests | wall s "
          + "| requests ÷ qps s | ratio |%n| --- | --- | --- | --- | --- | --- | --- | --- |%n");
      for (double[] qc : new double[][] {{10, 1}, {40, 4}}) {
        for (boolean defer : new boolean[] {true, false}) {
          double qps = qc[0];
          int c = (int) qc[1];
          int items = (int) (qps * seconds);
          long t0 = System.nanoTime();
          Result res = run(site, qps, c, items, defer);
          double wall = (System.nanoTime() - t0) / 1e9;
          if (res.report().rowsWritten() != items) {
            throw new IllegalStateException("expected " + items + " rows, got "
                + res.report().rowsWritten() + ": " + res.report().problems());
          }
          double ideal = res.requests() / qps;
          System.out.printf(Locale.ROOT, "| %.0f | %d | %s | %d | %d | %.2f | %.2f | %.3f |%n",
              qps, c, defer ? "queued (default)" : "in the worker", items, res.requests(), wall,
              ideal, wall / ideal);
        }
      }
    }
  }

  private static void rss(int items) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ZERO, 0)) {
      long t0 = System.nanoTime();
      RunReport r = run(site, 100_000, 8, items, true).report();
      double wall = (System.nanoTime() - t0) / 1e9;
      if (r.rowsWritten() != items) {
        throw new IllegalStateException("expected " + items + " rows, got " + r.rowsWritten() + ": " + r.stopReason() + " " + r.problems());
      }
      System.out.printf(Locale.ROOT, "%d items in %.1f s, %d rows written to a sink that drops them%n",
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
        .mapToObj(i -> WorkItem.of(ArticleUrl.ofTitle("bench" + i + "-" + System.nanoTime()))).toList();
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(qps)
        .concurrency(concurrency).respectRobots(false).deferRetries(defer).build()) {
      // As pixiv scrape: one worker more than requests in flight, so parsing overlaps fetching.
      RunConfig config = RunConfig.builder().workers(concurrency + 1).flushRows(1000)
          .requiredColumns(ArticleParser.requiredColumns()).build();
      ArticleScraper scraper = ArticleScraper.create(fetcher, ArticleParser.create(), config.runId(), Clock.systemUTC());
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
        throw new IOException("corpus page " + name + " is not on the classpath (pixiv-core's test-jar)");
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

    Site(byte[] page, Duration latency, int failOneIn) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      server.setExecutor(pool);
      server.createContext("/", ex -> {
        try (ex) {
          if (!latency.isZero()) {
            try {
              Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
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
        }
      });
      server.start();
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

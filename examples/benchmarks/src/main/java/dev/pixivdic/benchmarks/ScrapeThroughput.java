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
import dev.pixivdic.core.run.RunConfig;
import dev.pixivdic.core.run.RunEngine;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.scrape.ArticleScraper;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;

/**
 * How close a run comes to its politeness budget: wall time ÷ (items ÷ qps) against a loopback
 * site that answers after a fixed latency, for several budgets and concurrencies (1.00 is
 * ideal; the fetcher's rate limiter must neither overshoot nor waste the budget). With
 * {@code rss}, scrapes many items as fast as possible and prints the peak resident set size.
 *
 * <pre>
 * java -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.ScrapeThroughput [ratio|rss] [items-seconds|items]
 * </pre>
 */
public final class ScrapeThroughput {

  private ScrapeThroughput() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "ratio";
    if (mode.equals("rss")) {
      int items = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
      rss(items);
    } else {
      int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
      ratios(seconds);
    }
  }

  private static void ratios(int seconds) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ofMillis(100))) {
      System.out.printf(Locale.ROOT, "loopback site, 100 ms latency, %d s of budget per run%n", seconds);
      System.out.printf(Locale.ROOT, "| qps | concurrency | items | wall s | ideal s | ratio |%n| --- | --- | --- | --- | --- | --- |%n");
      for (double qps : new double[] {20, 50}) {
        for (int c : new int[] {1, 2, 4, 8}) {
          int items = (int) (qps * seconds);
          long t0 = System.nanoTime();
          RunReport r = run(site, qps, c, items);
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

  private static void rss(int items) throws Exception {
    byte[] page = page("current-dom-full.html");
    try (Site site = new Site(page, Duration.ZERO)) {
      long t0 = System.nanoTime();
      RunReport r = run(site, 100_000, 8, items);
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

  private static RunReport run(Site site, double qps, int concurrency, int items) throws IOException {
    List<WorkItem> work = IntStream.range(0, items)
        .mapToObj(i -> WorkItem.of(ArticleUrl.ofTitle("bench" + i + "-" + System.nanoTime()))).toList();
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(site.origin()).qps(qps)
        .concurrency(concurrency).respectRobots(false).build()) {
      RunConfig config = RunConfig.builder().workers(concurrency).flushRows(1000)
          .requiredColumns(ArticleParser.requiredColumns()).build();
      ArticleScraper scraper = ArticleScraper.create(fetcher, ArticleParser.create(), config.runId(), Clock.systemUTC());
      return RunEngine.create(Source.ofItems(work), WorkItem::key, scraper, new Dropping(), config).run();
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

  /** A loopback site answering every path with one page after a fixed latency. */
  private static final class Site implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(32);

    Site(byte[] page, Duration latency) throws IOException {
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

package dev.pixivdic.benchmarks;

import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.parser.Parser;

/**
 * The time of {@link ArticleParser#parse} as a ratio to {@code Jsoup.parse} of the same bytes,
 * measured in pairs of batches close together in time: two JVMs, one that only parses and one
 * that only builds the DOM (as JMH forks them, so neither's compiled code or heap is shaped by
 * the other's work, as a production JVM running only the parser is not), take turns on the
 * same pages, a batch each, the order swapped every other pair. Each pair gives one ratio; the
 * figure is the median of the ratios, with their spread, over several such pairs of JVMs.
 *
 * <p>Why not {@link ParseRatios}: JMH measures one benchmark after the other, each in its own
 * fork, and on a shared machine the load changes between them (the same code's
 * {@code Jsoup.parse} fork ran up to a fifth faster or slower from one fork to the next), so a
 * ratio of two forks carries the drift of both. Here the two sides are measured a fraction of a
 * second apart, so what drifts slowly (the machine's load) cancels in each pair; what does not
 * (a neighbour's burst, a GC) lands in a few pairs that the median ignores; and what one JVM
 * happens to compile better shows as the spread between the pairs of JVMs.
 *
 * <pre>
 * java -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.PairedRatios \
 *     [markups, default CURRENT_DOM,LEGACY] [pairs of JVMs per markup, default 2] \
 *     [pairs of batches per JVM pair, default 60] [rounds of the pages per batch, default 10] \
 *     [warm-up seconds, default 10]
 * </pre>
 *
 * <p>The JVMs get this JVM's options (so {@code -Dpixiv.parse.full=true} measures the full path
 * on {@code NEXT_DATA} pages). Allocation per page comes from each JVM's per-thread allocation
 * counter, over all batches. Beside the wall-clock ratio, the ratio of the two JVMs' CPU time
 * (every thread, the collector's included) per batch: time spent waiting for a core that other
 * work holds is not in it, so it moves less with the machine's load.
 *
 * <p>The system property {@code pixiv.bench.side} names what the measured side does to each
 * page, against {@code Jsoup.parse} as always: {@code parse} (the default,
 * {@link ArticleParser#parse}); {@code tracked}, jsoup's parse with the parser the article
 * parser builds its DOM with (source positions and parse errors tracked, as the rule of a page
 * cut short needs them); {@code positions} or {@code errors}, with one of the two tracked;
 * {@code fetchThenParse}, the tracked parse and then {@link ArticleParser#parse}: what a
 * scrape did to each page while its fetcher parsed the page to judge its end before the parser
 * parsed it again.
 */
public final class PairedRatios {

  private static final String WORKER = "--worker";

  private PairedRatios() {}

  /** The median and spread of the per-pair ratios. */
  record Spread(double median, double p25, double p75, double min, double max) {
    static Spread of(double[] values) {
      if (values.length == 0) {
        throw new IllegalArgumentException("no values");
      }
      double[] v = values.clone();
      Arrays.sort(v);
      return new Spread(quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[0],
          v[v.length - 1]);
    }

    /** Linear interpolation between the closest ranks of sorted values. */
    private static double quantile(double[] sorted, double q) {
      double pos = q * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(lo + 1, sorted.length - 1);
      return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals(WORKER)) {
      worker(args[1], RealisticPages.Markup.valueOf(args[2]), Long.parseLong(args[3]));
      return;
    }
    List<RealisticPages.Markup> markups = new ArrayList<>();
    for (String m : (args.length > 0 ? args[0] : "CURRENT_DOM,LEGACY").split(",")) {
      markups.add(RealisticPages.Markup.valueOf(m.strip()));
    }
    int forks = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    long warmup = args.length > 4 ? Long.parseLong(args[4]) : 10;
    System.out.println("| markup | avg page KB | JVM pairs × batch pairs × pages | pages/s "
        + "| Jsoup.parse pages/s | time ÷ Jsoup.parse: median | p25-p75 | min-max "
        + "| median per JVM pair | CPU time ÷ Jsoup.parse: median (p25-p75) "
        + "| alloc ÷ page size | Jsoup.parse alloc ÷ page size |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
        + "| --- |");
    for (RealisticPages.Markup markup : markups) {
      double avgBytes = RealisticPages.of(markup).stream()
          .mapToInt(RealisticPages.Generated::size).average().orElse(0);
      int pages = RealisticPages.of(markup).size() * rounds;
      double[] ratios = new double[forks * pairs];
      double[] cpuRatios = new double[forks * pairs];
      double[] parserRates = new double[forks * pairs];
      double[] jsoupRates = new double[forks * pairs];
      List<String> perFork = new ArrayList<>();
      long[] bytes = new long[2];
      for (int f = 0; f < forks; f++) {
        try (Worker parser = new Worker("parser", markup, warmup);
            Worker jsoup = new Worker("jsoup", markup, warmup)) {
          parser.awaitReady();
          jsoup.awaitReady();
          double[] forkRatios = new double[pairs];
          for (int i = 0; i < pairs; i++) {
            long[] a;
            long[] b;
            if (i % 2 == 0) {
              a = parser.batch(rounds);
              b = jsoup.batch(rounds);
            } else {
              b = jsoup.batch(rounds);
              a = parser.batch(rounds);
            }
            int k = f * pairs + i;
            ratios[k] = (double) a[0] / b[0];
            cpuRatios[k] = (double) a[2] / b[2];
            forkRatios[i] = ratios[k];
            parserRates[k] = pages * 1e9 / a[0];
            jsoupRates[k] = pages * 1e9 / b[0];
            bytes[0] += a[1];
            bytes[1] += b[1];
          }
          perFork.add(String.format(Locale.ROOT, "%.3f", Spread.of(forkRatios).median()));
        }
      }
      Spread s = Spread.of(ratios);
      Spread cpu = Spread.of(cpuRatios);
      double parsed = (double) forks * pairs * pages;
      System.out.printf(Locale.ROOT, "| %s | %.0f | %d × %d × %d | %.1f | %.1f | **%.3f** "
              + "| %.3f-%.3f | %.3f-%.3f | %s | %.3f (%.3f-%.3f) | %.2f | %.2f |%n",
          markup, avgBytes / 1000, forks, pairs, pages, Spread.of(parserRates).median(),
          Spread.of(jsoupRates).median(), s.median(), s.p25(), s.p75(), s.min(), s.max(),
          String.join(", ", perFork), cpu.median(), cpu.p25(), cpu.p75(),
          bytes[0] / parsed / avgBytes, bytes[1] / parsed / avgBytes);
    }
  }

  /** A JVM that parses batches of pages on request, one side of the pairs. */
  private static final class Worker implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    Worker(String side, RealisticPages.Markup markup, long warmupSeconds) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          PairedRatios.class.getName(), WORKER, side, markup.name(),
          Long.toString(warmupSeconds)));
      process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    void awaitReady() throws IOException {
      String line = out.readLine();
      if (!"ready".equals(line)) {
        throw new IOException("worker did not start: " + line);
      }
    }

    /**
     * Nanoseconds, bytes allocated and nanoseconds of the JVM's CPU time (all its threads, the
     * collector's included) for {@code rounds} rounds of the pages.
     */
    long[] batch(int rounds) throws IOException {
      in.write(rounds + "\n");
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IOException("worker ended");
      }
      String[] parts = line.split(" ");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]),
          Long.parseLong(parts[2])};
    }

    /** Ends the JVM (its input closes, and it stops) and waits for it. */
    @Override
    public void close() throws IOException {
      in.close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * One side: warms up, says {@code ready}, then for each line holding a number of rounds
   * parses every page that many times and answers with the nanoseconds, bytes and CPU
   * nanoseconds it took.
   */
  private static void worker(String side, RealisticPages.Markup markup, long warmupSeconds)
      throws IOException {
    List<Page> pages = RealisticPages.of(markup).stream()
        .map(RealisticPages.Generated::page).toList();
    boolean parser = side.equals("parser");
    long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    while (System.nanoTime() < warmEnd) {
      run(parser, pages, 1);
    }
    PrintStream answer = System.out;
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    answer.println("ready");
    answer.flush();
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      long bytes = allocatedBytes();
      long cpu = os.getProcessCpuTime();
      long nanos = run(parser, pages, Integer.parseInt(line.strip()));
      answer.println(nanos + " " + (allocatedBytes() - bytes) + " "
          + (os.getProcessCpuTime() - cpu));
      answer.flush();
    }
  }

  /** What the measured side does to a page ({@code pixiv.bench.side}). */
  private static final String SIDE = System.getProperty("pixiv.bench.side", "parse");

  /** Parses every page {@code rounds} times; the nanoseconds taken. */
  private static long run(boolean parser, List<Page> pages, int rounds) throws IOException {
    ArticleParser articleParser = ArticleParser.create();
    int sink = 0;
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      for (Page p : pages) {
        Object result = parser ? side(articleParser, p)
            : Jsoup.parse(new ByteArrayInputStream(p.body()), "UTF-8", p.url().canonical());
        sink += result == null ? 1 : 0;
      }
    }
    long nanos = System.nanoTime() - start;
    if (sink != 0) {
      // Never true (a parse returns a result); the use keeps the parses from being dropped.
      System.err.println(sink);
    }
    return nanos;
  }

  private static Object side(ArticleParser articleParser, Page p) throws IOException {
    return switch (SIDE) {
      case "parse" -> articleParser.parse(p);
      case "tracked" -> jsoup(p, Parser.htmlParser().setTrackPosition(true)
          .setTrackErrors(TRACKED_ERRORS));
      case "positions" -> jsoup(p, Parser.htmlParser().setTrackPosition(true));
      case "errors" -> jsoup(p, Parser.htmlParser().setTrackErrors(TRACKED_ERRORS));
      case "fetchThenParse" -> jsoup(p, Parser.htmlParser().setTrackPosition(true)
          .setTrackErrors(TRACKED_ERRORS)) == null ? null : articleParser.parse(p);
      default -> throw new IllegalArgumentException("pixiv.bench.side: " + SIDE);
    };
  }

  /** As many parse errors as the parser keeps for the rule of a page cut short. */
  private static final int TRACKED_ERRORS = 10_000;

  private static Object jsoup(Page p, Parser parser) throws IOException {
    return Jsoup.parse(new ByteArrayInputStream(p.body()), "UTF-8", p.url().canonical(), parser);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}

package dev.pixivdic.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link RealisticParseBenchmark} in one JMH run with the allocation profiler and prints,
 * per markup, pages/s, allocation per page, and each figure as a ratio to {@code Jsoup.parse}
 * of the same bytes measured in the same run (the goals in docs/performance.md are such
 * ratios, so they do not depend on how fast or loaded the machine is).
 *
 * <pre>
 * java -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.ParseRatios \
 *     [JMH options, e.g. -f 1 -wi 3 -i 5 -w 2s -r 2s]
 * </pre>
 */
public final class ParseRatios {

  private ParseRatios() {}

  public static void main(String[] args) throws Exception {
    Options options = new OptionsBuilder()
        .parent(new CommandLineOptions(args))
        .include(RealisticParseBenchmark.class.getName() + "\\.")
        .addProfiler(GCProfiler.class)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Integer> sizes = new TreeMap<>();
    for (RealisticPages.Markup m : RealisticPages.Markup.values()) {
      sizes.put(m.name(), (int) RealisticPages.of(m).stream()
          .mapToInt(RealisticPages.Generated::size).average().orElse(0));
    }
    Map<String, Map<String, double[]>> byMarkup = new TreeMap<>();
    for (RunResult r : results) {
      String markup = r.getParams().getParam("markup");
      String bench = r.getParams().getBenchmark();
      bench = bench.substring(bench.lastIndexOf('.') + 1);
      byMarkup.computeIfAbsent(markup, k -> new TreeMap<>())
          .put(bench, new double[] {r.getPrimaryResult().getScore(), allocPerOp(r)});
    }
    System.out.println();
    System.out.println("| markup | avg page KB | benchmark | pages/s | Jsoup.parse pages/s "
        + "| time ÷ Jsoup.parse | alloc KB/page | alloc ÷ page size |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    byMarkup.forEach((markup, benches) -> {
      double[] jsoup = benches.get("jsoupParse");
      double size = sizes.getOrDefault(markup, 0);
      benches.forEach((bench, v) -> {
        if (bench.equals("jsoupParse")) {
          return;
        }
        System.out.printf(Locale.ROOT, "| %s | %.0f | %s | %.1f | %.1f | %.2f | %.0f | %.2f |%n",
            markup, size / 1000, bench, v[0], jsoup == null ? Double.NaN : jsoup[0],
            jsoup == null ? Double.NaN : jsoup[0] / v[0], v[1] / 1000, v[1] / size);
      });
      if (jsoup != null) {
        System.out.printf(Locale.ROOT,
            "| %s | %.0f | jsoupParse | %.1f | %.1f | 1.00 | %.0f | %.2f |%n", markup, size / 1000,
            jsoup[0], jsoup[0], jsoup[1] / 1000, jsoup[1] / size);
      }
    });
  }

  /** Bytes allocated per operation from the GC profiler, NaN when it reported none. */
  private static double allocPerOp(RunResult r) {
    var secondary = r.getSecondaryResults();
    for (String key : new String[] {"gc.alloc.rate.norm", "·gc.alloc.rate.norm"}) {
      Result<?> res = secondary.get(key);
      if (res != null) {
        return res.getScore();
      }
    }
    return Double.NaN;
  }
}

package dev.pixivdic.benchmarks;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code pixiv replay} on one thread and on every core: archives {@code pages} distinct
 * articles of realistic size ({@link RealisticPages}, the three markups in turn), then runs the
 * {@code pixiv} jar as a process on that archive with {@code --threads 1} and with one thread
 * per core, and prints pages/s and the speed-up. The wall time is the whole process, JVM start
 * and the final batch included.
 *
 * <pre>
 * java -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.ReplayThroughput \
 *     [pages, default 10000] [pixiv jar, default pixiv-cli/target/pixiv.jar]
 * </pre>
 */
public final class ReplayThroughput {

  private ReplayThroughput() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path jar = Path.of(args.length > 1 ? args[1] : "pixiv-cli/target/pixiv.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is not there: build pixiv-cli first (mvn -pl pixiv-cli -am"
          + " package -DskipTests)");
    }
    Path dir = Files.createTempDirectory("pixiv-replay-bench");
    Path archive = dir.resolve("archive");
    List<RealisticPages.Generated> kinds = RealisticPages.all();
    long bytes = 0;
    long t0 = System.nanoTime();
    try (PageArchive pages = PageArchive.open(archive)) {
      for (int i = 0; i < n; i++) {
        Page p = RealisticPages.renamed(kinds.get(i % kinds.size()), i);
        if (i < kinds.size()) {
          ParseResult r = ArticleParser.create().parse(p);
          if (r.outcome() != Outcome.ARTICLE) {
            throw new IllegalStateException("a renamed page does not parse: " + r.detail());
          }
        }
        pages.put(p.url(), 200, p.contentType(), Instant.now(), p.body());
        bytes += p.body().length;
      }
    }
    System.out.printf(Locale.ROOT, "archived %d pages (%.0f MB, avg %.0f KB) in %.0f s under %s%n",
        n, bytes / 1e6, bytes / 1e3 / n, (System.nanoTime() - t0) / 1e9, archive);
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> lines = new ArrayList<>();
    double single = 0;
    for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
      Path sink = dir.resolve("rows-" + threads + ".ndjson");
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", jar.toString(), "replay", "--archive", archive.toString(),
          "--sink", sink.toString(), "--progress", "none", "--threads", String.valueOf(threads));
      long s0 = System.nanoTime();
      Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("replay-" + threads + ".log").toFile()).start();
      if (!proc.waitFor(2, TimeUnit.HOURS) || proc.exitValue() != 0) {
        throw new IllegalStateException("pixiv replay --threads " + threads + " failed; see "
            + dir.resolve("replay-" + threads + ".log"));
      }
      double wall = (System.nanoTime() - s0) / 1e9;
      long rows;
      try (var in = Files.lines(sink)) {
        rows = in.count();
      }
      if (rows != n) {
        throw new IllegalStateException("expected " + n + " rows, got " + rows + " in " + sink);
      }
      double rate = n / wall;
      if (threads == 1) {
        single = rate;
      }
      lines.add(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.2f |", threads, n, wall,
          rate, rate / single));
    }
    System.out.printf(Locale.ROOT, "%d cores%n| threads | pages | wall s | pages/s | ÷ one thread |"
        + "%n| --- | --- | --- | --- | --- |%n", cores);
    lines.forEach(System.out::println);
    deleteTree(dir.toFile());
  }

  private static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteTree(c);
      }
    }
    if (!f.delete()) {
      f.deleteOnExit();
    }
  }
}

package dev.pixivdic.benchmarks;

import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import java.util.List;
import java.util.Locale;

/**
 * Parses the realistic pages of one markup in a loop for some seconds, for a profiler
 * (JFR, async-profiler) to watch; prints pages/s at the end.
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=parse.jfr,settings=profile \
 *     -cp examples/benchmarks/target/benchmarks.jar dev.pixivdic.benchmarks.ParseLoop \
 *     [NEXT_DATA|CURRENT_DOM|LEGACY] [seconds]
 * </pre>
 */
public final class ParseLoop {

  private ParseLoop() {}

  public static void main(String[] args) {
    RealisticPages.Markup markup = RealisticPages.Markup.valueOf(
        args.length > 0 ? args[0] : "NEXT_DATA");
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 20;
    List<Page> pages = RealisticPages.of(markup).stream()
        .map(RealisticPages.Generated::page).toList();
    ArticleParser parser = ArticleParser.create();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    int n = 0;
    int outcomes = 0;
    while (System.nanoTime() < end) {
      outcomes += parser.parse(pages.get(n++ % pages.size())).outcome().ordinal();
    }
    System.out.printf(Locale.ROOT, "%s: %d pages in %d s, %.1f pages/s (%d)%n", markup, n,
        seconds, n / ((System.nanoTime() - start) / 1e9), outcomes);
  }
}

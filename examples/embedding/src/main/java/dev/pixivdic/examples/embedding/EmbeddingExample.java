package dev.pixivdic.examples.embedding;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.scrape.PixivScraper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How an application uses pixiv-core: parse a page it already has, and scrape a list of
 * articles into its own {@link Sink}. docs/architecture.md, "Embedding", walks through it.
 */
public final class EmbeddingExample {

  private EmbeddingExample() {}

  /** Parses a saved article page; pure, no I/O. */
  public static ParseResult parse(String articleUrl, byte[] html) {
    ArticleUrl url = ArticleUrl.parse(articleUrl);
    return ArticleParser.create().parse(Page.of(url, html));
  }

  /**
   * Scrapes the articles into {@code sink}, politely: at most {@code qps} requests per second.
   * Everything else keeps the defaults of the {@code pixiv scrape} command.
   *
   * @param origin where to send requests for https://dic.pixiv.net, or null for the site itself
   * @return the run's report: counts by outcome, rows written, timings
   */
  public static RunReport scrape(List<String> articleUrls, Sink<ArticleRow> sink, double qps,
      URI origin) {
    PixivScraper.Builder scraper = PixivScraper.builder().qps(qps).sink(sink);
    if (origin != null) {
      scraper.origin(origin);
    }
    return scraper.build().run(articleUrls);
  }

  /**
   * {@code parse FILE URL} prints the parsed title; {@code scrape URL...} scrapes at one
   * request every 5 seconds and prints each article's view count.
   */
  public static void main(String[] args) throws IOException {
    if (args.length >= 3 && args[0].equals("parse")) {
      ParseResult r = parse(args[2], Files.readAllBytes(Path.of(args[1])));
      System.out.println(r.outcome() + " " + r.row().map(ArticleRow::title).orElse(r.detail()));
    } else if (args.length >= 2 && args[0].equals("scrape")) {
      ViewCountSink sink = new ViewCountSink();
      RunReport report = scrape(List.of(args).subList(1, args.length), sink, 0.2, null);
      sink.entries().forEach((url, e) -> System.out.println(e.title() + "\t" + e.viewCount()));
      System.out.println(report.rowsWritten() + " rows, stopped: " + report.stopReason());
    } else {
      System.err.println("usage: parse FILE URL | scrape URL...");
    }
  }
}

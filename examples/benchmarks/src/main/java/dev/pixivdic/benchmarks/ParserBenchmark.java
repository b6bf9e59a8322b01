package dev.pixivdic.benchmarks;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.GoldenCorpus;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.SearchPageParser;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Parse throughput over the golden corpus on one thread: each invocation parses the next
 * corpus page (article HTML, {@code _api} pair or search page, in corpus order), so the score
 * in ops/s is pages per second. {@code corpusPage} includes the 2 MB page; {@code typicalPage}
 * leaves out pages over 1 MB, closer to what the site serves.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ParserBenchmark {

  private static final ArticleParser ARTICLES = ArticleParser.create();
  private static final SearchPageParser SEARCH = SearchPageParser.create();

  private List<Supplier<Object>> all;
  private List<Supplier<Object>> typical;
  private int nextAll;
  private int nextTypical;

  /** Prepares one parse call per case, so the measured work is the parse alone. */
  @Setup
  public void load() {
    List<GoldenCorpus.Case> cases = GoldenCorpus.cases();
    all = cases.stream().map(ParserBenchmark::call).toList();
    typical = cases.stream().filter(c -> c.body().length <= 1_000_000)
        .map(ParserBenchmark::call).toList();
  }

  @Benchmark
  public Object corpusPage() {
    Supplier<Object> parse = all.get(nextAll);
    nextAll = (nextAll + 1) % all.size();
    return parse.get();
  }

  @Benchmark
  public Object typicalPage() {
    Supplier<Object> parse = typical.get(nextTypical);
    nextTypical = (nextTypical + 1) % typical.size();
    return parse.get();
  }

  private static Supplier<Object> call(GoldenCorpus.Case c) {
    switch (c.kind()) {
      case ARTICLE_API: {
        ArticleUrl url = ArticleUrl.parse(c.url());
        byte[] article = c.getArticleJson();
        byte[] info = c.getArticleInfoJson();
        return () -> ARTICLES.parseApi(url, c.httpStatus(), article, info);
      }
      case SEARCH_HTML: {
        URI url = URI.create(c.url());
        return () -> SEARCH.parse(url, c.httpStatus(), c.contentType(), c.body());
      }
      default: {
        Page page = new Page(ArticleUrl.parse(c.url()), c.httpStatus(), c.contentType(), c.body());
        return () -> ARTICLES.parse(page);
      }
    }
  }
}

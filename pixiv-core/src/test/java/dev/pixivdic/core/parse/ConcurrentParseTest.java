package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One parser shared by threads, as {@code replay} shares it over every core, gives each page
 * the result it gives on one thread: the compiled selectors the strategies share hold no state
 * of a parse.
 */
class ConcurrentParseTest {

  private static final ArticleParser PARSER = ArticleParser.create();

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void threadsSharingTheParserGetTheResultsOfOneThread() throws Exception {
    List<Page> pages = new ArrayList<>();
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      if (c.kind() == GoldenCorpus.Kind.ARTICLE_HTML) {
        pages.add(new Page(ArticleUrl.parse(c.url()), c.httpStatus(), c.contentType(),
            c.body()));
      }
    }
    List<ParseResult> alone = pages.stream().map(PARSER::parse).toList();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<ParseResult>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int shift = t * 7;
        runs.add(pool.submit(() -> {
          List<ParseResult> out = new ArrayList<>(pages.size());
          for (int i = 0; i < pages.size(); i++) {
            out.add(null);
          }
          for (int k = 0; k < pages.size(); k++) {
            int i = (k + shift) % pages.size();
            out.set(i, PARSER.parse(pages.get(i)));
          }
          return out;
        }));
      }
      for (Future<List<ParseResult>> run : runs) {
        assertThat(run.get(240, TimeUnit.SECONDS)).isEqualTo(alone);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

package dev.pixivdic.core.scrape.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.internal.NotFoundWithArticleException;
import dev.pixivdic.core.run.internal.NotJudgedException;
import dev.pixivdic.core.run.internal.Processed;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 404 or 410 whose body is the article's own page (a CDN or a soft error serving the page
 * under a wrong status) is no "not found": the item is not judged. The site's not-found page, or
 * another article's page, under the same status stays "not found".
 */
class ArticleScraperNotFoundTest {

  private static final Path CORPUS = Path.of("src", "test", "resources", "corpus", "article");
  /** The article {@code current-dom-full.html} is the page of. */
  private static final ArticleUrl ARTICLE = ArticleUrl.ofTitle("東方Project");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

  private static byte[] corpus(String name) throws IOException {
    return Files.readAllBytes(CORPUS.resolve(name));
  }

  /** {@code asked}, answered {@code status} with {@code body} and no redirect. */
  private static Processed<ArticleRow> scrape(ArticleUrl asked, int status, byte[] body)
      throws IOException, InterruptedException {
    Fetcher fetcher = new Fetcher() {
      @Override
      public FetchResponse get(URI siteUri) {
        return new FetchResponse(siteUri, siteUri, List.of(), status,
            "text/html; charset=utf-8", body, 1, Duration.ZERO);
      }

      @Override
      public FetchStats stats() {
        return FetchStats.none();
      }

      @Override
      public void close() {}
    };
    return ArticleScraper.create(fetcher, ArticleParser.create(), "run-1", CLOCK)
        .process(WorkItem.of(asked));
  }

  @ParameterizedTest
  @ValueSource(ints = {404, 410})
  void theArticlesOwnPageUnderANotFoundStatusIsNotJudgedNamingTheUrlAndTheStatus(int status)
      throws Exception {
    byte[] page = corpus("current-dom-full.html");

    assertThatThrownBy(() -> scrape(ARTICLE, status, page))
        .isInstanceOf(NotFoundWithArticleException.class)
        .isInstanceOf(NotJudgedException.class)
        .hasMessageContaining(ARTICLE.toString())
        .hasMessageContaining("HTTP " + status)
        .hasMessageContaining("the article's own page");
  }

  @Test
  void theSitesNotFoundPageUnder404StaysNotFound() throws Exception {
    Processed<ArticleRow> processed = scrape(ARTICLE, 404, corpus("not-found-404.html"));

    assertThat(processed.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(processed.rows()).extracting(ArticleRow::url)
        .containsExactly(ARTICLE.canonical());
  }

  /**
   * Another article's page, its canonical link naming that article (as a page served for an
   * alias does): the parser reads it as that article, which is not the one asked for.
   */
  @Test
  void anotherArticlesPageUnder404StaysNotFound() throws Exception {
    ArticleUrl asked = ArticleUrl.ofTitle("初音ミク");

    Processed<ArticleRow> processed = scrape(asked, 404, corpus("current-dom-full.html"));

    assertThat(processed.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(processed.rows()).extracting(ArticleRow::url).containsExactly(asked.canonical());
  }

  @Test
  void theArticlesOwnPageUnder200IsStillItsRow() throws Exception {
    Processed<ArticleRow> processed = scrape(ARTICLE, 200, corpus("current-dom-full.html"));

    assertThat(processed.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(processed.rows()).extracting(ArticleRow::title).containsExactly("東方Project");
  }

  @Test
  void theArticlesOwnPageInAnotherSpellingOfItsTitleIsItsOwn() throws Exception {
    // The URL in full-width letters: the same article, as the parser compares titles.
    ArticleUrl asked = ArticleUrl.ofTitle("東方ＰＲＯＪＥＣＴ");
    String html = new String(corpus("current-dom-full.html"), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> scrape(asked, 404, html.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(NotFoundWithArticleException.class);
  }
}

package dev.pixivdic.core.scrape.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
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
import org.junit.jupiter.api.Test;

class ArticleScraperRedirectTest {

  private static final Path PAGE =
      Path.of("src", "test", "resources", "corpus", "article", "current-dom-full.html");
  /** The article {@code current-dom-full.html} is the page of. */
  private static final ArticleUrl SERVED = ArticleUrl.ofTitle("東方Project");
  private static final ArticleUrl ASKED = ArticleUrl.ofTitle("東方プロジェクト");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

  /**
   * The page without its canonical link, which would make any URL it is served for an alias of
   * the article: only the URL tells which article it is meant to be.
   */
  private static byte[] page() throws IOException {
    String html = Files.readString(PAGE, StandardCharsets.UTF_8);
    String canonical = "<link rel=\"canonical\" href=\"" + SERVED.canonical() + "\">";
    assertThat(html).contains(canonical);
    return html.replace(canonical, "").getBytes(StandardCharsets.UTF_8);
  }

  private static Processed<ArticleRow> scrape(ArticleUrl asked, URI finalUri)
      throws IOException, InterruptedException {
    return scrape(asked, finalUri, 200);
  }

  private static Processed<ArticleRow> scrape(ArticleUrl asked, URI finalUri, int status)
      throws IOException, InterruptedException {
    byte[] body = page();
    Fetcher fetcher = new Fetcher() {
      @Override
      public FetchResponse get(URI siteUri) {
        return new FetchResponse(siteUri, finalUri, status, "text/html; charset=utf-8", body, 1,
            Duration.ZERO);
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

  /** An article redirected to a deleted one is "not found" itself, with no title of the other. */
  @Test
  void anArticleRedirectedToOneNotFoundIsNotFoundUnderItsOwnUrl() throws Exception {
    Processed<ArticleRow> processed = scrape(ASKED, SERVED.uri(), 404);

    assertThat(processed.outcome()).isEqualTo(Outcome.NOT_FOUND);
    ArticleRow row = processed.rows().get(0);
    assertThat(row.url()).isEqualTo(ASKED.canonical());
    assertThat(row.title()).isNull();
    assertThat(processed.detail()).contains("redirected to " + SERVED.uri());
  }

  @Test
  void anArticleRedirectedToAnotherIsStoredUnderItsOwnUrlWithThePageOfTheOther()
      throws Exception {
    Processed<ArticleRow> processed = scrape(ASKED, SERVED.uri());

    assertThat(processed.outcome()).isEqualTo(Outcome.ARTICLE);
    ArticleRow row = processed.rows().get(0);
    assertThat(row.url()).isEqualTo(ASKED.canonical());
    ArticleRow served = ArticleParser.create()
        .parse(new Page(SERVED, 200, "text/html; charset=utf-8", page()))
        .row().orElseThrow();
    assertThat(row).usingRecursiveComparison()
        .ignoringFields("url", "loadedAt", "runId", "scraperVersion").isEqualTo(served);
    assertThat(row.title()).isEqualTo("東方Project");
    assertThat(row.viewCount()).isEqualTo(98765432L);
    assertThat(row.runId()).isEqualTo("run-1");
    assertThat(processed.detail()).contains("redirected to " + SERVED.canonical());
  }

  @Test
  void aRedirectToAnArticleThePageDoesNotNameIsUnrecognizedNamingTheRedirect()
      throws Exception {
    ArticleUrl elsewhere = ArticleUrl.ofTitle("博麗霊夢");

    Processed<ArticleRow> processed = scrape(ASKED, elsewhere.uri());

    assertThat(processed.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(processed.rows()).isEmpty();
    assertThat(processed.detail())
        .startsWith(ASKED + " redirected to " + elsewhere.canonical() + ": ");
  }

  @Test
  void aRedirectToAPageOfTheSiteThatIsNoArticleIsUnrecognizedNamingTheRedirect()
      throws Exception {
    URI search = URI.create("https://dic.pixiv.net/search?query=x");

    Processed<ArticleRow> processed = scrape(ASKED, search);

    assertThat(processed.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(processed.detail()).startsWith(ASKED + " redirected to " + search + ": ");
  }

  @Test
  void aRedirectToAnotherSpellingOfTheSameArticleKeepsTheRow() throws Exception {
    Processed<ArticleRow> processed =
        scrape(SERVED, URI.create(SERVED.canonical() + "/?lang=ja"));

    assertThat(processed.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(processed.rows()).extracting(ArticleRow::url)
        .containsExactly(SERVED.canonical());
  }
}

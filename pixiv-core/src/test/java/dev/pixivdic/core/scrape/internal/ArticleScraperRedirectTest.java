package dev.pixivdic.core.scrape.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.run.internal.FailedForGoodException;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.RedirectedForNowException;
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

class ArticleScraperRedirectTest {

  private static final Path PAGE =
      Path.of("src", "test", "resources", "corpus", "article", "current-dom-full.html");
  /** The article {@code current-dom-full.html} is the page of. */
  private static final ArticleUrl SERVED = ArticleUrl.ofTitle("東方Project");
  private static final ArticleUrl ASKED = ArticleUrl.ofTitle("東方プロジェクト");
  /** A page of the site that is no article: the site's notice. */
  private static final URI NOTICE = URI.create("https://dic.pixiv.net/info/maintenance");
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

  /** The page, answered to {@code asked} through one permanent redirect (301). */
  private static Processed<ArticleRow> scrape(ArticleUrl asked, URI finalUri)
      throws IOException, InterruptedException {
    return scrape(asked, finalUri, 200, List.of(301));
  }

  private static Processed<ArticleRow> scrape(ArticleUrl asked, URI finalUri, int status,
      List<Integer> redirects) throws IOException, InterruptedException {
    return scrape(asked, siteUri -> new FetchResponse(siteUri, finalUri, redirects, status,
        "text/html; charset=utf-8", page(), 1, Duration.ZERO));
  }

  private interface Answer {
    FetchResponse to(URI siteUri) throws IOException;
  }

  /** The site's notice page, reached through {@code redirects} after {@code attempts}. */
  private static Answer notice(List<Integer> redirects, int status, String html, int attempts) {
    return siteUri -> new FetchResponse(siteUri, NOTICE, redirects, status,
        "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), attempts,
        Duration.ZERO);
  }

  private static Processed<ArticleRow> scrape(ArticleUrl asked, Answer answer)
      throws IOException, InterruptedException {
    Fetcher fetcher = new Fetcher() {
      @Override
      public FetchResponse get(URI siteUri) throws IOException {
        return answer.to(siteUri);
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
    Processed<ArticleRow> processed = scrape(ASKED, SERVED.uri(), 404, List.of(301));

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
  void anArticleRedirectedToAnotherThroughPermanentRedirectsOnlyIsStoredUnderItsOwnUrl()
      throws Exception {
    Processed<ArticleRow> processed = scrape(ASKED, SERVED.uri(), 200, List.of(308, 301));

    assertThat(processed.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(processed.rows()).extracting(ArticleRow::url, ArticleRow::title)
        .containsExactly(tuple(ASKED.canonical(), "東方Project"));
    assertThat(processed.detail())
        .startsWith(ASKED + " redirected to " + SERVED.canonical() + " (308, 301)");
  }

  /**
   * A temporary redirect (a campaign, maintenance, a catch-all notice) answers with another
   * article's page for now: stored under the URL asked for, its values would replace the row of
   * the article asked for. No row: the item is redirected for now, the message naming the
   * redirect and its status, and the run counts it apart from unrecognised pages.
   */
  @ParameterizedTest
  @ValueSource(ints = {302, 303, 307})
  void anArticleRedirectedToAnotherTemporarilyIsRedirectedForNowNamingTheRedirect(int status) {
    assertThatThrownBy(() -> scrape(ASKED, SERVED.uri(), 200, List.of(status)))
        .isInstanceOfSatisfying(RedirectedForNowException.class,
            e -> assertThat(e.target()).isEqualTo(SERVED.uri()))
        .hasMessageStartingWith(ASKED + " redirected to " + SERVED.canonical() + " (" + status
            + "): not a permanent redirect");
  }

  /** One temporary hop makes the whole chain temporary, wherever it is. */
  @Test
  void aChainWithOneTemporaryRedirectToAnotherArticleIsRedirectedForNow() {
    for (List<Integer> chain : List.of(List.of(301, 302), List.of(307, 308))) {
      assertThatThrownBy(() -> scrape(ASKED, SERVED.uri(), 200, chain)).as("%s", chain)
          .isInstanceOf(RedirectedForNowException.class)
          .hasMessageContaining("redirected to " + SERVED.canonical() + " (" + chain.get(0)
              + ", " + chain.get(1) + "): not a permanent redirect");
    }
  }

  /** A page of the site that is no article, reached for now: the site's notice, no drift. */
  @Test
  void aTemporaryRedirectToAPageThatIsNoArticleIsRedirectedForNow() {
    assertThatThrownBy(() -> scrape(ASKED,
        notice(List.of(302), 200, "<html><body>Back soon</body></html>", 1)))
        .isInstanceOfSatisfying(RedirectedForNowException.class,
            e -> assertThat(e.target()).isEqualTo(NOTICE))
        .hasMessageStartingWith(ASKED + " redirected to " + NOTICE + " (302): ");
  }

  /**
   * A fetcher of the embedder's that tells where the answer came from but not how: the move is
   * not known to be permanent.
   */
  @Test
  void aRedirectToAnotherArticleWhoseStatusesAreNotToldIsUnrecognized() throws Exception {
    Processed<ArticleRow> processed = scrape(ASKED, siteUri -> new FetchResponse(siteUri,
        SERVED.uri(), 200, "text/html; charset=utf-8", page(), 1, Duration.ZERO));

    assertThat(processed.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(processed.rows()).isEmpty();
    assertThat(processed.detail()).startsWith(ASKED + " redirected to " + SERVED.canonical()
        + ": not a permanent redirect");
  }

  /**
   * The site sending an article for now to one that is not found says nothing of the article
   * asked for: no "not found" row of it, and no failed fetch to try again.
   */
  @Test
  void anArticleRedirectedTemporarilyToOneNotFoundIsRedirectedForNow() {
    assertThatThrownBy(() -> scrape(ASKED, SERVED.uri(), 404, List.of(302)))
        .isInstanceOf(RedirectedForNowException.class)
        .hasMessageStartingWith(ASKED + " redirected to " + SERVED + " (302): ");
  }

  /**
   * A server error where a temporary redirect led (the notice the site sent the URL to could not
   * be served) is a fetch that failed, to be tried again as any server error is: no page the
   * site sent the article to, and no answer that stops the run as a redirecting site does.
   */
  @Test
  void aServerErrorWhereATemporaryRedirectLedIsAFailedFetch() {
    assertThatThrownBy(() -> scrape(ASKED,
        notice(List.of(302), 500, "<html><body>Internal Server Error</body></html>", 3)))
        .isInstanceOf(ArticleScraper.FetchFailedException.class)
        .hasMessage(ASKED + ": HTTP 500 after 3 attempts");
  }

  /** An answer that names the request as the fault fails for good, wherever a redirect led. */
  @Test
  void aRequestFaultWhereATemporaryRedirectLedFailsForGood() {
    assertThatThrownBy(() -> scrape(ASKED,
        notice(List.of(307), 400, "<html><body>Bad Request</body></html>", 1)))
        .isInstanceOf(FailedForGoodException.class)
        .hasMessage(ASKED + ": HTTP 400 after 1 attempt");
  }

  /** Another spelling of the article asked for is its own page, however it was redirected. */
  @Test
  void aTemporaryRedirectToAnotherSpellingOfTheSameArticleKeepsTheRow() throws Exception {
    Processed<ArticleRow> processed =
        scrape(SERVED, URI.create(SERVED.canonical() + "/?lang=ja"), 200, List.of(302));

    assertThat(processed.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(processed.rows()).extracting(ArticleRow::url, ArticleRow::title)
        .containsExactly(tuple(SERVED.canonical(), "東方Project"));
  }

  @Test
  void aRedirectToAnArticleThePageDoesNotNameIsUnrecognizedNamingTheRedirect()
      throws Exception {
    ArticleUrl elsewhere = ArticleUrl.ofTitle("博麗霊夢");

    Processed<ArticleRow> processed = scrape(ASKED, elsewhere.uri());

    assertThat(processed.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(processed.rows()).isEmpty();
    assertThat(processed.detail())
        .startsWith(ASKED + " redirected to " + elsewhere.canonical() + " (301): ");
  }

  @Test
  void aRedirectToAPageOfTheSiteThatIsNoArticleIsUnrecognizedNamingTheRedirect()
      throws Exception {
    URI search = URI.create("https://dic.pixiv.net/search?query=x");

    Processed<ArticleRow> processed = scrape(ASKED, search);

    assertThat(processed.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    // Named without its query, which the site chose (a login wall's may hold a token).
    assertThat(processed.detail())
        .startsWith(ASKED + " redirected to https://dic.pixiv.net/search (301): ")
        .doesNotContain("query=x");
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

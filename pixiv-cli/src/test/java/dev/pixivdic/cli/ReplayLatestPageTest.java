package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.internal.RowJson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay takes each URL's latest archived page that is a page of the article: a later fetch
 * that the site answered with a bot challenge or a maintenance notice, even with HTTP 200, hides
 * none of the pages archived before it.
 */
class ReplayLatestPageTest {

  private static final String HTML = "text/html; charset=utf-8";
  private static final Instant WEEK0 = Instant.parse("2026-11-23T00:00:00Z");
  private static final Instant WEEK1 = Instant.parse("2026-11-30T00:00:00Z");
  private static final Instant WEEK2 = Instant.parse("2026-12-07T00:00:00Z");

  /** An article the site sends others to for now: a campaign or a notice. */
  private static final URI NOTICE =
      URI.create("https://dic.pixiv.net/a/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B");

  @TempDir Path dir;

  private static byte[] corpus(String file) throws IOException {
    return Files.readAllBytes(ParseCommandTest.CORPUS.resolve(file));
  }

  private static List<ArticleUrl> urls(int n) {
    return IntStream.range(0, n).mapToObj(i -> ArticleUrl.ofTitle("記事" + i)).toList();
  }

  private Cli.Result replay(Path archive) {
    return Cli.run("replay", "--archive", archive.toString(),
        "--sink", dir.resolve("replayed.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(),
        "--progress", "none", "--drift-min-pages", "5");
  }

  /** The replay ended with 0, having stored an article row of each of {@code urls}, no other. */
  private void assertArticlesStored(Cli.Result r, List<ArticleUrl> urls) throws IOException {
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url)
        .containsExactlyInAnyOrderElementsOf(urls.stream().map(ArticleUrl::canonical).toList());
    assertThat(rows()).extracting(ArticleRow::status).containsOnly(Outcome.ARTICLE);
  }

  /** Archives an article page of each of {@code urls}, fetched at {@code at}. */
  private static void articles(PageArchive pages, List<ArticleUrl> urls, Instant at)
      throws IOException {
    for (ArticleUrl u : urls) {
      pages.put(u, 200, HTML, at, FakeSite.ARTICLE);
    }
  }

  /** The page the site answered {@code url} with after a temporary redirect to a notice. */
  private static FetchResponse redirectedForNow(ArticleUrl url) {
    return new FetchResponse(url.uri(), NOTICE, List.of(302), 200, HTML, FakeSite.ARTICLE, 1,
        Duration.ZERO);
  }

  private List<ArticleRow> rows() throws IOException {
    Path f = dir.resolve("replayed.ndjson");
    return Files.exists(f) ? Files.readAllLines(f).stream().map(RowJson::read).toList() : List.of();
  }

  @Test
  void aChallengeOrMaintenancePageServedWith200HidesNoEarlierArticlePage() throws IOException {
    Path archive = dir.resolve("archive");
    List<ArticleUrl> urls = urls(6);
    try (PageArchive pages = PageArchive.open(archive)) {
      articles(pages, urls, WEEK1);
      pages.put(urls.get(0), 200, HTML, WEEK2, corpus("blocked-shibaraku-200.html"));
      pages.put(urls.get(1), 200, HTML, WEEK2, corpus("maintenance-200.html"));
      pages.put(urls.get(2), 200, HTML, WEEK2, corpus("maintenance-title-only-200.html"));
      articles(pages, urls.subList(3, 6), WEEK2);
    }

    Cli.Result r = replay(archive);

    assertArticlesStored(r, urls);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("exit_code").asInt()).isZero();
  }

  /**
   * A URL whose every archived page is a challenge or a maintenance notice has nothing a replay
   * could store, and no retry of the replay (it sends no request) changes that: it fails for
   * good, named in a warning, and the replay of the others completes with 0, not 75.
   */
  @Test
  void aUrlWithOnlyChallengePagesFailsForGoodAndTheReplayStillExitsZero() throws IOException {
    Path archive = dir.resolve("archive");
    List<ArticleUrl> urls = urls(8);
    try (PageArchive pages = PageArchive.open(archive)) {
      articles(pages, urls.subList(0, 6), WEEK1);
      pages.put(urls.get(6), 200, HTML, WEEK1, corpus("blocked-shibaraku-200.html"));
      pages.put(urls.get(6), 200, HTML, WEEK2, corpus("maintenance-200.html"));
      pages.put(urls.get(7), 200, HTML, WEEK2, corpus("maintenance-title-only-200.html"));
    }

    Cli.Result r = replay(archive);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(
        urls.subList(0, 6).stream().map(ArticleUrl::canonical).toList());
    assertThat(r.err()).contains(urls.get(6).canonical()).contains(urls.get(7).canonical())
        .contains("no archived page of the article to replay: the latest is MAINTENANCE")
        .contains("and so is the one archived before it");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("exit_code").asInt()).isZero();
    assertThat(report.path("items").path("failed_for_good").asLong()).isEqualTo(2);
  }

  /**
   * A page the site sent the article to for now (a 302 to a notice) was counted apart by the
   * scrape, never as parse breakage: a replay with nothing else archived for those URLs fails
   * them for good and completes, instead of ending 65 as a broken parser.
   */
  @Test
  void pagesTheSiteRedirectedToForNowAreNoParseBreakageInAReplay() throws IOException {
    Path archive = dir.resolve("archive");
    List<ArticleUrl> urls = urls(12);
    URI notice = URI.create("https://dic.pixiv.net/a/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B");
    try (PageArchive pages = PageArchive.open(archive)) {
      articles(pages, urls.subList(0, 6), WEEK1);
      for (ArticleUrl u : urls.subList(6, 12)) {
        pages.put(WorkItem.of(u), new FetchResponse(u.uri(), notice, List.of(302), 200, HTML,
            FakeSite.ARTICLE, 1, Duration.ZERO), WEEK2);
      }
    }

    Cli.Result r = replay(archive);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(
        urls.subList(0, 6).stream().map(ArticleUrl::canonical).toList());
    assertThat(r.err()).contains("the latest is a page the site redirected it to for now");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("items").path("failed_for_good").asLong()).isEqualTo(6);
  }

  /** A later page the site redirected the URL to for now hides none archived before it. */
  @Test
  void aPageTheSiteRedirectedToForNowHidesNoEarlierArticlePage() throws IOException {
    Path archive = dir.resolve("archive");
    List<ArticleUrl> urls = urls(6);
    try (PageArchive pages = PageArchive.open(archive)) {
      articles(pages, urls, WEEK1);
      for (ArticleUrl u : urls.subList(0, 3)) {
        pages.put(WorkItem.of(u), redirectedForNow(u), WEEK2);
      }
    }

    Cli.Result r = replay(archive);

    assertArticlesStored(r, urls);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("items").path("failed_for_good").asLong()).isZero();
  }

  /**
   * An older page the site redirected the URL to for now is passed over as the latest one is:
   * the article archived before it is replayed, and a URL with nothing else fails for good
   * naming every page it looked at.
   */
  @Test
  void olderPagesTheSiteRedirectedToForNowArePassedOver() throws IOException {
    Path archive = dir.resolve("archive");
    List<ArticleUrl> urls = urls(8);
    try (PageArchive pages = PageArchive.open(archive)) {
      articles(pages, urls.subList(0, 7), WEEK0);
      for (ArticleUrl u : urls.subList(6, 8)) {
        pages.put(WorkItem.of(u), redirectedForNow(u), WEEK1);
        pages.put(u, 200, HTML, WEEK2, corpus("maintenance-200.html"));
      }
    }

    Cli.Result r = replay(archive);

    assertArticlesStored(r, urls.subList(0, 7));
    assertThat(r.err()).contains(urls.get(7).canonical())
        .contains("no archived page of the article to replay: the latest is MAINTENANCE")
        .contains("and so is the one archived before it");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("items").path("failed_for_good").asLong()).isEqualTo(1);
  }
}

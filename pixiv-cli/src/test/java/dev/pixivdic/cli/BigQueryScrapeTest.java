package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code pixiv scrape --source bq:... --sink bq:...} end to end against loopback fakes. */
class BigQueryScrapeTest {

  private static final String SOURCE = "my-project.pixiv.pixiv_search_middle_class_ip_name_url";
  private static final String DEST = "my-project.pixiv.pixiv_detail_info";

  private FakeSite site;
  private BigQueryStandIn bq;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
    bq = BigQueryStandIn.start();
    List<Map<String, String>> data = new ArrayList<>();
    for (String url : ScrapeCommandTest.urls(12)) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("middle_class_ip_name", "作品" + data.size());
      row.put("URL", url);
      data.add(row);
    }
    bq.seed(SOURCE, data);
  }

  @AfterEach
  void stop() {
    site.close();
    bq.close();
  }

  private Cli.Result scrape(String... more) {
    return scrapeInto(DEST, more);
  }

  private Cli.Result scrapeInto(String dest, String... more) {
    List<String> args = new ArrayList<>(List.of("scrape", "--source", "bq:" + SOURCE,
        "--sink", "bq:" + dest,
        "--url-column", "URL", "--bigquery-endpoint", bq.endpoint().toString(),
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "4", "--progress", "none",
        "--drift-min-pages", "5"));
    if (!List.of(more).contains("--location")) {
      args.addAll(List.of("--location", "US"));
    }
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void scrapesABigQuerySourceIntoABigQuerySinkThenAReRunAddsNothing() {
    Cli.Result first = scrape();

    assertThat(first.code()).as(first.err()).isZero();
    List<Map<String, Object>> stored = bq.rows(DEST);
    assertThat(stored).extracting(r -> r.get("url"))
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(12));
    assertThat(stored)
        .allSatisfy(r -> assertThat((String) r.get("middle_class_ip_name")).startsWith("作品"));
    assertThat(bq.hasTable(DEST)).isTrue();
    assertThat(bq.rows("my-project.pixiv.scrape_runs")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("command", "scrape")
            .containsEntry("rows_written", 12L).containsEntry("exit_code", 0L)
            .containsEntry("items_failed_for_good", 0L));
    long loads = bq.loadJobs();
    int fetched = site.articleRequests.get();

    Cli.Result again = scrape();

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(bq.statements()).last().satisfies(q -> assertThat(q.sql()).contains("NOT EXISTS"));
    assertThat(site.articleRequests.get()).isEqualTo(fetched);
    assertThat(bq.rows(DEST)).hasSize(12);
    assertThat(bq.loadJobs() - loads).as("only the ledger line is loaded").isEqualTo(1);
  }

  @Test
  void aLocationThatIsNotTheDatasetsIsAMistakeOfTheSettingsNamingBoth() {
    bq.datasetsLocation("asia-northeast1");

    Cli.Result r = scrape(); // --location US

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("BigQuery query of bq:" + SOURCE + " (shard 0/1) was refused:"
        + " Not found: Dataset my-project:pixiv was not found in location US (a job runs in the"
        + " location given, --location, and finds no dataset of another location: give the"
        + " dataset's location, or none to use it)");
    assertThat(r.err()).as("the ledger's load, refused alike, says BigQuery's message alone")
        .contains("was refused: Not found: Dataset my-project:pixiv was not found in location US")
        .doesNotContain("POST http", "{\"error\"");
    assertThat(site.articleRequests.get()).isZero();
    assertThat(bq.hasTable(DEST)).isFalse();

    Cli.Result fixed = scrape("--location", "asia-northeast1");

    assertThat(fixed.code()).as(fixed.err()).isZero();
    assertThat(bq.rows(DEST)).hasSize(12);
  }

  @Test
  void aZeroRefreshWindowScrapesEveryUrlAgain() {
    assertThat(scrape().code()).isZero();
    int fetched = site.articleRequests.get();

    Cli.Result again = scrape("--refresh-after", "0s");

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.articleRequests.get() - fetched).isEqualTo(12);
    assertThat(bq.rows(DEST)).hasSize(24);
  }

  @Test
  void aReplayIntoABigQuerySinkGoesOnAfterItStoppedWithoutStoringAPageTwice(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String archive = dir.resolve("archive").toString();
    assertThat(scrapeInto("my-project.pixiv.fetched", "--archive", archive).code()).isZero();
    List<String> replay = List.of("replay", "--archive", archive, "--sink", "bq:" + DEST,
        "--bigquery-endpoint", bq.endpoint().toString(), "--location", "US", "--progress",
        "none", "--drift-min-pages", "5");
    Cli.Result stopped = Cli.run(with(replay, "--limit", "5"));
    assertThat(stopped.code()).as(stopped.err()).isZero();

    Cli.Result again = Cli.run(with(replay, "--refresh-after", "1h"));

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(bq.rows(DEST)).extracting(r -> r.get("url")).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(12));
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void shardsOfABigQuerySourceAreDisjointAndComplete() {
    for (int i = 0; i < 3; i++) {
      assertThat(scrape("--shard", i + "/3").code()).isZero();
    }
    assertThat(bq.rows(DEST)).extracting(r -> r.get("url"))
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(12));
  }

  @Test
  void anArticleListedInTwoSpellingsOfDifferentShardsIsStoredOnceHoweverOftenTheShardsRun() {
    List<Map<String, String>> http = new ArrayList<>();
    for (String url : ScrapeCommandTest.urls(12)) {
      http.add(Map.of("URL", url.replace("https:", "http:"), "middle_class_ip_name", "作品"));
    }
    bq.seed(SOURCE, http);
    dev.pixivdic.core.Shard first = new dev.pixivdic.core.Shard(0, 2);
    assertThat(http).as("some spellings hash to the other shard")
        .anySatisfy(r -> assertThat(first.contains(r.get("URL")))
            .isNotEqualTo(first.contains(r.get("URL").replace("http:", "https:"))));

    for (int run = 0; run < 2; run++) {
      for (int i = 0; i < 2; i++) {
        assertThat(scrape("--shard", i + "/2").code()).isZero();
      }
    }

    assertThat(bq.rows(DEST)).extracting(r -> r.get("url"))
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(12));
  }

  @Test
  void theReportCountsSourceRowsSkippedAsNoArticleOrAsARepeat(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws IOException {
    String first = ScrapeCommandTest.urls(12).get(0);
    bq.seed(SOURCE, List.of(Map.of("URL", "https://example.com/a/x", "middle_class_ip_name", "x"),
        Map.of("URL", first + "/", "middle_class_ip_name", "again")));
    java.nio.file.Path report = dir.resolve("report.json");

    Cli.Result r = scrape("--report", report.toString());

    assertThat(r.code()).as(r.err()).isZero();
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile());
    assertThat(json.at("/source/bad_lines").asLong()).isEqualTo(1);
    assertThat(json.at("/source/duplicates").asLong()).isEqualTo(1);
    assertThat(bq.rows(DEST)).hasSize(12);
  }

  @Test
  void aDestinationDeletedBetweenRunsIsMadeAgainAndFilledOnceThoughItsViewsRemain()
      throws Exception {
    assertThat(scrape().code()).isZero();
    java.net.http.HttpResponse<Void> deleted = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(bq.endpoint().resolve(
            "/bigquery/v2/projects/my-project/datasets/pixiv/tables/pixiv_detail_info"))
            .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(bq.hasTable(DEST + "_latest")).isTrue();

    Cli.Result again = scrape();

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(bq.rows(DEST)).extracting(r -> r.get("url"))
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(12));
  }

  @Test
  void aSinkInAnotherProjectIsLeftOutByTheSourceOfThisOneOnTheReRun() {
    String other = "other-project.ds.pixiv_detail_info";
    assertThat(scrapeInto(other).code()).isZero();
    int fetched = site.articleRequests.get();

    Cli.Result again = scrapeInto(other);

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.articleRequests.get()).isEqualTo(fetched);
    assertThat(bq.rows(other)).hasSize(12);
    assertThat(bq.hasTable(DEST)).isFalse();
  }

  @Test
  void aSourceTableThatDoesNotExistIsRefusedNamingIt() {
    Cli.Result r = Cli.run("scrape", "--source", "bq:my-project.pixiv.missing", "--sink",
        "bq:" + DEST, "--bigquery-endpoint", bq.endpoint().toString(), "--origin", site.origin());

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("SOURCE_FAILED").contains("my-project.pixiv.missing");
    assertThat(bq.hasTable(DEST)).isFalse();
  }

  @Test
  void aMalformedTableNameIsAConfigurationError() {
    Cli.Result r = Cli.run("scrape", "--source", "bq:not-a-table",
        "--bigquery-endpoint", bq.endpoint().toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bq:not-a-table");
  }
}

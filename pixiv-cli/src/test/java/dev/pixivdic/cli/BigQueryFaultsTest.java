package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.bigquery.testing.Column;
import dev.pixivdic.bigquery.testing.FaultProxy;
import dev.pixivdic.bigquery.testing.FaultProxy.Rule;
import dev.pixivdic.bigquery.testing.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code pixiv scrape} into BigQuery when BigQuery misbehaves (a fault proxy in front of the
 * stand-in): the exit code says what a scheduler should do, and the summary and the ledger count
 * the rows the table holds.
 */
class BigQueryFaultsTest {

  private static final String SOURCE = "my-project.pixiv.pixiv_search_middle_class_ip_name_url";
  private static final String DEST = "my-project.pixiv.pixiv_detail_info";
  private static final String LEDGER = "my-project.pixiv.scrape_runs";
  private static final String UPLOAD = "/upload/bigquery/v2/projects/[^/]+/jobs";
  private static final String JOB = "/bigquery/v2/projects/[^/]+/jobs/[^/]+";
  private static final String JOBS = "/bigquery/v2/projects/[^/]+/jobs";

  private FakeSite site;
  private BigQueryStandIn bq;
  private FaultProxy proxy;
  private final ListAppender<ILoggingEvent> sinkLog = new ListAppender<>();
  private final Logger sinkLogger = ((LoggerContext) LoggerFactory.getILoggerFactory())
      .getLogger("dev.pixivdic.bigquery.BigQuerySink");

  @BeforeEach
  void start() throws IOException {
    sinkLog.setContext(sinkLogger.getLoggerContext());
    sinkLog.start();
    sinkLogger.addAppender(sinkLog);
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
    sinkLogger.detachAppender(sinkLog);
    if (proxy != null) {
      proxy.close();
    }
    site.close();
    bq.close();
  }

  private Cli.Result scrape(List<Rule> rules, String... more) throws IOException {
    return scrapeInto(DEST, rules, more);
  }

  private Cli.Result scrapeInto(String dest, List<Rule> rules, String... more)
      throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    proxy = FaultProxy.start(bq.endpoint(), rules);
    List<String> args = new ArrayList<>(List.of("scrape", "--source", "bq:" + SOURCE,
        "--sink", "bq:" + dest, "--url-column", "URL",
        "--bigquery-endpoint", proxy.endpoint().toString(), "--location", "US",
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "4", "--progress", "none",
        "--drift-min-pages", "5"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aLoadAnswerSlowerThanTheDeadlineIsReadBackAndCountedAsWritten() throws IOException {
    Cli.Result r = scrape(List.of(Rule.on("PUT", UPLOAD).delayAnswer(Duration.ofSeconds(3))),
        "--bigquery-timeout", "700ms");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bq.rows(DEST)).hasSize(12);
    assertThat(r.err()).contains("written 12").doesNotContain("DROPPED");
    assertThat(bq.rows(LEDGER)).singleElement()
        .satisfies(row -> assertThat(row).containsEntry("rows_written", 12L));
    assertThat(proxy.exhausted()).isTrue();
  }

  @Test
  void aLostLoadAnswerWhoseJobTheLookupMissesTwiceIsCountedOnce() throws IOException {
    Cli.Result r = scrape(List.of(Rule.on("PUT", UPLOAD).loseAnswer(),
        Rule.on("GET", JOB).times(2).respond(404, "notFound")));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bq.rows(DEST)).hasSize(12);
    assertThat(r.err()).contains("written 12").doesNotContain("DROPPED");
    assertThat(bq.rows(LEDGER)).singleElement()
        .satisfies(row -> assertThat(row).containsEntry("rows_written", 12L));
  }

  @Test
  void aBigQueryThatStaysSlowExits69NeverTwo() throws IOException {
    Cli.Result r = scrape(List.of(Rule.on("POST", "/bigquery/v2/projects/[^/]+/queries")
            .times(100).delayAnswer(Duration.ofSeconds(3))),
        "--bigquery-timeout", "300ms", "--bigquery-attempts", "2");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("no answer from BigQuery within 300ms");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aBigQueryRateLimitThatLastsExits69NeverTwo() throws IOException {
    // BigQuery answers jobRateLimitExceeded with 400; its error table says to retry it.
    Cli.Result r = scrape(List.of(Rule.on("POST", "/bigquery/v2/projects/[^/]+/queries")
            .times(100).respond(400, "jobRateLimitExceeded")), "--bigquery-attempts", "2");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("jobRateLimitExceeded");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aQuotaThatLastsExits69AtOnceWithoutSpendingTheAttempts() throws IOException {
    // quotaExceeded is BigQuery's longer-term limit (a daily quota): the attempts' backoff, 30 s
    // doubling, would spend minutes on it and end the same way.
    Cli.Result r = scrape(List.of(Rule.on("POST", "/bigquery/v2/projects/[^/]+/queries")
        .times(100).respond(403, "quotaExceeded")), "--bigquery-attempts", "2");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("exceeded a quota", "quotaExceeded", "not retried",
        "run again later");
    assertThat(proxy.applied()).as("queries sent").hasSize(1);
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aLedgerRowThatCannotBeWrittenExits74AndTheSummarySaysSo() throws IOException {
    Cli.Result r = scrape(List.of(Rule.on("GET", ".*/tables/scrape_runs").times(100)
        .respond(403, "accessDenied")));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_RECORDED);
    assertThat(bq.rows(DEST)).hasSize(12);
    assertThat(r.err()).contains("(exit 74)").contains("LEDGER")
        .contains("bq:my-project.pixiv.scrape_runs").contains("(12 rows are stored)");
    assertThat(bq.hasTable(LEDGER)).isFalse();
    proxy.close();

    // A run that stored nothing must not say that its rows are stored.
    Cli.Result none = scrape(List.of(Rule.on("GET", ".*/tables/scrape_runs").times(100)
        .respond(403, "accessDenied"), Rule.on("POST", ".*/queries").times(100)
        .respond(400, "invalidQuery")));
    assertThat(none.err()).contains("LEDGER").contains("(no rows were stored)")
        .doesNotContain("rows are stored");
  }

  /**
   * The query that skips what the destination holds compares {@code loaded_at} with a TIMESTAMP;
   * BigQuery refuses a DATE there, and the run failed in the source's query, naming neither the
   * table nor the column.
   */
  @Test
  void aDestinationWhoseLoadedAtIsADateIsRefusedBeforeAnyPageIsFetchedNamingTheColumn()
      throws IOException {
    bq.createTable(DEST, List.of(Column.string("url"), Column.of("loaded_at", "DATE")));

    Cli.Result r = scrape(List.of());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("table bq:" + DEST + " has column 'loaded_at' as DATE: the"
        + " query that skips what the table holds reads it as TIMESTAMP");
    assertThat(site.articleRequests).hasValue(0);
    assertThat(bq.rows(DEST)).isEmpty();

    Cli.Result noUrl = scrapeInto("my-project.pixiv.other", List.of());
    assertThat(noUrl.code()).as("a destination made by the run is fine").isZero();
    bq.createTable("my-project.pixiv.third", List.of(Column.of("loaded_at", "TIMESTAMP")));
    Cli.Result missing = scrapeInto("my-project.pixiv.third", List.of());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("has no column 'url'");
  }

  /** A run makes tables, not datasets: the first load failed, after a batch of fetching. */
  @Test
  void aDestinationInADatasetThatDoesNotExistIsRefusedBeforeAnyPageIsFetched()
      throws IOException {
    bq.deleteDataset("my-project.gone");

    Cli.Result r = scrapeInto("my-project.gone.pixiv_detail_info", List.of());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("dataset my-project.gone of bq:my-project.gone.pixiv_detail_info"
        + " does not exist");
    assertThat(site.articleRequests).hasValue(0);
  }

  @Test
  void anAccountThatMayNotCreateTheViewStoresEveryRowAndIsGivenTheStatementToRun()
      throws Exception {
    // A service account with dataEditor on the existing tables alone.
    assertThat(scrape(List.of()).code()).isZero();
    assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
        .newBuilder(bq.endpoint().resolve("/bigquery/v2/projects/my-project/datasets/pixiv/"
            + "tables/pixiv_detail_info_last_scraped")).DELETE().build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
    bq.denyTableCreation("my-project.pixiv");

    Cli.Result r = scrape(List.of(), "--refresh-after", "0s");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bq.rows(DEST)).hasSize(24);
    assertThat(r.err()).contains("written 12").doesNotContain("DROPPED");
    assertThat(sinkLog.list).filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage).singleElement()
        .satisfies(m -> assertThat(m)
            .contains("the view bq:" + DEST + "_last_scraped could not be created")
            .contains("Permission bigquery.tables.create denied")
            .contains("CREATE VIEW IF NOT EXISTS `" + DEST + "_last_scraped`"));
    assertThat(bq.hasTable(DEST + "_last_scraped")).isFalse();
  }

  @Test
  void aViewAnotherPodMadeWhileThisOnesStatementFailedIsNoFailure() throws IOException {
    assertThat(scrape(List.of()).code()).isZero();

    // The read finds the view missing, and the statement then fails: another pod made it.
    Cli.Result r = scrape(List.of(Rule.on("GET", ".*/tables/pixiv_detail_info_last_scraped")
        .respond(404, "notFound"), Rule.on("POST", JOBS).respond(400, "invalidQuery")),
        "--refresh-after", "0s");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bq.rows(DEST)).hasSize(24);
    assertThat(sinkLog.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("was made meanwhile"))
        .noneSatisfy(m -> assertThat(m).contains("could not be created"));
    assertThat(proxy.exhausted()).isTrue();
  }

  @Test
  void aDryRunChangesNothingInBigQuery() throws IOException {
    Cli.Result r = scrape(List.of(), "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(12);
    assertThat(bq.hasTable(DEST)).isFalse();
    assertThat(bq.hasTable(DEST + "_last_scraped")).isFalse();
    assertThat(bq.requests()).extracting(RecordedRequest::toString).allSatisfy(req ->
        assertThat(req).matches("GET .*|POST /bigquery/v2/projects/[^/]+/queries"));
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aDryRunOverAnExistingDestinationSkipsWhatItHoldsAndStillChangesNothing()
      throws IOException {
    assertThat(scrape(List.of()).code()).isZero();
    proxy.close();
    int before = bq.requests().size();

    Cli.Result r = scrape(List.of(), "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("0 items to fetch");
    assertThat(bq.requests().subList(before, bq.requests().size()))
        .extracting(RecordedRequest::toString).allSatisfy(req ->
            assertThat(req).matches("GET .*|POST /bigquery/v2/projects/[^/]+/queries"));
  }

  @Test
  void aSinkLookupFailingMidRunWritesWhatWasParsedExits69AndTheReRunFetchesTheRest()
      throws IOException {
    assertThat(scrape(List.of()).code()).isZero();
    proxy.close();
    List<String> added = new ArrayList<>(ScrapeCommandTest.urls(22).subList(12, 22));
    // Spelled otherwise (unescaped), so read after the ten: the sink is asked then, and fails.
    added.add("https://dic.pixiv.net/a/記事22");
    bq.seed(SOURCE, added.stream().map(u -> Map.of("URL", u, "middle_class_ip_name", "x"))
        .toList());

    Cli.Result r = scrape(List.of(Rule.on("POST", JOBS.replace("jobs", "queries")).after(1)
        .times(100).respond(503, "backendError")), "--bigquery-attempts", "2");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("SINK_FAILED").contains("query of stored rows");
    assertThat(bq.rows(DEST)).hasSize(22);
    proxy.close();
    int fetched = site.articleRequests.get();
    assertThat(scrape(List.of()).code()).isZero();
    assertThat(site.articleRequests.get() - fetched).isEqualTo(1);
    assertThat(bq.rows(DEST)).extracting(r2 -> r2.get("url"))
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(23));
  }

  @Test
  void aSourceQueryAnsweredWithAnEmptyObjectIsTheSourcesFailureExit69() throws IOException {
    Cli.Result r = scrape(List.of(Rule.on("POST", "/bigquery/v2/projects/[^/]+/queries")
        .times(100).answer(200, "{}")));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("SOURCE_FAILED").contains("was not understood")
        .doesNotContain("INTERNAL_ERROR");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aDestinationReadAnsweredWithAnEmptyObjectIsTheSinksFailureExit69() throws IOException {
    Cli.Result r = scrape(List.of(Rule.on("GET", ".*/tables/pixiv_detail_info").times(100)
        .answer(200, "{}")));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("SINK_FAILED").contains("was not understood")
        .doesNotContain("INTERNAL_ERROR");
  }

  @Test
  void aBadBigQueryDeadlineOrAttemptCountIsAUsageErrorNamingTheOption() throws IOException {
    Cli.Result timeout = scrape(List.of(), "--bigquery-timeout", "0s");
    assertThat(timeout.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(timeout.err()).contains("--bigquery-timeout");
    proxy.close();

    Cli.Result attempts = scrape(List.of(), "--bigquery-attempts", "0");
    assertThat(attempts.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(attempts.err()).contains("--bigquery-attempts");
  }

  /**
   * An endpoint that cannot be read is shown by its scheme alone: what looked like its host was
   * shown, and so was all of one that is no URL ({@code http://[S3CRET]:1}).
   */
  @Test
  void aPasswordInABadBigQueryEndpointIsNeverShown() throws IOException {
    Map<String, String> shown = Map.of("bquser:S3CRETPW@127.0.0.1:1", "'***'",
        "http://bquser:S3CRET#PW@127.0.0.1:1", "'http://***'",
        "http://bquser:S3CRET/PW@127.0.0.1:1", "'http://***'",
        "http://bquser:S3CRET PW@127.0.0.1:1", "'http://***'",
        "http://bquser:S3CRETPW@127.0.0.1:1", "'http://***@127.0.0.1:1'",
        "http://S3CRET%40127.0.0.1:1", "'http://***'",
        "http://127.0.0.1:1\\S3CRET", "'http://***'",
        "http://[S3CRET]:1", "'http://***'",
        "ftp://S3CRET", "'ftp://***'");
    for (var endpoint : shown.entrySet()) {
      Cli.Result r = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
          "--bigquery-endpoint", endpoint.getKey(), "--origin", site.origin(), "--progress",
          "none");
      assertThat(r.code()).as(endpoint.getKey()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(endpoint.getKey()).contains(endpoint.getValue())
          .doesNotContain("S3CRET");
      assertThat(r.out()).doesNotContain("S3CRET");
    }
    Cli.Result blank = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
        "--bigquery-endpoint", " ", "--origin", site.origin(), "--progress", "none");
    assertThat(blank.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(blank.err()).contains("--bigquery-endpoint (or $BIGQUERY_EMULATOR_HOST) is empty");
  }

  /**
   * A query or fragment (a key) in the endpoint was taken, and every message naming the endpoint
   * showed it; operations.md lists it among the secrets refused with exit 2.
   */
  @Test
  void anEndpointWithAQueryOrFragmentIsRefusedWithoutShowingIt() {
    for (String endpoint : List.of(bq.endpoint() + "/x?key=S3CRET",
        bq.endpoint() + "/x#S3CRET", bq.endpoint() + "/x?key=S3CRET#frag")) {
      Cli.Result r = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
          "--bigquery-endpoint", endpoint, "--origin", site.origin(), "--progress", "none");
      assertThat(r.code()).as(endpoint + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(endpoint).contains("--bigquery-endpoint", "***")
          .doesNotContain("S3CRET");
      assertThat(r.out()).doesNotContain("S3CRET");
    }
  }

  @Test
  void aMergeRefusedWhenTheSinkClosesIsTheRunsOutcomeInTheFinalLineAndTheExitCode()
      throws IOException {
    // Where the MERGE stands among the jobs a merge-mode run posts: counted on a twin stand-in.
    int before;
    try (BigQueryStandIn twin = BigQueryStandIn.start();
        FakeSite twinSite = new FakeSite()) {
      twin.seed(SOURCE, bq.rows(SOURCE).stream().map(r -> {
        Map<String, String> row = new LinkedHashMap<>();
        r.forEach((k, v) -> row.put(k, String.valueOf(v)));
        return row;
      }).toList());
      Cli.Result ok = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
          "--url-column", "URL", "--bigquery-endpoint", twin.endpoint().toString(),
          "--location", "US", "--origin", twinSite.origin(), "--qps", "1000", "--progress",
          "none", "--drift-min-pages", "5", "--sink-mode", "merge");
      assertThat(ok.code()).as(ok.err()).isZero();
      List<RecordedRequest> jobs = twin.requests().stream()
          .filter(q -> q.method().equals("POST") && q.path().matches(JOBS)).toList();
      before = jobs.indexOf(jobs.stream().filter(q -> q.body().contains("MERGE"))
          .findFirst().orElseThrow());
    }

    Cli.Result r = scrape(List.of(Rule.on("POST", JOBS).after(before).times(100)
        .respond(400, "invalidQuery")), "--sink-mode", "merge");

    String last = r.err().strip().lines().reduce((a, b) -> b).orElseThrow();
    dev.pixivdic.launcher.report.FinalLine line =
        dev.pixivdic.launcher.report.FinalLine.find(last).orElseThrow();
    assertThat(line.stopReason()).as(r.err()).isEqualTo("SINK_FAILED");
    assertThat(line.exitCode()).isEqualTo(r.code()).isNotZero();
    assertThat(bq.rows(DEST)).isEmpty();
  }
}

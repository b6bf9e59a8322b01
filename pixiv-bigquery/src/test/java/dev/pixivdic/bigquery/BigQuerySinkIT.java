package dev.pixivdic.bigquery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.pixivdic.bigquery.Fixtures.error;
import static dev.pixivdic.bigquery.Fixtures.json;
import static dev.pixivdic.bigquery.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.internal.RowSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BigQuerySinkIT {

  static final String TABLE_PATH =
      "/bigquery/v2/projects/test-project/datasets/ds/tables/pixiv_detail_info";
  static final String UPLOAD = "/upload/bigquery/v2/projects/test-project/jobs";
  static final String SESSION = "/upload/session/1";

  Stub stub;
  TableRef dest = TableRef.parse("bq:test-project.ds.pixiv_detail_info");

  @BeforeEach
  void start() {
    stub = new Stub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  void destinationExists(String tableJson) {
    stub.server.stubFor(get(urlPathEqualTo(TABLE_PATH)).willReturn(json(200, tableJson)));
  }

  void uploadsSucceed() {
    uploadsAnswer(Fixtures.job("any", "DONE", null));
  }

  /** Every upload session opens, and its data is answered with this job. */
  void uploadsAnswer(String job) {
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION)).willReturn(json(200, job)));
  }

  BigQuerySink sink(int attempts) {
    return BigQuerySink.builder(stub.connection(attempts), dest).build();
  }

  List<LoggedRequest> uploadsOpened() {
    return stub.server.findAll(postRequestedFor(urlPathEqualTo(UPLOAD)));
  }

  static JsonNode load(LoggedRequest r) {
    return Stub.json(r).path("configuration").path("load");
  }

  static String jobId(LoggedRequest r) {
    return Stub.json(r).path("jobReference").path("jobId").asText();
  }

  @Test
  void anEmptyBatchMakesNoRequest() throws Exception {
    try (BigQuerySink sink = sink(3)) {
      sink.write(List.of());
    }
    stub.server.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void loadsABatchAsOneNdjsonLoadJobWithSchemaPartitioningClusteringAndADeterministicId()
      throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsSucceed();
    List<ArticleRow> batch = List.of(row("初音ミク", 1000), row("μ's", 20), row("a\\b\"c'd", 3));

    sink(3).write(batch);

    LoggedRequest open = uploadsOpened().get(0);
    assertThat(open.queryParameter("uploadType").firstValue()).isEqualTo("resumable");
    JsonNode load = load(open);
    assertThat(load.path("sourceFormat").asText()).isEqualTo("NEWLINE_DELIMITED_JSON");
    assertThat(load.path("writeDisposition").asText()).isEqualTo("WRITE_APPEND");
    assertThat(load.path("schemaUpdateOptions").toString()).contains("ALLOW_FIELD_ADDITION");
    assertThat(load.path("destinationTable").path("tableId").asText())
        .isEqualTo("pixiv_detail_info");
    assertThat(load.path("timePartitioning").path("field").asText()).isEqualTo("loaded_at");
    assertThat(load.path("timePartitioning").path("type").asText()).isEqualTo("DAY");
    assertThat(load.path("clustering").path("fields").get(0).asText()).isEqualTo("url");
    List<String> names = new ArrayList<>();
    load.path("schema").path("fields").forEach(f -> names.add(f.path("name").asText()));
    assertThat(names).containsExactlyElementsOf(
        RowSchema.COLUMNS.stream().map(RowSchema.Column::name).toList());
    assertThat(load.path("schema").path("fields").get(17).path("mode").asText())
        .isEqualTo("REPEATED");
    assertThat(jobId(open)).matches("pixiv_load_pixiv_detail_info_[0-9a-f]{32}_a1");
    assertThat(Stub.json(open).path("jobReference").path("location").asText()).isEqualTo("US");

    LoggedRequest data = stub.server.findAll(putRequestedFor(urlPathEqualTo(SESSION))).get(0);
    String ndjson = Stub.body(data);
    assertThat(ndjson).isEqualTo(
        batch.stream().map(r -> RowJson.write(r) + "\n").reduce("", String::concat));
    assertThat(ndjson.lines().map(RowJson::read).toList()).isEqualTo(batch);
  }

  @Test
  void rowsWithQuotesAndBackslashesAnywhereRoundTripThroughTheUploadedNdjson() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsSucceed();
    java.util.Random random = new java.util.Random(7);
    String alphabet = "'\"\\`;%μ初\n\t/ ?#";
    List<ArticleRow> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder t = new StringBuilder("x");
      for (int j = 0; j < 10; j++) {
        t.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      // A title holds no control character (ArticleUrl refuses them); the other columns may.
      String title = t.toString().strip().replace('\n', '_').replace('\t', '_');
      batch.add(row(title + i, i).toBuilder().summary(t.reverse().toString())
          .passThrough("search_hit_num", t.toString()).build());
    }

    sink(3).write(batch);

    String ndjson = Stub.body(stub.server.findAll(putRequestedFor(urlPathEqualTo(SESSION))).get(0));
    assertThat(ndjson.lines().map(RowJson::read).toList()).isEqualTo(batch);
    JsonNode fields = load(uploadsOpened().get(0)).path("schema").path("fields");
    assertThat(fields.get(fields.size() - 1).path("name").asText()).isEqualTo("search_hit_num");
    assertThat(fields.get(fields.size() - 1).path("type").asText()).isEqualTo("STRING");
  }

  @Test
  void aPassThroughColumnTheSinkCannotNameIsARefusalNamingItAndNothingIsLoaded() {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsSucceed();
    for (String column : List.of("カテゴリ", "page views", "1st")) {
      List<ArticleRow> batch = List.of(row("A", 1).toBuilder().passThrough(column, "x").build());

      assertThatThrownBy(() -> sink(3).write(batch))
          .isInstanceOf(BigQueryRejectedException.class)
          .hasMessageContaining("'" + column + "'")
          .hasMessageContaining("rename the column of the source");
    }
    assertThat(uploadsOpened()).isEmpty();
  }

  @Test
  void theSameBatchGetsTheSameJobIdAndAnotherBatchAnother() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsSucceed();
    sink(3).write(List.of(row("A", 1)));
    sink(3).write(List.of(row("A", 1)));
    sink(3).write(List.of(row("A", 2)));
    List<String> ids = uploadsOpened().stream().map(BigQuerySinkIT::jobId).toList();
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
    assertThat(ids.get(2)).isNotEqualTo(ids.get(0));
  }

  @Test
  void aJobIdTakenByAJobThatSucceededCountsAsWritten() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(409, "duplicate", "Already Exists: Job test-project:US.x")));
    stub.server.stubFor(get(urlPathMatching(
            "/bigquery/v2/projects/test-project/jobs/pixiv_load_.*_a1"))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", null))));

    sink(3).write(List.of(row("A", 1)));

    assertThat(uploadsOpened()).hasSize(1);
    stub.server.verify(0, putRequestedFor(anyUrl()));
    stub.server.verify(1, getRequestedFor(urlPathMatching(".*/jobs/pixiv_load_.*_a1")));
  }

  @Test
  void aJobIdTakenByAJobThatFailedIsRetriedUnderTheNextAttemptSuffix() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("dup").whenScenarioStateIs(STARTED)
        .willReturn(error(409, "duplicate", "Already Exists")).willSetStateTo("free"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("dup").whenScenarioStateIs("free")
        .willReturn(json(200, "{}").withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("x_a2", "DONE", null))));
    stub.server.stubFor(get(urlPathMatching(
            "/bigquery/v2/projects/test-project/jobs/pixiv_load_.*_a1"))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", "invalid"))));

    sink(3).write(List.of(row("A", 1)));

    List<String> ids = uploadsOpened().stream().map(BigQuerySinkIT::jobId).toList();
    assertThat(ids).hasSize(2);
    assertThat(ids.get(0)).endsWith("_a1");
    assertThat(ids.get(1)).isEqualTo(ids.get(0).replaceAll("_a1$", "_a2"));
    stub.server.verify(1, putRequestedFor(urlPathEqualTo(SESSION)));
  }

  @Test
  void aDoneJobWithAnErrorResultFailsTheWriteWithBigQuerysMessage() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", "invalid"))));

    assertThatThrownBy(() -> sink(3).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("job failed: invalid")
        .satisfies(e -> assertThat(((BigQueryIOException) e).reason()).isEqualTo("invalid"));
    assertThat(uploadsOpened()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"backendError", "rateLimitExceeded", "jobRateLimitExceeded"})
  void aJobThatFailedWithATransientErrorIsRetriedUnderANewId(String reason) throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION)).inScenario("backend")
        .whenScenarioStateIs(STARTED)
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", reason)))
        .willSetStateTo("ok"));
    stub.server.stubFor(put(urlPathEqualTo(SESSION)).inScenario("backend")
        .whenScenarioStateIs("ok").willReturn(json(200, Fixtures.job("x_a2", "DONE", null))));

    sink(3).write(List.of(row("A", 1)));

    List<String> ids = uploadsOpened().stream().map(BigQuerySinkIT::jobId).toList();
    assertThat(ids).hasSize(2);
    assertThat(ids.get(1)).endsWith("_a2");
  }

  @Test
  void aLoadStillRunningIsWaitedForUntilDone() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsAnswer(Fixtures.job("x_a1", "RUNNING", null));
    // The client polls the job the upload's answer names.
    stub.server.stubFor(get(urlPathMatching(".*/jobs/x_a1")).inScenario("run")
        .whenScenarioStateIs(STARTED).willReturn(json(200, Fixtures.job("x_a1", "RUNNING", null)))
        .willSetStateTo("done"));
    stub.server.stubFor(get(urlPathMatching(".*/jobs/x_a1")).inScenario("run")
        .whenScenarioStateIs("done").willReturn(json(200, Fixtures.job("x_a1", "DONE", null))));

    sink(3).write(List.of(row("A", 1)));

    assertThat(stub.server.findAll(getRequestedFor(urlPathMatching(".*/jobs/x_a1"))))
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void aLoadThatFailsWhileRunningFailsTheWriteWithBigQuerysMessage() throws Exception {
    // A real load is RUNNING when its upload ends; a refused one is DONE with an error later.
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsAnswer(Fixtures.job("x_a1", "RUNNING", null));
    stub.server.stubFor(get(urlPathMatching(".*/jobs/(x|pixiv_load_.*)_a1"))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", "invalid"))));

    assertThatThrownBy(() -> sink(3).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("job failed: invalid")
        .hasMessageNotContaining("still running");
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void aLoadStillRunningAfterTheJobTimeoutIsUnavailableAndNotLoadedAgain() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsAnswer(Fixtures.job("x_a1", "RUNNING", null));
    stub.server.stubFor(get(urlPathMatching(".*/jobs/(x|pixiv_load_.*)_a1"))
        .willReturn(json(200, Fixtures.job("x_a1", "RUNNING", null))));
    BigQueryConnection bq = BigQueryConnection.create(java.util.Optional.of(
        java.net.URI.create(stub.base())), java.util.Optional.of("US"), Stub.PROJECT,
        BigQueryRetry.fixed(3, java.time.Duration.ofMillis(1))
            .withJobTimeout(java.time.Duration.ofMillis(300)));

    assertThatThrownBy(() -> BigQuerySink.builder(bq, dest).build().write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("still running");
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void a503IsRetriedThenTheLoadSucceeds() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("503").whenScenarioStateIs(STARTED)
        .willReturn(error(503, "backendError", "Service unavailable")).willSetStateTo("up"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("503").whenScenarioStateIs("up")
        .willReturn(json(200, "{}").withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", null))));

    sink(3).write(List.of(row("A", 1)));

    List<String> ids = uploadsOpened().stream().map(BigQuerySinkIT::jobId).toList();
    assertThat(ids).hasSize(2).allMatch(id -> id.endsWith("_a1"));
  }

  @Test
  void persistent503sEndInBigQueryUnavailableWithTheMessage() {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(503, "backendError", "Service is busy")));

    assertThatThrownBy(() -> sink(3).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("Service is busy")
        .hasMessageContaining("after 3 attempts")
        .satisfies(e -> assertThat(((BigQueryIOException) e).statusCode()).isEqualTo(503));
    assertThat(uploadsOpened()).hasSize(3);
  }

  @Test
  void a400IsNotRetried() {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(400, "invalid", "Invalid schema update")));

    assertThatThrownBy(() -> sink(5).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("Invalid schema update");
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void a403AccessDeniedIsNotRetriedButRateLimitExceededIs() throws Exception {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(403, "accessDenied", "Access Denied: Table")));
    assertThatThrownBy(() -> sink(5).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryRejectedException.class);
    assertThat(uploadsOpened()).hasSize(1);

    stub.server.resetRequests();
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(403, "rateLimitExceeded", "Exceeded rate limits")));
    assertThatThrownBy(() -> sink(4).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class);
    assertThat(uploadsOpened()).hasSize(4);
  }

  @Test
  void jobRateLimitExceededIsRetriedAlthoughItIsA400AndThenUnavailable() {
    // BigQuery's error table: 400 jobRateLimitExceeded, to be retried with backoff.
    assertRetriedThenUnavailable(error(400, "jobRateLimitExceeded",
        "Exceeded rate limits: too many table update operations for this table"));
  }

  @Test
  void a429WithoutAReasonIsRetriedAndThenUnavailable() {
    assertRetriedThenUnavailable(json(429, "{\"error\":{\"code\":429,"
        + "\"message\":\"Too many requests\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
  }

  void assertRetriedThenUnavailable(ResponseDefinitionBuilder answer) {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(answer));

    assertThatThrownBy(() -> sink(4).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("after 4 attempts");
    assertThat(uploadsOpened()).hasSize(4);
  }

  @ParameterizedTest
  @CsvSource({"403, billingNotEnabled", "400, billingTierLimitExceeded"})
  void billingErrorsAreRefusedAtOnceForNoRetryFixesThem(int status, String reason) {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(status, reason, "Billing has not been enabled for this project")));

    assertThatThrownBy(() -> sink(5).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryRejectedException.class)
        .satisfies(e -> assertThat(((BigQueryIOException) e).reason()).isEqualTo(reason));
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void aDailyLoadQuotaEndsTheWriteAtOnceAsUnavailableNamingTheQuota() {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(error(403, "quotaExceeded",
        "Quota exceeded: Your table exceeded quota for imports or query appends per table")));

    assertThatThrownBy(() -> sink(5).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("imports or query appends per table")
        .hasMessageContaining("not retried")
        .satisfies(e -> assertThat(((BigQueryIOException) e).reason()).isEqualTo("quotaExceeded"));
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void aLoadJobThatFailsOnAQuotaIsNotLoadedAgainUnderANewId() {
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    uploadsAnswer(Fixtures.job("any", "DONE", "quotaExceeded"));

    assertThatThrownBy(() -> sink(5).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("job failed: quotaExceeded")
        .hasMessageContaining("not retried");
    assertThat(uploadsOpened()).extracting(BigQuerySinkIT::jobId).singleElement()
        .asString().endsWith("_a1");
  }

  @Test
  void theUploadSessionsIdNeverReachesAMessageWhenTheAnswerCarriesNoJsonError() {
    // The session URL's upload_id is the session's credential: who holds it may upload.
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION + "?upload_id=SeSsIoN-sEcReT_123")));
    stub.server.stubFor(put(urlPathEqualTo(SESSION)).willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "text/html").withBody("<html>Service Unavailable</html>")));

    assertThatThrownBy(() -> sink(2).write(List.of(row("A", 1))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("upload_id=***")
        .hasMessageNotContaining("SeSsIoN-sEcReT_123");
    assertThat(stub.server.findAll(putRequestedFor(urlPathEqualTo(SESSION))))
        .as("the upload was tried").isNotEmpty();
  }

  @ParameterizedTest
  @CsvSource({"503, dev.pixivdic.bigquery.BigQueryUnavailableException",
      "400, dev.pixivdic.bigquery.BigQueryRejectedException"})
  void theUploadSessionsIdIsInNoExceptionTheSinkLetsOutNorInItsCauses(int status,
      Class<?> type) {
    // An embedder logs what write() throws with its causes, the client's own exception among
    // them, whose message holds the session's URL.
    destinationExists(Fixtures.ourTable("pixiv_detail_info"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION + "?upload_id=SeSsIoN-sEcReT_123")));
    stub.server.stubFor(put(urlPathEqualTo(SESSION)).willReturn(aResponse().withStatus(status)
        .withHeader("Content-Type", "text/html").withBody("<html>no</html>")));

    Throwable thrown = catchThrowable(() -> sink(2).write(List.of(row("A", 1))));

    assertThat(thrown).isInstanceOf(type);
    StringWriter logged = new StringWriter();
    thrown.printStackTrace(new PrintWriter(logged));
    assertThat(logged.toString()).as("the exception as a logger prints it")
        .contains("upload_id=***").doesNotContain("SeSsIoN-sEcReT_123")
        .contains("BigQueryException");
    assertThat(stub.server.findAll(putRequestedFor(urlPathEqualTo(SESSION))))
        .as("the upload was tried").isNotEmpty();
  }

  @Test
  void createsAMissingDestinationPartitionedByDayOnLoadedAtAndClusteredOnUrl() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLE_PATH))
        .willReturn(error(404, "notFound", "Not found: Table test-project:ds.pixiv_detail_info")));
    stub.server.stubFor(post(urlPathEqualTo(
            "/bigquery/v2/projects/test-project/datasets/ds/tables"))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info"))));
    uploadsSucceed();

    sink(3).write(List.of(row("A", 1)));

    LoggedRequest create = stub.server.findAll(
        postRequestedFor(urlPathEqualTo("/bigquery/v2/projects/test-project/datasets/ds/tables")))
        .get(0);
    JsonNode t = Stub.json(create);
    assertThat(t.path("tableReference").path("tableId").asText()).isEqualTo("pixiv_detail_info");
    assertThat(t.path("timePartitioning").path("type").asText()).isEqualTo("DAY");
    assertThat(t.path("timePartitioning").path("field").asText()).isEqualTo("loaded_at");
    assertThat(t.path("clustering").path("fields").toString()).isEqualTo("[\"url\"]");
    assertThat(t.path("schema").path("fields")).hasSize(RowSchema.COLUMNS.size());
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void aTableOfTheOriginalBatchKeepsItsColumnsAndGainsOurs() throws Exception {
    destinationExists(Fixtures.file("table-original.json"));
    uploadsSucceed();

    sink(3).write(List.of(row("A", 1234)));

    JsonNode load = load(uploadsOpened().get(0));
    List<String> names = new ArrayList<>();
    load.path("schema").path("fields").forEach(f -> names.add(f.path("name").asText()));
    assertThat(names.subList(0, 14)).containsExactly("url", "title", "sub_title", "bookmark",
        "summary", "illust_view_url", "novel_view_url", "illust_post_url", "novel_post_url",
        "view_count", "comment_count", "works_count", "loaded_at", "middle_class_ip_name");
    assertThat(names.subList(14, names.size())).containsExactlyElementsOf(RowSchema.COLUMNS
        .stream().filter(c -> !c.original()).map(RowSchema.Column::name).toList());
    assertThat(load.path("schema").path("fields").get(3).path("type").asText())
        .isEqualTo("STRING");
    assertThat(load.has("timePartitioning")).isFalse();
    JsonNode line = Stub.JSON.readTree(
        Stub.body(stub.server.findAll(putRequestedFor(urlPathEqualTo(SESSION))).get(0)));
    assertThat(line.path("bookmark").isTextual()).isTrue();
    assertThat(line.path("bookmark").asText()).isEqualTo("123");
    assertThat(line.path("view_count").asLong()).isEqualTo(1234);
  }
}

package dev.pixivdic.bigquery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.pixivdic.bigquery.Fixtures.error;
import static dev.pixivdic.bigquery.Fixtures.json;
import static dev.pixivdic.bigquery.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MergeAndLedgerIT {

  static final String TABLES = "/bigquery/v2/projects/test-project/datasets/ds/tables";
  static final String JOBS = "/bigquery/v2/projects/test-project/jobs";
  static final String QUERIES = "/bigquery/v2/projects/test-project/queries";
  static final String UPLOAD = "/upload/bigquery/v2/projects/test-project/jobs";
  static final String SESSION = "/upload/session/1";
  static final String STAGING = "pixiv_detail_info_staging_run-1_0of2";
  static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

  Stub stub;
  TableRef dest = TableRef.parse("bq:test-project.ds.pixiv_detail_info");

  @BeforeEach
  void start() {
    stub = new Stub();
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("any", "DONE", null))));
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  static String queryJob(String id, String errorReason) {
    return Fixtures.job(id, "DONE", errorReason).replace("\"configuration\":{\"load\":",
        "\"configuration\":{\"query\":{\"query\":\"MERGE\"},\"x\":");
  }

  BigQuerySink mergeSink() {
    return BigQuerySink.builder(stub.connection(3), dest)
        .mode(BigQuerySink.Mode.MERGE)
        .runId("run-1")
        .shard(new Shard(0, 2))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  void tablesForMerge() {
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/pixiv_detail_info"))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info"))));
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/" + STAGING))
        .willReturn(error(404, "notFound", "Not found")));
    stub.server.stubFor(post(urlPathEqualTo(TABLES))
        .willReturn(json(200, Fixtures.ourTable(STAGING))));
    stub.server.stubFor(delete(urlPathEqualTo(TABLES + "/" + STAGING))
        .willReturn(aResponse().withStatus(204)));
  }

  @Test
  void mergeModeStagesBatchesInAnExpiringTableThenMergesInsertOnlyUnderADeterministicId()
      throws Exception {
    tablesForMerge();
    stub.server.stubFor(post(urlPathEqualTo(JOBS)).willReturn(json(200, queryJob("m_a1", null))));

    try (BigQuerySink sink = mergeSink()) {
      sink.write(List.of(row("A", 1), row("B", 2)));
      sink.write(List.of(row("C", 3)));
      stub.server.verify(0, postRequestedFor(urlPathEqualTo(JOBS)));
    }

    JsonNode staging =
        Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(TABLES))).get(0));
    assertThat(staging.path("tableReference").path("tableId").asText()).isEqualTo(STAGING);
    assertThat(staging.path("expirationTime").asLong())
        .isEqualTo(NOW.plus(java.time.Duration.ofDays(7)).toEpochMilli());
    List<LoggedRequest> loads = stub.server.findAll(postRequestedFor(urlPathEqualTo(UPLOAD)));
    assertThat(loads).hasSize(2).allSatisfy(r -> assertThat(Stub.json(r)
        .path("configuration").path("load").path("destinationTable").path("tableId").asText())
        .isEqualTo(STAGING));
    LoggedRequest merge = stub.server.findAll(postRequestedFor(urlPathEqualTo(JOBS))).get(0);
    JsonNode job = Stub.json(merge);
    assertThat(job.path("jobReference").path("jobId").asText())
        .matches("pixiv_merge_pixiv_detail_info_[0-9a-f]{32}_a1");
    String sql = job.path("configuration").path("query").path("query").asText();
    assertThat(sql).startsWith("MERGE `test-project.ds.pixiv_detail_info` AS T\n"
        + "USING (\n  SELECT * FROM `test-project.ds." + STAGING + "`\n")
        .contains("QUALIFY ROW_NUMBER() OVER (PARTITION BY url ORDER BY loaded_at DESC) = 1")
        .contains("ON T.url = S.url\nWHEN NOT MATCHED THEN\n  INSERT (`url`, `title`, ")
        .contains("VALUES (S.`url`, S.`title`, ")
        .doesNotContain("WHEN MATCHED");
    assertThat(job.path("configuration").path("query").path("maximumBytesBilled").asText())
        .isEqualTo(String.valueOf(BigQuerySink.DEFAULT_MAXIMUM_BYTES_BILLED));
    stub.server.verify(1, deleteRequestedFor(urlPathEqualTo(TABLES + "/" + STAGING)));
  }

  @Test
  void mergingIntoATableOfTheOriginalBatchFirstAddsTheMissingColumns() throws Exception {
    tablesForMerge();
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/pixiv_detail_info"))
        .willReturn(json(200, Fixtures.file("table-original.json"))));
    // The client sends PATCH as POST with X-HTTP-Method-Override.
    stub.server.stubFor(post(urlPathEqualTo(TABLES + "/pixiv_detail_info"))
        .withHeader("X-HTTP-Method-Override", equalTo("PATCH"))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info"))));
    stub.server.stubFor(post(urlPathEqualTo(JOBS)).willReturn(json(200, queryJob("m_a1", null))));

    try (BigQuerySink sink = mergeSink()) {
      sink.write(List.of(row("A", 1)));
    }

    LoggedRequest patch = stub.server.findAll(postRequestedFor(
        urlPathEqualTo(TABLES + "/pixiv_detail_info"))
        .withHeader("X-HTTP-Method-Override", equalTo("PATCH"))).get(0);
    JsonNode fields = Stub.json(patch).path("schema").path("fields");
    assertThat(fields.get(3).path("name").asText()).isEqualTo("bookmark");
    assertThat(fields.get(3).path("type").asText()).isEqualTo("STRING");
    assertThat(fields).hasSize(dev.pixivdic.core.internal.RowSchema.COLUMNS.size());
    String sql = Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(JOBS))).get(0))
        .path("configuration").path("query").path("query").asText();
    assertThat(sql).contains("`run_id`)");
  }

  @Test
  void aMergeThatAlreadyRanIsNotRunAgain() throws Exception {
    tablesForMerge();
    stub.server.stubFor(post(urlPathEqualTo(JOBS))
        .willReturn(error(409, "duplicate", "Already Exists: Job")));
    stub.server.stubFor(get(urlPathMatching(JOBS + "/pixiv_merge_.*_a1"))
        .willReturn(json(200, queryJob("m_a1", null))));

    try (BigQuerySink sink = mergeSink()) {
      sink.write(List.of(row("A", 1)));
    }

    stub.server.verify(1, postRequestedFor(urlPathEqualTo(JOBS)));
    stub.server.verify(1, deleteRequestedFor(urlPathEqualTo(TABLES + "/" + STAGING)));
  }

  @Test
  void storedAsksForTheFingerprintsOfTheShardWithinTheWindow() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/pixiv_detail_info"))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info"))));
    long a = dev.pixivdic.core.Shard.fingerprint("https://dic.pixiv.net/a/A");
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200,
        "{\"kind\":\"bigquery#queryResponse\",\"schema\":{\"fields\":[{\"name\":\"fp\","
            + "\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]},\"jobReference\":{\"projectId\":"
            + "\"test-project\",\"jobId\":\"q2\",\"location\":\"US\"},\"totalRows\":\"2\","
            + "\"rows\":[{\"f\":[{\"v\":\"" + a + "\"}]},{\"f\":[{\"v\":\"" + Long.MIN_VALUE
            + "\"}]}],\"jobComplete\":true}")));

    StoredKeys keys = BigQuerySink.builder(stub.connection(3), dest).build()
        .stored(new Shard(1, 4), Instant.parse("2026-11-16T00:00:00Z"));

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.contains("https://dic.pixiv.net/a/A")).isTrue();
    assertThat(keys.contains("https://dic.pixiv.net/a/B")).isFalse();
    JsonNode body =
        Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(QUERIES))).get(0));
    assertThat(body.path("query").asText()).isEqualTo("""
        SELECT FARM_FINGERPRINT(d.url) AS fp
        FROM `test-project.ds.pixiv_detail_info` AS d
        WHERE d.loaded_at >= @since AND d.loaded_at <= @until
          AND d.url IS NOT NULL
          AND MOD(MOD(FARM_FINGERPRINT(d.url), @shard_count) + @shard_count, @shard_count) \
        = @shard_index""");
    assertThat(body.toString()).contains("\"name\":\"shard_count\"")
        .contains("\"value\":\"4\"").contains("\"value\":\"1\"")
        .contains("2026-11-16 00:00:00");
  }

  /**
   * A run whose clock reads ahead of the system's (an embedder's, a test's) counted the rows it
   * had loaded as not stored: the bound took the system's clock.
   */
  @Test
  void storedBoundsTheRowsAheadByTheRunsClock() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/pixiv_detail_info"))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info"))));
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200,
        "{\"kind\":\"bigquery#queryResponse\",\"schema\":{\"fields\":[{\"name\":\"fp\","
            + "\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"}]},\"jobReference\":{\"projectId\":"
            + "\"test-project\",\"jobId\":\"q3\",\"location\":\"US\"},\"totalRows\":\"0\","
            + "\"jobComplete\":true}")));

    BigQuerySink.builder(stub.connection(3), dest).build().stored(new Shard(1, 4),
        Instant.parse("2099-01-01T00:00:00Z"), Instant.parse("2099-01-08T00:00:00Z"));

    JsonNode body =
        Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(QUERIES))).get(0));
    assertThat(BigQuerySourceIT.params(body).get("until").path("parameterValue").path("value")
        .asText()).startsWith("2099-01-09 00:00:00");
  }

  @Test
  void theLedgerCreatesItsTableAndAppendsOneRecordPerRunAndShard() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/scrape_runs"))
        .willReturn(error(404, "notFound", "Not found")));
    stub.server.stubFor(post(urlPathEqualTo(TABLES)).willReturn(json(200,
        "{\"kind\":\"bigquery#table\",\"tableReference\":{\"projectId\":\"test-project\","
            + "\"datasetId\":\"ds\",\"tableId\":\"scrape_runs\"},\"type\":\"TABLE\","
            + "\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"started_at\"},"
            + "\"clustering\":{\"fields\":[\"run_id\"]},\"schema\":{\"fields\":[]}}")));
    RunRecord record = RunRecord.builder("run-1", "scrape", 0, 2)
        .startedAt(NOW).finishedAt(NOW.plusSeconds(60)).exitCode(0)
        .itemsTotal(10).itemsArticle(8).itemsNotFound(1).itemsSkipped(1).rowsWritten(9)
        .requests(9).bytesFetched(12345).scraperVersion("0.1.0")
        .source("bq:test-project.ds.src").sink("bq:test-project.ds.pixiv_detail_info")
        .build();

    RunLedger.create(stub.connection(3), dest.sibling(RunLedger.DEFAULT_TABLE)).record(record);

    JsonNode table =
        Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(TABLES))).get(0));
    assertThat(table.path("timePartitioning").path("field").asText()).isEqualTo("started_at");
    assertThat(table.path("clustering").path("fields").get(0).asText()).isEqualTo("run_id");
    LoggedRequest open = stub.server.findAll(postRequestedFor(urlPathEqualTo(UPLOAD))).get(0);
    JsonNode load = Stub.json(open).path("configuration").path("load");
    assertThat(load.path("destinationTable").path("tableId").asText()).isEqualTo("scrape_runs");
    assertThat(load.path("writeDisposition").asText()).isEqualTo("WRITE_APPEND");
    assertThat(Stub.json(open).path("jobReference").path("jobId").asText())
        .matches("pixiv_ledger_run-1_0of2_[0-9a-f]{32}_a1");
    JsonNode line = Stub.JSON.readTree(Stub.body(stub.server.findAll(
        com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlPathEqualTo(SESSION)))
        .get(0)));
    assertThat(line.path("run_id").asText()).isEqualTo("run-1");
    assertThat(line.path("items_article").asLong()).isEqualTo(8);
    assertThat(line.path("bytes_fetched").asLong()).isEqualTo(12345);
    assertThat(line.path("started_at").asText()).isEqualTo("2026-11-23T03:00:00Z");
    assertThat(line.path("message").isNull()).isTrue();
  }

  @Test
  void theLastScrapedViewIsCreatedWithIdempotentDdl() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/pixiv_detail_info_last_scraped"))
        .willReturn(error(404, "notFound", "Not found")));
    stub.server.stubFor(post(urlPathEqualTo(JOBS)).willReturn(json(200, queryJob("q3", null))));

    BigQueryTables.createLastScrapedView(stub.connection(3), dest,
        dest.sibling("pixiv_detail_info_last_scraped"));

    JsonNode job = Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(JOBS))).get(0));
    assertThat(job.path("jobReference").path("jobId").asText())
        .matches("pixiv_ddl_[0-9a-f]{32}_a1");
    String sql = job.path("configuration").path("query").path("query").asText();
    assertThat(sql).isEqualTo("""
        CREATE VIEW IF NOT EXISTS `test-project.ds.pixiv_detail_info_last_scraped`
        OPTIONS (description = 'Last time each URL was scraped (max loaded_at)') AS
        SELECT url, MAX(loaded_at) AS last_scraped_at
        FROM `test-project.ds.pixiv_detail_info`
        GROUP BY url""");
  }

  @Test
  void aViewThatIsThereIsReadNotCreatedAgain() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLES + "/pixiv_detail_info_last_scraped"))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info_last_scraped"))));

    BigQueryTables.createLastScrapedView(stub.connection(3), dest,
        dest.sibling("pixiv_detail_info_last_scraped"));

    assertThat(stub.server.findAll(postRequestedFor(urlPathEqualTo(JOBS)))).isEmpty();
  }
}

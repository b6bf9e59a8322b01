package dev.pixivdic.bigquery;

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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.resolve.ResolutionRow.Status;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BigQueryResolutionSinkIT {

  static final String TABLE = "pixiv_search_middle_class_ip_name_url";
  static final String TABLE_PATH = "/bigquery/v2/projects/test-project/datasets/ds/tables/" + TABLE;
  static final String TABLES = "/bigquery/v2/projects/test-project/datasets/ds/tables";
  static final String UPLOAD = "/upload/bigquery/v2/projects/test-project/jobs";
  static final String SESSION = "/upload/session/1";
  static final String QUERIES = "/bigquery/v2/projects/test-project/queries";
  static final Instant MADE = Instant.parse("2026-11-22T03:00:00Z");

  Stub stub;
  TableRef dest = TableRef.parse("bq:test-project.ds." + TABLE);

  @BeforeEach
  void start() {
    stub = new Stub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  BigQueryResolutionSink sink(int attempts) {
    return BigQueryResolutionSink.create(stub.connection(attempts), dest, 987_654_321);
  }

  void tableIs(String fixture) {
    stub.server.stubFor(get(urlPathEqualTo(TABLE_PATH))
        .willReturn(json(200, Fixtures.file(fixture))));
  }

  void uploadsSucceed() {
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("any", "DONE", null))));
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

  String uploaded() {
    return Stub.body(stub.server.findAll(putRequestedFor(urlPathEqualTo(SESSION))).get(0));
  }

  static ResolutionRow matched(String name, String title, Map<String, String> pass) {
    return new ResolutionRow(name, name.strip(), "https://dic.pixiv.net/a/" + title, title, 12L,
        MADE, Status.MATCHED, 1, "run-1", "1.0", pass);
  }

  static ResolutionRow noMatch(String name) {
    return new ResolutionRow(name, name, null, null, 0L, MADE, Status.NO_MATCH, 1, "run-1", "1.0",
        Map.of());
  }

  static List<String> names(JsonNode fields) {
    List<String> out = new ArrayList<>();
    fields.forEach(f -> out.add(f.path("name").asText()));
    return out;
  }

  @Test
  void anEmptyBatchMakesNoRequest() throws Exception {
    try (BigQueryResolutionSink sink = sink(3)) {
      sink.write(List.of());
    }
    stub.server.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void loadsABatchAsOneLoadJobWithOurSchemaPartitioningClusteringAndADeterministicId()
      throws Exception {
    tableIs("resolution-ours.json");
    uploadsSucceed();
    List<ResolutionRow> batch = List.of(
        matched("初音ミク", "初音ミク", Map.of("category", "music")),
        matched("a\\b\"c'd", "a\\b\"c'd", Map.of()),
        noMatch("初音"));

    sink(3).write(batch);

    LoggedRequest open = uploadsOpened().get(0);
    JsonNode load = load(open);
    assertThat(load.path("sourceFormat").asText()).isEqualTo("NEWLINE_DELIMITED_JSON");
    assertThat(load.path("writeDisposition").asText()).isEqualTo("WRITE_APPEND");
    assertThat(load.path("schemaUpdateOptions").toString()).contains("ALLOW_FIELD_ADDITION");
    assertThat(load.path("destinationTable").path("tableId").asText()).isEqualTo(TABLE);
    assertThat(load.path("timePartitioning").path("field").asText()).isEqualTo("update");
    assertThat(load.path("timePartitioning").path("type").asText()).isEqualTo("DAY");
    assertThat(load.path("clustering").path("fields").toString())
        .isEqualTo("[\"middle_class_ip_name\"]");
    List<String> expected = new ArrayList<>(ResolutionJson.COLUMNS);
    expected.add("category");
    assertThat(names(load.path("schema").path("fields"))).containsExactlyElementsOf(expected);
    JsonNode fields = load.path("schema").path("fields");
    assertThat(fields.get(4).path("type").asText()).isEqualTo("INTEGER");
    assertThat(fields.get(5).path("type").asText()).isEqualTo("TIMESTAMP");
    assertThat(fields.get(10).path("type").asText()).isEqualTo("STRING");
    assertThat(jobId(open)).matches("pixiv_load_" + TABLE + "_[0-9a-f]{32}_a1");
    String ndjson = uploaded();
    assertThat(ndjson).isEqualTo(
        batch.stream().map(r -> ResolutionJson.write(r) + "\n").reduce("", String::concat));
    assertThat(ndjson.lines().map(ResolutionJson::read).toList()).isEqualTo(batch);
    assertThat(Stub.JSON.readTree(ndjson.lines().toList().get(2)).path("url").isNull()).isTrue();
  }

  @Test
  void theSameBatchGetsTheSameJobIdAndAnotherBatchAnother() throws Exception {
    tableIs("resolution-ours.json");
    uploadsSucceed();
    sink(3).write(List.of(noMatch("A")));
    sink(3).write(List.of(noMatch("A")));
    sink(3).write(List.of(noMatch("B")));
    List<String> ids = uploadsOpened().stream().map(BigQueryResolutionSinkIT::jobId).toList();
    assertThat(ids.get(0)).isEqualTo(ids.get(1));
    assertThat(ids.get(2)).isNotEqualTo(ids.get(0));
  }

  @Test
  void createsAMissingTablePartitionedByDayOnUpdateAndClusteredOnTheName() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(TABLE_PATH))
        .willReturn(error(404, "notFound", "Not found: Table test-project:ds." + TABLE)));
    stub.server.stubFor(post(urlPathEqualTo(TABLES))
        .willReturn(json(200, Fixtures.file("resolution-ours.json"))));
    uploadsSucceed();

    sink(3).write(List.of(noMatch("A")));

    JsonNode t = Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(TABLES))).get(0));
    assertThat(t.path("tableReference").path("tableId").asText()).isEqualTo(TABLE);
    assertThat(t.path("timePartitioning").path("type").asText()).isEqualTo("DAY");
    assertThat(t.path("timePartitioning").path("field").asText()).isEqualTo("update");
    assertThat(t.path("clustering").path("fields").toString())
        .isEqualTo("[\"middle_class_ip_name\"]");
    assertThat(names(t.path("schema").path("fields")))
        .containsExactlyElementsOf(ResolutionJson.COLUMNS);
    assertThat(uploadsOpened()).hasSize(1);
  }

  @Test
  void theOriginalBatchsTableKeepsItsColumnsGainsOursAndTakesUrlAsItsUrlColumn() throws Exception {
    tableIs("resolution-original.json");
    uploadsSucceed();

    sink(3).write(List.of(matched("初音ミク", "初音ミク", Map.of()), noMatch("初音")));

    JsonNode load = load(uploadsOpened().get(0));
    assertThat(names(load.path("schema").path("fields"))).containsExactly("middle_class_ip_name",
        "clean_middle_class_ip_name", "URL", "pixiv_search_result_ip", "search_hit_num", "update",
        "status", "pages_searched", "run_id", "scraper_version");
    assertThat(load.has("timePartitioning")).isFalse();
    List<String> lines = uploaded().lines().toList();
    JsonNode first = Stub.JSON.readTree(lines.get(0));
    assertThat(first.path("URL").asText()).isEqualTo("https://dic.pixiv.net/a/初音ミク");
    assertThat(first.has("url")).isFalse();
    assertThat(first.path("search_hit_num").isIntegralNumber()).isTrue();
    assertThat(first.path("update").asText()).isEqualTo("2026-11-22T03:00:00Z");
    assertThat(Stub.JSON.readTree(lines.get(1)).path("URL").isNull()).isTrue();
  }

  @Test
  void aColumnOfAnExistingTableThatCannotHoldOurValuesIsRefusedByName() {
    String broken = Fixtures.file("resolution-original.json")
        .replace("{\"name\": \"update\", \"type\": \"TIMESTAMP\"",
            "{\"name\": \"update\", \"type\": \"BOOLEAN\"");
    stub.server.stubFor(get(urlPathEqualTo(TABLE_PATH)).willReturn(json(200, broken)));

    assertThatThrownBy(() -> sink(3).write(List.of(noMatch("A"))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("'update'").hasMessageContaining("BOOLEAN");
    assertThat(uploadsOpened()).isEmpty();
  }

  @Test
  void aPassThroughColumnRepeatingAFixedColumnInAnotherCaseIsLeftOut() throws Exception {
    tableIs("resolution-ours.json");
    uploadsSucceed();
    Map<String, String> pass = new LinkedHashMap<>();
    pass.put("URL", "https://example.com/");
    pass.put("category", "x");

    sink(3).write(List.of(matched("A", "A", pass)));

    JsonNode line = Stub.JSON.readTree(uploaded());
    assertThat(line.path("url").asText()).isEqualTo("https://dic.pixiv.net/a/A");
    assertThat(line.has("URL")).isFalse();
    assertThat(line.path("category").asText()).isEqualTo("x");
  }

  @Test
  void aPassThroughColumnBigQueryCannotNameIsARefusalNamingItBeforeAnyLoad() {
    tableIs("resolution-ours.json");

    assertThatThrownBy(() -> sink(3).write(List.of(matched("A", "A", Map.of("ジャンル", "x")))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("'ジャンル'")
        .hasMessageContaining(TABLE);
    assertThat(uploadsOpened()).isEmpty();
  }

  @Test
  void aJobIdTakenByAJobThatSucceededCountsAsWritten() throws Exception {
    tableIs("resolution-ours.json");
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(409, "duplicate", "Already Exists: Job test-project:US.x")));
    stub.server.stubFor(get(urlPathMatching(
            "/bigquery/v2/projects/test-project/jobs/pixiv_load_.*_a1"))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", null))));

    sink(3).write(List.of(noMatch("A")));

    assertThat(uploadsOpened()).hasSize(1);
    stub.server.verify(0, putRequestedFor(anyUrl()));
    stub.server.verify(1, getRequestedFor(urlPathMatching(".*/jobs/pixiv_load_.*_a1")));
  }

  @Test
  void aJobIdTakenByAJobThatFailedIsRetriedUnderTheNextAttemptSuffix() throws Exception {
    tableIs("resolution-ours.json");
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("dup").whenScenarioStateIs(STARTED)
        .willReturn(error(409, "duplicate", "Already Exists")).willSetStateTo("free"));
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).inScenario("dup").whenScenarioStateIs("free")
        .willReturn(json(200, "{}").withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("x_a2", "DONE", null))));
    stub.server.stubFor(get(urlPathMatching(
            "/bigquery/v2/projects/test-project/jobs/pixiv_load_.*_a1"))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", "invalid"))));

    sink(3).write(List.of(noMatch("A")));

    List<String> ids = uploadsOpened().stream().map(BigQueryResolutionSinkIT::jobId).toList();
    assertThat(ids).hasSize(2);
    assertThat(ids.get(0)).endsWith("_a1");
    assertThat(ids.get(1)).isEqualTo(ids.get(0).replaceAll("_a1$", "_a2"));
    stub.server.verify(1, putRequestedFor(urlPathEqualTo(SESSION)));
  }

  @Test
  void aDoneJobWithAnErrorResultFailsTheWriteWithBigQuerysMessage() {
    tableIs("resolution-ours.json");
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD)).willReturn(json(200, "{}")
        .withHeader("Location", stub.base() + SESSION)));
    stub.server.stubFor(put(urlPathEqualTo(SESSION))
        .willReturn(json(200, Fixtures.job("x_a1", "DONE", "invalid"))));

    assertThatThrownBy(() -> sink(3).write(List.of(noMatch("A"))))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("job failed: invalid");
  }

  @Test
  void persistent503sEndInBigQueryUnavailable() {
    tableIs("resolution-ours.json");
    stub.server.stubFor(post(urlPathEqualTo(UPLOAD))
        .willReturn(error(503, "backendError", "Service is busy")));

    assertThatThrownBy(() -> sink(3).write(List.of(noMatch("A"))))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("after 3 attempts");
    assertThat(uploadsOpened()).hasSize(3);
  }

  static String fingerprints(long... fps) {
    ObjectNode r = Stub.JSON.createObjectNode();
    r.put("kind", "bigquery#queryResponse");
    r.putObject("schema").putArray("fields").addObject().put("name", "fp").put("type", "INTEGER");
    r.putObject("jobReference").put("projectId", "test-project").put("jobId", "q1")
        .put("location", "US");
    r.put("totalRows", String.valueOf(fps.length));
    r.put("jobComplete", true);
    ArrayNode rows = r.putArray("rows");
    for (long fp : fps) {
      rows.addObject().putArray("f").addObject().put("v", String.valueOf(fp));
    }
    return r.toString();
  }

  @Test
  void storedKeysAreTheStrippedNamesOfRowsMadeSinceTheGivenTimeMatchedOrNot() throws Exception {
    tableIs("resolution-ours.json");
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200,
        fingerprints(Shard.fingerprint("初音ミク"), Shard.fingerprint("a'b\\c")))));

    StoredKeys keys = sink(3).stored(new Shard(2, 7), Instant.parse("2026-11-15T03:00:00Z"));

    assertThat(keys.contains("初音ミク")).isTrue();
    assertThat(keys.contains("a'b\\c")).isTrue();
    assertThat(keys.size()).isEqualTo(2);
    JsonNode body =
        Stub.json(stub.server.findAll(postRequestedFor(urlPathEqualTo(QUERIES))).get(0));
    String strip = "REGEXP_REPLACE(d.`middle_class_ip_name`, r'^" + WS + "+|" + WS + "+$', '')";
    assertThat(body.path("query").asText()).isEqualTo(
        "SELECT DISTINCT FARM_FINGERPRINT(" + strip + ") AS fp\n"
        + "FROM `test-project.ds." + TABLE + "` AS d\n"
        + "WHERE d.`update` >= @since AND d.`update` <= @until\n"
        + "  AND d.`middle_class_ip_name` IS NOT NULL\n"
        + "  AND MOD(MOD(FARM_FINGERPRINT(" + strip + "), @shard_count) + @shard_count,"
        + " @shard_count) = @shard_index");
    assertThat(body.path("maximumBytesBilled").asText()).isEqualTo("987654321");
    Map<String, JsonNode> p = BigQuerySourceIT.params(body);
    assertThat(p.get("shard_count").path("parameterValue").path("value").asText()).isEqualTo("7");
    assertThat(p.get("shard_index").path("parameterValue").path("value").asText()).isEqualTo("2");
    assertThat(p.get("since").path("parameterType").path("type").asText()).isEqualTo("TIMESTAMP");
    assertThat(p.get("since").path("parameterValue").path("value").asText())
        .startsWith("2026-11-15 03:00:00");
  }

  /** The white-space class of the key expression, as the query text carries it. */
  static final String WS = "[\\x{09}-\\x{0D}\\x{1C}-\\x{20}\\x{1680}\\x{2000}-\\x{2006}"
      + "\\x{2008}-\\x{200A}\\x{2028}\\x{2029}\\x{205F}\\x{3000}]";
}

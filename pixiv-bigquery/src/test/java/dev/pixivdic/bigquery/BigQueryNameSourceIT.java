package dev.pixivdic.bigquery;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.pixivdic.bigquery.Fixtures.error;
import static dev.pixivdic.bigquery.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.resolve.NameItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BigQueryNameSourceIT {

  static final String QUERIES = "/bigquery/v2/projects/test-project/queries";
  static final String RESOLVED_PATH = "/bigquery/v2/projects/test-project/datasets/ds/tables/"
      + "pixiv_search_middle_class_ip_name_url";
  static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");
  static final String WS = BigQueryResolutionSinkIT.WS;

  Stub stub;
  TableRef names = TableRef.parse("bq:test-project.ds.ip_master");
  TableRef resolved = TableRef.parse("bq:test-project.ds.pixiv_search_middle_class_ip_name_url");

  @BeforeEach
  void start() {
    stub = new Stub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  BigQueryNameSource.Builder source(int attempts) {
    return BigQueryNameSource.builder(stub.connection(attempts), names)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A query response page: rows of {@code columns} values each (a name, then pass-through). */
  static String page(String pageToken, int columns, String... values) {
    ObjectNode r = Stub.JSON.createObjectNode();
    r.put("kind", "bigquery#queryResponse");
    ArrayNode fields = r.putObject("schema").putArray("fields");
    for (int i = 0; i < columns; i++) {
      fields.addObject().put("name", i == 0 ? "k" : "p" + (i - 1)).put("type", "STRING")
          .put("mode", "NULLABLE");
    }
    r.putObject("jobReference").put("projectId", "test-project").put("jobId", "q1")
        .put("location", "US");
    r.put("totalRows", "5");
    r.put("jobComplete", true);
    ArrayNode rows = r.putArray("rows");
    for (int i = 0; i < values.length; i += columns) {
      ArrayNode f = rows.addObject().putArray("f");
      for (int j = 0; j < columns; j++) {
        if (values[i + j] == null) {
          f.addObject().putNull("v");
        } else {
          f.addObject().put("v", values[i + j]);
        }
      }
    }
    if (pageToken != null) {
      r.put("pageToken", pageToken);
    }
    return r.toString();
  }

  LoggedRequest onlyQuery() {
    List<LoggedRequest> q = stub.server.findAll(postRequestedFor(urlPathEqualTo(QUERIES)));
    assertThat(q).hasSize(1);
    return q.get(0);
  }

  static String strip(String expression) {
    return "REGEXP_REPLACE(" + expression + ", r'^" + WS + "+|" + WS + "+$', '')";
  }

  @Test
  void sendsOneParameterisedQueryWithTheKeyShardFilterAntiJoinAndPassThroughAndPagesThrough()
      throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(RESOLVED_PATH))
        .willReturn(json(200, Fixtures.file("resolution-ours.json"))));
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page("tok2", 3,
        "a'b\\\"c", "x", null,
        "初音ミク", "music", "vocaloid"))));
    stub.server.stubFor(get(urlPathEqualTo("/bigquery/v2/projects/test-project/jobs/q1"))
        .willReturn(json(200, "{\"kind\":\"bigquery#job\",\"jobReference\":{\"projectId\":"
            + "\"test-project\",\"jobId\":\"q1\",\"location\":\"US\"},\"configuration\":"
            + "{\"query\":{\"query\":\"SELECT\",\"destinationTable\":{\"projectId\":"
            + "\"test-project\",\"datasetId\":\"_anon\",\"tableId\":\"anon1\"}}},"
            + "\"status\":{\"state\":\"DONE\"}}")));
    stub.server.stubFor(get(urlPathEqualTo(
        "/bigquery/v2/projects/test-project/datasets/_anon/tables/anon1/data"))
        .withQueryParam("pageToken", equalTo("tok2"))
        .willReturn(json(200, page(null, 3, "東方Project", null, null))));

    List<NameItem> items;
    try (Stream<NameItem> s = source(3).column("NAME").passThroughColumns(List.of("genre", "tag"))
        .skipResolvedIn(resolved, Duration.ofDays(30)).maximumBytesBilled(55_555)
        .pageSize(2).build().items(new Shard(1, 4))) {
      items = s.toList();
    }

    assertThat(items).containsExactly(
        new NameItem("a'b\\\"c", Map.of("genre", "x")),
        new NameItem("初音ミク", Map.of("genre", "music", "tag", "vocaloid")),
        new NameItem("東方Project", Map.of()));
    JsonNode body = Stub.json(onlyQuery());
    assertThat(body.path("query").asText()).isEqualTo("WITH n AS (\n"
        + "  SELECT " + strip("CAST(s.`NAME` AS STRING)") + " AS k,"
        + " CAST(s.`genre` AS STRING) AS p0, CAST(s.`tag` AS STRING) AS p1\n"
        + "  FROM `test-project.ds.ip_master` AS s\n"
        + ")\n"
        + "SELECT k, p0, p1\n"
        + "FROM n\n"
        + "WHERE k IS NOT NULL AND k != ''\n"
        + "  AND MOD(MOD(FARM_FINGERPRINT(k), @shard_count) + @shard_count, @shard_count)"
        + " = @shard_index\n"
        + "  AND NOT EXISTS (SELECT 1 FROM"
        + " `test-project.ds.pixiv_search_middle_class_ip_name_url` AS d"
        + " WHERE " + strip("d.`middle_class_ip_name`") + " = k AND d.`update` >= @since"
        + " AND d.`update` <= @until)\n"
        + "QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY p0 NULLS LAST, p1 NULLS LAST) = 1\n"
        + "ORDER BY k");
    assertThat(body.path("useLegacySql").asBoolean()).isFalse();
    assertThat(body.path("maximumBytesBilled").asText()).isEqualTo("55555");
    Map<String, JsonNode> p = BigQuerySourceIT.params(body);
    assertThat(p).containsOnlyKeys("shard_count", "shard_index", "since", "until");
    assertThat(p.get("until").path("parameterValue").path("value").asText())
        .startsWith("2026-11-24 03:00:00");
    assertThat(p.get("shard_count").path("parameterValue").path("value").asText()).isEqualTo("4");
    assertThat(p.get("shard_index").path("parameterValue").path("value").asText()).isEqualTo("1");
    assertThat(p.get("since").path("parameterType").path("type").asText()).isEqualTo("TIMESTAMP");
    assertThat(p.get("since").path("parameterValue").path("value").asText())
        .startsWith("2026-10-24 03:00:00");
    stub.server.verify(1, getRequestedFor(urlPathMatching(".*/tables/anon1/data")));
  }

  @Test
  void withoutPassThroughOrAResolutionTableTheQueryIsDistinctNamesOfTheShard() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(RESOLVED_PATH))
        .willReturn(error(404, "notFound", "Not found: Table")));
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null, 1,
        "初音ミク", "  ", null))));

    List<NameItem> items;
    try (Stream<NameItem> s = source(3).skipResolvedIn(resolved, Duration.ofDays(7)).build()
        .items(Shard.ALL)) {
      items = s.toList();
    }

    assertThat(items).as("blank and NULL names are left out quietly")
        .containsExactly(NameItem.of("初音ミク"));
    JsonNode body = Stub.json(onlyQuery());
    assertThat(body.path("query").asText()).isEqualTo("WITH n AS (\n"
        + "  SELECT " + strip("CAST(s.`middle_class_ip_name` AS STRING)") + " AS k\n"
        + "  FROM `test-project.ds.ip_master` AS s\n"
        + ")\n"
        + "SELECT DISTINCT k\n"
        + "FROM n\n"
        + "WHERE k IS NOT NULL AND k != ''\n"
        + "  AND MOD(MOD(FARM_FINGERPRINT(k), @shard_count) + @shard_count, @shard_count)"
        + " = @shard_index\n"
        + "ORDER BY k");
    assertThat(BigQuerySourceIT.params(body)).containsOnlyKeys("shard_count", "shard_index");
  }

  @Test
  void namesWithQuotesAndBackslashesNeverReachTheQueryText() throws Exception {
    String nasty = "x'); DROP TABLE t; --\\\"`";
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null, 1, nasty))));
    BigQueryNameSource src = source(3).build();

    for (int i = 0; i < 2; i++) {
      try (Stream<NameItem> s = src.items(Shard.ALL)) {
        assertThat(s).containsExactly(NameItem.of(nasty));
      }
    }

    for (LoggedRequest r : stub.server.findAll(postRequestedFor(urlPathEqualTo(QUERIES)))) {
      String sql = Stub.json(r).path("query").asText();
      assertThat(sql).doesNotContain("DROP").doesNotContain("\"");
    }
  }

  @Test
  void aQueryRefusedWith400IsNotRetriedAndCarriesBigQuerysMessage() {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(error(400, "invalidQuery",
        "Unrecognized name: NAME at [2:30]")));

    assertThatThrownBy(() -> source(5).column("NAME").build().items(Shard.ALL))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("Unrecognized name: NAME");
    stub.server.verify(1, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @Test
  void a503IsRetriedAndPersistent503sEndInBigQueryUnavailable() {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES))
        .willReturn(error(503, "backendError", "Backend error")));

    assertThatThrownBy(() -> source(3).build().items(Shard.ALL))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("after 3 attempts");
    stub.server.verify(3, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @Test
  void rejectsColumnsThatCouldCarrySqlOrCollideWithTheRows() {
    assertThatThrownBy(() -> source(1).column("name`; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name`; DROP TABLE x");
    assertThatThrownBy(() -> source(1).passThroughColumns(List.of("a b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> source(1).passThroughColumns(List.of("URL")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'URL' is a column of the resolution rows");
    assertThatThrownBy(() -> source(1).column("name").passThroughColumns(List.of("Name")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Name' is the name column or listed twice");
    assertThatThrownBy(() -> source(1).skipResolvedIn(resolved, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refreshWindow must be > 0");
  }
}

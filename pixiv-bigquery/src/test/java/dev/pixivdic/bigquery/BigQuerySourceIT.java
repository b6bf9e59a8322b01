package dev.pixivdic.bigquery;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.WorkItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BigQuerySourceIT {

  static final String QUERIES = "/bigquery/v2/projects/test-project/queries";
  static final String DEST_PATH =
      "/bigquery/v2/projects/test-project/datasets/ds/tables/pixiv_detail_info";
  static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

  Stub stub;
  TableRef source = TableRef.parse("bq:test-project.ds.pixiv_search_middle_class_ip_name_url");
  TableRef dest = TableRef.parse("bq:test-project.ds.pixiv_detail_info");

  @BeforeEach
  void start() {
    stub = new Stub();
  }

  @AfterEach
  void stop() {
    stub.close();
  }

  BigQuerySource.Builder source(int attempts) {
    return BigQuerySource.builder(stub.connection(attempts), source)
        .urlColumn("URL")
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** A query response page: rows of (url, middle_class_ip_name). */
  static String page(String pageToken, String... urlAndName) {
    ObjectNode r = Stub.JSON.createObjectNode();
    r.put("kind", "bigquery#queryResponse");
    ArrayNode fields = r.putObject("schema").putArray("fields");
    fields.addObject().put("name", "u").put("type", "STRING").put("mode", "NULLABLE");
    fields.addObject().put("name", "p0").put("type", "STRING").put("mode", "NULLABLE");
    r.putObject("jobReference").put("projectId", "test-project").put("jobId", "q1")
        .put("location", "US");
    r.put("totalRows", "5");
    r.put("jobComplete", true);
    ArrayNode rows = r.putArray("rows");
    for (int i = 0; i < urlAndName.length; i += 2) {
      ArrayNode f = rows.addObject().putArray("f");
      f.addObject().put("v", urlAndName[i]);
      if (urlAndName[i + 1] == null) {
        f.addObject().putNull("v");
      } else {
        f.addObject().put("v", urlAndName[i + 1]);
      }
    }
    if (pageToken != null) {
      r.put("pageToken", pageToken);
    }
    return r.toString();
  }

  static Map<String, JsonNode> params(JsonNode body) {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    body.path("queryParameters").forEach(p -> out.put(p.path("name").asText(), p));
    return out;
  }

  LoggedRequest onlyQuery() {
    List<LoggedRequest> q = stub.server.findAll(postRequestedFor(urlPathEqualTo(QUERIES)));
    assertThat(q).hasSize(1);
    return q.get(0);
  }

  @Test
  void sendsOneParameterisedQueryWithTheShardFilterAndTheAntiJoinAndPagesThroughTheResults()
      throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(DEST_PATH))
        .willReturn(json(200, Fixtures.ourTable("pixiv_detail_info"))));
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page("tok2",
        "https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF", "ボカロ",
        "https://dic.pixiv.net/a/%CE%BC%27s", null))));
    stub.server.stubFor(get(urlPathEqualTo("/bigquery/v2/projects/test-project/jobs/q1"))
        .willReturn(json(200, "{\"kind\":\"bigquery#job\",\"jobReference\":{\"projectId\":"
            + "\"test-project\",\"jobId\":\"q1\",\"location\":\"US\"},\"configuration\":"
            + "{\"query\":{\"query\":\"SELECT\",\"destinationTable\":{\"projectId\":"
            + "\"test-project\",\"datasetId\":\"_anon\",\"tableId\":\"anon1\"}}},"
            + "\"status\":{\"state\":\"DONE\"}}")));
    stub.server.stubFor(get(urlPathEqualTo(
        "/bigquery/v2/projects/test-project/datasets/_anon/tables/anon1/data"))
        .withQueryParam("pageToken", equalTo("tok2"))
        .willReturn(json(200, page(null, "https://dic.pixiv.net/a/C%2B%2B", "x"))));

    List<WorkItem> items;
    try (Stream<WorkItem> s = source(3).skipStoredIn(dest, Duration.ofDays(7))
        .maximumBytesBilled(123_456_789).pageSize(2).build().items(new Shard(3, 40))) {
      items = s.toList();
    }

    assertThat(items).containsExactly(
        new WorkItem(ArticleUrl.ofTitle("初音ミク"), Map.of("middle_class_ip_name", "ボカロ")),
        new WorkItem(ArticleUrl.ofTitle("μ's"), Map.of()),
        new WorkItem(ArticleUrl.ofTitle("C++"), Map.of("middle_class_ip_name", "x")));
    JsonNode body = Stub.json(onlyQuery());
    assertThat(body.path("query").asText()).isEqualTo("""
        SELECT s.`URL` AS u, CAST(s.`middle_class_ip_name` AS STRING) AS p0
        FROM `test-project.ds.pixiv_search_middle_class_ip_name_url` AS s
        WHERE s.`URL` IS NOT NULL
          AND (MOD(MOD(FARM_FINGERPRINT(s.`URL`), @shard_count) + @shard_count, @shard_count) \
        = @shard_index OR NOT REGEXP_CONTAINS(s.`URL`, @canonical))
          AND NOT EXISTS (SELECT 1 FROM `test-project.ds.pixiv_detail_info` AS d \
        WHERE d.url = s.`URL` AND d.loaded_at >= @since AND d.loaded_at <= @until)
        ORDER BY u, p0 NULLS LAST""");
    assertThat(body.path("useLegacySql").asBoolean()).isFalse();
    assertThat(body.path("maximumBytesBilled").asText()).isEqualTo("123456789");
    assertThat(body.path("location").asText()).isEqualTo("US");
    Map<String, JsonNode> p = params(body);
    assertThat(p.get("shard_count").path("parameterValue").path("value").asText()).isEqualTo("40");
    assertThat(p.get("shard_index").path("parameterValue").path("value").asText()).isEqualTo("3");
    assertThat(p.get("canonical").path("parameterValue").path("value").asText())
        .isEqualTo(BigQuerySource.CANONICAL);
    assertThat(p.get("since").path("parameterType").path("type").asText()).isEqualTo("TIMESTAMP");
    assertThat(p.get("since").path("parameterValue").path("value").asText())
        .startsWith("2026-11-16 03:00:00");
    assertThat(p.get("until").path("parameterValue").path("value").asText())
        .startsWith("2026-11-24 03:00:00");
    stub.server.verify(1, getRequestedFor(urlPathMatching(".*/tables/anon1/data")));
  }

  @Test
  void leavesTheAntiJoinOutWhileTheDestinationDoesNotExist() throws Exception {
    stub.server.stubFor(get(urlPathEqualTo(DEST_PATH))
        .willReturn(error(404, "notFound", "Not found: Table")));
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null))));

    try (Stream<WorkItem> s = source(3).skipStoredIn(dest, Duration.ofDays(7)).build()
        .items(Shard.ALL)) {
      assertThat(s).isEmpty();
    }

    JsonNode body = Stub.json(onlyQuery());
    assertThat(body.path("query").asText()).doesNotContain("NOT EXISTS");
    assertThat(params(body)).containsOnlyKeys("shard_count", "shard_index", "canonical");
  }

  @Test
  void skipsAndCountsUrlsThatAreNotArticlesAndDuplicates() throws Exception {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null,
        "https://example.com/a/x", "1",
        "not a url", "2",
        "https://dic.pixiv.net/a/A", "3",
        "https://dic.pixiv.net/a/A/", "4"))));

    BigQuerySource src = source(3).build();
    try (Stream<WorkItem> s = src.items(Shard.ALL)) {
      assertThat(s.map(WorkItem::key)).containsExactly("https://dic.pixiv.net/a/A");
    }
    assertThat(src.invalidUrls()).isEqualTo(2);
  }

  @Test
  void aSourceUrlOfALongTitleIsAnItemOfItsShard() throws Exception {
    String longTitle = ArticleUrl.ofTitle("とある" + "長いタイトルの作品".repeat(30)).canonical();
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null,
        longTitle, "1",
        longTitle + "/", "2"))));

    // The query gave the shard both rows; the second is the first's other spelling.
    Shard own = new Shard(Shard.indexOf(longTitle, 2), 2);
    try (Stream<WorkItem> s = source(3).build().items(own)) {
      assertThat(s.map(WorkItem::key)).containsExactly(longTitle);
    }
  }

  @Test
  void aNullUrlOfANoMatchResolutionRowIsLeftOutQuietly() throws Exception {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null,
        null, "初音",
        "https://dic.pixiv.net/a/A", "A"))));

    BigQuerySource src = source(3).urlColumn("url").build();
    try (Stream<WorkItem> s = src.items(Shard.ALL)) {
      assertThat(s.map(WorkItem::key)).containsExactly("https://dic.pixiv.net/a/A");
    }
    assertThat(src.invalidUrls()).as("not counted as an invalid URL").isZero();
    assertThat(Stub.json(onlyQuery()).path("query").asText())
        .contains("WHERE s.`url` IS NOT NULL\n");
  }

  @Test
  void queryTextNeverCarriesDataWhateverTheUrlsHold() throws Exception {
    Random random = new Random(42);
    String alphabet = "'\"\\`;%--/* μ初 )(";
    List<String> titles = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      StringBuilder t = new StringBuilder("t");
      for (int j = 0; j < 12; j++) {
        t.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      // A title has no empty path segment (// or a / at its end): the sources refuse one.
      String title = t.toString().strip().replaceAll("/+", "/");
      titles.add(title.endsWith("/") ? title + "x" : title);
    }
    String[] rows = new String[titles.size() * 2];
    for (int i = 0; i < titles.size(); i++) {
      rows[2 * i] = "https://dic.pixiv.net/a/" + ArticleUrl.percentEncode(titles.get(i));
      // A title holds no control character (ArticleUrl refuses them); a pass-through column may.
      rows[2 * i + 1] = titles.get(i) + "\n\t";
    }
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(json(200, page(null, rows))));

    List<WorkItem> items;
    try (Stream<WorkItem> s = source(3).build().items(new Shard(0, 1))) {
      items = s.toList();
    }

    assertThat(items.stream().map(i -> i.url().title()).toList())
        .containsExactlyElementsOf(titles.stream().distinct().toList());
    assertThat(items.stream().map(i -> i.attributes().get("middle_class_ip_name")).toList())
        .containsExactlyElementsOf(titles.stream().distinct().map(t -> t + "\n\t").toList());
    String sql = Stub.json(onlyQuery()).path("query").asText();
    assertThat(sql).doesNotContain("dic.pixiv.net").doesNotContain("'");
  }

  @Test
  void a503IsRetriedThenTheQuerySucceeds() throws Exception {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).inScenario("q").whenScenarioStateIs(STARTED)
        .willReturn(error(503, "backendError", "Backend error")).willSetStateTo("up"));
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).inScenario("q").whenScenarioStateIs("up")
        .willReturn(json(200, page(null, "https://dic.pixiv.net/a/A", "x"))));

    try (Stream<WorkItem> s = source(3).build().items(Shard.ALL)) {
      assertThat(s).hasSize(1);
    }
    stub.server.verify(2, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @Test
  void aQueryRefusedWith400IsNotRetriedAndCarriesBigQuerysMessage() {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(error(400, "invalidQuery",
        "Unrecognized name: URL at [1:10]")));

    assertThatThrownBy(() -> source(5).build().items(Shard.ALL))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("Unrecognized name: URL")
        .satisfies(e -> assertThat(((BigQueryIOException) e).statusCode()).isEqualTo(400));
    stub.server.verify(1, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @Test
  void aQuotaOfConcurrentQueriesIsRetriedAndThenReportedAsUnavailable() {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(error(403, "quotaExceeded",
        "Quota exceeded: Your project exceeded quota for concurrent queries")));

    assertThatThrownBy(() -> source(3).build().items(Shard.ALL))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("Quota exceeded")
        .satisfies(e -> assertThat(((BigQueryIOException) e).reason()).isEqualTo("quotaExceeded"));
    stub.server.verify(3, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Custom quota exceeded: Your usage exceeded the custom quota for QueryUsagePerDay, which is"
          + " set by your project administrator.",
      "Custom quota exceeded: Your usage exceeded the custom quota for QueryUsagePerUserPerDay,"
          + " which is set by your project administrator."})
  void aDailyQuotaIsNotRetriedAndEndsTheQueryAsUnavailableNamingTheQuota(String message) {
    // BigQuery: quotaExceeded is a longer-term limit, to be tried again after 10 minutes or
    // more; the run's backoff (30 s doubling) would spend minutes on it and end the same way.
    stub.server.stubFor(post(urlPathEqualTo(QUERIES))
        .willReturn(error(403, "quotaExceeded", message)));

    assertThatThrownBy(() -> source(5).build().items(Shard.ALL))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("not retried")
        .hasMessageContaining("run again later")
        .satisfies(e -> assertThat(((BigQueryIOException) e).reason()).isEqualTo("quotaExceeded"));
    stub.server.verify(1, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @Test
  void aUsedUpFreeTierIsRefusedAtOnceSayingToEnableBilling() {
    stub.server.stubFor(post(urlPathEqualTo(QUERIES)).willReturn(error(403, "quotaExceeded",
        "Quota exceeded: Your project exceeded quota for free query bytes scanned. For more"
            + " information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas")));

    assertThatThrownBy(() -> source(5).build().items(Shard.ALL))
        .isInstanceOf(BigQueryRejectedException.class)
        .hasMessageContaining("free query bytes scanned")
        .hasMessageContaining("enable billing")
        .satisfies(e -> assertThat(((BigQueryIOException) e).reason()).isEqualTo("quotaExceeded"));
    stub.server.verify(1, postRequestedFor(urlPathEqualTo(QUERIES)));
  }

  @Test
  void anUnreachableEndpointEndsInBigQueryUnavailable() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    BigQueryConnection dead = BigQueryConnection.create(
        java.util.Optional.of(java.net.URI.create("http://127.0.0.1:" + port)),
        java.util.Optional.empty(), "test-project", BigQueryRetry.fixed(2, Duration.ofMillis(1)));

    assertThatThrownBy(() -> BigQuerySource.builder(dead, source).build().items(Shard.ALL))
        .isInstanceOf(BigQueryUnavailableException.class)
        .hasMessageContaining("after 2 attempts");
  }

  @Test
  void rejectsPassThroughColumnsThatCouldCarrySql() {
    assertThatThrownBy(() -> source(1).passThroughColumns(List.of("a`; DROP TABLE x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a`; DROP TABLE x");
    assertThatThrownBy(() -> source(1).urlColumn("url OR 1=1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> source(1).passThroughColumns(List.of("url")).urlColumn("URL").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'url'");
  }
}

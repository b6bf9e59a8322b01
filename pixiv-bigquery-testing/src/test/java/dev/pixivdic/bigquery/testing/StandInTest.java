package dev.pixivdic.bigquery.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.bigquery.testing.FaultProxy.Rule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in and the fault proxy spoken to over plain HTTP, as any client would. */
class StandInTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String QUERIES = "/bigquery/v2/projects/p-1234/queries";

  final HttpClient http = HttpClient.newHttpClient();
  BigQueryStandIn bq;

  @BeforeEach
  void start() throws IOException {
    bq = BigQueryStandIn.start();
    bq.createTable("p-1234.ds.t", List.of(Column.string("name"), Column.of("n", "INTEGER"),
        Column.repeated("tags", "STRING")));
    bq.insert("p-1234.ds.t", List.of(Map.of("name", "a", "n", 1, "tags", List.of("x")),
        Map.of("name", "b", "n", 2, "tags", List.of())));
  }

  @AfterEach
  void stop() {
    bq.close();
  }

  HttpResponse<String> post(URI base, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The answer to a query sent through {@code proxy}, sent on another thread. */
  CompletableFuture<HttpResponse<String>> queryLater(FaultProxy proxy) {
    String q = query("SELECT name FROM `p-1234.ds.t` WHERE n >= @min");
    return CompletableFuture.supplyAsync(() -> {
      try {
        return post(proxy.endpoint(), QUERIES, q);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static String query(String sql) {
    return "{\"query\":\"" + sql + "\",\"useLegacySql\":false,\"queryParameters\":[{\"name\":"
        + "\"min\",\"parameterType\":{\"type\":\"INT64\"},\"parameterValue\":{\"value\":\"2\"}}]}";
  }

  @Test
  void aQueryIsEvaluatedOverTheRowsHeldWithTheParametersSent() throws Exception {
    HttpResponse<String> r = post(bq.endpoint(), QUERIES,
        query("SELECT name, ARRAY_LENGTH(tags) AS k FROM `p-1234.ds.t` WHERE n >= @min"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode rows = JSON.readTree(r.body()).path("rows");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).path("f").get(0).path("v").asText()).isEqualTo("b");
    assertThat(rows.get(0).path("f").get(1).path("v").asText()).isEqualTo("0");
    assertThat(bq.statements()).singleElement()
        .satisfies(s -> assertThat(s.parameterTypes()).containsEntry("min", "INT64"));
  }

  @Test
  void aJobThatNamesAnotherLocationThanItsTablesFindsNoneOfThem() throws Exception {
    bq.datasetsLocation("asia-northeast1");
    String sql = "SELECT name FROM `p-1234.ds.t`";
    String job = "{\"jobReference\":{\"jobId\":\"j1\",\"location\":\"US\"},"
        + "\"configuration\":{\"query\":{\"query\":\"" + sql + "\",\"useLegacySql\":false}}}";
    String jobs = "/bigquery/v2/projects/p-1234/jobs";
    String notFound = "Not found: Dataset p-1234:ds was not found in location US";

    HttpResponse<String> query = post(bq.endpoint(), QUERIES, "{\"query\":\"" + sql
        + "\",\"useLegacySql\":false,\"location\":\"US\"}");
    HttpResponse<String> inserted = post(bq.endpoint(), jobs, job);

    assertThat(query.statusCode()).as(query.body()).isEqualTo(404);
    assertThat(JSON.readTree(query.body()).path("error").path("message").asText())
        .isEqualTo(notFound);
    assertThat(inserted.statusCode()).as("a query job is made, and fails").isEqualTo(200);
    JsonNode failed = JSON.readTree(inserted.body()).path("status").path("errorResult");
    assertThat(failed.path("reason").asText()).isEqualTo("notFound");
    assertThat(failed.path("message").asText()).isEqualTo(notFound);
    assertThat(post(bq.endpoint(), jobs, job).statusCode()).as("its id is taken")
        .isEqualTo(409);
    assertThat(post(bq.endpoint(), jobs, job.replace("j1", "j2")
        .replace("\"US\"", "\"asia-northeast1\"")).body()).as("in its tables' location it runs")
        .doesNotContain("errorResult");
    assertThat(post(bq.endpoint(), QUERIES, "{\"query\":\"" + sql
        + "\",\"useLegacySql\":false}").statusCode())
        .as("a job that names no location runs where its tables are").isEqualTo(200);
  }

  @Test
  void aQueryThatRunsAWhileIsAnsweredIncompleteAndItsJobRunningUntilReleased() throws Exception {
    bq.queriesRunUntilReleased();
    HttpResponse<String> r = post(bq.endpoint(), QUERIES,
        query("SELECT name FROM `p-1234.ds.t` WHERE n >= @min"));

    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.path("jobComplete").asBoolean(true)).isFalse();
    assertThat(answer.has("rows")).isFalse();
    String job = answer.path("jobReference").path("jobId").asText();
    JsonNode results = JSON.readTree(get(bq.endpoint(),
        "/bigquery/v2/projects/p-1234/queries/" + job).body());
    assertThat(results.path("jobComplete").asBoolean(true)).isFalse();
    JsonNode read = JSON.readTree(get(bq.endpoint(), "/bigquery/v2/projects/p-1234/jobs/" + job)
        .body());
    assertThat(read.path("status").path("state").asText()).isEqualTo("RUNNING");
    assertThat(bq.jobs()).as("the stand-in's own record").singleElement()
        .satisfies(j -> assertThat(j.path("status").path("state").asText()).isEqualTo("DONE"));

    bq.releaseQueries();

    assertThat(JSON.readTree(get(bq.endpoint(), "/bigquery/v2/projects/p-1234/jobs/" + job)
        .body()).path("status").path("state").asText()).as("released").isEqualTo("DONE");
    JsonNode done = JSON.readTree(get(bq.endpoint(),
        "/bigquery/v2/projects/p-1234/queries/" + job).body());
    assertThat(done.path("jobComplete").asBoolean(false)).isTrue();
    assertThat(done.has("rows")).isTrue();
    assertThat(JSON.readTree(post(bq.endpoint(), QUERIES,
        query("SELECT name FROM `p-1234.ds.t` WHERE n >= @min")).body())
        .path("jobComplete").asBoolean(false)).as("a query sent after the release").isTrue();
  }

  @Test
  void aStatementTheAnalyzerRefusesIsAnswered400InvalidQueryWithItsMessage() throws Exception {
    HttpResponse<String> r = post(bq.endpoint(), QUERIES,
        query("SELECT nmae FROM `p-1234.ds.t` WHERE n >= @min"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalidQuery").contains("nmae");
  }

  @Test
  void aViewWhoseTableWasDeletedFailsOnlyTheQueriesThatReadIt() throws Exception {
    bq.createTable("p-1234.ds.u", List.of(Column.string("name")));
    assertThat(post(bq.endpoint(), QUERIES, query("CREATE VIEW `p-1234.ds.v` AS"
        + " SELECT name FROM `p-1234.ds.u`")).statusCode()).isEqualTo(200);
    assertThat(http.send(HttpRequest.newBuilder(bq.endpoint().resolve(
        "/bigquery/v2/projects/p-1234/datasets/ds/tables/u")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);

    HttpResponse<String> other = post(bq.endpoint(), QUERIES,
        query("SELECT name FROM `p-1234.ds.t` WHERE n >= @min"));
    HttpResponse<String> view = post(bq.endpoint(), QUERIES,
        query("SELECT name FROM `p-1234.ds.v` WHERE LENGTH(name) >= @min"));

    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    assertThat(view.statusCode()).isEqualTo(400);
    assertThat(view.body()).contains("invalidQuery").contains("p-1234.ds.v");
  }

  @Test
  void aDeletedDatasetIsNotFoundWithItsTablesAndNoTableCanBeMadeInIt() throws Exception {
    String dataset = "/bigquery/v2/projects/p-1234/datasets/ds";
    HttpResponse<String> before = http.send(HttpRequest.newBuilder(bq.endpoint()
        .resolve(dataset)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(before.body()).path("datasetReference").path("datasetId").asText())
        .isEqualTo("ds");

    bq.deleteDataset("p-1234.ds");

    HttpResponse<String> after = http.send(HttpRequest.newBuilder(bq.endpoint()
        .resolve(dataset)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(after.statusCode()).isEqualTo(404);
    assertThat(after.body()).contains("Not found: Dataset p-1234:ds");
    assertThat(bq.hasTable("p-1234.ds.t")).isFalse();
    HttpResponse<String> insert = post(bq.endpoint(), dataset + "/tables",
        "{\"tableReference\":{\"projectId\":\"p-1234\",\"datasetId\":\"ds\","
            + "\"tableId\":\"u\"}}");
    assertThat(insert.statusCode()).isEqualTo(404);
    assertThat(insert.body()).contains("Not found: Dataset p-1234:ds");
    assertThatThrownBy(() -> bq.deleteDataset("p-1234.ds.t")).hasMessageContaining("dataset");
  }

  @Test
  void aDatasetClosedToTableCreationRefusesNewTablesAndViewsButServesItsOwn() throws Exception {
    bq.denyTableCreation("p-1234.ds");
    String denied = "Permission bigquery.tables.create denied on dataset p-1234:ds";

    HttpResponse<String> insert = post(bq.endpoint(), "/bigquery/v2/projects/p-1234/datasets/ds"
        + "/tables", "{\"tableReference\":{\"projectId\":\"p-1234\",\"datasetId\":\"ds\","
        + "\"tableId\":\"u\"}}");
    HttpResponse<String> view = post(bq.endpoint(), "/bigquery/v2/projects/p-1234/jobs",
        "{\"configuration\":{\"query\":{\"query\":\"CREATE VIEW IF NOT EXISTS `p-1234.ds.v`"
        + " AS SELECT name FROM `p-1234.ds.t`\",\"useLegacySql\":false}}}");

    assertThat(insert.statusCode()).isEqualTo(403);
    assertThat(insert.body()).contains("accessDenied").contains(denied);
    JsonNode failed = JSON.readTree(view.body()).path("status").path("errorResult");
    assertThat(failed.path("reason").asText()).isEqualTo("accessDenied");
    assertThat(failed.path("message").asText()).contains(denied);
    assertThat(bq.hasTable("p-1234.ds.u")).isFalse();
    assertThat(bq.hasTable("p-1234.ds.v")).isFalse();
    assertThat(post(bq.endpoint(), QUERIES, query("SELECT name FROM `p-1234.ds.t` WHERE n >="
        + " @min")).statusCode()).as("its tables are read as before").isEqualTo(200);
    assertThat(post(bq.endpoint(), QUERIES, query("CREATE VIEW `p-1234.other.v` AS SELECT name"
        + " FROM `p-1234.ds.t`")).statusCode()).as("other datasets are open").isEqualTo(200);
  }

  @Test
  void rowsOfAnUnknownColumnOrTypeAreRefusedWhenSeeded() {
    assertThatThrownBy(() -> bq.insert("p-1234.ds.t", List.of(Map.of("other", "x"))))
        .hasMessageContaining("other");
    assertThatThrownBy(() -> bq.insert("p-1234.ds.t", List.of(Map.of("n", "not a number"))))
        .hasMessageContaining("INT64");
  }

  @Test
  void theProxyAppliesARuleAfterTheMatchesItLetsPassAndOnlyAsOftenAsTold() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(bq.endpoint(), List.of(
        Rule.on("POST", QUERIES).after(1).times(1).respond(503, "backendError")))) {
      String q = query("SELECT name FROM `p-1234.ds.t` WHERE n >= @min");
      assertThat(post(proxy.endpoint(), QUERIES, q).statusCode()).isEqualTo(200);
      HttpResponse<String> faulted = post(proxy.endpoint(), QUERIES, q);
      assertThat(faulted.statusCode()).isEqualTo(503);
      assertThat(faulted.body()).contains("backendError");
      assertThat(post(proxy.endpoint(), QUERIES, q).statusCode()).isEqualTo(200);
      assertThat(proxy.exhausted()).isTrue();
      assertThat(proxy.applied()).containsExactly("RESPOND POST " + QUERIES);
      assertThat(bq.statements()).hasSize(2);
    }
  }

  @Test
  void theProxyHoldsARequestUntilReleasedThenForwardsIt() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(bq.endpoint(), List.of(
        Rule.on("POST", QUERIES).hold(Duration.ofMinutes(1))))) {
      CompletableFuture<HttpResponse<String>> answer = queryLater(proxy);

      assertThat(proxy.awaitHeld(1, Duration.ofMinutes(1))).isTrue();
      assertThat(bq.statements()).as("held before the stand-in").isEmpty();
      assertThat(answer).isNotDone();
      proxy.release();
      assertThat(answer.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      assertThat(bq.statements()).hasSize(1);
      assertThat(proxy.applied()).containsExactly("HOLD POST " + QUERIES);
    }
  }

  @Test
  void theProxyHoldsAnAnswerUntilReleasedAfterTheTargetHasSeenTheRequest() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(bq.endpoint(), List.of(
        Rule.on("POST", QUERIES).holdAnswer(Duration.ofMinutes(1))))) {
      CompletableFuture<HttpResponse<String>> answer = queryLater(proxy);

      assertThat(proxy.awaitHeld(1, Duration.ofMinutes(1))).isTrue();
      assertThat(bq.statements()).as("the stand-in has answered").hasSize(1);
      assertThat(answer).isNotDone();
      proxy.release();
      assertThat(answer.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      assertThat(proxy.applied()).containsExactly("HOLD_ANSWER POST " + QUERIES);
    }
  }

  @Test
  void theProxyForwardsToLoopbackOnly() {
    assertThatThrownBy(() -> FaultProxy.start(URI.create("http://192.0.2.1:80"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private HttpResponse<String> get(URI endpoint, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(endpoint.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package dev.pixivdic.bigquery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.RowSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Canned BigQuery REST answers, from the JSON files next to the tests. */
final class Fixtures {

  static final Instant LOADED = Instant.parse("2026-11-16T03:00:00Z");

  private Fixtures() {}

  static String file(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  static ResponseDefinitionBuilder error(int status, String reason, String message) {
    return json(status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + message
        + "\",\"errors\":[{\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}],"
        + "\"status\":\"ERR\"}}");
  }

  static String job(String jobId, String state, String errorReason) {
    String status = errorReason == null
        ? "{\"state\":\"" + state + "\"}"
        : "{\"state\":\"" + state + "\",\"errorResult\":{\"reason\":\"" + errorReason
            + "\",\"message\":\"job failed: " + errorReason + "\"},\"errors\":[{\"reason\":\""
            + errorReason + "\",\"message\":\"job failed: " + errorReason + "\"}]}";
    return "{\"kind\":\"bigquery#job\",\"id\":\"test-project:US." + jobId + "\","
        + "\"jobReference\":{\"projectId\":\"test-project\",\"jobId\":\"" + jobId
        + "\",\"location\":\"US\"},\"configuration\":{\"load\":"
        + "{\"destinationTable\":{\"projectId\":"
        + "\"test-project\",\"datasetId\":\"ds\",\"tableId\":\"t\"}}},"
        + "\"statistics\":{\"creationTime\":\"1\",\"startTime\":\"2\","
        + "\"endTime\":\"3\"},\"status\":" + status + "}";
  }

  /** A table resource as BigQuery returns it, with our full schema, partitioned and clustered. */
  static String ourTable(String tableId) {
    StringBuilder fields = new StringBuilder();
    for (RowSchema.Column c : RowSchema.COLUMNS) {
      if (fields.length() > 0) {
        fields.append(',');
      }
      fields.append("{\"name\":\"").append(c.name()).append("\",\"type\":\"")
          .append(c.type()).append("\",\"mode\":\"")
          .append(c.repeated() ? "REPEATED" : "NULLABLE").append("\"}");
    }
    return "{\"kind\":\"bigquery#table\",\"id\":\"test-project:ds." + tableId + "\","
        + "\"tableReference\":{\"projectId\":\"test-project\",\"datasetId\":\"ds\","
        + "\"tableId\":\"" + tableId + "\"},\"type\":\"TABLE\","
        + "\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"loaded_at\"},"
        + "\"clustering\":{\"fields\":[\"url\"]},\"schema\":{\"fields\":[" + fields + "]}}";
  }

  static ArticleRow row(String title, long views) {
    return ArticleRow.builder(ArticleUrl.ofTitle(title))
        .title(title)
        .viewCount(views)
        .bookmark(views / 10)
        .loadedAt(LOADED)
        .middleClassIpName("ip " + title)
        .relatedTags(List.of("tag", "\"quoted\""))
        .runId("run-1")
        .build();
  }
}

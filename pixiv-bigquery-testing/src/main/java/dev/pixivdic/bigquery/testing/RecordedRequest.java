package dev.pixivdic.bigquery.testing;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP request as {@link BigQueryStandIn} received it.
 *
 * @param method the HTTP method
 * @param path the path, e.g. {@code /bigquery/v2/projects/p/queries}
 * @param query the raw query string; empty when none
 * @param body the body as text, gunzipped when the client compressed it
 */
public record RecordedRequest(String method, String path, String query, String body) {
  public RecordedRequest {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(query, "query");
    requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query);
  }
}

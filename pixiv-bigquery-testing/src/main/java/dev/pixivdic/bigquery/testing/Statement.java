package dev.pixivdic.bigquery.testing;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A SQL statement as a client sent it to {@link BigQueryStandIn} ({@code jobs.query} or a query
 * job), with the types it declared for its named parameters.
 *
 * @param sql the statement text, exactly as sent
 * @param parameterTypes parameter name to BigQuery type ({@code INT64}, {@code TIMESTAMP},
 *     {@code ARRAY<STRING>}, ...), in the order sent
 */
public record Statement(String sql, Map<String, String> parameterTypes) {
  public Statement {
    requireNonNull(sql, "sql");
    parameterTypes = java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(requireNonNull(parameterTypes, "parameterTypes")));
  }
}

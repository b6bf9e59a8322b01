package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.internal.Timestamps;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.io.IOException;
import java.time.Instant;

/**
 * The query behind both sinks' {@code stored()}: the FarmHash fingerprints of the keys of one
 * shard with a row made at or after a time, one INT64 column, pruned on the time column's
 * partitions. Immutable.
 *
 * @param table the sink's table
 * @param column the key's column over the alias {@code d}; rows where it is NULL are left out
 * @param key the key, an expression over {@code column}
 * @param time the TIMESTAMP column the rows are made at, over the alias {@code d}
 * @param distinct whether several rows may share a key (the fingerprints are then DISTINCT)
 * @param what what the query reads, as error messages name it
 * @param keyName the name of the key's column, a STRING
 * @param timeName the name of the time column, a TIMESTAMP
 */
record StoredQuery(TableRef table, String column, String key, String time, boolean distinct,
    String what, String keyName, String timeName) {

  StoredQuery {
    requireNonNull(table, "table");
    requireNonNull(column, "column");
    requireNonNull(key, "key");
    requireNonNull(time, "time");
    requireNonNull(what, "what");
    requireNonNull(keyName, "keyName");
    requireNonNull(timeName, "timeName");
  }

  /** The URLs of article rows, by {@code loaded_at}. */
  static StoredQuery ofArticles(TableRef table) {
    return new StoredQuery(table, "d.url", "d.url", "d.loaded_at", false,
        "query of stored rows in " + table, "url", "loaded_at");
  }

  /**
   * The names of resolution rows ({@code middle_class_ip_name} stripped of white space at both
   * ends, as {@link dev.pixivdic.core.resolve.NameItem#key()} is), by {@code update}.
   */
  static StoredQuery ofNames(TableRef table) {
    String column = "d." + Sql.column(ResolutionJson.MIDDLE_CLASS_IP_NAME);
    return new StoredQuery(table, column, Sql.strip(column),
        "d." + Sql.column(ResolutionJson.UPDATE), true, "query of resolved names in " + table,
        ResolutionJson.MIDDLE_CLASS_IP_NAME, ResolutionJson.UPDATE);
  }

  /**
   * {@code t}, when its key and time columns have the types the query compares.
   *
   * @throws BigQueryRejectedException naming the column otherwise
   */
  com.google.cloud.bigquery.Table checked(com.google.cloud.bigquery.Table t)
      throws BigQueryRejectedException {
    return Tables.requireSkippable(table, t, keyName, timeName);
  }

  /** The query text. */
  String sql() {
    return "SELECT " + (distinct ? "DISTINCT " : "") + "FARM_FINGERPRINT(" + key + ") AS fp\n"
        + "FROM " + table.sql() + " AS d\n"
        + "WHERE " + time + " >= @since AND " + time + " <= @until\n"
        + "  AND " + column + " IS NOT NULL\n"
        + "  AND " + Sql.shardFilter(key);
  }

  /**
   * Runs the query (a retried step), for rows made from {@code since} until a day after
   * {@code now}, the run's clock.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (permissions, bytes limit)
   */
  StoredKeys run(Jobs jobs, Shard shard, Instant since, Instant now, long maximumBytesBilled)
      throws IOException {
    QueryJobConfiguration config = QueryJobConfiguration.newBuilder(sql())
        .setUseLegacySql(false)
        .setMaximumBytesBilled(maximumBytesBilled)
        .addNamedParameter("since", Sql.timestamp(since))
        // A row stamped further ahead than clock skew explains is not stored, as in a file sink.
        .addNamedParameter("until", Sql.timestamp(Timestamps.storedUntil(now)))
        .addNamedParameter("shard_count", QueryParameterValue.int64(shard.count()))
        .addNamedParameter("shard_index", QueryParameterValue.int64(shard.index()))
        .build();
    return jobs.fingerprints(what + " (shard " + shard + ")", config);
  }
}

package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.Table;
import dev.pixivdic.bigquery.internal.Hashes;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.Shard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BigQuerySink.Mode#MERGE}'s staging table: one per run and shard, expiring after a week;
 * batches load into it, and {@link #merge} puts its rows into the destination with one
 * insert-only {@code MERGE} on {@code url} under a job id fixed by the staged batches. Not
 * thread-safe, as the sink is not.
 */
final class StagedMerge {

  private static final Logger LOG = LoggerFactory.getLogger(BigQuerySink.class);
  /** How long a staging table outlives its creation unless the run drops it. */
  static final Duration EXPIRY = Duration.ofDays(7);

  private final TableRef stage;
  private final TableRef destination;
  private final Loader<?> loader;
  private final Tables tables;
  private final long maximumBytesBilled;
  private final Clock clock;
  private final SortedSet<String> batches = new TreeSet<>();
  private Table table;
  private Schema schema;

  StagedMerge(TableRef destination, String runId, Optional<Shard> shard, Loader<?> loader,
      Tables tables, long maximumBytesBilled, Clock clock) {
    this.destination = requireNonNull(destination, "destination");
    this.stage = destination.sibling(name(destination, runId, shard));
    this.loader = requireNonNull(loader, "loader");
    this.tables = requireNonNull(tables, "tables");
    this.maximumBytesBilled = maximumBytesBilled;
    this.clock = requireNonNull(clock, "clock");
  }

  private static String name(TableRef destination, String runId, Optional<Shard> shard) {
    String name = destination.table() + "_staging_" + Sql.jobIdPart(runId, 200)
        + shard.map(s -> "_" + s.index() + "of" + s.count()).orElse("");
    return name.length() > 1000 ? name.substring(0, 1000) : name;
  }

  /** The staging table. */
  TableRef ref() {
    return stage;
  }

  /** The staging table to load a batch of {@code schema} into, created on first use. */
  Table table(Schema schema) throws IOException {
    if (table == null) {
      // A backstop for a run that never closes: close() drops the table. A shard may run for a
      // day or more at a polite rate, and its staged batches must outlive it.
      Instant expires = clock.instant().plus(EXPIRY).truncatedTo(ChronoUnit.SECONDS);
      table = loader.ensure(stage, schema, Optional.of(expires));
    }
    return table;
  }

  /** Notes a batch loaded into the staging table. */
  void staged(Loader.Loaded loaded) {
    table = loaded.table();
    schema = loaded.schema();
    batches.add(loaded.hash());
  }

  /** Whether batches were staged since the last merge. */
  boolean isEmpty() {
    return batches.isEmpty();
  }

  /**
   * Merges the staged rows into {@code dest} (first given the staged columns it lacks, by a
   * fresh read of its schema: {@code dest} may be hours old) and forgets the batches; returns
   * the widened destination.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the merge
   */
  Table merge(Table dest) throws IOException {
    Table widened = tables.widen(dest, schema.getFields());
    List<String> columns = schema.getFields().stream().map(f -> f.getName()).toList();
    // The destination's own columns may have flexible names (メモ, last-note): quoted, any.
    String cols = columns.stream().map(Sql::quoted).collect(Collectors.joining(", "));
    String vals = columns.stream().map(c -> "S." + Sql.quoted(c))
        .collect(Collectors.joining(", "));
    String sql = "MERGE " + destination.sql() + " AS T\n"
        + "USING (\n  SELECT * FROM " + stage.sql() + "\n  WHERE url IS NOT NULL\n"
        + "  QUALIFY ROW_NUMBER() OVER (PARTITION BY url ORDER BY loaded_at DESC) = 1\n) AS S\n"
        + "ON T.url = S.url\n"
        + "WHEN NOT MATCHED THEN\n  INSERT (" + cols + ")\n  VALUES (" + vals + ")";
    String key = stage + "\n" + String.join(",", batches);
    String base = "pixiv_merge_" + Sql.jobIdPart(destination.table(), 200) + "_"
        + Hashes.of(key, sql.getBytes(StandardCharsets.UTF_8));
    loader.jobs().query(base, QueryJobConfiguration.newBuilder(sql)
        .setUseLegacySql(false)
        .setMaximumBytesBilled(maximumBytesBilled)
        .build());
    LOG.info("merged {} staged batches into {}", batches.size(), destination);
    batches.clear();
    return widened;
  }

  /** Drops the staging table. */
  void drop() throws IOException {
    if (!tables.delete(stage)) {
      LOG.info("staging table {} was already gone", stage);
    }
  }

}

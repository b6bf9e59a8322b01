package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.Table;
import dev.pixivdic.bigquery.internal.ResolutionCodec;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Appends resolution rows (the {@code pixiv_search_middle_class_ip_name_url} table) to BigQuery
 * with load jobs, exactly as {@link BigQuerySink} appends article rows: one NDJSON load job per
 * batch under a deterministic id (a retried batch is found, 409, and not loaded twice), success
 * judged on {@code errorResult}, transient failures retried, an empty batch makes no call.
 *
 * <ul>
 *   <li>Columns: {@link ResolutionJson#COLUMNS} (see {@code docs/bigquery.md}), then the
 *       pass-through columns as STRING. {@code url} is NULL for a NO_MATCH row.
 *   <li>A missing table is created with DAY partitions on {@code update} and clustered on
 *       {@code middle_class_ip_name}. An existing table, including the original batch's
 *       ({@code middle_class_ip_name, clean_middle_class_ip_name, URL, pixiv_search_result_ip,
 *       search_hit_num, update}), keeps its columns and gains ours; column names ignore case, so
 *       our {@code url} loads into its {@code URL}.
 *   <li>{@link #stored} gives the fingerprints of the names ({@code middle_class_ip_name}
 *       stripped of white space at both ends, as {@link dev.pixivdic.core.resolve.NameItem#key()}
 *       is) with a row made at or after {@code since}, matched or not.
 * </ul>
 *
 * <p>Not thread-safe: the run engine calls a sink from one thread.
 */
public final class BigQueryResolutionSink implements Sink<ResolutionRow> {

  private final TableRef destination;
  private final Loader<ResolutionRow> loader;
  private final SinkTable table;

  private BigQueryResolutionSink(BigQueryConnection connection, TableRef destination,
      long maximumBytesBilled) {
    this.destination = destination;
    this.loader = new Loader<>(connection, ResolutionCodec.INSTANCE);
    this.table = new SinkTable(connection, loader, StoredQuery.ofNames(destination),
        maximumBytesBilled);
  }

  /**
   * A sink appending to {@code destination}, whose queries may bill at most
   * {@code maximumBytesBilled}. Makes no call to BigQuery: the table is checked on first use.
   *
   * @throws IllegalArgumentException when {@code maximumBytesBilled} is not positive
   */
  public static BigQueryResolutionSink create(BigQueryConnection connection, TableRef destination,
      long maximumBytesBilled) {
    requireNonNull(connection, "connection");
    requireNonNull(destination, "destination");
    if (maximumBytesBilled <= 0) {
      throw new IllegalArgumentException("maximumBytesBilled must be > 0, was "
          + maximumBytesBilled);
    }
    return new BigQueryResolutionSink(connection, destination, maximumBytesBilled);
  }

  /** The destination table. */
  public TableRef destination() {
    return destination;
  }

  /**
   * The fingerprints of the names of {@code shard} with a row made at or after {@code since}:
   * one query returning one INT64 column, partition-pruned on {@code update} when the table is
   * partitioned. Changes nothing: a table that does not exist yet holds nothing (it is created
   * by the first {@link #write}).
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (permissions, bytes limit)
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since) throws IOException {
    return stored(shard, since, Instant.now());
  }

  /**
   * As {@link #stored(Shard, Instant)}, with the run's clock reading {@code now}: a row made
   * more than a day after it counts as not stored.
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since, Instant now) throws IOException {
    return table.stored(shard, since, now);
  }

  /**
   * Loads the batch as one job, or does nothing for an empty batch.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable; nothing was stored
   * @throws BigQueryRejectedException when BigQuery refuses the load, a column of an existing
   *     table cannot hold our values, or a pass-through column is not a valid BigQuery column
   *     name (the message names it); nothing was sent
   */
  @Override
  public void write(List<ResolutionRow> batch) throws IOException {
    requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return;
    }
    Table dest = table.get();
    LoadSchema schema;
    try {
      schema = loader.schemaFor(destination.toString(), dest, batch);
    } catch (IllegalArgumentException e) {
      // A names file passes all its columns through; one BigQuery cannot name is the user's to
      // rename, and must end the run as a refusal rather than a crash.
      throw new BigQueryRejectedException("cannot store the rows in " + destination + ": "
          + e.getMessage() + "; rename the column of the names source", 0, "invalid", e);
    }
    table.update(loader.load(dest, schema, loader.ndjson(schema, batch), batch.size()).table());
  }

  @Override
  public String toString() {
    return "BigQueryResolutionSink[" + destination + "]";
  }
}

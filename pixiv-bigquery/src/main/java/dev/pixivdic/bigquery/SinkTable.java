package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.Table;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink's destination table, as both sinks keep it: looked up by {@code stored()} (a table not
 * made yet holds nothing), created by the first write, and carried from load to load so that
 * neither asks BigQuery for it again. Not thread-safe, as the sinks are not.
 */
final class SinkTable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkTable.class);

  private final TableRef ref;
  private final Loader<?> loader;
  private final Tables tables;
  private final StoredQuery storedQuery;
  private final long maximumBytesBilled;
  private Table table;

  SinkTable(BigQueryConnection connection, Loader<?> loader, StoredQuery storedQuery,
      long maximumBytesBilled) {
    this.storedQuery = requireNonNull(storedQuery, "storedQuery");
    this.ref = storedQuery.table();
    this.loader = requireNonNull(loader, "loader");
    this.tables = new Tables(connection);
    this.maximumBytesBilled = maximumBytesBilled;
  }

  /**
   * The fingerprints of the keys of {@code shard} with a row made at or after {@code since}, and
   * not more than a day after {@code now} (the run's clock), or none, without a query, while the
   * table does not exist.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (permissions, bytes limit),
   *     the table is not one rows can be loaded into ({@link Loader#requireLoadable}) or the
   *     query can read, or neither it nor its dataset exists
   */
  StoredKeys stored(Shard shard, Instant since, Instant now) throws IOException {
    requireNonNull(shard, "shard");
    requireNonNull(since, "since");
    requireNonNull(now, "now");
    if (!check()) {
      LOG.info("destination {} does not exist yet: nothing is stored", ref);
      return StoredKeys.none();
    }
    return storedQuery.run(loader.jobs(), shard, since, now, maximumBytesBilled);
  }

  /**
   * Checks, without a query, that the table can take our rows and be read by the query of
   * {@link #stored} (once: a table found is kept). False while it does not exist.
   *
   * @throws BigQueryRejectedException as {@link #stored} does, but for the query's own refusals
   */
  boolean check() throws IOException {
    if (table == null) {
      Optional<Table> existing = tables.get(ref);
      if (existing.isEmpty()) {
        tables.requireDataset(ref);
        return false;
      }
      Table found = storedQuery.checked(Tables.requireTable(ref, existing.get()));
      loader.requireLoadable(ref, found);
      table = found;
    }
    return true;
  }

  /** The table, created if missing (partitioned and clustered as the codec says). */
  Table get() throws IOException {
    if (table == null) {
      table = loader.ensure(ref, Optional.empty());
    }
    return table;
  }

  /** The table as a load or a widening left it. */
  void update(Table table) {
    this.table = requireNonNull(table, "table");
  }
}

package dev.pixivdic.bigquery;

import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.resolve.NameItem;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the names to resolve from a BigQuery table with one parameterised query per shard:
 *
 * <pre>
 * WITH n AS (
 *   SELECT REGEXP_REPLACE(CAST(s.`name` AS STRING), r'^[ws]+|[ws]+$', '') AS k,
 *          CAST(s.`other` AS STRING) AS p0
 *   FROM `project.dataset.names` AS s
 * )
 * SELECT k, p0
 * FROM n
 * WHERE k IS NOT NULL AND k != ''
 *   AND MOD(MOD(FARM_FINGERPRINT(k), @shard_count) + @shard_count, @shard_count) = @shard_index
 *   AND NOT EXISTS (SELECT 1 FROM `project.dataset.resolution` AS d
 *                   WHERE REGEXP_REPLACE(d.`middle_class_ip_name`, ...) = k
 *                     AND d.`update` &gt;= @since AND d.`update` &lt;= @until)
 * QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY p0 NULLS LAST) = 1
 * ORDER BY k
 * </pre>
 *
 * <p>The key {@code k} is the name with white space removed at both ends exactly as Java's
 * {@link String#strip()} does ({@link NameItem#key()}), so the shard filter and the anti-join
 * agree with the sink's {@code stored()} check and with a names file. NULL and blank names are
 * left out; a name listed several times yields one item, whose pass-through columns come from
 * one of its rows (the first by their values, NULL last). Table and column names are validated
 * and quoted; every value is a query parameter. The anti-join (when a resolution table is
 * given) is left out while that table does not exist yet. A name no search can be made for is
 * logged, counted ({@link #invalidNames()}) and skipped, as a names file's bad line is. Results
 * are paged lazily; a page that cannot be fetched after retries ends the stream with an
 * {@link java.io.UncheckedIOException} whose cause is a {@link BigQueryIOException}.
 *
 * <p>Thread-safe; each {@link #items} call runs its own query.
 */
public final class BigQueryNameSource implements Source<NameItem> {

  private static final Logger LOG = LoggerFactory.getLogger(BigQueryNameSource.class);
  private static final int LOGGED_INVALID = 20;

  private final SourceQuery query;
  private final String column;
  private final AtomicLong invalid = new AtomicLong();

  private BigQueryNameSource(SourceQuery query, String column) {
    this.query = query;
    this.column = column;
  }

  /** A builder for a source reading {@code table}. */
  public static Builder builder(BigQueryConnection connection, TableRef table) {
    return new Builder(connection, table);
  }

  /**
   * How many names were skipped as ones no search can be made for (a control character, nothing
   * visible, longer than {@link NameItem#MAX_LENGTH}), over all {@link #items} calls: what a
   * names file counts as bad lines.
   */
  public long invalidNames() {
    return invalid.get();
  }

  /** The query text for a shard; with the anti-join when {@code antiJoin} is true. */
  String sql(boolean antiJoin) {
    List<String> passThrough = query.passThrough();
    StringBuilder q = new StringBuilder("WITH n AS (\n  SELECT ")
        .append(Sql.strip("CAST(s." + Sql.column(column) + " AS STRING)")).append(" AS k")
        .append(query.selectPassThrough());
    q.append("\n  FROM ").append(query.table().sql()).append(" AS s\n)\nSELECT ");
    q.append(passThrough.isEmpty() ? "DISTINCT k" : "k").append(query.passThroughAliases());
    q.append("\nFROM n\nWHERE k IS NOT NULL AND k != ''\n  AND ").append(Sql.shardFilter("k"));
    if (antiJoin) {
      q.append("\n  AND NOT EXISTS (SELECT 1 FROM ").append(query.skipTable().orElseThrow().sql())
          .append(" AS d WHERE ")
          .append(Sql.strip("d." + Sql.column(ResolutionJson.MIDDLE_CLASS_IP_NAME)))
          .append(" = k AND d.").append(Sql.column(ResolutionJson.UPDATE)).append(" >= @since")
          .append(" AND d.").append(Sql.column(ResolutionJson.UPDATE)).append(" <= @until)");
    }
    if (!passThrough.isEmpty()) {
      q.append("\nQUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY ")
          .append(query.passThroughOrder().substring(2)).append(") = 1");
    }
    q.append("\nORDER BY k");
    return q.toString();
  }

  /**
   * The names of the shard not resolved within the refresh window, ordered by name.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (no such table or column,
   *     permissions, more bytes than {@code maximumBytesBilled})
   */
  @Override
  public Stream<NameItem> items(Shard shard) throws IOException {
    return query.items(shard, this::sql, "query of names in " + query.table(), this::toItem);
  }

  private NameItem toItem(FieldValueList row) {
    FieldValue k = row.get(0);
    // The query already strips and drops blank names; this only guards the contract of NameItem.
    String name = k.isNull() ? "" : k.getStringValue().strip();
    if (name.isEmpty()) {
      return null;
    }
    try {
      return new NameItem(name, query.attributes(row));
    } catch (IllegalArgumentException e) {
      // A name holding a control character, or nothing visible: searching it would only store
      // a NO_MATCH, or send an empty query every run.
      if (invalid.incrementAndGet() <= LOGGED_INVALID) {
        LOG.warn("skipping name of {}: {}: '{}'", query.table(), e.getMessage(), name);
      }
      return null;
    }
  }

  @Override
  public String toString() {
    return "BigQueryNameSource[" + query.table() + ", column " + column + "]";
  }

  /** Options of a {@link BigQueryNameSource}; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final SourceQuery.Options options;
    private String column = ResolutionJson.MIDDLE_CLASS_IP_NAME;

    private Builder(BigQueryConnection connection, TableRef table) {
      this.options = new SourceQuery.Options(connection, table, List.of());
    }

    /**
     * The column holding the name; default {@code middle_class_ip_name}.
     *
     * @throws IllegalArgumentException naming the column when it is not a valid column name
     */
    public Builder column(String column) {
      this.column = Sql.checkColumn(column);
      return this;
    }

    /**
     * Columns copied to each name (and on to its rows) as strings; default none.
     *
     * @throws IllegalArgumentException naming a column that is not a valid column name
     * @throws NullPointerException naming {@code passThroughColumns} when the list or one of its
     *     columns is null
     */
    public Builder passThroughColumns(List<String> columns) {
      options.passThroughColumns(columns);
      return this;
    }

    /**
     * Skips names that the resolution table {@code resolved} holds a row for, made within the
     * refresh window before now (the {@code NOT EXISTS} anti-join). Off by default.
     */
    public Builder skipResolvedIn(TableRef resolved, Duration refreshWindow) {
      options.skipRowsIn(resolved, "resolved", refreshWindow,
          ResolutionJson.MIDDLE_CLASS_IP_NAME, ResolutionJson.UPDATE);
      return this;
    }

    /** The most bytes one shard query may bill; default 1 GiB. */
    public Builder maximumBytesBilled(long bytes) {
      options.maximumBytesBilled(bytes);
      return this;
    }

    /** Rows per result page; default 10,000. */
    public Builder pageSize(long rows) {
      options.pageSize(rows);
      return this;
    }

    /** The clock the refresh window counts back from; default UTC system clock. */
    public Builder clock(Clock clock) {
      options.clock(clock);
      return this;
    }

    /**
     * The source. Makes no call to BigQuery.
     *
     * @throws IllegalArgumentException when a pass-through column is the name column, a column
     *     of the resolution rows, or listed twice
     */
    public BigQueryNameSource build() {
      for (String p : options.passThroughColumns()) {
        if (ResolutionJson.COLUMNS.contains(p.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("pass-through column '" + p
              + "' is a column of the resolution rows");
        }
      }
      return new BigQueryNameSource(options.build(column, "name", "resolution table"), column);
    }
  }
}

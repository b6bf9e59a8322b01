package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.internal.Timestamps;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two BigQuery sources share: the options of their builders ({@link Options}, checked
 * as they are set) and the query of one shard, run with the anti-join against the skip table
 * when that table exists. Immutable and thread-safe.
 */
final class SourceQuery {

  private static final Logger LOG = LoggerFactory.getLogger(SourceQuery.class);

  private final BigQueryConnection connection;
  private final TableRef table;
  private final List<String> passThrough;
  private final Optional<TableRef> skipTable;
  private final String skipKey;
  private final String skipTime;
  private final String skipRole;
  private final Duration refreshWindow;
  private final long maximumBytesBilled;
  private final long pageSize;
  private final Clock clock;
  private final Optional<AntiJoinSkip> skip;
  private final Retrier retrier;

  private SourceQuery(Options o, String skipRole) {
    this.connection = o.connection;
    this.table = o.table;
    this.passThrough = List.copyOf(o.passThrough);
    this.skipTable = o.skipTable;
    this.skipKey = o.skipKey;
    this.skipTime = o.skipTime;
    this.skipRole = skipRole;
    this.refreshWindow = o.refreshWindow;
    this.maximumBytesBilled = o.maximumBytesBilled;
    this.pageSize = o.pageSize;
    this.clock = o.clock;
    this.skip = o.skip;
    this.retrier = new Retrier(connection.retry());
  }

  /** The table read. */
  TableRef table() {
    return table;
  }

  /** The pass-through columns, in the order of the query's columns {@code p0, p1, ...}. */
  List<String> passThrough() {
    return passThrough;
  }

  /** The table whose rows are skipped (the anti-join), if any. */
  Optional<TableRef> skipTable() {
    return skipTable;
  }

  /** What the anti-join tells the sink of the same run, if anything. */
  Optional<AntiJoinSkip> skip() {
    return skip;
  }

  /**
   * Runs the shard's query and streams its rows lazily, each mapped by {@code toItem} (null
   * leaves a row out).
   *
   * @param sql the query text, with the anti-join when given true
   * @param what the query, as log lines and error messages name it
   * @throws IOException when the query fails after retries
   */
  <T> Stream<T> items(Shard shard, Function<Boolean, String> sql, String what,
      Function<FieldValueList, T> toItem) throws IOException {
    return items(shard, sql, Map.of(), what, toItem);
  }

  /** As {@link #items(Shard, Function, String, Function)}, with more named parameters. */
  <T> Stream<T> items(Shard shard, Function<Boolean, String> sql,
      Map<String, QueryParameterValue> parameters, String what,
      Function<FieldValueList, T> toItem) throws IOException {
    requireNonNull(shard, "shard");
    boolean antiJoin = false;
    if (skipTable.isPresent()) {
      Optional<com.google.cloud.bigquery.Table> t = new Tables(connection).get(skipTable.get());
      antiJoin = t.isPresent();
      if (antiJoin) {
        Tables.requireSkippable(skipTable.get(), t.get(), skipKey, skipTime);
      } else {
        LOG.info("{} {} does not exist yet: reading {} without the anti-join", skipRole,
            skipTable.get(), table);
      }
    }
    QueryJobConfiguration.Builder config =
        Pages.shardQuery(sql.apply(antiJoin), shard, maximumBytesBilled, pageSize);
    parameters.forEach(config::addNamedParameter);
    Instant since = clock.instant().minus(refreshWindow);
    if (antiJoin) {
      if (skip.isPresent()) {
        since = skip.get().since(skipTable.get(), shard, since);
      }
      config.addNamedParameter("since", Sql.timestamp(since));
      // A row stamped further ahead than clock skew explains is not stored, as in a file sink.
      config.addNamedParameter("until", Sql.timestamp(Timestamps.storedUntil(clock.instant())));
    }
    if (skip.isPresent()) {
      skip.get().joined(antiJoin ? skipTable.get() : null, shard, since);
    }
    return Pages.stream(connection, retrier, config.build(), what + " (shard " + shard + ")",
        toItem);
  }

  /** The pass-through values of a result row (its columns after the first), NULLs left out. */
  Map<String, String> attributes(FieldValueList row) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < passThrough.size(); i++) {
      FieldValue v = row.get(i + 1);
      if (!v.isNull()) {
        attributes.put(passThrough.get(i), v.getStringValue());
      }
    }
    return attributes;
  }

  /**
   * The pass-through columns as the query selects them: {@code , CAST(s.`c` AS STRING) AS p0}
   * and so on.
   */
  String selectPassThrough() {
    return columns(i -> ", CAST(s." + Sql.column(passThrough.get(i)) + " AS STRING) AS p" + i);
  }

  /** {@code , p0, p1 ...}: the pass-through columns by their aliases. */
  String passThroughAliases() {
    return columns(i -> ", p" + i);
  }

  /**
   * {@code , p0 NULLS LAST, p1 NULLS LAST ...}: of the rows of one key, the one with values
   * first (BigQuery sorts NULL first otherwise), so that the row a source keeps has them.
   */
  String passThroughOrder() {
    return columns(i -> ", p" + i + " NULLS LAST");
  }

  private String columns(IntFunction<String> column) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < passThrough.size(); i++) {
      b.append(column.apply(i));
    }
    return b.toString();
  }

  /** The options of a source's builder, checked as they are set. Not thread-safe. */
  static final class Options {
    private final BigQueryConnection connection;
    private final TableRef table;
    private List<String> passThrough;
    private Optional<TableRef> skipTable = Optional.empty();
    private String skipKey = "";
    private String skipTime = "";
    private Duration refreshWindow = Duration.ofDays(7);
    private long maximumBytesBilled = BigQuerySink.DEFAULT_MAXIMUM_BYTES_BILLED;
    private long pageSize = 10_000;
    private Clock clock = Clock.systemUTC();
    private Optional<AntiJoinSkip> skip = Optional.empty();

    Options(BigQueryConnection connection, TableRef table, List<String> passThrough) {
      this.connection = requireNonNull(connection, "connection");
      this.table = requireNonNull(table, "table");
      this.passThrough = List.copyOf(passThrough);
    }

    void passThroughColumns(List<String> columns) {
      requireNonNull(columns, "passThroughColumns");
      for (int i = 0; i < columns.size(); i++) {
        requireNonNull(columns.get(i), "passThroughColumns holds null at " + i);
      }
      List<String> copy = List.copyOf(columns);
      copy.forEach(Sql::checkColumn);
      this.passThrough = copy;
    }

    List<String> passThroughColumns() {
      return passThrough;
    }

    /**
     * Leaves out rows whose key is in {@code skipTable}'s STRING column {@code key} with a
     * TIMESTAMP {@code time} within the window.
     */
    void skipRowsIn(TableRef skipTable, String name, Duration refreshWindow, String key,
        String time) {
      requireNonNull(refreshWindow, "refreshWindow");
      if (refreshWindow.isNegative() || refreshWindow.isZero()) {
        throw new IllegalArgumentException("refreshWindow must be > 0, was " + refreshWindow);
      }
      this.skipTable = Optional.of(requireNonNull(skipTable, name));
      this.refreshWindow = refreshWindow;
      this.skipKey = requireNonNull(key, "key");
      this.skipTime = requireNonNull(time, "time");
    }

    void skip(AntiJoinSkip skip) {
      this.skip = Optional.of(requireNonNull(skip, "skip"));
    }

    void maximumBytesBilled(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maximumBytesBilled must be > 0, was " + bytes);
      }
      this.maximumBytesBilled = bytes;
    }

    void pageSize(long rows) {
      if (rows <= 0) {
        throw new IllegalArgumentException("pageSize must be > 0, was " + rows);
      }
      this.pageSize = rows;
    }

    void clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
    }

    /**
     * The query of these options.
     *
     * @param keyColumn the column the items are keyed on, which no pass-through column may be
     * @param keyRole how messages name the key column ({@code URL}, {@code name})
     * @param skipRole how log lines name the skip table
     * @throws IllegalArgumentException when a pass-through column is the key column or listed
     *     twice
     */
    SourceQuery build(String keyColumn, String keyRole, String skipRole) {
      Set<String> names = new HashSet<>();
      names.add(keyColumn.toLowerCase(Locale.ROOT));
      for (String p : passThrough) {
        if (!names.add(p.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException("pass-through column '" + p + "' is the " + keyRole
              + " column or listed twice");
        }
      }
      return new SourceQuery(this, skipRole);
    }
  }
}

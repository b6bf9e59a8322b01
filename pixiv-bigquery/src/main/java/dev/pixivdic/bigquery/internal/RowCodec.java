package dev.pixivdic.bigquery.internal;

import com.google.cloud.bigquery.Field;
import java.util.List;
import java.util.Map;

/**
 * How rows of one kind are stored in a BigQuery table by the sinks' loader: the fixed fields of a
 * new table, the JSON line of a row, the column a new table is partitioned on (by day) and
 * clustered on. Implementations are immutable and thread-safe.
 *
 * @param <R> the row type
 */
public interface RowCodec<R> {

  /** The fixed fields of a new table, in order; pass-through columns follow as STRING. */
  List<Field> fields();

  /**
   * The fixed fields that every row has a value for: a table may hold them as REQUIRED (NOT
   * NULL). Any other column, fixed or passed through, is empty on some rows. Default: none.
   */
  default java.util.Set<String> alwaysSet() {
    return java.util.Set.of();
  }

  /** Whether a pass-through column is one of the fixed fields (names compared ignoring case). */
  boolean isFixed(String column);

  /** The row's pass-through columns by name. */
  Map<String, String> passThrough(R row);

  /** The row as one line of JSON (no newline) with the fixed fields under their own names. */
  String json(R row);

  /**
   * Whether the row's line must be rewritten even for a table of exactly our schema (a
   * pass-through column repeats a fixed field in another case). Default: never.
   */
  default boolean needsRewrite(R row) {
    return false;
  }

  /**
   * Checks a row before it is loaded.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  default void check(R row) {}

  /** The TIMESTAMP column a new table is partitioned on by day. */
  String timeField();

  /** The column a new table is clustered on. */
  String clusterField();
}

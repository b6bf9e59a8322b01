package dev.pixivdic.bigquery.internal;

import java.util.regex.Pattern;

/**
 * SQL fragments. Table names come from {@link dev.pixivdic.bigquery.TableRef} (validated) and
 * column names from {@link #checkColumn}; values are always query parameters.
 */
public final class Sql {

  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,299}");

  /**
   * The shard filter over a STRING expression, equal to
   * {@code Math.floorMod(Shard.fingerprint(x), count) == index}: the inner MOD keeps the sign of
   * the fingerprint, adding the count makes it non-negative, the outer MOD folds it back.
   * {@code ABS()} would differ for negative values and overflow on the INT64 minimum.
   */
  public static String shardFilter(String expression) {
    return "MOD(MOD(FARM_FINGERPRINT(" + expression + "), @shard_count) + @shard_count,"
        + " @shard_count) = @shard_index";
  }

  private Sql() {}

  /**
   * Checks a column name against BigQuery's rules (letters, digits, underscores; not starting
   * with a digit; at most 300 characters).
   *
   * @throws IllegalArgumentException naming the column otherwise
   */
  public static String checkColumn(String name) {
    if (name == null || !COLUMN.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid BigQuery column name '" + name
          + "': letters, digits and underscores, not starting with a digit, at most 300");
    }
    return name;
  }

  /** A checked column name in backticks. */
  public static String column(String name) {
    return "`" + checkColumn(name) + "`";
  }

  /** Characters allowed in a job id, for parts of ids made from table names and run ids. */
  public static String jobIdPart(String s, int max) {
    String cleaned = s.replaceAll("[^A-Za-z0-9_-]", "_");
    return cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
  }
}

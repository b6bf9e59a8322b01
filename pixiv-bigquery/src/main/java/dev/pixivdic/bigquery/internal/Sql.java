package dev.pixivdic.bigquery.internal;

import com.google.cloud.bigquery.QueryParameterValue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * SQL fragments. Table names come from {@link dev.pixivdic.bigquery.TableRef} (validated),
 * column names the user gives from {@link #checkColumn}, and those of a table's own schema are
 * {@link #quoted}; values are always query parameters.
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

  /**
   * The characters Java's {@link String#strip()} removes ({@link Character#isWhitespace}), as an
   * RE2 character class: the ASCII controls TAB to CR and FS to US, the space, and the Unicode
   * space, line and paragraph separators except the no-break spaces U+00A0, U+2007, U+202F.
   */
  public static final String WHITESPACE_CLASS = "[\\x{09}-\\x{0D}\\x{1C}-\\x{20}\\x{1680}"
      + "\\x{2000}-\\x{2006}\\x{2008}-\\x{200A}\\x{2028}\\x{2029}\\x{205F}\\x{3000}]";

  /**
   * A STRING expression with white space removed at both ends exactly as {@link String#strip()}
   * removes it, so that a key computed in SQL equals the key Java computes.
   */
  public static String strip(String expression) {
    return "REGEXP_REPLACE(" + expression + ", r'^" + WHITESPACE_CLASS + "+|" + WHITESPACE_CLASS
        + "+$', '')";
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

  /**
   * Any column name as a quoted identifier, escaped as BigQuery's lexical rules say (a quoted
   * identifier takes the escape sequences of a string literal): a backslash and a backtick are
   * escaped with a backslash, and a control character as a Unicode escape. For names a table
   * already has, which BigQuery accepted (flexible column names such as {@code メモ} or
   * {@code last-note}); a name the user gives goes through {@link #column}.
   */
  public static String quoted(String name) {
    StringBuilder b = new StringBuilder(name.length() + 2).append('`');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '`' || c == '\\') {
        b.append('\\').append(c);
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('`').toString();
  }

  /** A TIMESTAMP parameter, microseconds since the epoch. */
  public static QueryParameterValue timestamp(Instant t) {
    return QueryParameterValue.timestamp(ChronoUnit.MICROS.between(Instant.EPOCH, t));
  }

  /** Characters allowed in a job id, for parts of ids made from table names and run ids. */
  public static String jobIdPart(String s, int max) {
    String cleaned = s.replaceAll("[^A-Za-z0-9_-]", "_");
    return cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
  }
}

package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.TableId;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A BigQuery table named by project, dataset and table id, each checked against BigQuery's
 * naming rules, so that a name can be quoted into SQL with backticks and never smuggle SQL in.
 *
 * <ul>
 *   <li>project: 6 to 30 lower-case letters, digits and hyphens, starting with a letter and not
 *       ending with a hyphen, optionally prefixed by a domain ({@code example.com:my-project});
 *   <li>dataset: 1 to 1024 letters, digits and underscores;
 *   <li>table: 1 to 1024 UTF-8 bytes of Unicode letters, marks, numbers, connectors
 *       (underscore), dashes and spaces.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param project project id
 * @param dataset dataset id
 * @param table table id
 */
public record TableRef(String project, String dataset, String table) {

  /** The prefix of a table spec on the command line. */
  public static final String SCHEME = "bq:";

  private static final Pattern PROJECT =
      Pattern.compile("(?:[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern TABLE =
      Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd}\\p{Zs}]+");

  /**
   * @throws IllegalArgumentException naming the part and the value when a part breaks the rules
   */
  public TableRef {
    requireNonNull(project, "project");
    requireNonNull(dataset, "dataset");
    requireNonNull(table, "table");
    if (!PROJECT.matcher(project).matches()) {
      throw new IllegalArgumentException("invalid BigQuery project id '" + project
          + "': 6-30 lower-case letters, digits or hyphens, starting with a letter"
          + " (optionally 'domain:' before it)");
    }
    if (!DATASET.matcher(dataset).matches()) {
      throw new IllegalArgumentException("invalid BigQuery dataset id '" + dataset
          + "': 1-1024 letters, digits or underscores");
    }
    if (!TABLE.matcher(table).matches()
        || table.getBytes(StandardCharsets.UTF_8).length > 1024) {
      throw new IllegalArgumentException("invalid BigQuery table id '" + table
          + "': 1-1024 bytes of letters, marks, numbers, underscores, dashes or spaces");
    }
  }

  /**
   * Parses {@code bq:PROJECT.DATASET.TABLE}.
   *
   * @throws IllegalArgumentException naming the input when it is not of that form or a part
   *     breaks BigQuery's naming rules
   */
  public static TableRef parse(String spec) {
    requireNonNull(spec, "spec");
    if (!spec.startsWith(SCHEME)) {
      throw new IllegalArgumentException(
          "a BigQuery table is written bq:PROJECT.DATASET.TABLE; got '" + spec + "'");
    }
    String rest = spec.substring(SCHEME.length());
    // The table id cannot hold a dot and the dataset id neither; a domain-scoped project can.
    int lastDot = rest.lastIndexOf('.');
    int secondDot = lastDot <= 0 ? -1 : rest.lastIndexOf('.', lastDot - 1);
    if (secondDot <= 0) {
      throw new IllegalArgumentException(
          "a BigQuery table is written bq:PROJECT.DATASET.TABLE; got '" + spec + "'");
    }
    try {
      return new TableRef(rest.substring(0, secondDot), rest.substring(secondDot + 1, lastDot),
          rest.substring(lastDot + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad BigQuery table '" + spec + "': " + e.getMessage(), e);
    }
  }

  /** A table of the same dataset. */
  public TableRef sibling(String otherTable) {
    return new TableRef(project, dataset, otherTable);
  }

  /** The name quoted for Standard SQL: {@code `project.dataset.table`}. */
  public String sql() {
    return "`" + project + "." + dataset + "." + table + "`";
  }

  /** The client's identifier of this table. */
  public TableId tableId() {
    return TableId.of(project, dataset, table);
  }

  /** {@code bq:project.dataset.table}. */
  @Override
  public String toString() {
    return SCHEME + project + "." + dataset + "." + table;
  }
}

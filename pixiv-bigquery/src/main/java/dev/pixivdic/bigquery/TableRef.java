package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.TableId;
import dev.pixivdic.support.internal.BigQuerySettings;

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
  public static final String SCHEME = BigQuerySettings.SCHEME;

  /**
   * @throws IllegalArgumentException naming the part and the value when a part breaks the rules
   */
  public TableRef {
    requireNonNull(project, "project");
    requireNonNull(dataset, "dataset");
    requireNonNull(table, "table");
    BigQuerySettings.tableIdProblem(project, dataset, table).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
  }

  /**
   * Parses {@code bq:PROJECT.DATASET.TABLE}.
   *
   * @throws IllegalArgumentException naming the input when it is not of that form or a part
   *     breaks BigQuery's naming rules
   */
  public static TableRef parse(String spec) {
    requireNonNull(spec, "spec");
    BigQuerySettings.tableProblem(spec).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    String[] parts = BigQuerySettings.split(spec).orElseThrow();
    return new TableRef(parts[0], parts[1], parts[2]);
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

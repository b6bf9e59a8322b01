package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** Table management that consumers of the original batch's tables need. */
public final class BigQueryTables {

  private BigQueryTables() {}

  /**
   * Creates, if it does not exist, a view giving {@code last_scraped_at} per URL over an article
   * table: {@code SELECT url, MAX(loaded_at) AS last_scraped_at FROM destination GROUP BY url}.
   * It replaces the original batch's {@code last_scraped_at} column on the source table, which
   * this project never updates. The statement is idempotent.
   *
   * @throws BigQueryRejectedException when BigQuery refuses the DDL (permissions)
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   */
  public static void createLastScrapedView(BigQueryConnection connection, TableRef destination,
      TableRef view) throws IOException {
    requireNonNull(connection, "connection");
    requireNonNull(destination, "destination");
    requireNonNull(view, "view");
    String sql = "CREATE VIEW IF NOT EXISTS " + view.sql() + "\n"
        + "OPTIONS (description = 'Last time each URL was scraped (max loaded_at)') AS\n"
        + "SELECT url, MAX(loaded_at) AS last_scraped_at\nFROM " + destination.sql()
        + "\nGROUP BY url";
    new Tables(connection).ddl("creation of view " + view, sql);
  }
}

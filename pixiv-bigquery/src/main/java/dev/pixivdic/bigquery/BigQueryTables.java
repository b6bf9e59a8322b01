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
   * this project never updates. The statement is idempotent, and runs only when the view is
   * not there.
   *
   * @throws BigQueryRejectedException when BigQuery refuses the DDL (permissions)
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   */
  public static void createLastScrapedView(BigQueryConnection connection, TableRef destination,
      TableRef view) throws IOException {
    requireNonNull(connection, "connection");
    requireNonNull(destination, "destination");
    requireNonNull(view, "view");
    new Tables(connection).ddlUnlessExists(view, lastScrapedViewDdl(destination, view));
  }

  /** The statement {@link #createLastScrapedView} runs. */
  static String lastScrapedViewDdl(TableRef destination, TableRef view) {
    return "CREATE VIEW IF NOT EXISTS " + view.sql() + "\n"
        + "OPTIONS (description = 'Last time each URL was scraped (max loaded_at)') AS\n"
        + "SELECT url, MAX(loaded_at) AS last_scraped_at\nFROM " + destination.sql()
        + "\nGROUP BY url";
  }

  /**
   * Creates, if they do not exist, the two trend views beside an article table:
   * {@code <table>_latest}, its newest row per URL, and {@code <table>_weekly}, one row per URL
   * and ISO week (Asia/Tokyo) with {@code view_count}, {@code works_count},
   * {@code comment_count}, {@code checklist_count} and their {@code *_change} from the week
   * before, NULL where that week has no row. The destination must have those columns (a table
   * of the original batch gains them with the first load). The statements are idempotent, and
   * each runs only when its view is not there.
   *
   * @return the two views, latest first
   * @throws BigQueryRejectedException when BigQuery refuses the DDL (permissions, columns)
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   */
  public static java.util.List<TableRef> createTrendViews(BigQueryConnection connection,
      TableRef destination) throws IOException {
    requireNonNull(connection, "connection");
    requireNonNull(destination, "destination");
    Tables tables = new Tables(connection);
    tables.ddlUnlessExists(TrendViews.latest(destination), TrendViews.latestDdl(destination));
    tables.ddlUnlessExists(TrendViews.weekly(destination), TrendViews.weeklyDdl(destination));
    return java.util.List.of(TrendViews.latest(destination), TrendViews.weekly(destination));
  }
}

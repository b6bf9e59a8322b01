package dev.pixivdic.bigquery;

import java.util.List;

/**
 * The SQL of the two trend views over an article table: {@code <table>_latest}, the newest row
 * per URL, and {@code <table>_weekly}, one row per URL and ISO week with the four counts and
 * their change from the week before. Weeks are those of Asia/Tokyo, the site's time zone and
 * the weekly run's: a run that starts Monday 04:00 there lies in one week from start to end.
 */
final class TrendViews {

  /** The counts the weekly view follows, in the order of its columns. */
  public static final List<String> COUNTS =
      List.of("view_count", "works_count", "comment_count", "checklist_count");

  /** The time zone whose ISO weeks the weekly view uses. */
  public static final String TIME_ZONE = "Asia/Tokyo";

  private TrendViews() {}

  /** The view of the newest row per URL beside {@code destination}. */
  public static TableRef latest(TableRef destination) {
    return destination.sibling(destination.table() + "_latest");
  }

  /** The weekly view beside {@code destination}. */
  public static TableRef weekly(TableRef destination) {
    return destination.sibling(destination.table() + "_weekly");
  }

  /** {@code CREATE VIEW IF NOT EXISTS} of {@link #latest}. */
  public static String latestDdl(TableRef destination) {
    return "CREATE VIEW IF NOT EXISTS " + latest(destination).sql() + "\n"
        + "OPTIONS (description = 'The newest row of each URL') AS\n"
        + "SELECT * FROM " + destination.sql() + "\n"
        + "WHERE url IS NOT NULL\n"
        + "QUALIFY ROW_NUMBER() OVER (PARTITION BY url ORDER BY loaded_at DESC) = 1";
  }

  /**
   * {@code CREATE VIEW IF NOT EXISTS} of {@link #weekly}: per URL and week, the counts of the
   * week's newest article row, and each count minus the one of the week before; the change is
   * NULL when that week has no row (or either count is NULL), never a difference across a gap.
   */
  public static String weeklyDdl(TableRef destination) {
    StringBuilder sql = new StringBuilder();
    sql.append("CREATE VIEW IF NOT EXISTS ").append(weekly(destination).sql()).append('\n')
        .append("OPTIONS (description = 'Counts per URL and ISO week (")
        .append(TIME_ZONE).append("), with the change from the week before') AS\n")
        .append("WITH week_rows AS (\n")
        .append("  SELECT url, title, loaded_at,\n")
        .append("    DATE_TRUNC(DATE(loaded_at, '").append(TIME_ZONE)
        .append("'), ISOWEEK) AS week,\n")
        .append("    ").append(String.join(", ", COUNTS)).append('\n')
        .append("  FROM ").append(destination.sql()).append('\n')
        // Rows of the original batch have no status; they were all articles.
        .append("  WHERE url IS NOT NULL AND loaded_at IS NOT NULL\n")
        .append("    AND IFNULL(status, 'ARTICLE') = 'ARTICLE'\n")
        .append("  QUALIFY ROW_NUMBER() OVER (\n")
        .append("    PARTITION BY url, DATE_TRUNC(DATE(loaded_at, '").append(TIME_ZONE)
        .append("'), ISOWEEK)\n")
        .append("    ORDER BY loaded_at DESC) = 1\n")
        .append(")\n")
        .append("SELECT w.url, w.week,\n")
        .append("  EXTRACT(ISOYEAR FROM w.week) AS iso_year,")
        .append(" EXTRACT(ISOWEEK FROM w.week) AS iso_week,\n")
        .append("  w.title, w.loaded_at");
    for (String c : COUNTS) {
      sql.append(",\n  w.").append(c);
    }
    for (String c : COUNTS) {
      sql.append(",\n  w.").append(c).append(" - p.").append(c).append(" AS ").append(c)
          .append("_change");
    }
    sql.append("\nFROM week_rows AS w\n")
        .append("LEFT JOIN week_rows AS p\n")
        .append("  ON p.url = w.url AND p.week = DATE_SUB(w.week, INTERVAL 1 WEEK)");
    return sql.toString();
  }
}

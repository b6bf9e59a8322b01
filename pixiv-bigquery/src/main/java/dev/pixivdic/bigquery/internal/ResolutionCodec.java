package dev.pixivdic.bigquery.internal;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.LegacySQLTypeName;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolution rows ({@link ResolutionJson}): partitioned on {@code update}, clustered on
 * {@code middle_class_ip_name}. The first six columns are the original batch's table, whose
 * types are taken to be STRING, STRING, STRING, STRING, INTEGER, TIMESTAMP.
 */
public final class ResolutionCodec implements RowCodec<ResolutionRow> {

  /** The one instance. */
  public static final ResolutionCodec INSTANCE = new ResolutionCodec();

  private static final List<Field> FIELDS = List.of(
      field(ResolutionJson.MIDDLE_CLASS_IP_NAME, LegacySQLTypeName.STRING,
          "The name as read from the names source; the row's key."),
      field(ResolutionJson.CLEAN_MIDDLE_CLASS_IP_NAME, LegacySQLTypeName.STRING,
          "The name after cleaning, as searched."),
      field(ResolutionJson.URL, LegacySQLTypeName.STRING,
          "The canonical URL of the matching article; NULL when status is NO_MATCH."),
      field(ResolutionJson.PIXIV_SEARCH_RESULT_IP, LegacySQLTypeName.STRING,
          "The matching hit's title as the site shows it."),
      field(ResolutionJson.SEARCH_HIT_NUM, LegacySQLTypeName.INTEGER,
          "The number of hits the search announced."),
      field(ResolutionJson.UPDATE, LegacySQLTypeName.TIMESTAMP, "When the row was made."),
      field(ResolutionJson.STATUS, LegacySQLTypeName.STRING, "MATCHED or NO_MATCH."),
      field(ResolutionJson.PAGES_SEARCHED, LegacySQLTypeName.INTEGER,
          "How many result pages were read."),
      field(ResolutionJson.RUN_ID, LegacySQLTypeName.STRING, "The run that made the row."),
      field(ResolutionJson.SCRAPER_VERSION, LegacySQLTypeName.STRING,
          "The version of the software that made the row."));

  private ResolutionCodec() {}

  private static Field field(String name, LegacySQLTypeName type, String description) {
    return Field.newBuilder(name, type).setMode(Field.Mode.NULLABLE).setDescription(description)
        .build();
  }

  @Override
  public List<Field> fields() {
    return FIELDS;
  }

  /** What {@link ResolutionRow} never leaves null, and the pages searched (a number). */
  @Override
  public java.util.Set<String> alwaysSet() {
    return java.util.Set.of(ResolutionJson.MIDDLE_CLASS_IP_NAME,
        ResolutionJson.CLEAN_MIDDLE_CLASS_IP_NAME, ResolutionJson.UPDATE, ResolutionJson.STATUS,
        ResolutionJson.PAGES_SEARCHED, ResolutionJson.RUN_ID, ResolutionJson.SCRAPER_VERSION);
  }

  @Override
  public boolean isFixed(String column) {
    return ResolutionJson.COLUMNS.contains(column.toLowerCase(Locale.ROOT));
  }

  @Override
  public Map<String, String> passThrough(ResolutionRow row) {
    return row.passThrough();
  }

  /**
   * The row as {@link ResolutionJson#write} writes it, which leaves out any pass-through column
   * that repeats a fixed column in another case (BigQuery would see the same column twice).
   */
  @Override
  public String json(ResolutionRow row) {
    return ResolutionJson.write(row);
  }

  @Override
  public String timeField() {
    return ResolutionJson.UPDATE;
  }

  @Override
  public String clusterField() {
    return ResolutionJson.MIDDLE_CLASS_IP_NAME;
  }
}

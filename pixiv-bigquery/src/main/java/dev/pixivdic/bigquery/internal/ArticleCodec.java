package dev.pixivdic.bigquery.internal;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.LegacySQLTypeName;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.internal.RowSchema;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Article rows ({@link RowJson}, {@link RowSchema}): partitioned on {@code loaded_at}, clustered
 * on {@code url}.
 */
public final class ArticleCodec implements RowCodec<ArticleRow> {

  /** The one instance. */
  public static final ArticleCodec INSTANCE = new ArticleCodec();

  private static final List<Field> FIELDS =
      RowSchema.COLUMNS.stream().map(ArticleCodec::field).toList();

  private ArticleCodec() {}

  @Override
  public List<Field> fields() {
    return FIELDS;
  }

  /**
   * The URL and the outcome (never null in a row), {@code loaded_at} ({@link #check}), and the
   * run's id and version, which every row that {@code pixiv} writes carries (a row made by a
   * caller without them would fail a load into a table holding them NOT NULL).
   */
  @Override
  public java.util.Set<String> alwaysSet() {
    return java.util.Set.of("url", "status", "loaded_at", "run_id", "scraper_version");
  }

  @Override
  public boolean isFixed(String column) {
    return RowSchema.column(column.toLowerCase(Locale.ROOT)).isPresent();
  }

  @Override
  public Map<String, String> passThrough(ArticleRow row) {
    return row.passThrough();
  }

  @Override
  public String json(ArticleRow row) {
    return RowJson.write(row);
  }

  @Override
  public boolean needsRewrite(ArticleRow row) {
    return row.passThrough().keySet().stream().anyMatch(this::isFixed);
  }

  @Override
  public void check(ArticleRow row) {
    if (row.loadedAt() == null) {
      throw new IllegalArgumentException("row for " + row.url() + " has no loaded_at");
    }
  }

  @Override
  public String timeField() {
    return "loaded_at";
  }

  @Override
  public String clusterField() {
    return "url";
  }

  private static Field field(RowSchema.Column c) {
    LegacySQLTypeName type = switch (c.type()) {
      case STRING -> LegacySQLTypeName.STRING;
      case INTEGER -> LegacySQLTypeName.INTEGER;
      case TIMESTAMP -> LegacySQLTypeName.TIMESTAMP;
    };
    return Field.newBuilder(c.name(), type)
        .setMode(c.repeated() ? Field.Mode.REPEATED : Field.Mode.NULLABLE)
        .setDescription(c.description())
        .build();
  }
}

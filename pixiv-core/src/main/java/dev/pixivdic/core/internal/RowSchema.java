package dev.pixivdic.core.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import java.util.List;
import java.util.Optional;

/**
 * The columns of {@link ArticleRow}, in table order, with their BigQuery types: the one place
 * the schema is written down. {@code docs/schema.md} and the BigQuery table follow it; a test
 * keeps the doc in step.
 */
public final class RowSchema {

  /** A BigQuery column type used by the row. */
  public enum Type { STRING, INTEGER, TIMESTAMP }

  /**
   * One column.
   *
   * @param name snake_case column name
   * @param type BigQuery type
   * @param repeated whether the column is REPEATED (a list); otherwise NULLABLE
   * @param original whether the original Python batch's table had this column
   * @param description what the column holds
   */
  public record Column(String name, Type type, boolean repeated, boolean original,
      String description) {
    public Column {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
      requireNonNull(description, "description");
    }
  }

  /** Every column, in table order. Pass-through columns beyond these are STRING. */
  public static final List<Column> COLUMNS = List.of(
      col("url", Type.STRING, true,
          "Canonical article URL: https://dic.pixiv.net/a/ + percent-encoded UTF-8 title."),
      col("title", Type.STRING, true, "Article title as the page shows it."),
      col("sub_title", Type.STRING, true, "The reading (yomigana)."),
      col("bookmark", Type.INTEGER, true, "Kept from the original table: the checklist "
          + "(bookmark) count, equal to checklist_count."),
      col("summary", Type.STRING, true, "The abstract, whitespace-normalised."),
      col("illust_view_url", Type.STRING, true, "Link to the illustrations of the tag (イラストを見る)."),
      col("novel_view_url", Type.STRING, true, "Link to the novels of the tag (小説を読む)."),
      col("illust_post_url", Type.STRING, true,
          "Link to post an illustration with the tag (イラストを投稿する)."),
      col("novel_post_url", Type.STRING, true, "Link to post a novel with the tag (小説を投稿する)."),
      col("view_count", Type.INTEGER, true, "Article views (閲覧数)."),
      col("comment_count", Type.INTEGER, true, "Comments (コメント数)."),
      col("works_count", Type.INTEGER, true, "Works with the tag (作品数)."),
      col("loaded_at", Type.TIMESTAMP, true,
          "When the row was made; the table is partitioned by day on it."),
      col("middle_class_ip_name", Type.STRING, true,
          "Copied from the source item (the name the URL was resolved from)."),
      col("article_id", Type.STRING, false, "The site's article id."),
      col("checklist_count", Type.INTEGER, false, "Checklist count (チェックリスト数)."),
      col("parent_article", Type.STRING, false, "Title of the parent article (親記事)."),
      new Column("child_articles", Type.STRING, true, false, "Titles of the child articles (子記事)."),
      new Column("sibling_articles", Type.STRING, true, false,
          "Titles of the sibling articles (兄弟記事)."),
      new Column("related_tags", Type.STRING, true, false, "Related tags named by the article."),
      new Column("breadcrumbs", Type.STRING, true, false, "Category path, outermost first."),
      col("updated_at", Type.TIMESTAMP, false, "When the article was last edited."),
      col("main_illust_url", Type.STRING, false, "The article's header illustration."),
      col("status", Type.STRING, false, "ARTICLE, or NOT_FOUND for an article that does not "
          + "exist (kept so it is not fetched again until the refresh window passes)."),
      col("content_hash", Type.STRING, false, "SHA-256 (hex) of the article's content fields "
          + "(not counts or times): changes when the article's text or links change."),
      col("scraper_version", Type.STRING, false, "Version of the software that made the row."),
      col("run_id", Type.STRING, false, "Id of the run that made the row."));

  private RowSchema() {}

  private static Column col(String name, Type type, boolean original, String description) {
    return new Column(name, type, false, original, description);
  }

  /** The column of that name, if the row has one. */
  public static Optional<Column> column(String name) {
    return COLUMNS.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}

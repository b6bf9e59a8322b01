package dev.pixivdic.core.parse;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values found for one article so far, each with the strategy that served it. The first
 * strategy to offer a non-empty value for a column wins; later offers are ignored. Not
 * thread-safe: one instance per parse.
 */
final class Fields {

  /** The columns a strategy can fill, named as in the row's JSON. */
  enum Col {
    TITLE("title"), SUB_TITLE("sub_title"), SUMMARY("summary"),
    ILLUST_VIEW_URL("illust_view_url"), NOVEL_VIEW_URL("novel_view_url"),
    ILLUST_POST_URL("illust_post_url"), NOVEL_POST_URL("novel_post_url"),
    VIEW_COUNT("view_count"), COMMENT_COUNT("comment_count"), WORKS_COUNT("works_count"),
    CHECKLIST_COUNT("checklist_count"), ARTICLE_ID("article_id"),
    PARENT_ARTICLE("parent_article"), CHILD_ARTICLES("child_articles"),
    SIBLING_ARTICLES("sibling_articles"), RELATED_TAGS("related_tags"),
    BREADCRUMBS("breadcrumbs"), UPDATED_AT("updated_at"), MAIN_ILLUST_URL("main_illust_url");

    final String column;

    Col(String column) {
      this.column = column;
    }
  }

  private final Map<Col, Object> values = new EnumMap<>(Col.class);
  private final Map<Col, Strategy> from = new EnumMap<>(Col.class);
  private Strategy current;

  /** Sets the strategy that subsequent offers are attributed to. */
  void using(Strategy strategy) {
    this.current = strategy;
  }

  void text(Col col, String value) {
    offer(col, Text.norm(value));
  }

  void count(Col col, Long value) {
    offer(col, value);
  }

  void time(Col col, Instant value) {
    offer(col, value);
  }

  void list(Col col, List<String> value) {
    if (value == null) {
      return;
    }
    List<String> clean = value.stream().map(Text::norm).filter(s -> s != null).distinct().toList();
    offer(col, clean.isEmpty() ? null : clean);
  }

  private void offer(Col col, Object value) {
    if (value != null && !values.containsKey(col)) {
      values.put(col, value);
      from.put(col, current);
    }
  }

  boolean has(Col col) {
    return values.containsKey(col);
  }

  String text(Col col) {
    return (String) values.get(col);
  }

  /** Column name to strategy, in column order. */
  Map<String, Strategy> provenance() {
    Map<String, Strategy> out = new LinkedHashMap<>();
    from.forEach((col, s) -> out.put(col.column, s));
    if (from.containsKey(Col.CHECKLIST_COUNT)) {
      out.put("bookmark", from.get(Col.CHECKLIST_COUNT));
    }
    return out;
  }

  /** The row these values make, with its content hash; run metadata is left null. */
  ArticleRow toRow(ArticleUrl url) {
    Long checklist = (Long) values.get(Col.CHECKLIST_COUNT);
    ArticleRow row = ArticleRow.builder(url)
        .title(str(Col.TITLE))
        .subTitle(str(Col.SUB_TITLE))
        .summary(str(Col.SUMMARY))
        .illustViewUrl(str(Col.ILLUST_VIEW_URL))
        .novelViewUrl(str(Col.NOVEL_VIEW_URL))
        .illustPostUrl(str(Col.ILLUST_POST_URL))
        .novelPostUrl(str(Col.NOVEL_POST_URL))
        .viewCount((Long) values.get(Col.VIEW_COUNT))
        .commentCount((Long) values.get(Col.COMMENT_COUNT))
        .worksCount((Long) values.get(Col.WORKS_COUNT))
        .checklistCount(checklist)
        .bookmark(checklist)
        .articleId(str(Col.ARTICLE_ID))
        .parentArticle(str(Col.PARENT_ARTICLE))
        .childArticles(strs(Col.CHILD_ARTICLES))
        .siblingArticles(strs(Col.SIBLING_ARTICLES))
        .relatedTags(strs(Col.RELATED_TAGS))
        .breadcrumbs(strs(Col.BREADCRUMBS))
        .updatedAt((Instant) values.get(Col.UPDATED_AT))
        .mainIllustUrl(str(Col.MAIN_ILLUST_URL))
        .build();
    return row.toBuilder().contentHash(ContentHash.of(row)).build();
  }

  private String str(Col col) {
    return (String) values.get(col);
  }

  private List<String> strs(Col col) {
    Object v = values.get(col);
    if (v == null) {
      return List.of();
    }
    return ((List<?>) v).stream().map(String.class::cast).toList();
  }
}

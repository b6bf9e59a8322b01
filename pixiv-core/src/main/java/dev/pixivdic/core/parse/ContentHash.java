package dev.pixivdic.core.parse;

import com.google.common.hash.Hashing;
import dev.pixivdic.core.ArticleRow;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code content_hash} of a row: SHA-256, lower-case hex, over the article's content
 * fields only, so that it changes when the article's text or links change and not when its
 * counts, times or run metadata do.
 *
 * <p>Encoding, fixed so that other tools can recompute it: for each field in the order
 * title, sub_title, summary, illust_view_url, novel_view_url, illust_post_url, novel_post_url,
 * article_id, parent_article, child_articles, sibling_articles, related_tags, breadcrumbs,
 * main_illust_url, write the field name, {@code '='}, the value, and {@code '\n'}. A null value
 * is written as {@code \u0000}; a list as its items joined by {@code \u001f} (an empty list as
 * nothing). The text is hashed as UTF-8.
 */
public final class ContentHash {

  private ContentHash() {}

  /** The content hash of a row (its own {@code content_hash} and non-content fields ignored). */
  public static String of(ArticleRow row) {
    StringBuilder s = new StringBuilder(512);
    field(s, "title", row.title());
    field(s, "sub_title", row.subTitle());
    field(s, "summary", row.summary());
    field(s, "illust_view_url", row.illustViewUrl());
    field(s, "novel_view_url", row.novelViewUrl());
    field(s, "illust_post_url", row.illustPostUrl());
    field(s, "novel_post_url", row.novelPostUrl());
    field(s, "article_id", row.articleId());
    field(s, "parent_article", row.parentArticle());
    list(s, "child_articles", row.childArticles());
    list(s, "sibling_articles", row.siblingArticles());
    list(s, "related_tags", row.relatedTags());
    list(s, "breadcrumbs", row.breadcrumbs());
    field(s, "main_illust_url", row.mainIllustUrl());
    return Hashing.sha256().hashString(s, StandardCharsets.UTF_8).toString();
  }

  private static void field(StringBuilder s, String name, String value) {
    s.append(name).append('=').append(value == null ? "\u0000" : value).append('\n');
  }

  private static void list(StringBuilder s, String name, List<String> values) {
    field(s, name, String.join("\u001f", values));
  }
}

package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import java.time.Instant;
import java.util.List;

/**
 * One result of a search page.
 *
 * @param title the article title as the result's address names it, which its link text is
 * @param url the article
 * @param summary the result's summary, or null
 * @param viewCount 閲覧数, or null when not shown
 * @param worksCount 作品数, or null when not shown
 * @param checklistCount チェックリスト数, or null when not shown
 * @param updated 更新: the site shows local time in Japan (JST, UTC+9), converted here to an
 *     instant; null when not shown
 * @param related titles of the related articles listed under the result
 */
public record SearchHit(String title, ArticleUrl url, String summary, Long viewCount,
    Long worksCount, Long checklistCount, Instant updated, List<String> related) {

  public SearchHit {
    requireNonNull(title, "title");
    requireNonNull(url, "url");
    related = List.copyOf(requireNonNull(related, "related"));
  }
}

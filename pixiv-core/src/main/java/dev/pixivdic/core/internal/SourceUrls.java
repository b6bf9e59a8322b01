package dev.pixivdic.core.internal;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.InvalidArticleUrlException;
import dev.pixivdic.support.internal.ControlChars;
import java.util.Optional;

/**
 * Article URLs as the sources take them in: {@link ArticleUrl#parse}, and refused when the title
 * holds a control character ({@link ControlChars}). No pixiv title holds one, so such an item is a
 * bad source line, never a request. {@link ArticleUrl} itself refuses only NUL (and half a
 * character, which has no UTF-8 form, so nothing stored holds one): what was stored
 * by a version that took such a title (an archive's index, a sink's rows) still reads back.
 */
public final class SourceUrls {

  private SourceUrls() {}

  /**
   * The item's URL.
   *
   * @throws InvalidArticleUrlException naming the input when it is no article URL or its title
   *     holds a control character
   */
  public static ArticleUrl parse(String input) {
    ArticleUrl url = ArticleUrl.parse(input);
    ControlChars.first(url.title()).ifPresent(c -> {
      // A title with a tab or a line end names no article: requesting it would only fetch a
      // not-found page (or worse, split a log or CSV line downstream).
      throw new InvalidArticleUrlException("an article title must not hold " + c, input);
    });
    return url;
  }

  /** As {@link #parse}, empty instead of throwing (also for null). */
  public static Optional<ArticleUrl> tryParse(String input) {
    return ArticleUrl.tryParse(input).filter(url -> ControlChars.first(url.title()).isEmpty());
  }
}

package dev.pixivdic.core.internal;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.InvalidArticleUrlException;
import dev.pixivdic.support.internal.ControlChars;
import java.util.Optional;

/**
 * Article URLs as the sources take them in: {@link ArticleUrl#parse}, and refused when the title
 * holds a control character ({@link ControlChars}), begins or ends with a character that shows
 * as nothing ({@link ControlChars#blankEnd}: a space, U+00A0, U+200B, U+FEFF), or whose path has
 * an empty segment ({@code /a//abc}, {@code /a/abc//}: literal slashes, which a reader takes for
 * the path's; a slash spelled {@code %2F} is the title's own, so {@code /a/%5C(%5Eo%5E)%2F} is the
 * title {@code \(^o^)/}). No pixiv title holds one of the others, so such an item is a bad source
 * line, never a request. {@link ArticleUrl} itself refuses only NUL (and half a
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
    ControlChars.blankEnd(url.title()).ifPresent(c -> {
      // /a/abc%20 or /a/abc%E2%80%8B reads as abc, yet is another key: the same article fetched
      // and stored twice, or a page that is not there. A name to resolve is held to this rule.
      throw new InvalidArticleUrlException("an article title must not begin or end with white"
          + " space or a character that shows as nothing: " + c, input);
    });
    if (emptySegment(input, url)) {
      // /a//abc and /a/abc// name abc to a reader, but the title /abc or abc/ to the site.
      throw new InvalidArticleUrlException("an empty path segment (// or a / at an end of the"
          + " title)", input);
    }
    return url;
  }

  /**
   * Whether the title's part of the path, as written (less the one trailing slash that
   * {@link ArticleUrl#parse} drops), has an empty segment between literal slashes. A title of
   * slashes alone is a title.
   */
  private static boolean emptySegment(String input, ArticleUrl url) {
    if (url.title().chars().allMatch(c -> c == '/')) {
      return false;
    }
    String raw = rawTitle(input);
    return raw.startsWith("/") || raw.endsWith("/") || raw.contains("//");
  }

  /**
   * The title as {@code input} (an article URL that {@link ArticleUrl#parse} took) writes it:
   * after {@code /a/}, up to a query or fragment, less one trailing slash. An authority holds no
   * slash, so the path begins at the first slash after {@code //}.
   */
  private static String rawTitle(String input) {
    String s = input.strip();
    int end = s.length();
    for (char cut : new char[] {'?', '#'}) {
      end = s.indexOf(cut) >= 0 ? Math.min(end, s.indexOf(cut)) : end;
    }
    s = s.substring(0, end);
    int path = s.indexOf('/', s.indexOf("//") + 2);
    String raw = s.substring(path + "/a/".length());
    return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }

  private static boolean refused(String input, ArticleUrl url) {
    return ControlChars.first(url.title()).isPresent()
        || ControlChars.blankEnd(url.title()).isPresent() || emptySegment(input, url);
  }

  /** As {@link #parse}, empty instead of throwing (also for null). */
  public static Optional<ArticleUrl> tryParse(String input) {
    return ArticleUrl.tryParse(input).filter(url -> !refused(input, url));
  }
}

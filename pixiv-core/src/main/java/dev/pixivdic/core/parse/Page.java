package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;

/**
 * One fetched page as the parser sees it.
 *
 * <p>The body array is <em>not</em> copied, to keep large pages cheap: the caller hands it
 * over and must not modify it afterwards. The parser never modifies it.
 *
 * @param url the article the page was fetched for; relative links resolve against it
 * @param httpStatus the HTTP status, or 0 when unknown (a page read from a file)
 * @param contentType the {@code Content-Type} header, or null when unknown; its charset, if
 *     any, decodes the body (otherwise a {@code <meta charset>} or UTF-8)
 * @param body the raw bytes, possibly empty
 */
public record Page(ArticleUrl url, int httpStatus, String contentType, byte[] body) {

  public Page {
    requireNonNull(url, "url");
    requireNonNull(body, "body");
    if (httpStatus != 0 && (httpStatus < 100 || httpStatus > 599)) {
      throw new IllegalArgumentException(
          "httpStatus must be 0 (unknown) or 100..599, was " + httpStatus);
    }
  }

  /** A page whose status and content type are unknown, such as one read from a file. */
  public static Page of(ArticleUrl url, byte[] body) {
    return new Page(url, 0, null, body);
  }
}

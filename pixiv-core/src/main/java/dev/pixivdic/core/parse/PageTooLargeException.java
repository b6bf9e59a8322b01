package dev.pixivdic.core.parse;

/**
 * A page body longer than the parser accepts ({@link ArticleParser#MAX_BODY_BYTES}). Real pages
 * are far smaller; a body this large is a misconfigured origin or a hostile response, and is
 * refused before any parsing work.
 */
public final class PageTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final long size;

  PageTooLargeException(String url, long size, long limit) {
    super("page " + url + " has " + size + " bytes, more than the parser's limit of " + limit);
    this.url = url;
    this.size = size;
  }

  /** The URL of the refused page. */
  public String url() {
    return url;
  }

  /** The size of the refused body in bytes. */
  public long size() {
    return size;
  }
}

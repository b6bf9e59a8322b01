package dev.pixivdic.core.run.internal;

/**
 * The site answered an item with HTTP 404 or 410 and, as the body, the item's own article page
 * (a CDN or a soft error serving the page under a wrong status). A "not found" row would be
 * wrong (the article is there), and the article's row from an answer that says it is gone is
 * not to be trusted either: the item is not judged ({@link NotJudgedException}), counted in
 * {@link dev.pixivdic.core.run.RunReport#notFoundWithArticle()}.
 */
public final class NotFoundWithArticleException extends NotJudgedException {
  private static final long serialVersionUID = 1L;

  /** The answer, described by {@code message} (naming the URL and the status). */
  public NotFoundWithArticleException(String message) {
    super(message);
  }
}

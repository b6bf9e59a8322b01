package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * The site answered an item with a temporary redirect (302, 303 or 307 at some hop) to a page
 * that is no page of the item: maintenance, a login wall, a campaign, a catch-all notice. The
 * page says nothing of the item, nor of the parser: the item is not judged
 * ({@link NotJudgedException}), and the next run asks again. The run counts such items apart
 * ({@link dev.pixivdic.core.run.RunReport#redirectedTemporarily()}), never as pages the drift
 * guard judges; when they are many (as many as would trip the guard),
 * the site is redirecting, and the run stops to be retried later.
 */
public final class RedirectedForNowException extends NotJudgedException {
  private static final long serialVersionUID = 1L;

  /** Where the redirects led, in the site form. */
  private final URI target;

  /** A redirect to {@code target}, described by {@code message}. */
  public RedirectedForNowException(String message, URI target) {
    super(message);
    this.target = requireNonNull(target, "target");
  }

  /** Where the redirects led, in the site form. */
  public URI target() {
    return target;
  }
}

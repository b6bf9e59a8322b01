package dev.pixivdic.core.run.internal;

import java.io.IOException;

/**
 * The site answered an item with something that says nothing of it either way, neither of the
 * item nor of the parser: the item gets no outcome and no row, the drift guard does not judge
 * it, and the next run asks again. The run counts such items apart, by kind, in the
 * {@link dev.pixivdic.core.run.RunReport} (each kind has its counter), and names each in a
 * problem line; it is no failure.
 */
public abstract sealed class NotJudgedException extends IOException
    permits RedirectedForNowException, NotFoundWithArticleException {
  private static final long serialVersionUID = 1L;

  NotJudgedException(String message) {
    super(message);
  }
}

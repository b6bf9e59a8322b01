package dev.pixivdic.core.run.internal;

import java.io.IOException;

/**
 * An item failed in a way that a retry in hours would not change: the page redirects off the
 * site or in a loop, answers with a client error that names the page as the fault (400, 401,
 * 405, 406, 414, 451, a redirect without its {@code Location}), answers empty on every
 * attempt, or in a {@code Content-Encoding} that cannot be decoded (one the fetcher does not
 * read, or corrupt data). The item stays unstored, so the next run tries it again, but a run
 * whose other items all succeeded does not ask its scheduler for a retry because of it, as long
 * as such failures are few (at most 5, or 5% of the shard's items): more speak of the site or
 * the setup, not of a few pages, and count as ordinary failures (see
 * {@link dev.pixivdic.core.run.RunReport#failedForGood()}).
 */
public final class FailedForGoodException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean ofTheInput;

  /** A failure described by {@code message}, with its cause (may be null). */
  public FailedForGoodException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * A failure described by {@code message}, with its cause (may be null); {@code ofTheInput}
   * when the item or the run's own settings are at fault, not the site (a strip rule that
   * cannot be applied to a name): such failures are for good however many there are, as no
   * retry later can change them.
   */
  public FailedForGoodException(String message, Throwable cause, boolean ofTheInput) {
    super(message, cause);
    this.ofTheInput = ofTheInput;
  }

  /** Whether the item or the run's settings are at fault, not the site. */
  public boolean ofTheInput() {
    return ofTheInput;
  }
}

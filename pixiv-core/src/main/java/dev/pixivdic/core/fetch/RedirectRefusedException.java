package dev.pixivdic.core.fetch;

import java.net.URI;

/**
 * A redirect the fetcher will not follow: off the site, with a malformed {@code Location}, or
 * one more than the fetcher's limit (a loop). The page answers the same way on every try, so
 * this is never retried; a caller may count the item as failed for good rather than asking for
 * a retry that cannot help. The message names the URI and both ends of the refused redirect.
 */
public final class RedirectRefusedException extends FetchException {
  private static final long serialVersionUID = 1L;

  /** Refused as one redirect too many, or as a loop, rather than for where it leads. */
  private final boolean tooMany;

  RedirectRefusedException(String message, URI uri, int attempts, int lastStatus,
      Throwable cause) {
    this(message, uri, attempts, lastStatus, cause, false);
  }

  RedirectRefusedException(String message, URI uri, int attempts, int lastStatus,
      Throwable cause, boolean tooMany) {
    super(message, uri, attempts, lastStatus, cause);
    this.tooMany = tooMany;
  }

  /** Whether the redirect was refused as one more than the limit, or as a loop. */
  boolean tooMany() {
    return tooMany;
  }
}

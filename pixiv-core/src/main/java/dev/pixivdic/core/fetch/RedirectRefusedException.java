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

  RedirectRefusedException(String message, URI uri, int attempts, int lastStatus,
      Throwable cause) {
    super(message, uri, attempts, lastStatus, cause);
  }
}

package dev.pixivdic.core.fetch;

import java.net.URI;

/**
 * Thrown by {@link Fetcher#get} of a fetcher that was closed: every later call would fail the
 * same way, so a run that meets it stops at once (as {@code INTERNAL_ERROR}, with one problem
 * saying the fetcher is closed) rather than fail each of its items. A fetcher of one's own may
 * throw it too.
 */
public final class FetcherClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The fetcher was closed before a call to GET {@code siteUri}. */
  public FetcherClosedException(URI siteUri) {
    super("fetcher is closed; cannot GET " + siteUri);
  }
}

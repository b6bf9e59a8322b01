package dev.pixivdic.core.fetch;

import java.net.URI;

/**
 * The site is gone: requests got no answer (connection refused, reset, timed out) many times in
 * a row, or robots.txt could not be had at the start. A run that meets it stops taking items,
 * stores what it parsed and ends with "retry later"; the items not fetched stay unstored, so the
 * next run picks them up. The message names the origin contacted and the last error.
 */
public final class SiteUnreachableException extends FetchException {
  private static final long serialVersionUID = 1L;

  SiteUnreachableException(String message, URI uri, int attempts, int lastStatus,
      Throwable cause) {
    super(message, uri, attempts, lastStatus, cause);
  }
}

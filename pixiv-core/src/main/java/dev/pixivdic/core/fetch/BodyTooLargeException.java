package dev.pixivdic.core.fetch;

import java.net.URI;

/**
 * A response body larger than the fetcher's cap ({@link HttpFetcher.Builder#maxBodyBytes}), as
 * received or once gunzipped. The same URI answers the same way on every attempt, so this is
 * never retried: a caller classifies the item for good rather than trying it again later. The
 * message names the URI and the cap.
 */
public final class BodyTooLargeException extends FetchException {
  private static final long serialVersionUID = 1L;

  BodyTooLargeException(String message, URI uri, int attempts, Throwable cause) {
    super(message, uri, attempts, -1, cause);
  }
}

package dev.pixivdic.core.fetch;

import java.net.URI;

/**
 * A response body the fetcher cannot decode: its {@code Content-Encoding} names a coding the
 * fetcher does not read ({@code br}, {@code zstd}, {@code compress}, an unknown token), or its
 * gzip or deflate data is corrupt (not of that coding, a bad block, a checksum that does not
 * match). The same URI answers the same way on every attempt, so this is never retried; a
 * caller may count the item as failed for good rather than asking for a retry that cannot help.
 * The site answered, so this says nothing against it being up. The message names the URI and
 * the coding. (Data that ends too soon, cut on its way, is an ordinary I/O error and retried.)
 */
public final class UndecodableBodyException extends FetchException {
  private static final long serialVersionUID = 1L;

  UndecodableBodyException(String message, URI uri, int attempts, int lastStatus,
      Throwable cause) {
    super(message, uri, attempts, lastStatus, cause);
  }
}

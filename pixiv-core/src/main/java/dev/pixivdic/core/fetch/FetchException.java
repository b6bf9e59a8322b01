package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.util.OptionalInt;

/**
 * No usable response could be had for a site URI: I/O errors or timeouts after the last
 * attempt, a body over the size cap, a redirect off the site, a {@code Retry-After} beyond the
 * configured maximum, or robots.txt unavailable. The message names the URI and the reason.
 */
public class FetchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final URI uri;
  private final int attempts;
  private final int lastStatus;

  /**
   * @param message what went wrong, naming the URI
   * @param uri the site URI that was asked for
   * @param attempts attempts made, 0 when none was made
   * @param lastStatus the last HTTP status received, or -1 when none
   * @param cause the underlying error, or null
   */
  public FetchException(String message, URI uri, int attempts, int lastStatus, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.uri = requireNonNull(uri, "uri");
    this.attempts = attempts;
    this.lastStatus = lastStatus;
  }

  /** The site URI that was asked for. */
  public URI uri() {
    return uri;
  }

  /** Attempts made before giving up; 0 when the request was refused before any attempt. */
  public int attempts() {
    return attempts;
  }

  /** The last HTTP status received, empty when no response arrived. */
  public OptionalInt lastStatus() {
    return lastStatus < 0 ? OptionalInt.empty() : OptionalInt.of(lastStatus);
  }
}

package dev.pixivdic.bigquery;

/**
 * BigQuery kept failing with a transient error (5xx, 429, {@code backendError},
 * {@code internalError}, {@code rateLimitExceeded}, {@code jobRateLimitExceeded},
 * {@code quotaExceeded}, a network error) until the retries ran out. Nothing of the failed
 * step was stored. The CLI exits 69.
 */
public final class BigQueryUnavailableException extends BigQueryIOException {
  private static final long serialVersionUID = 1L;

  /** An exception with BigQuery's message, status and reason. */
  public BigQueryUnavailableException(String message, int statusCode, String reason,
      Throwable cause) {
    super(message, statusCode, reason, cause);
  }
}

package dev.pixivdic.bigquery;

/**
 * BigQuery kept failing with a transient error (5xx, 429, {@code backendError},
 * {@code internalError}, {@code rateLimitExceeded}, {@code jobRateLimitExceeded}, a
 * {@code quotaExceeded} of concurrent or queued jobs, a network error) until the retries ran
 * out, or answered with a {@code quotaExceeded} that lasts longer than a run waits (a daily
 * quota; not retried). Nothing of the failed step was stored. The CLI exits 69.
 */
public final class BigQueryUnavailableException extends BigQueryIOException {
  private static final long serialVersionUID = 1L;

  /** An exception with BigQuery's message, status and reason. */
  public BigQueryUnavailableException(String message, int statusCode, String reason,
      Throwable cause) {
    super(message, statusCode, reason, cause);
  }
}

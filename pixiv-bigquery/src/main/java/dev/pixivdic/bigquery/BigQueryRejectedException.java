package dev.pixivdic.bigquery;

/**
 * BigQuery refused a request in a way that retrying cannot fix: 400 (invalid query or data,
 * a schema that cannot accept the rows, {@code maximumBytesBilled} exceeded,
 * {@code billingTierLimitExceeded}; not {@code jobRateLimitExceeded}, which is retried), 403
 * (missing permission, {@code billingNotEnabled}, a {@code quotaExceeded} of the free tier of
 * a project without billing), 404 (no such project, dataset or table),
 * or a job that failed with such an error. Never retried. The CLI exits 2 (configuration error).
 */
public final class BigQueryRejectedException extends BigQueryIOException {
  private static final long serialVersionUID = 1L;

  /** An exception with BigQuery's message, status and reason. */
  public BigQueryRejectedException(String message, int statusCode, String reason,
      Throwable cause) {
    super(message, statusCode, reason, cause);
  }
}

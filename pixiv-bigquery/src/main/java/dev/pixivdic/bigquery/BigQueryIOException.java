package dev.pixivdic.bigquery;

import java.io.IOException;

/**
 * A BigQuery call failed. The message carries BigQuery's own message; {@link #statusCode()} and
 * {@link #reason()} say what BigQuery answered. The two subclasses tell a caller what to do:
 * {@link BigQueryUnavailableException} (transient, retried until exhausted: try again later) and
 * {@link BigQueryRejectedException} (BigQuery refused the request: fix the configuration).
 * Neither the message nor any cause shows the id of an upload session ({@code upload_id=***}):
 * causes that did are copies with it masked, their class names and stack traces kept.
 */
public abstract class BigQueryIOException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String reason;

  BigQueryIOException(String message, int statusCode, String reason, Throwable cause) {
    // The message is ours, the cause may be the client's: neither may show an upload session.
    super(message == null ? null : Errors.masked(message), MaskedCause.of(cause));
    this.statusCode = statusCode;
    this.reason = reason == null ? "" : reason;
  }

  /**
   * The HTTP status of BigQuery's answer; 0 when there was none (a network error or a failed
   * job).
   */
  public int statusCode() {
    return statusCode;
  }

  /** BigQuery's error reason ({@code backendError}, {@code invalid}, ...); empty when unknown. */
  public String reason() {
    return reason;
  }
}

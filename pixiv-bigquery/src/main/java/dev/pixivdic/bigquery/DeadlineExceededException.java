package dev.pixivdic.bigquery;

import java.io.IOException;

/**
 * A BigQuery call got no answer within its deadline. Transient: the step is retried, and a job
 * the call may have created is read back by its id before anything is counted.
 */
final class DeadlineExceededException extends IOException {
  private static final long serialVersionUID = 1L;

  DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}

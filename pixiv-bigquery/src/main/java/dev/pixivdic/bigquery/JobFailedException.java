package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQueryError;

/** A job ran to DONE with an {@code errorResult}. Thrown inside retried steps only. */
final class JobFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final transient BigQueryError error;

  public JobFailedException(String jobId, BigQueryError error) {
    super("job " + jobId + " failed: " + requireNonNull(error, "error").getMessage());
    this.jobId = requireNonNull(jobId, "jobId");
    this.error = error;
  }

  public String jobId() {
    return jobId;
  }

  public BigQueryError error() {
    return error;
  }
}

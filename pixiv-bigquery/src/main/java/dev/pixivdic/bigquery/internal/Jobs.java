package dev.pixivdic.bigquery.internal;

import static java.util.Objects.requireNonNull;

import com.google.cloud.RetryOption;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.pixivdic.bigquery.BigQueryConnection;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs under deterministic ids, so that a retried or repeated step cannot run twice.
 *
 * <p>A job id is {@code <base>_a<attempt>}. Attempt 1 comes first. When BigQuery answers 409
 * (the id is taken), the existing job is read: if it succeeded the step is done (an earlier try
 * whose answer was lost); if it failed, the next attempt suffix is used. When a job of this step
 * fails, its id is spent and the next try of the step uses the next suffix. Success is judged on
 * {@code status.errorResult}, never on the DONE state alone. Thread-safe.
 */
public final class Jobs {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
  private static final int MAX_SUFFIXES = 50;

  private final BigQueryConnection connection;
  private final Retrier retrier;

  public Jobs(BigQueryConnection connection) {
    this.connection = requireNonNull(connection, "connection");
    this.retrier = new Retrier(connection.retry());
  }

  public Retrier retrier() {
    return retrier;
  }

  /**
   * Runs a query whose first column is a FARM_FINGERPRINT, with retries, and collects the
   * fingerprints: what a sink already stores.
   *
   * @param what the query, as error messages name it
   */
  public StoredKeys fingerprints(String what, QueryJobConfiguration config) throws IOException {
    return retrier.call(what, () -> {
      TableResult result = Retrier.blocking(what, () -> connection.bigQuery().query(config));
      StoredKeys.Builder keys = StoredKeys.builder();
      for (FieldValueList row : result.iterateAll()) {
        keys.addFingerprint(row.get(0).getLongValue());
      }
      return keys.build();
    });
  }

  /** Loads NDJSON bytes with a load job; returns the id of the job that holds them. */
  public JobId load(String baseId, WriteChannelConfiguration config, byte[] ndjson)
      throws IOException {
    requireNonNull(ndjson, "ndjson");
    return run("load job " + baseId, baseId, id -> {
      BigQuery bq = connection.bigQuery();
      TableDataWriteChannel writer = bq.writer(id, config);
      try (writer) {
        ByteBuffer buf = ByteBuffer.wrap(ndjson);
        while (buf.hasRemaining()) {
          writer.write(buf);
        }
      }
      return writer.getJob();
    });
  }

  /** Runs a query job (DML, DDL) under a deterministic id and waits for it. */
  public JobId query(String baseId, QueryJobConfiguration config) throws IOException {
    return run("query job " + baseId, baseId,
        id -> connection.bigQuery().create(JobInfo.of(id, config)));
  }

  @FunctionalInterface
  private interface Start {
    Job start(JobId id) throws IOException;
  }

  private JobId run(String what, String baseId, Start start) throws IOException {
    AtomicInteger attempt = new AtomicInteger(1);
    return retrier.call(what, () -> {
      for (int i = 0; i < MAX_SUFFIXES; i++) {
        JobId id = jobId(baseId + "_a" + attempt.get());
        Job job;
        boolean existing = false;
        try {
          job = start.start(id);
        } catch (BigQueryException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          job = connection.bigQuery().getJob(id);
          if (job == null) {
            throw e;
          }
          existing = true;
        }
        job = awaitDone(job, id);
        BigQueryError error = job.getStatus() == null ? null : job.getStatus().getError();
        if (error == null) {
          if (existing) {
            LOG.info("BigQuery job {} already ran and succeeded: not running it again", id.getJob());
          }
          return id;
        }
        attempt.incrementAndGet();
        if (existing) {
          LOG.info("BigQuery job {} already ran and failed ({}): trying under a new id",
              id.getJob(), error.getMessage());
          continue;
        }
        throw new JobFailedException(id.getJob(), error);
      }
      throw new IllegalStateException("more than " + MAX_SUFFIXES + " failed jobs for " + baseId);
    });
  }

  private JobId jobId(String job) {
    JobId.Builder b = JobId.newBuilder().setProject(connection.projectId()).setJob(job);
    connection.location().ifPresent(b::setLocation);
    return b.build();
  }

  private static Job awaitDone(Job job, JobId id) throws IOException {
    if (job == null) {
      throw new IOException("BigQuery returned no job for " + id.getJob());
    }
    if (job.getStatus() != null && job.getStatus().getState() == JobStatus.State.DONE) {
      return job;
    }
    try {
      Job done = job.waitFor(RetryOption.initialRetryDelayDuration(Duration.ofMillis(500)),
          RetryOption.maxRetryDelayDuration(Duration.ofSeconds(10)),
          RetryOption.totalTimeoutDuration(Duration.ofHours(6)));
      if (done == null) {
        throw new IOException("BigQuery job " + id.getJob() + " disappeared while running");
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie =
          new InterruptedIOException("interrupted waiting for BigQuery job " + id.getJob());
      ie.initCause(e);
      throw ie;
    }
  }
}

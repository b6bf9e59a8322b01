package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.QueryResultsOption;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
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
final class Jobs {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
  private static final int MAX_SUFFIXES = 50;
  /** The wait before the first poll of a running job; it doubles up to the longest. */
  private static final Duration FIRST_POLL_DELAY = Duration.ofMillis(200);
  /** The longest wait between two polls of a running job. */
  private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(1);

  private final BigQueryConnection connection;
  private final Retrier retrier;
  /** Where the jobs run when the connection names no location ({@link #learnLocation}). */
  private volatile String learnedLocation;
  /** The dataset could not tell (not found, no permission): not asked again. */
  private boolean locationUnknowable;

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
    TableResult first = retrier.call(what, () -> firstPage(what, config));
    StoredKeys.Builder keys = StoredKeys.builder();
    try {
      // Each further page a call of its own, as a source's: a deadline of one is judged by its
      // own length, not by the query's wait before it.
      for (Pages rows = new Pages(retrier, first, what); rows.hasNext(); ) {
        keys.addFingerprint(rows.next().get(0).getLongValue());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return keys.build();
  }

  /**
   * The first page of a query's rows (one step: the callers retry it). BigQuery's
   * {@code jobs.query} answers with the rows when the query ends within its own short wait
   * (about 10 s); otherwise the query's job is waited for as a load's is, polled at most a second
   * apart, for at most {@link Retrier#jobTimeout()} in all: a failure while waiting is retried
   * on the same job (the query is not sent again), and a job still running at the end is
   * cancelled (best effort: nobody will read its rows). The client's own wait would last 12 h
   * and then return no rows at all for a query still running, which a source would take for a
   * shard without items and a sink for a table that stores nothing. (Queries whose
   * configuration {@code jobs.query} cannot take would be sent as jobs and waited for by the
   * client; every query of this module is one that it takes.)
   *
   * @throws BigQueryUnavailableException when the query is still running after the job timeout,
   *     or waiting failed after the retries
   */
  TableResult firstPage(String what, QueryJobConfiguration config) throws IOException {
    // Apart: the client's own read of a job still running loses an interrupt (Retrier.apart).
    Object answer = Retrier.apart(what, () -> Retrier.blocking(what,
        () -> connection.bigQuery().queryWithTimeout(config, null, null)));
    if (answer instanceof TableResult rows) {
      return rows;
    }
    if (answer == null) {
      // BigQuery said the query runs on, and the client's read of its job found none.
      throw new IOException("BigQuery " + what + ": the query's job could not be read after"
          + " BigQuery said it was still running");
    }
    Job job = (Job) answer;
    JobId id = job.getJobId();
    if (id == null || id.getJob() == null) {
      throw Retrier.notUnderstood(what, "the query's job, read while it ran, has no id", null);
    }
    Job done;
    try {
      done = awaitDone(what, job, id, retrier.jobTimeout(),
          "it runs the " + what + ", and is cancelled; the next run queries again");
    } catch (IOException e) {
      // Nobody will read its rows. An interrupted wait leaves the query to end on its own: the
      // process is stopping, and a cancellation may take a call's whole deadline.
      if (!Errors.isInterruption(e)) {
        cancelQuietly(id);
      }
      throw e;
    }
    QueryResultsOption[] paging = config.getMaxResults() == null ? new QueryResultsOption[0]
        : new QueryResultsOption[] {QueryResultsOption.pageSize(config.getMaxResults())};
    // A query that failed throws its error here, as the client's own wait would have. Its own
    // try (jobs.getQueryResults, then tabledata.list for the first page): a deadline is told by
    // the length of these calls, not the wait's; the step's retry then sends the query again.
    return retrier.attempt(what, () -> Retrier.blocking(what,
        () -> done.getQueryResults(paging)));
  }

  /** Asks BigQuery to stop job {@code id}; a failure is logged, not thrown. */
  private void cancelQuietly(JobId id) {
    try {
      retrier.attempt("cancellation of job " + id.getJob(),
          () -> connection.bigQuery().cancel(id));
      LOG.info("BigQuery job {} cancelled", id.getJob());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not cancel BigQuery job {}: {}", id.getJob(), Errors.message(e));
    }
  }

  /** Loads NDJSON bytes with a load job; returns the id of the job that holds them. */
  public JobId load(String baseId, WriteChannelConfiguration config, byte[] ndjson)
      throws IOException {
    requireNonNull(ndjson, "ndjson");
    learnLocation(config.getDestinationTable());
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
    return run("query job " + baseId, baseId, id -> {
      try {
        return connection.bigQuery().create(JobInfo.of(id, config));
      } catch (NullPointerException e) {
        // The client answers a 409 "Already Exists: Job" by reading the job itself, and throws
        // this when the read finds none (not visible yet, or in another location): a 409 whose
        // job our own handling reads, and waits for, as it does for a load job's. Any other
        // NullPointerException is a bug, and stays one.
        StackTraceElement[] at = e.getStackTrace();
        if (at.length == 0 || !at[0].getMethodName().equals("create")
            || !at[0].getClassName().equals("com.google.cloud.bigquery.BigQueryImpl")) {
          throw e;
        }
        throw new BigQueryException(409, "Already Exists: Job " + id.getJob()
            + " (the client could not read it)", e);
      }
    });
  }

  @FunctionalInterface
  private interface Start {
    Job start(JobId id) throws IOException;
  }

  private JobId run(String what, String baseId, Start start) throws IOException {
    AtomicInteger attempt = new AtomicInteger(1);
    try {
      return retrier.call(what, () -> tryJob(what, baseId, attempt, start));
    } catch (BigQueryUnavailableException | InterruptedIOException e) {
      // The last try may have created the job without our hearing of it: read it before the
      // step is counted as failed.
      JobId id = jobId(baseId + "_a" + attempt.get());
      Optional<Job> job = settled(id);
      if (job.isPresent() && job.get().getStatus().getError() == null) {
        LOG.info("BigQuery job {} ran although its answer was lost: counted as done",
            id.getJob());
        return id;
      }
      throw e;
    }
  }

  private JobId tryJob(String what, String baseId, AtomicInteger attempt, Start start)
      throws IOException {
    for (int i = 0; i < MAX_SUFFIXES; i++) {
      JobId id = jobId(baseId + "_a" + attempt.get());
      Job job;
      boolean earlier = false;
      try {
        job = retrier.attempt(what, () -> start.start(id));
      } catch (BigQueryException e) {
        if (e.getCode() == 409) {
          // The id is taken: an earlier try ran. Its job decides; BigQuery may not show it yet.
          job = lookUp(id).orElseThrow(() -> new IOException("BigQuery job " + id.getJob()
              + " exists (409) but cannot be read yet", e));
          earlier = true;
        } else if (Errors.isUnknownOutcome(e)) {
          job = afterUnknownOutcome(id, e);
        } else {
          throw e;
        }
      } catch (IOException | UncheckedIOException e) {
        if (!Errors.isUnknownOutcome(e)) {
          throw e;
        }
        job = afterUnknownOutcome(id, e);
      }
      job = awaitDone(what, job, id, retrier.jobTimeout(), "a later run finds it by its id");
      BigQueryError error = job.getStatus().getError();
      if (error == null) {
        if (earlier) {
          LOG.info("BigQuery job {} already ran and succeeded: not running it again",
              id.getJob());
        }
        return id;
      }
      attempt.incrementAndGet();
      if (earlier) {
        LOG.info("BigQuery job {} already ran and failed ({}): trying under a new id",
            id.getJob(), error.getMessage());
        continue;
      }
      throw new JobFailedException(id.getJob(), error);
    }
    throw new IllegalStateException("more than " + MAX_SUFFIXES + " failed jobs for " + baseId);
  }

  /**
   * The job a call whose outcome is unknown (no answer, a deadline, a 5xx, an interruption) may
   * have created, read by its id; when there is none, the call's failure, so that the step is
   * tried again under the same id (a job that appears meanwhile answers 409).
   */
  private Job afterUnknownOutcome(JobId id, Exception failure) throws IOException {
    if (Errors.isInterruption(failure)) {
      Thread.currentThread().interrupt();
    }
    Optional<Job> job = lookUp(id);
    if (job.isPresent()) {
      LOG.info("BigQuery job {} was created although the answer was lost ({})", id.getJob(),
          Errors.message(failure));
      return job.get();
    }
    if (Thread.currentThread().isInterrupted()) {
      throw Retrier.interruption("interrupted before BigQuery job " + id.getJob()
          + " was created", failure);
    }
    if (failure instanceof IOException io) {
      throw io;
    }
    throw (RuntimeException) failure;
  }

  /**
   * The job, read by its id; empty when BigQuery does not know it. An interrupt flag is set
   * aside while reading (the client fails every call while it is set) and restored.
   */
  private Optional<Job> lookUp(JobId id) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      return Optional.ofNullable(retrier.attempt("read of job " + id.getJob(),
          () -> connection.bigQuery().getJob(id)));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The job when it can be read and is done; empty otherwise (never throws). */
  private Optional<Job> settled(JobId id) {
    try {
      return lookUp(id).filter(j -> j.getStatus() != null
          && j.getStatus().getState() == JobStatus.State.DONE);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not read BigQuery job {} after the step failed: {}", id.getJob(),
          Errors.message(e));
      return Optional.empty();
    }
  }

  /** @param after what becomes of the job, in words */
  private BigQueryUnavailableException stillRunning(JobId id, Exception cause, String after) {
    return new BigQueryUnavailableException("BigQuery job " + id.getJob()
        + " was still running after " + retrier.jobTimeout().toMillis() + " ms"
        + (cause == null ? "" : " (" + Errors.message(cause) + ")") + "; " + after, 0,
        "jobStillRunning", cause);
  }

  private JobId jobId(String job) {
    JobId.Builder b = JobId.newBuilder().setProject(connection.projectId()).setJob(job);
    connection.location().or(() -> Optional.ofNullable(learnedLocation))
        .ifPresent(b::setLocation);
    return b.build();
  }

  /**
   * Learns where the jobs run from {@code table}'s dataset ({@code datasets.get}, one call),
   * when the connection names no location and nothing was learned yet. BigQuery runs a job where
   * its tables are, but shows a job of a single region ({@code asia-northeast1}) only to a read
   * that names that region: without it, a job whose answer was lost could not be read back by
   * its id. Best effort: a dataset that cannot be read leaves the ids without a location (a
   * transient failure is tried again before the next job); the job itself is not delayed by
   * more than the one call.
   */
  synchronized void learnLocation(TableId table) throws InterruptedIOException {
    if (connection.location().isPresent() || learnedLocation != null || locationUnknowable) {
      return;
    }
    DatasetId id = DatasetId.of(table.getProject() != null ? table.getProject()
        : connection.projectId(), table.getDataset());
    String name = id.getProject() + "." + id.getDataset();
    try {
      Dataset dataset = retrier.attempt("read of dataset " + name,
          () -> connection.bigQuery().getDataset(id));
      if (dataset != null && dataset.getLocation() != null && !dataset.getLocation().isBlank()) {
        learnedLocation = dataset.getLocation();
        LOG.debug("BigQuery jobs of dataset {} run in {}", name, learnedLocation);
        return;
      }
      locationUnknowable = true;
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (Errors.isInterruption(e)) {
        throw Retrier.interruption("interrupted reading dataset " + name, e);
      }
      locationUnknowable = !Errors.isRetryable(e);
      LOG.info("could not read where dataset {} is ({}): BigQuery job ids name no location;"
          + " give --location for a dataset in a single region", name, Errors.message(e));
    }
  }

  /**
   * Waits for the job to be done: polls it with {@code jobs.get}, one short call each, at most
   * {@link #MAX_POLL_DELAY} apart, for at most {@code bound} in all; a failed poll is retried
   * as any call is. The wait is this loop rather than the client's {@code waitFor}: the client
   * reports a poll that got no answer in time and an interrupt of the waiting thread alike, as
   * an interruption, and only the length of one call tells the two apart, never the length of
   * a whole wait. Here an interrupt while sleeping between polls is one at once, a poll is one
   * call, and it runs apart ({@link Retrier#apart}), as the client loses an interrupt that comes
   * while its call is under way. The bound is checked between polls: a poll under way when it
   * passes ends first, its retries included.
   *
   * @param what the step, as error messages name it
   * @param bound the longest wait
   * @param after what becomes of a job still running at the timeout, in words
   */
  private Job awaitDone(String what, Job job, JobId id, Duration bound, String after)
      throws IOException {
    if (job == null) {
      throw new IOException("BigQuery returned no job for " + id.getJob());
    }
    // The job as BigQuery's answer names it (its location included), as the client's wait did.
    // An answer that names none (an upload's answered {}) is not BigQuery's: its id would be
    // passed on to the client, which refuses to read a job without one.
    JobId polled = job.getJobId();
    if (polled == null || polled.getJob() == null) {
      throw Retrier.notUnderstood(what, "the job it answered with has no id", null);
    }
    long deadline = System.nanoTime() + bound.toNanos();
    long delayMillis = FIRST_POLL_DELAY.toMillis();
    Job current = stated(what, job);
    while (current.getStatus().getState() != JobStatus.State.DONE) {
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        throw stillRunning(id, null, after);
      }
      long sleep = Math.min(delayMillis, leftMillis);
      Retrier.blocking("wait for job " + id.getJob(), () -> {
        Thread.sleep(sleep);
        return null;
      });
      // A job BigQuery does not show (yet) is a failed poll too, tried again on the same job.
      // Apart: the client loses an interrupt that comes while a poll is under way.
      String polling = what + ", waiting for job " + id.getJob();
      // Retried here, each try apart: only the one call under way is left at an interrupt.
      current = retrier.call(polling, () -> Retrier.apart(polling, () -> {
        Job read = connection.bigQuery().getJob(polled);
        if (read == null) {
          throw new IOException("BigQuery job " + id.getJob() + " is not found while running");
        }
        return read;
      }));
      current = stated(what, current);
      delayMillis = Math.min(delayMillis * 2, MAX_POLL_DELAY.toMillis());
    }
    return current;
  }

  /**
   * {@code job} when BigQuery's answer gave its state; otherwise the step's failure at once, as
   * an answer not understood: a job resource without {@code status.state} ({@code {}}) is not
   * BigQuery's, and polling it again would only wait out the job timeout.
   */
  private static Job stated(String what, Job job) throws BigQueryUnavailableException {
    if (job.getStatus() == null || job.getStatus().getState() == null) {
      throw Retrier.notUnderstood(what, "the job it answered with has no status.state", null);
    }
    return job;
  }

}

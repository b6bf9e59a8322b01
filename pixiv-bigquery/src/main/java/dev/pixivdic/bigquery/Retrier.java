package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobStatus;
import com.google.cloud.bigquery.TableResult;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole BigQuery step under the retry policy and turns what is left of a failure into
 * {@link BigQueryUnavailableException} (transient, exhausted) or
 * {@link BigQueryRejectedException} (permanent). Thread-safe.
 */
final class Retrier {

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** One step: it must be safe to run again from the start after a failure. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws IOException;
  }

  /** A call that may block and be interrupted. */
  @FunctionalInterface
  public interface Blocking<T> {
    T run() throws InterruptedException;
  }

  private final BigQueryRetry settings;

  /**
   * Runs a blocking call, turning an interruption into {@link InterruptedIOException} with the
   * interrupt flag restored.
   */
  public static <T> T blocking(String what, Blocking<T> call) throws InterruptedIOException {
    try {
      return call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interruption("interrupted during BigQuery " + what, e);
    }
  }

  /**
   * Runs a call of the client on a thread of its own and waits for it, so that an interrupt of
   * the waiting thread ends the wait at once and stays set. The client loses an interrupt that
   * comes while its call is under way: its retrying future reads the call's answer with
   * {@code Future.get()}, which takes the interrupt flag, and the answer is then returned as if
   * no interrupt had come. A thread already interrupted starts no call. At an interrupt the
   * thread of the call is interrupted too (which ends any wait of its own at once), and the call
   * left running ends within its deadline; what it did is logged: a job it created at INFO, with
   * its id (a query job runs on, and may be cancelled), an {@link Error} at WARN. The call is one
   * call: retries belong around it, on the waiting thread, so that nothing is retried for a step
   * that was given up.
   */
  static <T> T apart(String what, Step<T> call) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw interruption("interrupted before BigQuery " + what, null);
    }
    java.util.concurrent.CompletableFuture<T> result =
        new java.util.concurrent.CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(call.run());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "pixiv-bigquery-call");
    thread.setDaemon(true);
    thread.start();
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
      result.whenComplete((answer, failure) -> abandoned(what, answer, failure));
      throw interruption("interrupted during BigQuery " + what, e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Logs how a call {@link #apart} left at an interrupt ended: a job it left running at INFO,
   * with its id, as nobody waits for it any more; an {@link Error} at WARN; the rest at DEBUG.
   */
  private static void abandoned(String what, Object answer, Throwable failure) {
    if (failure instanceof Error err) {
      LOG.warn("BigQuery {}, left at an interrupt, failed: {}", what,
          Errors.masked(err.toString()), MaskedCause.of(err));
    } else if (failure != null) {
      LOG.debug("BigQuery {}, left at an interrupt, failed: {}", what,
          Errors.masked(failure.toString()));
    } else if (answer instanceof Job job && job.getJobId() != null
        && (job.getStatus() == null || job.getStatus().getState() != JobStatus.State.DONE)) {
      JobId id = job.getJobId();
      LOG.info("BigQuery {}, left at an interrupt, leaves job {} (location {}) running;"
          + " nothing waits for it: cancel it if it is not wanted", what, id.getJob(),
          id.getLocation());
    } else {
      JobId id = answer instanceof Job job ? job.getJobId()
          : answer instanceof TableResult rows ? rows.getJobId() : null;
      LOG.debug("BigQuery {}, left at an interrupt, ended{}", what,
          id == null ? "" : " with job " + id.getJob() + " done");
    }
  }

  /**
   * An {@link InterruptedIOException} with {@code message}, caused by {@code cause} with every
   * upload session id masked ({@link MaskedCause}): it leaves this module.
   */
  static InterruptedIOException interruption(String message, Throwable cause) {
    InterruptedIOException ie = new InterruptedIOException(message);
    if (cause != null) {
      ie.initCause(MaskedCause.of(cause));
    }
    return ie;
  }

  public Retrier(BigQueryRetry settings) {
    this.settings = requireNonNull(settings, "settings");
  }

  /**
   * Runs the step, retrying transient BigQuery failures.
   *
   * @throws BigQueryUnavailableException when transient failures outlast the attempts
   * @throws BigQueryRejectedException when BigQuery refuses the step for good
   * @throws IOException what the step itself throws otherwise
   */
  public <T> T call(String what, Step<T> step) throws IOException {
    RetryPolicy<T> policy = RetryPolicy.<T>builder()
        .handleIf((result, failure) -> failure != null && Errors.isRetryable(failure))
        .withMaxAttempts(settings.maxAttempts())
        .withDelayFn(ctx -> settings.delayAfter(ctx.getAttemptCount(),
            Errors.isQuota(ctx.getLastException())))
        .onRetry(e -> LOG.warn("BigQuery {}: attempt {} failed ({}), retrying", what,
            e.getAttemptCount(), Errors.message(e.getLastException())))
        .build();
    // Failsafe clears an interrupt flag a successful try leaves: keep it for the caller.
    java.util.concurrent.atomic.AtomicBoolean interrupted =
        new java.util.concurrent.atomic.AtomicBoolean();
    try {
      T result = Failsafe.with(policy).get(() -> {
        T r = attempt(what, step);
        interrupted.set(Thread.currentThread().isInterrupted());
        return r;
      });
      if (interrupted.get()) {
        Thread.currentThread().interrupt();
      }
      return result;
    } catch (FailsafeException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw interruption("interrupted during BigQuery " + what, cause);
      }
      if (cause instanceof IOException io) {
        if (Errors.isRetryable(io)) {
          // A network failure that outlasted the attempts: BigQuery was unreachable.
          throw new BigQueryUnavailableException("BigQuery " + what + " failed after "
              + settings.maxAttempts() + " attempts: " + Errors.masked(io.toString()), 0, null,
              io);
        }
        throw io;
      }
      throw masked(e);
    } catch (RuntimeException e) {
      if (Errors.isInterruption(e)) {
        Thread.currentThread().interrupt();
        throw interruption("interrupted during BigQuery " + what, e);
      }
      if (Errors.isRetryable(e)) {
        throw new BigQueryUnavailableException("BigQuery " + what + " failed after "
            + settings.maxAttempts() + " attempts: " + Errors.message(e) + describe(e),
            Errors.code(e), Errors.reason(e), e);
      }
      Errors.Quota quota = Errors.quota(e);
      if (quota == Errors.Quota.LASTING) {
        throw new BigQueryUnavailableException("BigQuery " + what + " exceeded a quota: "
            + Errors.message(e) + describe(e) + "; not retried: BigQuery lifts such a quota"
            + " after 10 minutes or more (a daily one, over the day); run again later, and if it"
            + " recurs, use less of it (fewer, larger batches for loads) or ask for a higher"
            + " quota (https://cloud.google.com/bigquery/quotas)", Errors.code(e),
            Errors.reason(e), e);
      }
      if (Errors.isAnswerNotUnderstood(e)) {
        Throwable client = e instanceof BigQueryException && e.getCause() != null
            ? e.getCause() : e;
        throw notUnderstood(what, client.toString(), e);
      }
      if (e instanceof BigQueryException b && Errors.wrappedUnchecked(b).isPresent()) {
        // The client's retry layer wrapped what it threw before any answer about the step (a
        // check of what it was given): a bug of ours, not BigQuery's refusal.
        throw masked(Errors.wrappedUnchecked(b).get());
      }
      if (Errors.isBigQueryFailure(e)) {
        String advice = quota == Errors.Quota.FREE_TIER ? "; the project's free tier (the"
            + " BigQuery sandbox, no billing account) is used up until next month: enable"
            + " billing for the project that runs the jobs" : "";
        throw new BigQueryRejectedException("BigQuery " + what + " was refused: "
            + Errors.message(e) + describe(e) + advice, Errors.code(e), Errors.reason(e), e);
      }
      throw masked(e);
    }
  }

  /**
   * The failure of a step whose answer from BigQuery the client could not read ({@code {}}, a
   * field missing, {@code detail} says what): not retried, as an answer that is not BigQuery's
   * (a proxy's, a stand-in's) would come again, and not a bug of the caller's.
   */
  static BigQueryUnavailableException notUnderstood(String what, String detail,
      Throwable cause) {
    return new BigQueryUnavailableException("BigQuery's answer to the " + what + " was not"
        + " understood (" + detail + "); is the endpoint BigQuery's API? Not retried: run again"
        + " later", 0, null, cause);
  }

  /**
   * {@code e} itself, or, when a message along its causes shows an upload session id, an
   * {@link IllegalStateException} saying so masked, with the masked copy as its cause: a bug
   * let out as it is must not show the id either.
   */
  static RuntimeException masked(RuntimeException e) {
    Throwable copy = MaskedCause.of(e);
    return copy == e ? e : new IllegalStateException(Errors.masked(e.toString()), copy);
  }

  /**
   * {@code e} itself, or a copy with its message masked and its causes {@link MaskedCause}
   * copies, when a message along them shows an upload session id.
   */
  private static InterruptedIOException masked(InterruptedIOException e) {
    if (MaskedCause.of(e) == e) {
      return e;
    }
    InterruptedIOException copy = interruption(
        e.getMessage() == null ? null : Errors.masked(e.getMessage()), e.getCause());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /**
   * One try of a step. The client's retry layer (gax) answers a read timeout as it answers an
   * interrupt (a {@link java.net.SocketTimeoutException} is an {@link InterruptedIOException}):
   * it sets the interrupt flag, and then fails the call with an {@link InterruptedException},
   * clearing the flag again; a genuine interrupt during a call ends the same way. The two are
   * told apart by time: a call that failed so after at least nine tenths of its deadline timed
   * out, and its failure is a transient {@link DeadlineExceededException}; otherwise it was
   * interrupted: the interrupt flag the client cleared is restored, and the failure becomes an
   * {@link InterruptedIOException}. That holds for one call, never for a step that waits long:
   * every call runs under this on its own, and what one has decided passes through the steps
   * around it unchanged (a {@link DeadlineExceededException}, or an
   * {@link InterruptedIOException} for an interruption).
   */
  public <T> T attempt(String what, Step<T> step) throws IOException {
    boolean interruptedBefore = Thread.currentThread().isInterrupted();
    long start = System.nanoTime();
    try {
      return step.run();
    } catch (IOException | RuntimeException e) {
      if (e instanceof DeadlineExceededException || !Errors.isInterruption(e)
          && !Errors.isTimeout(e)) {
        throw e;
      }
      long elapsed = System.nanoTime() - start;
      boolean decided = e instanceof InterruptedIOException
          && !(e instanceof java.net.SocketTimeoutException);
      if (!interruptedBefore && !decided
          && (Errors.isTimeout(e) || elapsed >= settings.callTimeout().toNanos() * 9 / 10)) {
        Thread.interrupted();
        throw new DeadlineExceededException("no answer from BigQuery within "
            + Durations.format(settings.callTimeout()) + " during " + what, e);
      }
      Thread.currentThread().interrupt();
      if (decided) {
        throw masked((InterruptedIOException) e);
      }
      throw interruption("interrupted during BigQuery " + what, e);
    }
  }

  /** The deadline of one call. */
  public java.time.Duration callTimeout() {
    return settings.callTimeout();
  }

  /** The longest wait for a running job. */
  public java.time.Duration jobTimeout() {
    return settings.jobTimeout();
  }

  private static String describe(Throwable e) {
    int code = Errors.code(e);
    String reason = Errors.reason(e);
    StringBuilder b = new StringBuilder();
    if (code != 0 || reason != null) {
      b.append(" (");
      if (code != 0) {
        b.append("HTTP ").append(code);
      }
      if (reason != null) {
        b.append(code != 0 ? ", " : "").append("reason ").append(reason);
      }
      b.append(')');
    }
    return b.toString();
  }
}

package dev.pixivdic.bigquery.internal;

import static java.util.Objects.requireNonNull;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.pixivdic.bigquery.BigQueryRejectedException;
import dev.pixivdic.bigquery.BigQueryRetry;
import dev.pixivdic.bigquery.BigQueryUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a whole BigQuery step under the retry policy and turns what is left of a failure into
 * {@link BigQueryUnavailableException} (transient, exhausted) or
 * {@link BigQueryRejectedException} (permanent). Thread-safe.
 */
public final class Retrier {

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
      InterruptedIOException ie = new InterruptedIOException("interrupted during BigQuery " + what);
      ie.initCause(e);
      throw ie;
    }
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
    try {
      return Failsafe.with(policy).get(step::run);
    } catch (FailsafeException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        InterruptedIOException ie = new InterruptedIOException("interrupted during BigQuery " + what);
        ie.initCause(cause);
        throw ie;
      }
      if (cause instanceof IOException io) {
        if (Errors.isRetryable(io)) {
          // A network failure that outlasted the attempts: BigQuery was unreachable.
          throw new BigQueryUnavailableException("BigQuery " + what + " failed after "
              + settings.maxAttempts() + " attempts: " + io, 0, null, io);
        }
        throw io;
      }
      throw e;
    } catch (RuntimeException e) {
      if (Errors.isRetryable(e)) {
        throw new BigQueryUnavailableException("BigQuery " + what + " failed after "
            + settings.maxAttempts() + " attempts: " + Errors.message(e) + describe(e),
            Errors.code(e), Errors.reason(e), e);
      }
      if (Errors.isBigQueryFailure(e)) {
        throw new BigQueryRejectedException("BigQuery " + what + " was refused: "
            + Errors.message(e) + describe(e), Errors.code(e), Errors.reason(e), e);
      }
      throw e;
    }
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

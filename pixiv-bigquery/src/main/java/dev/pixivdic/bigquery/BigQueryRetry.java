package dev.pixivdic.bigquery;

import dev.pixivdic.support.internal.Durations;
import java.time.Duration;

/**
 * How long BigQuery calls may take and how whole BigQuery steps (a query, a load job, a table
 * creation) are retried. Transient failures (HTTP 5xx and 429, {@code backendError},
 * {@code internalError}, {@code rateLimitExceeded}, {@code jobRateLimitExceeded}, network errors,
 * a call that outlasts its deadline) wait {@code initialDelay}, doubling up to {@code maxDelay};
 * a {@code quotaExceeded} of jobs running or queued at once, or of a rate, waits
 * {@code quotaInitialDelay}, doubling up to {@code quotaMaxDelay}. These reasons count also when
 * they end a job ({@code errorResult}). Any other {@code quotaExceeded} (a daily quota: BigQuery
 * lifts such a quota after 10 minutes or more) is not retried and the step is unavailable at
 * once; the free tier of a project without billing, used up, is a refusal. Other 400s, 403s (such
 * as {@code accessDenied}, {@code billingNotEnabled}) and 404s are never retried.
 *
 * <p>Every HTTP call has a deadline: connecting, and each wait for the answer, may take at most
 * {@code callTimeout}; a call that takes longer fails as a transient error (never as a refusal).
 * A job that BigQuery accepted is waited for at most {@code jobTimeout}, then the step fails as
 * unavailable; the job id stays deterministic, so a later try finds the job instead of running
 * it again.
 *
 * <p>The google-cloud client's own retries are turned off by {@link BigQueryConnection}, so this
 * policy is the only one in charge. Immutable and thread-safe.
 *
 * @param maxAttempts attempts per step including the first, at least 1; default 5
 * @param initialDelay first wait after a transient failure; default 1 s
 * @param maxDelay longest wait after a transient failure; default 30 s
 * @param quotaInitialDelay first wait after a retried {@code quotaExceeded}; default 30 s
 * @param quotaMaxDelay longest wait after a retried {@code quotaExceeded}; default 5 min
 * @param callTimeout the deadline of connecting and of each wait for an answer; default 2 min
 * @param jobTimeout the longest wait for a running job; default 1 h
 */
public record BigQueryRetry(int maxAttempts, Duration initialDelay, Duration maxDelay,
    Duration quotaInitialDelay, Duration quotaMaxDelay, Duration callTimeout,
    Duration jobTimeout) {

  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration JOB_TIMEOUT = Duration.ofHours(1);
  private static final BigQueryRetry DEFAULTS = new BigQueryRetry(5, Duration.ofSeconds(1),
      Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(5), CALL_TIMEOUT,
      JOB_TIMEOUT);

  public BigQueryRetry {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    positive(initialDelay, "initialDelay");
    positive(maxDelay, "maxDelay");
    positive(quotaInitialDelay, "quotaInitialDelay");
    positive(quotaMaxDelay, "quotaMaxDelay");
    positive(callTimeout, "callTimeout");
    positive(jobTimeout, "jobTimeout");
    if (callTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("callTimeout must be at most "
          + Integer.MAX_VALUE + " ms, was " + callTimeout);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay must be >= initialDelay, was " + maxDelay + " < " + initialDelay);
    }
    if (quotaMaxDelay.compareTo(quotaInitialDelay) < 0) {
      throw new IllegalArgumentException("quotaMaxDelay must be >= quotaInitialDelay, was "
          + quotaMaxDelay + " < " + quotaInitialDelay);
    }
  }

  /**
   * 5 attempts; 1 s doubling to 30 s; on a retried quotaExceeded 30 s doubling to 5 min; calls
   * of at most 2 min; jobs waited for at most 1 h.
   */
  public static BigQueryRetry defaults() {
    return DEFAULTS;
  }

  /**
   * {@code maxAttempts} attempts with the same short delay for every kind of failure (tests);
   * the default deadlines.
   */
  public static BigQueryRetry fixed(int maxAttempts, Duration delay) {
    return new BigQueryRetry(maxAttempts, delay, delay, delay, delay, CALL_TIMEOUT, JOB_TIMEOUT);
  }

  /** This policy with another deadline per call. */
  public BigQueryRetry withCallTimeout(Duration timeout) {
    return new BigQueryRetry(maxAttempts, initialDelay, maxDelay, quotaInitialDelay,
        quotaMaxDelay, timeout, jobTimeout);
  }

  /** This policy with another longest wait for a running job. */
  public BigQueryRetry withJobTimeout(Duration timeout) {
    return new BigQueryRetry(maxAttempts, initialDelay, maxDelay, quotaInitialDelay,
        quotaMaxDelay, callTimeout, timeout);
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}: the initial delay doubled per earlier
   * failure, capped.
   */
  public Duration delayAfter(int failedAttempts, boolean quota) {
    Duration base = quota ? quotaInitialDelay : initialDelay;
    Duration cap = quota ? quotaMaxDelay : maxDelay;
    int shift = Math.min(Math.max(failedAttempts - 1, 0), 20);
    Duration d = base.multipliedBy(1L << shift);
    return d.compareTo(cap) > 0 ? cap : d;
  }

  private static void positive(Duration d, String name) {
    Durations.setting(d, name, false);
  }
}

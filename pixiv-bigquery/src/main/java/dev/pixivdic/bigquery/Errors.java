package dev.pixivdic.bigquery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sorts BigQuery failures into retryable, quota and permanent ones. */
final class Errors {

  // jobRateLimitExceeded comes with HTTP 400, yet BigQuery's error table says to retry it with
  // backoff, as rateLimitExceeded (403). billingNotEnabled and billingTierLimitExceeded are
  // not here: no retry fixes them.
  private static final Set<String> TRANSIENT_REASONS =
      Set.of("backendError", "internalError", "rateLimitExceeded", "jobRateLimitExceeded",
          "jobBackendError", "jobInternalError");

  /**
   * A {@code quotaExceeded} whose message names jobs running or queued at once, or a rate: it
   * frees up as other jobs end, within minutes.
   */
  private static final Pattern PASSING_QUOTA =
      Pattern.compile("(?i)concurrent|queued|\\brate\\b|per (second|minute)");

  /** The free tier of a project without billing, the BigQuery sandbox. */
  private static final Pattern FREE_TIER = Pattern.compile("(?i)\\bfree\\b|sandbox");

  /**
   * What kind of {@code quotaExceeded} a failure is. BigQuery gives every quota the same reason,
   * and calls it a longer-term limit, to be tried again after 10 minutes or more (a
   * {@code rateLimitExceeded} is the short-term one); its message names the quota.
   */
  enum Quota {
    /** Not a {@code quotaExceeded}. */
    NONE,
    /** Concurrent or queued jobs, a rate: retried, with the longer quota backoff. */
    PASSING,
    /**
     * Any other, such as a daily quota (loads per table, query bytes per day): no retry within a
     * run lifts it, and the step ends at once as unavailable.
     */
    LASTING,
    /** The free tier of a project without billing, used up: enabling billing lifts it. */
    FREE_TIER
  }

  /** Too Many Requests: a rate limit, whatever the body says (it may carry no reason). */
  private static final int TOO_MANY_REQUESTS = 429;

  private static final Pattern REASON_IN_BODY =
      Pattern.compile("\"reason\"\\s*:\\s*\"([A-Za-z]+)\"");

  /**
   * A resumable upload's session id in its URL, which the client's message of a failed upload
   * holds: it is the session's credential (whoever has it may upload to the session).
   */
  private static final Pattern UPLOAD_ID = Pattern.compile("(?i)(\\bupload_id=)[^&\\s\"'<>]+");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Errors() {}

  /** Whether retrying the step may succeed. */
  public static boolean isRetryable(Throwable t) {
    Quota quota = quota(t);
    if (quota != Quota.NONE) {
      return quota == Quota.PASSING;
    }
    if (t instanceof JobFailedException j) {
      return isRetryableReason(j.error().getReason(), 0);
    }
    if (t instanceof JobException j) {
      BigQueryError first = firstError(j);
      return first != null && isRetryableReason(first.getReason(), 0);
    }
    if (t instanceof IOException && !(t instanceof InterruptedIOException)
        && !(t instanceof BigQueryIOException)) {
      return true;
    }
    if (t instanceof BigQueryException e) {
      if (isRetryableReason(reason(e), e.getCode())) {
        return true;
      }
      // No answer at all (connection refused, reset, timed out): the client reports code 0.
      return e.getCode() == 0 && e.getCause() instanceof IOException;
    }
    return false;
  }

  /**
   * Whether the failure leaves it unknown if BigQuery carried the request out: no answer (a
   * network error, a deadline, an interruption) or a 5xx answer. A job the request may have
   * created must be read back by its id before the step is counted.
   */
  public static boolean isUnknownOutcome(Throwable t) {
    if (t instanceof BigQueryIOException) {
      return false;
    }
    if (t instanceof IOException || isInterruption(t)) {
      return true;
    }
    return t instanceof BigQueryException e && (e.getCode() == 0 || e.getCode() >= 500);
  }

  /**
   * Whether the failure is an interruption: an {@link InterruptedException} or an
   * {@link InterruptedIOException} other than a timeout among its causes (a deadline exceeded
   * is not one).
   */
  public static boolean isInterruption(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof DeadlineExceededException) {
        return false;
      }
      if (c instanceof InterruptedException || c instanceof InterruptedIOException
          && !(c instanceof java.net.SocketTimeoutException)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a read or connect timeout is among the failure's causes. */
  static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.SocketTimeoutException || c instanceof DeadlineExceededException) {
        return true;
      }
    }
    return false;
  }

  /** Whether the failure is a quota limit, which deserves a longer wait. */
  public static boolean isQuota(Throwable t) {
    return quota(t) != Quota.NONE;
  }

  /** The kind of {@code quotaExceeded} the failure is, by BigQuery's message. */
  static Quota quota(Throwable t) {
    if (!"quotaExceeded".equals(reason(t))) {
      return Quota.NONE;
    }
    String message = bigQueryMessage(t);
    if (FREE_TIER.matcher(message).find()) {
      return Quota.FREE_TIER;
    }
    return PASSING_QUOTA.matcher(message).find() ? Quota.PASSING : Quota.LASTING;
  }

  static boolean isRetryableReason(String reason, int code) {
    if (reason != null && TRANSIENT_REASONS.contains(reason)) {
      return true;
    }
    return code == TOO_MANY_REQUESTS || code >= 500 && code <= 599;
  }

  /** BigQuery's reason, or null. */
  public static String reason(Throwable t) {
    if (t instanceof JobFailedException j) {
      return j.error().getReason();
    }
    if (t instanceof JobException j) {
      BigQueryError first = firstError(j);
      return first == null ? null : first.getReason();
    }
    if (t instanceof BigQueryException e) {
      if (e.getReason() != null) {
        return e.getReason();
      }
      // Errors of the upload protocol arrive unparsed: the reason is in the quoted body.
      Matcher m = REASON_IN_BODY.matcher(String.valueOf(e.getMessage()));
      return m.find() ? m.group(1) : null;
    }
    return null;
  }

  /** The HTTP status, or 0. */
  public static int code(Throwable t) {
    return t instanceof BigQueryException e ? e.getCode() : 0;
  }

  /** BigQuery's message, with every upload session id masked ({@link #masked}). */
  public static String message(Throwable t) {
    String message = masked(bigQueryMessage(t));
    if (message.contains(" was not found in location ")) {
      message += " (a job runs in the location given, --location, and finds no dataset of"
          + " another location: give the dataset's location, or none to use it)";
    }
    return message;
  }

  /** {@code text} with the value of every {@code upload_id} replaced by {@code ***}. */
  static String masked(String text) {
    return UPLOAD_ID.matcher(text).replaceAll("$1***");
  }

  private static String bigQueryMessage(Throwable t) {
    if (t instanceof JobFailedException j) {
      BigQueryError err = j.error();
      return "job " + j.jobId() + " failed: " + err.getMessage()
          + (err.getLocation() == null ? "" : " (at " + err.getLocation() + ")");
    }
    if (t instanceof JobException j) {
      BigQueryError first = firstError(j);
      return "job " + j.getId() + " failed: "
          + (first == null ? String.valueOf(j.getMessage()) : first.getMessage());
    }
    String message = String.valueOf(t.getMessage());
    if (t instanceof BigQueryException e && e.getReason() == null) {
      // Errors of the upload protocol arrive unparsed: the status line, the request line and
      // the JSON body, over three lines. BigQuery's message is in the body.
      return messageInBody(message).orElse(message);
    }
    return message;
  }

  private static Optional<String> messageInBody(String text) {
    int start = text.indexOf('{');
    if (start < 0) {
      return Optional.empty();
    }
    try {
      String m = JSON.readTree(text.substring(start)).path("error").path("message").asText("");
      return m.isBlank() ? Optional.empty() : Optional.of(m);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the client failed reading an answer it did not expect ({@code {}}, a field
   * missing): an unchecked exception thrown by the client's code (the first frame outside the
   * JDK is Google's), not ours, as it is or wrapped in a {@link BigQueryException} without a
   * status.
   */
  static boolean isAnswerNotUnderstood(RuntimeException e) {
    if (e instanceof BigQueryException b) {
      // The client's retry layer wraps what it threw in a BigQueryException without a code.
      return b.getCode() == 0 && b.getCause() instanceof RuntimeException c && c != b
          && isAnswerNotUnderstood(c);
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      String c = frame.getClassName();
      if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
        return c.startsWith("com.google.");
      }
    }
    return false;
  }

  /** Whether this is one of the failures the retrier turns into a typed exception. */
  public static boolean isBigQueryFailure(Throwable t) {
    return t instanceof BigQueryException || t instanceof JobFailedException
        || t instanceof JobException;
  }

  private static BigQueryError firstError(JobException j) {
    return j.getErrors() == null || j.getErrors().isEmpty() ? null : j.getErrors().get(0);
  }
}

package dev.pixivdic.bigquery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
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

  /** The package of the client's model and of its {@code BigQuery} implementation. */
  private static final String CLIENT = "com.google.cloud.bigquery.";

  /**
   * The client's methods that read a value of one of the API's answer types (which only answers
   * hold) right where they take the answer: the {@code jobComplete} of {@code jobs.query}'s
   * answer ({@code queryRpc}) and of {@code jobs.getQueryResults}'s, unboxed there, so that an
   * answer without it ({@code {}}) fails with a {@link NullPointerException} in that frame.
   */
  private static final Set<String> UNBOXES_ANSWER =
      Set.of(CLIENT + "BigQueryImpl.queryRpc", CLIENT + "BigQueryImpl.getQueryResults");

  private Errors() {}

  /** Whether retrying the step may succeed. */
  public static boolean isRetryable(Throwable failure) {
    Throwable t = unwrapped(failure);
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
      return e.getCode() == 0 && unwrapped(e.getCause()) instanceof IOException;
    }
    return false;
  }

  /**
   * Whether the failure leaves it unknown if BigQuery carried the request out: no answer (a
   * network error, a deadline, an interruption) or a 5xx answer. A job the request may have
   * created must be read back by its id before the step is counted.
   */
  public static boolean isUnknownOutcome(Throwable failure) {
    Throwable t = unwrapped(failure);
    if (t instanceof BigQueryIOException) {
      return false;
    }
    if (t instanceof IOException || isInterruption(t)) {
      return true;
    }
    return t instanceof BigQueryException e && (e.getCode() == 0 || e.getCode() >= 500);
  }

  /**
   * The {@link IOException} an {@link UncheckedIOException} carries (a network failure met
   * where the client, or a stream it reads, may not throw one: while paging a result, or in a
   * compressed answer cut short), or {@code t} itself.
   */
  private static Throwable unwrapped(Throwable t) {
    return t instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : t;
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
   * Whether the client failed reading an answer it did not expect ({@code {}}, a field missing
   * or of another type), or failed without an answer it could read: an unchecked exception the
   * client threw (the first frame outside the JDK is Google's) while it read an answer, as it is
   * or wrapped by the client's retry layer in a {@link BigQueryException} without a status.
   * Among the client's frames, those above the caller's, one shows that it was reading an answer
   * ({@link #readsAnswer}), or, for a {@link NullPointerException}, the first is one of the
   * client's methods that read an answer-only value as they take the answer
   * ({@link #UNBOXES_ANSWER}): the stack decides, never the message (which names the missing
   * value only with the JDK's helpful NullPointerExceptions on). A wrapped one that shows none of
   * this counts too (the client's report of a transport or answer problem), unless it is a bug
   * of the caller's ({@link #isCallersBug}). A check the client makes of what it was given (a
   * null, an empty name, an illegal argument) while it builds a request is such a bug.
   */
  static boolean isAnswerNotUnderstood(RuntimeException e) {
    if (e instanceof BigQueryException b) {
      return wrappedUnchecked(b).filter(c -> isAnswerNotUnderstood(c) || !isCallersBug(c))
          .isPresent();
    }
    StackTraceElement[] frames = e.getStackTrace();
    if (clientFramesOf(frames) == 0) {
      return false;
    }
    return e instanceof NullPointerException && unboxesAnswer(frames) || readsAnswer(frames);
  }

  /**
   * Whether an unchecked exception the client's retry layer wrapped is a bug of the caller's: it
   * was thrown outside the client (the first frame outside the JDK is not Google's), or by a
   * Guava {@code Preconditions} check (the client's checks of what it was given, such as a job
   * id without a name) that is not reading an answer.
   */
  private static boolean isCallersBug(RuntimeException c) {
    StackTraceElement[] frames = c.getStackTrace();
    if (clientFramesOf(frames) == 0) {
      return true;
    }
    String first = firstOutsideJdk(frames).map(StackTraceElement::getClassName).orElse("");
    return (first.equals("com.google.common.base.Preconditions")
        || first.equals("com.google.api.client.util.Preconditions")) && !readsAnswer(frames);
  }

  private static Optional<StackTraceElement> firstOutsideJdk(StackTraceElement[] frames) {
    for (StackTraceElement f : frames) {
      if (!isJdk(f.getClassName())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Whether the first frame outside the JDK is one of {@link #UNBOXES_ANSWER}. */
  private static boolean unboxesAnswer(StackTraceElement[] frames) {
    return firstOutsideJdk(frames)
        .filter(f -> UNBOXES_ANSWER.contains(f.getClassName() + "." + f.getMethodName()))
        .isPresent();
  }

  /**
   * The unchecked exception the client's retry layer wrapped in {@code e}, a
   * {@link BigQueryException} without a status: one the client threw without any answer from
   * BigQuery about the step (an answer it could not read, or a check of what it was given).
   */
  static Optional<RuntimeException> wrappedUnchecked(BigQueryException e) {
    return e.getCode() == 0 && e.getReason() == null && e.getCause() instanceof RuntimeException c
        && c != e ? Optional.of(c) : Optional.empty();
  }

  private static boolean isJdk(String className) {
    return className.startsWith("java.") || className.startsWith("jdk.")
        || className.startsWith("sun.");
  }

  private static boolean isJackson(String className) {
    return className.startsWith("com.fasterxml.jackson.");
  }

  /**
   * How many frames from the top are the client's (Google's, the JDK's, and a JSON parser's it
   * calls), up to the first of the caller's; 0 when none of them is Google's.
   */
  private static int clientFramesOf(StackTraceElement[] frames) {
    int googles = 0;
    int i = 0;
    for (; i < frames.length; i++) {
      String c = frames[i].getClassName();
      if (c.startsWith("com.google.")) {
        googles++;
      } else if (!isJdk(c) && !isJackson(c)) {
        break;
      }
    }
    return googles == 0 ? 0 : i;
  }

  /**
   * Whether, among the client's frames, one shows it reading an answer: the conversion of the
   * API's answer into the client's model (a {@code fromPb}, such as {@code Table.fromPb} or
   * {@code TableId.fromPb}, whose {@code checkArgument} refuses the empty table reference of an
   * answer), the JSON parser reading the body into the API's model (a field of another type),
   * the building of a {@code TableResult} (made from answers only: {@code totalRows} missing), a
   * read the client makes of the job a query's answer names ({@code BigQueryImpl.getJob} called
   * by {@code queryRpc}), or the upload to the session URL the opening's answer gave
   * ({@code GenericUrl} in {@code HttpBigQueryRpc.write}: no {@code Location}).
   */
  private static boolean readsAnswer(StackTraceElement[] frames) {
    int n = clientFramesOf(frames);
    boolean readsAnsweredJob = false;
    boolean parsesUrl = false;
    for (int i = 0; i < n; i++) {
      String c = frames[i].getClassName();
      String m = frames[i].getMethodName();
      if (c.startsWith(CLIENT) && m.contains("fromPb") || isJsonParser(c)
          || c.startsWith(CLIENT + "TableResult") || c.startsWith(CLIENT + "AutoValue_TableResult")
          || readsAnsweredJob && c.equals(CLIENT + "BigQueryImpl") && m.equals("queryRpc")
          || parsesUrl && c.equals(CLIENT + "spi.v2.HttpBigQueryRpc") && m.startsWith("write")) {
        return true;
      }
      readsAnsweredJob |= c.equals(CLIENT + "BigQueryImpl") && m.equals("getJob");
      parsesUrl |= c.equals("com.google.api.client.http.GenericUrl");
    }
    return false;
  }

  /** A class of the JSON parsing of an answer (not of the writing of a request). */
  private static boolean isJsonParser(String c) {
    return c.equals("com.google.api.client.json.JsonParser")
        || c.equals("com.google.api.client.json.JsonObjectParser")
        || c.startsWith("com.google.api.client.json.gson.GsonParser")
        || c.startsWith("com.google.gson.stream.JsonReader")
        || c.startsWith("com.google.api.client.googleapis.json.GoogleJson")
        || isJackson(c) && (c.contains("Parser") || c.contains("Deserializ")
            || c.contains("ObjectReader"));
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

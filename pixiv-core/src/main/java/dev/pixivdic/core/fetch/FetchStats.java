package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;

/**
 * Counters of a fetcher since it was built. Immutable and thread-safe.
 *
 * <p>A class with accessors rather than a record, so that a new counter breaks no caller: a
 * {@link Fetcher} of one's own returns {@link #none()} or fills a {@link #builder()}.
 */
public final class FetchStats {

  private static final FetchStats NONE = builder().build();

  private final long requestsSent;
  private final long retries;
  private final long bytesReceived;
  private final long bytesOnWire;
  private final Map<Integer, Long> responsesByStatus;
  private final long robotsDisallowed;
  private final long redirected;
  private final long failures;
  private final Duration rateLimitWait;

  private FetchStats(Builder b) {
    requestsSent = b.requestsSent;
    retries = b.retries;
    bytesReceived = b.bytesReceived;
    bytesOnWire = b.bytesOnWire;
    responsesByStatus = b.responsesByStatus;
    robotsDisallowed = b.robotsDisallowed;
    redirected = b.redirected;
    failures = b.failures;
    rateLimitWait = b.rateLimitWait;
  }

  /** Every counter zero: for a fetcher that counts nothing. */
  public static FetchStats none() {
    return NONE;
  }

  /** A builder whose counters start at zero. */
  public static Builder builder() {
    return new Builder();
  }

  /** HTTP requests sent, including robots.txt, redirects and retries. */
  public long requestsSent() {
    return requestsSent;
  }

  /**
   * Attempts made after a call's first (each one waited a backoff or Retry-After delay); a retry
   * deferred to its caller counts once the caller makes it, not when it is put off.
   */
  public long retries() {
    return retries;
  }

  /** Response body bytes after gzip decoding. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Response body bytes as received (compressed when gzip was used). */
  public long bytesOnWire() {
    return bytesOnWire;
  }

  /** Responses received, by HTTP status code, every attempt counted. */
  public Map<Integer, Long> responsesByStatus() {
    return responsesByStatus;
  }

  /** Responses received with the given status, 0 when none. */
  public long responses(int status) {
    return responsesByStatus.getOrDefault(status, 0L);
  }

  /** Calls refused because robots.txt disallows the path. */
  public long robotsDisallowed() {
    return robotsDisallowed;
  }

  /**
   * Calls answered from another URI than the one asked for, after following redirects within
   * the site ({@link FetchResponse#finalUri()}): a renamed article, a spelling the site
   * normalises, a trailing slash.
   */
  public long redirected() {
    return redirected;
  }

  /**
   * Calls that ended in a {@link FetchException} other than robots refusals and bodies over the
   * cap ({@link BodyTooLargeException}: the site answered, and the answer is counted in {@link
   * #responsesByStatus()}).
   */
  public long failures() {
    return failures;
  }

  /** Total time callers waited on the global rate limiter. */
  public Duration rateLimitWait() {
    return rateLimitWait;
  }

  @Override
  public String toString() {
    return "FetchStats[requestsSent=" + requestsSent + ", retries=" + retries
        + ", bytesReceived=" + bytesReceived + ", bytesOnWire=" + bytesOnWire
        + ", responsesByStatus=" + responsesByStatus + ", robotsDisallowed=" + robotsDisallowed
        + ", redirected=" + redirected + ", failures=" + failures + ", rateLimitWait="
        + rateLimitWait + "]";
  }

  /** Collects the counters; not thread-safe. {@link #build()} copies them. */
  public static final class Builder {
    private long requestsSent;
    private long retries;
    private long bytesReceived;
    private long bytesOnWire;
    private Map<Integer, Long> responsesByStatus = Map.of();
    private long robotsDisallowed;
    private long redirected;
    private long failures;
    private Duration rateLimitWait = Duration.ZERO;

    private Builder() {}

    /** See {@link FetchStats#requestsSent()}. */
    public Builder requestsSent(long n) {
      requestsSent = count("requestsSent", n);
      return this;
    }

    /** See {@link FetchStats#retries()}. */
    public Builder retries(long n) {
      retries = count("retries", n);
      return this;
    }

    /** See {@link FetchStats#bytesReceived()} and {@link FetchStats#bytesOnWire()}. */
    public Builder bytes(long received, long onWire) {
      bytesReceived = count("bytesReceived", received);
      bytesOnWire = count("bytesOnWire", onWire);
      return this;
    }

    /** See {@link FetchStats#responsesByStatus()}. */
    public Builder responsesByStatus(Map<Integer, Long> byStatus) {
      responsesByStatus = Map.copyOf(requireNonNull(byStatus, "responsesByStatus"));
      return this;
    }

    /** See {@link FetchStats#robotsDisallowed()}. */
    public Builder robotsDisallowed(long n) {
      robotsDisallowed = count("robotsDisallowed", n);
      return this;
    }

    /** See {@link FetchStats#redirected()}. */
    public Builder redirected(long n) {
      redirected = count("redirected", n);
      return this;
    }

    /** See {@link FetchStats#failures()}. */
    public Builder failures(long n) {
      failures = count("failures", n);
      return this;
    }

    /** See {@link FetchStats#rateLimitWait()}. */
    public Builder rateLimitWait(Duration wait) {
      rateLimitWait = requireNonNull(wait, "rateLimitWait");
      return this;
    }

    /** The counters. */
    public FetchStats build() {
      return new FetchStats(this);
    }

    private static long count(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, was " + value);
      }
      return value;
    }
  }
}

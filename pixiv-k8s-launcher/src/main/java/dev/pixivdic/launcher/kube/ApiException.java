package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The API server answered with an error status; carries the status, URL, the Status reason and
 * message, and the {@code Retry-After} delay when the server asked for one.
 */
public final class ApiException extends java.io.IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String url;
  private final String reason;
  private final transient Optional<Duration> retryAfter;

  public ApiException(int status, String method, String url, String reason, String message) {
    this(status, method, url, reason, message, Optional.empty());
  }

  /**
   * @param url the request's URL, without secrets (see {@link Redact})
   * @param retryAfter the delay the server asked for with {@code Retry-After}, if any
   */
  public ApiException(int status, String method, String url, String reason, String message,
      Optional<Duration> retryAfter) {
    super(method + " " + url + " returned " + status + (reason.isEmpty() ? "" : " " + reason)
        + (message.isEmpty() ? "" : ": " + message));
    this.status = status;
    this.url = url;
    this.reason = reason;
    this.retryAfter = requireNonNull(retryAfter, "retryAfter");
  }

  /** The HTTP status, or the {@code code} of an in-stream watch ERROR event. */
  public int status() {
    return status;
  }

  public String url() {
    return url;
  }

  /** The Status {@code reason} such as {@code AlreadyExists}, {@code Expired}, or empty. */
  public String reason() {
    return reason;
  }

  /** The delay the server asked for ({@code Retry-After}), if it asked. */
  public Optional<Duration> retryAfter() {
    return retryAfter == null ? Optional.empty() : retryAfter;
  }

  /**
   * Whether the API server said the object does not exist: a 404 with a Kubernetes {@code Status}
   * whose reason is {@code NotFound}. A bare 404 (a proxy's or gateway's page for a wrong path)
   * says nothing about the object, and is never read as "gone".
   */
  public boolean isNotFound() {
    return status == 404 && reason.equals("NotFound");
  }

  /** Whether the same request may succeed later: 429 (too many requests) and 5xx. */
  public boolean isTransient() {
    return status == 429 || status >= 500;
  }
}

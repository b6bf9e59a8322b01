package dev.pixivdic.launcher.kube;

/** The API server answered with an error status; carries the status, URL and the Status message. */
public final class ApiException extends java.io.IOException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String url;
  private final String reason;

  public ApiException(int status, String method, String url, String reason, String message) {
    super(method + " " + url + " returned " + status + (reason.isEmpty() ? "" : " " + reason)
        + (message.isEmpty() ? "" : ": " + message));
    this.status = status;
    this.url = url;
    this.reason = reason;
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
}

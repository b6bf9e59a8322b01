package dev.pixivdic.launcher;

/** Exit codes of {@code pixiv-launch}; {@code docs/launcher.md} documents them for schedulers. */
public final class ExitCodes {
  /** Every index completed. */
  public static final int SUCCESS = 0;
  /** The Job failed and no container exit code explains it, or an unexpected internal error. */
  public static final int FAILED = 1;
  /** Bad options or an unreadable --job-file/kubeconfig. */
  public static final int USAGE = 2;
  /** The API server refused a request (401, 403, 409 conflict, 422 invalid) or could not be reached. */
  public static final int API_REFUSED = 3;
  /** Someone else deleted the Job while it ran. */
  public static final int DELETED_EXTERNALLY = 4;
  /** Pods could not start: image pull errors, bad container config, unschedulable. */
  public static final int COULD_NOT_START = 5;
  /** The Job hit its activeDeadlineSeconds. */
  public static final int DEADLINE = 124;
  /** Interrupted by SIGINT after deleting the Job. */
  public static final int SIGINT = 130;
  /** Interrupted by SIGTERM after deleting the Job. */
  public static final int SIGTERM = 143;

  private ExitCodes() {}
}

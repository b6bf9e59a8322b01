package dev.pixivdic.launcher.run;

/**
 * Exit codes of {@code pixiv-launch}; {@code docs/launcher.md} documents them for schedulers,
 * beside the pods' own codes, which the launcher passes on when a pod decided the Job's failure.
 */
public final class ExitCodes {
  /** Every index completed. */
  public static final int SUCCESS = 0;
  /** The Job failed and no container exit code explains it, or an unexpected internal error. */
  public static final int FAILED = 1;

  /**
   * Bad options (including a scrape section that pixiv would refuse) or an unreadable
   * --job-file/kubeconfig.
   */
  public static final int USAGE = 2;

  /**
   * The API server refused a request for good (401, 403, 409 with another Job of that name, 422
   * invalid) or TLS failed: fix first.
   */
  public static final int API_REFUSED = 3;
  /** Someone else deleted the Job while it ran. */
  public static final int DELETED_EXTERNALLY = 4;
  /** Pods could not start: image pull errors, bad container config, unschedulable. */
  public static final int COULD_NOT_START = 5;
  /**
   * The API server could not be reached or kept failing (connection refused or reset, DNS, time
   * out, 429, 5xx) for {@code --api-retry-timeout}: retry. The same number and meaning as
   * {@code pixiv}'s "a source or sink was unavailable after retries".
   */
  public static final int UNAVAILABLE = 69;
  /**
   * What the command prints as its result (the manifest of {@code pixiv-launch manifest}) could
   * not be written to standard output: a full disk, a closed descriptor. {@code pixiv}'s code
   * for results that were not recorded.
   */
  public static final int NOT_WRITTEN = 74;
  /**
   * A pod's {@code pixiv} said the site blocks the run or asks it to wait longer than it waits
   * (stop reason BLOCKED), and the launcher stopped the Job: retry later. The same number and
   * meaning as {@code pixiv}'s, which the launcher also passes on when such pods fail the Job.
   */
  public static final int TRY_LATER = 75;
  /** The Job hit its activeDeadlineSeconds. */
  public static final int DEADLINE = 124;
  /** Interrupted by SIGINT after deleting the Job. */
  public static final int SIGINT = 130;
  /** Interrupted by SIGTERM after deleting the Job. */
  public static final int SIGTERM = 143;

  private ExitCodes() {}
}

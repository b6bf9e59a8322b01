package dev.pixivdic.cli;

/** The exit codes of the {@code pixiv} command; docs/operations.md explains each. */
final class ExitCodes {
  /** Every item stored or permanently classified. */
  static final int OK = 0;
  /** Unexpected internal error: a scheduler may retry. */
  static final int INTERNAL = 1;
  /** Usage or configuration error: do not retry. */
  static final int USAGE = 2;
  /** Parse breakage: the drift guard stopped the run (or a page was unrecognised); do not retry. */
  static final int PARSE_BREAKAGE = 65;
  /** A source or sink was unavailable after retries: retry. */
  static final int UNAVAILABLE = 69;
  /**
   * Every item stored or classified, but the run ledger row could not be written: retry (the
   * re-run skips what is stored and records the run). Also {@link StandardOutput}'s code when a
   * command's results could not be written to standard output ({@code EX_IOERR} both).
   */
  static final int NOT_RECORDED = 74;
  /** Blocked or rate limited by the site (or pages failed to download): retry later. */
  static final int TEMPORARY = 75;
  /** Interrupted by SIGINT after a clean flush. */
  static final int SIGINT = 130;
  /** Terminated by SIGTERM after a clean flush. */
  static final int SIGTERM = 143;

  private ExitCodes() {}
}

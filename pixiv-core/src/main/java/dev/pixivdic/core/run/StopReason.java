package dev.pixivdic.core.run;

import dev.pixivdic.core.run.internal.RunEngine;

/** Why a run ended. */
public enum StopReason {
  /** Every item of the shard was processed (some may have failed; see the counts). */
  COMPLETED,
  /**
   * The drift guard found too many pages missing required fields; the pending batch was dropped.
   */
  PARSE_BREAKAGE,
  /** Too many blocked pages in a row: the site is pushing back. */
  BLOCKED,
  /**
   * {@link RunEngine#stop()} was called (SIGINT/SIGTERM in the CLI) or the run thread was
   * interrupted.
   */
  INTERRUPTED,
  /** The source could not be read; see {@link RunReport#failure()}. */
  SOURCE_FAILED,
  /** The sink could not be read or written; see {@link RunReport#failure()}. */
  SINK_FAILED,
  /**
   * The site gave no answer many times in a row, or robots.txt could not be had: the items not
   * fetched were left for the next run; see {@link RunReport#failure()}.
   */
  SITE_UNREACHABLE,
  /**
   * An unexpected (unchecked) exception or {@link Error} of the source, the sink or the engine
   * itself, a bug, ended the run (the problem names the source or the sink with its class), or
   * the fetcher was closed (the problem says so); the batches written before stay written, the
   * rest is left for the next run. See {@link RunReport#problems()}.
   */
  INTERNAL_ERROR
}

package dev.pixivdic.core.run.internal;

import java.io.IOException;

/**
 * A copy that an item's processing keeps beside the sink (the raw page archive) could not be
 * written: a full disk, a file system gone read-only. Every further item would be fetched and
 * its copy lost the same way, spending the site's request budget for nothing, so the run stops
 * as it does when the sink fails, and writes what it parsed.
 */
public final class StorageFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The failure, named by {@code what} (e.g. "the page archive"), with its cause. */
  public StorageFailedException(String what, IOException cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}

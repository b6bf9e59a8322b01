package dev.pixivdic.core.scrape.internal;

import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import java.io.IOException;

/**
 * Keeps a copy of every fetched page, for example in a raw archive that a later parser fix can
 * replay. Called from worker threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface PageRecorder {

  /**
   * Records one response to {@code item}'s URL.
   *
   * @throws IOException when the copy could not be kept; the item then counts as failed and
   *     the run stops as when its sink fails (every further copy would be lost the same way)
   */
  void record(WorkItem item, FetchResponse response) throws IOException;

  /** A recorder that keeps nothing. */
  static PageRecorder none() {
    return (item, response) -> {};
  }
}

package dev.pixivdic.core.scrape.internal;

import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.run.internal.Processed;
import java.io.IOException;

/**
 * Keeps a copy of every fetched page, for example in a raw archive that a later parser fix can
 * replay. Called from worker threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface PageRecorder {

  /**
   * Records one response to {@code item}'s URL in two steps: what this call keeps (the page's
   * body), and the returned step, which makes the copy count (an archive's index line, which a
   * replay reads). The scraper takes that step at once, but for a "not found" page, whose step
   * the run takes when it stores the page's row; a run that never stores it (a wrong origin's
   * page, held until an article shows that the origin serves the site) never takes it, so that
   * no replay stores a row the run kept out. The step may be one item's share of a {@link
   * Processed.Joint} step that the run takes for many pages at once (an archive's index lines,
   * one write for all); it is taken at most once, on any thread.
   *
   * @throws IOException when the copy could not be kept (by this call or the step); the item
   *     then counts as failed and the run stops as when its sink fails (every further copy would
   *     be lost the same way)
   */
  Processed.OnStored record(WorkItem item, FetchResponse response) throws IOException;

  /** A recorder that keeps nothing. */
  static PageRecorder none() {
    return (item, response) -> Processed.OnStored.NOTHING;
  }
}

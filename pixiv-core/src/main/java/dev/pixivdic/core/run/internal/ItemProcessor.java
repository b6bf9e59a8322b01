package dev.pixivdic.core.run.internal;

import dev.pixivdic.core.Outcome;
import java.io.IOException;

/**
 * Does the work for one item: typically fetch a page and parse it. Called from the engine's
 * worker threads, so implementations must be thread-safe.
 *
 * @param <I> item type
 * @param <R> row type
 */
@FunctionalInterface
public interface ItemProcessor<I, R> {

  /**
   * Processes one item.
   *
   * @throws IOException when the item could not be processed (for example the site did not
   *     answer after retries); the run counts the item as failed and goes on, and a later run
   *     tries it again
   * @throws InterruptedException when the run is being stopped
   */
  Processed<R> process(I item) throws IOException, InterruptedException;

  /**
   * Whether {@code processed} shows that the origin serves the site, so that the "not found"
   * answers that a run holds ({@link RunConfig#notFoundAlone}) are the site's own. By default an
   * {@link Outcome#ARTICLE} does; a processor whose pages of another outcome are the site's own
   * too (a search page that found no match) says so here. Called on the run thread.
   */
  default boolean showsTheSite(Processed<R> processed) {
    return processed.outcome() == Outcome.ARTICLE;
  }

  /**
   * Called once on the run thread before the run's first item, to tell what serves run after run
   * (a {@link dev.pixivdic.core.fetch.Fetcher#runStarting() fetcher}) that a new run starts.
   * Does nothing by default.
   */
  default void runStarting() {}

  /**
   * Called once on the run thread after the run's last item, however the run ended, when
   * {@link #runStarting()} returned normally: what serves run after run
   * ({@link dev.pixivdic.core.fetch.Fetcher#runEnded() a fetcher}) learns that this run no
   * longer needs what it met. Does nothing by default.
   */
  default void runEnded() {}
}

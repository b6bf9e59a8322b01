package dev.pixivdic.cli;

import com.google.common.collect.Lists;
import com.google.common.io.Closer;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fetching command opened for its run, closed by {@link RunSupport} once the engine has
 * run and before the outcome is decided: a sink whose close fails (BigQuery's merge mode stores
 * the rows when its sink closes) is then part of the final line, not a change of the exit code
 * after it. The command closes it again when it ends, whatever happened; that close does nothing
 * when the run closed it. Used by the command's own thread only.
 */
final class RunResources implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(RunResources.class);

  /**
   * Closes a file sink or the page archive, removing its files (and lock, and the directories
   * made for them) when it made them and wrote nothing.
   */
  @FunctionalInterface
  interface Removal {
    void closeRemovingIfUnwritten() throws IOException;
  }

  private final Closer storage = Closer.create();
  private final Closer others = Closer.create();
  private final List<Removal> removals = new ArrayList<>(1);

  /** Where the run stores (a sink, the page archive): its close is part of the outcome. */
  <C extends Closeable> C storage(C c) {
    return storage.register(c);
  }

  /** What the run reads from or sends through (a source, the fetcher); null is ignored. */
  <C extends Closeable> C other(C c) {
    return others.register(c);
  }

  /**
   * A file the run may have made: when the run fails, {@code removal} closes it, removing it
   * when it was made for the run and nothing was written to it, the last registered first (a
   * directory made for the first may hold the second). Register it with {@link #storage} as
   * well.
   */
  <C> C removedOnFailure(C c, Removal removal) {
    removals.add(removal);
    return c;
  }

  /**
   * Closes the sinks and the archive, the last opened first; after a failed run, a file sink or
   * archive made for it that holds nothing is removed first, with its lock file and the
   * directories made for them.
   *
   * @param failed whether the run failed, so that an empty file it made is of no use
   * @throws IOException the first failure, the others suppressed by it
   */
  void closeStorage(boolean failed) throws IOException {
    if (failed) {
      removeUnwritten();
    }
    removals.clear();
    storage.close();
  }

  private void removeUnwritten() {
    for (Removal r : Lists.reverse(removals)) {
      try {
        r.closeRemovingIfUnwritten();
      } catch (IOException | RuntimeException e) {
        // Nothing stored depends on it: the file is empty, or holds what was written.
        log.warn("what was made for this run and holds nothing could not be removed: {}",
            e.toString());
      }
    }
  }

  /** Closes the sources and the fetcher. */
  void closeOthers() throws IOException {
    others.close();
  }

  /**
   * Closes everything the run opened; what {@link RunSupport} has not closed yet belongs to a
   * command that failed before or around its run, so an empty file sink made for it is removed.
   */
  @Override
  public void close() throws IOException {
    try {
      closeStorage(true);
    } finally {
      others.close();
    }
  }
}

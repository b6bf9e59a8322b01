package dev.pixivdic.cli;

import com.google.common.io.Closer;
import java.io.Closeable;
import java.io.IOException;

/**
 * What a fetching command opened for its run, closed by {@link RunSupport} once the engine has
 * run and before the outcome is decided: a sink whose close fails (BigQuery's merge mode stores
 * the rows when its sink closes) is then part of the final line, not a change of the exit code
 * after it. The command closes it again when it ends, whatever happened; that close does nothing
 * when the run closed it. Used by the command's own thread only.
 */
final class RunResources implements Closeable {

  private final Closer storage = Closer.create();
  private final Closer others = Closer.create();

  /** Where the run stores (a sink, the page archive): its close is part of the outcome. */
  <C extends Closeable> C storage(C c) {
    return storage.register(c);
  }

  /** What the run reads from or sends through (a source, the fetcher); null is ignored. */
  <C extends Closeable> C other(C c) {
    return others.register(c);
  }

  /**
   * Closes the sinks and the archive, the last opened first.
   *
   * @throws IOException the first failure, the others suppressed by it
   */
  void closeStorage() throws IOException {
    storage.close();
  }

  /** Closes the sources and the fetcher. */
  void closeOthers() throws IOException {
    others.close();
  }

  @Override
  public void close() throws IOException {
    try {
      storage.close();
    } finally {
      others.close();
    }
  }
}

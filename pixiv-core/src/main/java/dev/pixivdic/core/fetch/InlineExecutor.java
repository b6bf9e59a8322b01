package dev.pixivdic.core.fetch;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP client's executor by default for a plain-http origin: runs each task on the
 * thread that hands it over.
 * The client runs its tasks inline on any other thread already and hands them to its executor
 * only from its own selector thread, so with this executor the selector thread reads an answer
 * and completes the waiting {@code send} itself, instead of waking a pool thread for every
 * response (a millisecond or more of each request's cycle on a loaded machine).
 *
 * <p>Safe because nothing the fetcher gives the client blocks: the body subscriber copies bytes
 * into memory, the hook told of an answer's headers sets a pause under a short lock, the proxy
 * authenticator answers from memory, and callers of {@code send} wait on their own threads.
 * After {@link #shutdown} every task is refused, which makes the client stop its selector thread
 * and close its connections, as a pool shut down would.
 */
final class InlineExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  private volatile boolean shutdown;

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("the fetcher is closed");
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      if (shutdown && e instanceof RejectedExecutionException) {
        // A task handed on by this one was refused after close: the client was told then
        // (it stops), and a closing fetcher is no error to report.
        log.debug("a task of the HTTP client was refused after close", e);
        return;
      }
      // The client takes what its executor throws for a refused task and would stop for good;
      // a pool thread would report the task's failure and go on, and so does this.
      log.error("a task of the HTTP client failed", e);
    }
  }

  /** Refuses every later task. */
  void shutdown() {
    shutdown = true;
  }
}

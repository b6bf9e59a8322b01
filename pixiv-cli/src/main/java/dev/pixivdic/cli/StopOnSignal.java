package dev.pixivdic.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM into a graceful stop: the shutdown hook asks the run to stop, then waits
 * (bounded) until the command has flushed and written its report, which {@link #close()}
 * signals. The JVM then exits with 130 (SIGINT) or 143 (SIGTERM).
 */
final class StopOnSignal implements AutoCloseable {

  /** How long a signal waits for the flush before the JVM exits anyway. */
  static final Duration GRACE = Duration.ofSeconds(60);

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private StopOnSignal(Runnable stop) {
    hook = new Thread(() -> {
      org.slf4j.LoggerFactory.getLogger(StopOnSignal.class)
          .warn("stop requested by signal: taking no new items, flushing what is parsed");
      stop.run();
      try {
        finished.await(GRACE.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pixiv-shutdown");
  }

  static StopOnSignal install(Runnable stop) {
    StopOnSignal s = new StopOnSignal(stop);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it returns now that the report is written.
    }
  }
}

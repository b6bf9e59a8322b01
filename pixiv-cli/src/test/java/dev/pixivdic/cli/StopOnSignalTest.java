package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.support.internal.Signals;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which handlers are in place as a command line goes from main's first steps to its command and
 * back. No signal is raised: each handler here would end this JVM.
 */
class StopOnSignalTest {

  /** The handlers of INT and TERM in place now, named (the JVM's, or "pixiv signal handler"). */
  private static List<String> handlersNow() {
    Map<Object, Object> now = Signals.handle(Map.of("INT", 0, "TERM", 0), c -> { });
    Signals.restore(now);
    return now.values().stream().map(Object::toString).sorted().toList();
  }

  @Test
  void aCommandPutsBackMainsHandlersWhichStayUntilTheProcessExits() {
    List<String> jvms = handlersNow();
    StopOnSignal.atStartup(code -> code);
    assertThat(handlersNow()).allMatch(h -> h.contains("pixiv signal handler"));

    StopOnSignal command = StopOnSignal.beforeRun(code -> code);
    StopOnSignal run = StopOnSignal.install(() -> { }, code -> code);
    run.close();
    command.close();
    // A signal between here and System.exit is main's to handle, not the JVM's (exit 143).
    assertThat(handlersNow()).allMatch(h -> h.contains("pixiv signal handler"));

    StopOnSignal.endStartup(); // for this JVM, which goes on
    assertThat(handlersNow()).isEqualTo(jvms);
  }

  @Test
  void theExitCodeIsDecidedOnce() {
    StopOnSignal.atStartup(code -> code);
    try {
      assertThat(StopOnSignal.exitCode(() -> 2)).isEqualTo(2);
      assertThat(StopOnSignal.exitCode(() -> 143)).as("a signal's, after main decided")
          .isEqualTo(2);
    } finally {
      StopOnSignal.endStartup();
    }
  }

  /**
   * A standard error that nobody reads (a full pipe) does not hold a signal's exit: the line's
   * write, stuck behind a log line that holds standard error, is waited for a few seconds at
   * most, and the code is the one decided. The line follows once standard error takes it.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSignalsLineOnAStandardErrorNobodyReadsDoesNotHoldTheExit() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch lineWritten = new CountDownLatch(1);
    StringWriter written = new StringWriter();
    Writer pipe = new Writer() {
      @Override
      public void write(char[] c, int off, int len) throws IOException {
        stalled.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException();
        }
        synchronized (written) {
          written.write(c, off, len);
          if (written.toString().contains(FinalLine.MARKER)) {
            lineWritten.countDown();
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    FinalLine.Pending line = FinalLine.Pending.of("scrape");
    Writer stderr = line.gate(pipe);
    Thread logger = new Thread(() -> {
      try {
        stderr.write("a log line\n");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    logger.start();
    stalled.await();
    try {
      assertThat(line.interrupted(ExitCodes.SIGTERM, new PrintWriter(Writer.nullWriter())))
          .isEqualTo(ExitCodes.SIGTERM);
      assertThat(line.finish(0)).as("main's code, decided after the signal's")
          .isEqualTo(ExitCodes.SIGTERM);
    } finally {
      release.countDown();
    }
    logger.join();
    lineWritten.await();
    synchronized (written) {
      assertThat(written.toString()).startsWith("a log line\n" + FinalLine.MARKER)
          .contains("\"exit_code\":143");
    }
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.support.internal.Signals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}

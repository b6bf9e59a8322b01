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
  void aCommandTakesOverFromMainsFirstHandlersAndPutsBackTheJvmsOwn() {
    List<String> jvms = handlersNow();
    StopOnSignal.atStartup(code -> code);
    assertThat(handlersNow()).allMatch(h -> h.contains("pixiv signal handler"));

    StopOnSignal command = StopOnSignal.beforeRun(code -> code);
    StopOnSignal run = StopOnSignal.install(() -> { }, code -> code);
    run.close();
    command.close();
    StopOnSignal.endStartup(); // main's last step: nothing left to put back

    assertThat(handlersNow()).isEqualTo(jvms)
        .allSatisfy(h -> assertThat(h).doesNotContain("pixiv signal handler"));
  }

  @Test
  void aCommandLineThatNeverStartsItsCommandPutsBackTheJvmsOwnAtTheEnd() {
    List<String> jvms = handlersNow();
    StopOnSignal.atStartup(code -> code);

    StopOnSignal.endStartup();

    assertThat(handlersNow()).isEqualTo(jvms);
  }
}

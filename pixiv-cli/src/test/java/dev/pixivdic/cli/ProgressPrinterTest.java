package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.run.internal.Progress;
import dev.pixivdic.support.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

  private final MutableClock clock = new MutableClock();

  private static Progress at(long read, long processed, long seconds) {
    return new Progress(read, 0, processed, 0, processed, Duration.ofSeconds(seconds), false);
  }

  @Test
  void onANonTerminalPrintsOneLineEvery30Seconds() {
    StringWriter out = new StringWriter();
    ProgressPrinter p =
        new ProgressPrinter(new PrintWriter(out), ProgressPrinter.Mode.LINES, 100, 0.2, clock);
    p.onProgress(at(1, 1, 5));
    clock.advance(Duration.ofSeconds(10));
    p.onProgress(at(2, 2, 15));
    assertThat(out.toString()).isEmpty();
    clock.advance(Duration.ofSeconds(25));
    p.onProgress(at(10, 10, 40));
    assertThat(out.toString().lines()).singleElement().asString()
        .startsWith("progress: 10/100 items").contains("0.25 items/s", "ETA 6m");
  }

  @Test
  void onATerminalRedrawsABarInPlace() {
    StringWriter out = new StringWriter();
    ProgressPrinter p =
        new ProgressPrinter(new PrintWriter(out), ProgressPrinter.Mode.BAR, 10, 1, clock);
    p.onProgress(at(0, 0, 0));
    clock.advance(Duration.ofSeconds(1));
    p.onProgress(at(5, 5, 1));
    p.finish();
    assertThat(out.toString()).startsWith("\r[===============               ] 5/10 items")
        .endsWith(System.lineSeparator());
  }

  @Test
  void withoutATotalThereIsNoEtaAndNoneModePrintsNothing() {
    StringWriter out = new StringWriter();
    ProgressPrinter lines =
        new ProgressPrinter(new PrintWriter(out), ProgressPrinter.Mode.LINES, -1, 1, clock);
    assertThat(lines.line(at(7, 7, 7))).startsWith("7 items").endsWith("ETA ?");
    ProgressPrinter none =
        new ProgressPrinter(new PrintWriter(out), ProgressPrinter.Mode.NONE, 10, 1, clock);
    none.onProgress(at(1, 1, 1));
    clock.advance(Duration.ofHours(1));
    none.onProgress(at(2, 2, 2));
    assertThat(out.toString()).isEmpty();
  }
}

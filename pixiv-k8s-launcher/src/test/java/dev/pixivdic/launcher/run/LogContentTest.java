package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.running;
import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogContentTest {
  @TempDir Path dir;

  private static List<String> split(byte[]... chunks) {
    List<String> lines = new ArrayList<>();
    LineSplitter s = new LineSplitter(lines::add);
    for (byte[] c : chunks) {
      s.feed(c, 0, c.length);
    }
    s.flush();
    return lines;
  }

  @Test
  void aMultiByteCharacterSplitAcrossReadsIsDecodedWhole() {
    byte[] all = "é日本\n".getBytes(StandardCharsets.UTF_8);
    byte[] a = java.util.Arrays.copyOfRange(all, 0, 2);
    byte[] b = java.util.Arrays.copyOfRange(all, 2, all.length);

    assertThat(split(a, b)).containsExactly("é日本");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    assertThat(split(new byte[] {'o', 'k', (byte) 0xff, (byte) 0xc3, '\n'}))
        .containsExactly("ok\uFFFD\uFFFD");
  }

  @Test
  void aLastLineWithoutNewlineIsStillPrinted() {
    assertThat(split("one\ntwo".getBytes(StandardCharsets.UTF_8))).containsExactly("one", "two");
  }

  @Test
  void aVeryLongLineIsKeptUpToTheCapAndTruncatedBeyond() {
    String big = "y".repeat(300_000);
    String huge = "z".repeat(LineSplitter.MAX_LINE + 10);

    List<String> lines = split((big + "\n" + huge + "\nafter\n").getBytes(StandardCharsets.UTF_8));

    assertThat(lines.get(0)).isEqualTo(big);
    assertThat(lines.get(1)).startsWith("zzz").endsWith("[... 10 more bytes dropped]");
    assertThat(lines.get(2)).isEqualTo("after");
  }

  @Test
  void carriageReturnProgressBecomesSeparatePrefixedLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LinePrinter p = new LinePrinter(new PrintStream(out, true, StandardCharsets.UTF_8));

    p.print("[0/p] ", "10%\r50%\r100%\r");
    p.print("[0/p] ", "done\r");

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("[0/p] 10%\n[0/p] 50%\n[0/p] 100%\n[0/p] done\n");
  }

  @Test
  void awkwardLogContentGoesThroughTheWholeRun() throws Exception {
    try (Harness h = new Harness(new TestPki(), dir, 1, false)) {
      h.startCreated();
      Instant t = Instant.parse("2026-01-01T00:00:01Z");
      PodLog log = h.log("p0")
          .line(t, "x".repeat(200_000))
          .line(t.plusMillis(1), new byte[] {'b', 'a', 'd', (byte) 0xfe}, true)
          .line(t.plusMillis(2), "1%\r99%\r")
          .line(t.plusMillis(3), "no newline at the end".getBytes(StandardCharsets.UTF_8), false);
      h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
      log.finish();
      h.podWatch.event("MODIFIED", terminated("p0", 0, 0, "Completed", null));
      h.awaitOut("no newline at the end\n");
      h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

      assertThat(h.exitCode()).isZero();
      assertThat(h.out().split("\n"))
          .containsExactly(
              "[0/p0] " + "x".repeat(200_000),
              "[0/p0] bad\uFFFD",
              "[0/p0] 1%",
              "[0/p0] 99%",
              "[0/p0] no newline at the end");
    }
  }
}

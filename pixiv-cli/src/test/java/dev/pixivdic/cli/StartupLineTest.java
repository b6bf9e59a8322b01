package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The final line {@code main} makes before it reads the command line, and the standard error
 * it gates ({@link FinalLine.Pending#gate}): a signal's line is last, or there is none.
 */
class StartupLineTest {

  @Test
  void aUsageErrorWrittenBeforeTheCommandRunsMeansASignalThenPrintsNoLine() {
    // Before, a signal while picocli printed "unknown option" printed an INTERRUPTED line
    // between the error's lines, or after them with another code than the process's.
    FinalLine.Pending line = FinalLine.Pending.atStartup("scrape");
    StringWriter seen = new StringWriter();
    PrintWriter err = new PrintWriter(line.gate(seen), true);

    err.println("pixiv: unknown option '--bogus'");
    int code = line.interrupted(ExitCodes.SIGTERM, new PrintWriter(seen, true));

    assertThat(code).isEqualTo(ExitCodes.SIGTERM);
    assertThat(seen.toString()).isEqualTo("pixiv: unknown option '--bogus'"
        + System.lineSeparator()).doesNotContain(FinalLine.MARKER);
    FinalLine.Pending.of("other"); // clears main's line for the next test
  }

  @Test
  void afterASignalsLineNothingTheMainThreadWritesPassesTheGate() {
    FinalLine.Pending line = FinalLine.Pending.atStartup("scrape");
    StringWriter seen = new StringWriter();
    PrintWriter err = new PrintWriter(line.gate(seen), true);

    int code = line.interrupted(ExitCodes.SIGINT, new PrintWriter(seen, true));
    err.println("pixiv: unknown option '--bogus'");

    assertThat(code).isEqualTo(ExitCodes.SIGINT);
    assertThat(seen.toString().lines()).singleElement().asString()
        .startsWith(FinalLine.MARKER).contains("\"stop_reason\":\"INTERRUPTED\"")
        .contains("\"exit_code\":130");
    FinalLine.Pending.of("other");
  }

  @Test
  void aCommandThatTookTheLineUpStillPrintsItAfterItsOwnMessages() {
    FinalLine.Pending.atStartup("scrape");
    FinalLine.Pending line = FinalLine.Pending.of("scrape");
    StringWriter seen = new StringWriter();
    PrintWriter err = new PrintWriter(line.gate(seen), true);

    err.println("pixiv scrape: --source x: no such file");
    line.printIfEarly(ExitCodes.USAGE, err);
    err.println("after the line");

    assertThat(seen.toString().lines()).hasSize(2).last().asString()
        .startsWith(FinalLine.MARKER).contains("\"exit_code\":2");
  }

  @Test
  void theProcessExitsWithTheCodeOfASignalsLinePrintedWhileTheCommandLineWasRead() {
    // Before, `pixiv scrape --bogus` could print an INTERRUPTED line with 143 and exit 2.
    FinalLine.Pending line = FinalLine.Pending.atStartup("scrape");
    StringWriter seen = new StringWriter();
    line.interrupted(ExitCodes.SIGTERM, new PrintWriter(seen, true));

    assertThat(line.finish(ExitCodes.USAGE)).isEqualTo(ExitCodes.SIGTERM);
    FinalLine.Pending.of("other");
  }

  @Test
  void onceMainIsDoneASignalPrintsNoLine() {
    FinalLine.Pending line = FinalLine.Pending.atStartup("scrape");
    StringWriter seen = new StringWriter();

    assertThat(line.finish(ExitCodes.USAGE)).isEqualTo(ExitCodes.USAGE);
    assertThat(line.interrupted(ExitCodes.SIGINT, new PrintWriter(seen, true)))
        .isEqualTo(ExitCodes.SIGINT);
    assertThat(seen.toString()).isEmpty();
    FinalLine.Pending.of("other");
  }

  @Test
  void theLogsLinesGoThroughTheGateBeforeASignalsLineAndNoneAfterIt() {
    // Before, logback wrote to standard error itself: a run's thread logging as a signal's line
    // was printed could put its line after the final line.
    FinalLine.Pending.atStartup("scrape");
    FinalLine.Pending line = FinalLine.Pending.of("scrape");
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    PrintWriter err = new PrintWriter(line.gate(new OutputStreamWriter(seen, UTF_8)), true);
    Logging.route(line.logs(seen));
    Logging.reset(Map.of());
    try {
      LoggerFactory.getLogger(StartupLineTest.class).warn("a worker's line before the signal");

      line.interrupted(ExitCodes.SIGTERM, err);
      LoggerFactory.getLogger(StartupLineTest.class).warn("a worker's line after the signal");
    } finally {
      Logging.route(null);
      Logging.reset(Map.of());
    }

    assertThat(seen.toString(UTF_8).lines()).hasSize(3).satisfies(l -> {
      assertThat(l.get(0)).endsWith("a worker's line before the signal");
      assertThat(l.get(1)).contains("stopped by SIGTERM before the run started");
      assertThat(l.get(2)).startsWith(FinalLine.MARKER).contains("\"exit_code\":143");
    });
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A signal taken as a dry run ends. Its handler exits with the code that
 * {@link FinalLine.Pending#interrupted} gives while {@code main} exits with the command's: the
 * two ran at once, so a dry run signalled as it ended could exit 0 or 143. Both now get one
 * code, decided once: the signal's when it was taken before the items were all listed, as for
 * any run a signal stopped. The signal is taken here where its handler would take it (a hook on
 * the summary's write), not by timing.
 */
class DryRunSignalTest {

  @TempDir Path dir;

  /** Standard error that runs {@code hook} once, when the dry run writes its summary. */
  private static PrintWriter errCalling(StringWriter seen, Runnable hook) {
    return new PrintWriter(new Writer() {
      private boolean ran;

      @Override
      public void write(char[] c, int off, int len) {
        seen.write(c, off, len);
        if (!ran && seen.toString().contains("dry run, shard")) {
          ran = true;
          hook.run();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    }, true);
  }

  private String[] dryRun() throws IOException {
    Path src = Files.write(dir.resolve("urls.txt"), ScrapeCommandTest.urls(3));
    return new String[] {"scrape", "--source", src.toString(), "--sink",
        dir.resolve("rows.ndjson").toString(), "--dry-run"};
  }

  @Test
  void aDryRunSignalledAsItEndsExitsWithTheSignalsCodeOnBothPaths() throws IOException {
    AtomicInteger handlerExit = new AtomicInteger(-1);
    StringWriter seen = new StringWriter();
    PrintWriter none = new PrintWriter(Writer.nullWriter());
    CommandLine[] cli = new CommandLine[1];
    cli[0] = Main.commandLine(new PrintWriter(new StringWriter(), true), errCalling(seen, () -> {
      FinalLine.Command scrape = cli[0].getSubcommands().get("scrape").getCommand();
      handlerExit.set(scrape.pending().orElseThrow().interrupted(ExitCodes.SIGTERM, none));
    }));

    int mainExit = cli[0].execute(dryRun());

    assertThat(seen.toString()).contains("3 items to fetch");
    assertThat(handlerExit.get()).isEqualTo(ExitCodes.SIGTERM);
    assertThat(mainExit).as(seen.toString()).isEqualTo(ExitCodes.SIGTERM);
  }

  @Test
  void aSignalTakenOnceTheDryRunHasListedItsItemsExitsWithItsCodeOnBothPaths()
      throws IOException {
    StringWriter seen = new StringWriter();
    CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter(), true),
        new PrintWriter(seen, true));

    int mainExit = cli.execute(dryRun());
    FinalLine.Command scrape = cli.getSubcommands().get("scrape").getCommand();
    int handlerExit = scrape.pending().orElseThrow().interrupted(ExitCodes.SIGTERM,
        new PrintWriter(Writer.nullWriter()));

    assertThat(mainExit).as(seen.toString()).isZero();
    assertThat(handlerExit).isZero();
  }
}

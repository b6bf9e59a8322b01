package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.launcher.report.FinalLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * However a run ends once its engine has started (a bug in the sink, a sink that fails to close),
 * its log ends with the final line, whose exit code is the process's, and what was stored stays
 * stored once: a re-run completes the shard without a duplicate.
 */
@Timeout(120)
class RunEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeSite site;
  private SearchSite search;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
    search = new SearchSite();
  }

  @AfterEach
  void stop() {
    site.close();
    search.close();
  }

  /** The real sink, with one write or its close throwing as scripted; it records the writes. */
  static final class Breaking<R> implements Sink<R> {
    private final Sink<R> real;
    private final int failingWrite;
    private final Exception onClose;
    private final Error writeError;
    final AtomicInteger writes = new AtomicInteger();

    Breaking(Sink<R> real, int failingWrite, Exception onClose) {
      this(real, failingWrite, onClose, null);
    }

    /** A sink whose write {@code failingWrite} throws {@code writeError} (when not null). */
    Breaking(Sink<R> real, int failingWrite, Exception onClose, Error writeError) {
      this.real = real;
      this.failingWrite = failingWrite;
      this.onClose = onClose;
      this.writeError = writeError;
    }

    @Override
    public StoredKeys stored(Shard shard, Instant since) throws IOException {
      return real.stored(shard, since);
    }

    @Override
    public void write(List<R> batch) throws IOException {
      if (writes.incrementAndGet() == failingWrite) {
        if (writeError != null) {
          throw writeError;
        }
        throw new IllegalStateException("sink bug at write " + failingWrite);
      }
      real.write(batch);
    }

    @Override
    public void close() throws IOException {
      real.close();
      if (onClose instanceof IOException io) {
        throw io;
      }
      if (onClose instanceof RuntimeException bug) {
        throw bug;
      }
    }
  }

  private record Run(int code, String err, FinalLine line, JsonNode json) {}

  /** Runs {@code args} as {@code pixiv} does, with the command's sink swapped as given. */
  private static Run run(List<String> args, int failingWrite, Exception onClose)
      throws IOException {
    return run(args, failingWrite, onClose, null);
  }

  private static Run run(List<String> args, int failingWrite, Exception onClose,
      Error writeError) throws IOException {
    StringWriter err = new StringWriter();
    CommandLine cli =
        Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    Object c = cli.getSubcommands().get(args.get(0)).getCommand();
    if (c instanceof ScrapeCommand scrape) {
      scrape.sinkSeam = s -> new Breaking<>(s, failingWrite, onClose, writeError);
    } else if (c instanceof ResolveCommand resolve) {
      resolve.sinkSeam = s -> new Breaking<>(s, failingWrite, onClose);
    } else {
      ((ReplayCommand) c).sinkSeam = s -> new Breaking<>(s, failingWrite, onClose);
    }
    int code = cli.execute(args.toArray(String[]::new));
    String text = err.toString();
    List<String> marked = text.lines().filter(l -> l.startsWith(FinalLine.MARKER + " ")).toList();
    assertThat(marked).as(text).hasSize(1);
    assertThat(text.strip()).as("the final line is the last one").endsWith(marked.get(0));
    FinalLine line = FinalLine.find(marked.get(0)).orElseThrow();
    assertThat(line.exitCode()).as(text).isEqualTo(code);
    return new Run(code, text, line,
        JSON.readTree(marked.get(0).substring(FinalLine.MARKER.length() + 1)));
  }

  private Path rows() {
    return dir.resolve("rows.ndjson");
  }

  private List<String> scrapeArgs() throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, ScrapeCommandTest.urls(12));
    return new ArrayList<>(List.of("scrape", "--source", src.toString(),
        "--sink", rows().toString(), "--report", dir.resolve("report.json").toString(),
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "2", "--backoff", "10ms",
        "--progress", "none", "--flush-rows", "4", "--drift-min-pages", "4"));
  }

  private List<String> resolveArgs() throws IOException {
    Path names = dir.resolve("names.txt");
    Files.write(names, ResolveCommandTest.NAMES);
    return List.of("resolve", "--names", names.toString(), "--sink", rows().toString(),
        "--report", dir.resolve("report.json").toString(), "--origin", search.origin(),
        "--qps", "1000", "--concurrency", "2", "--backoff", "10ms", "--progress", "none",
        "--flush-rows", "2", "--drift-min-pages", "2");
  }

  private List<String> replayArgs() throws IOException {
    Path archive = dir.resolve("archive");
    List<String> scrape = scrapeArgs();
    scrape.set(scrape.indexOf("--sink") + 1, dir.resolve("scraped.ndjson").toString());
    scrape.addAll(List.of("--archive", archive.toString()));
    assertThat(Cli.run(scrape.toArray(String[]::new)).code()).isZero();
    return List.of("replay", "--archive", archive.toString(), "--sink", rows().toString(),
        "--report", dir.resolve("report.json").toString(), "--progress", "none",
        "--threads", "2", "--flush-rows", "4", "--drift-min-pages", "4");
  }

  private List<String> args(String command) throws IOException {
    return switch (command) {
      case "scrape" -> scrapeArgs();
      case "resolve" -> resolveArgs();
      default -> replayArgs();
    };
  }

  private List<String> stored() throws IOException {
    return Files.exists(rows()) ? Files.readAllLines(rows()) : List.of();
  }

  private JsonNode report() throws IOException {
    return JSON.readTree(dir.resolve("report.json").toFile());
  }

  @ParameterizedTest
  @ValueSource(strings = {"scrape", "resolve", "replay"})
  void aBugInTheSinkMidRunEndsTheLogWithAnInternalErrorLineAndKeepsTheBatchesWritten(
      String command) throws IOException {
    List<String> args = args(command);

    Run r = run(args, 2, null);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INTERNAL);
    assertThat(r.line().stopReason()).isEqualTo("INTERNAL_ERROR");
    assertThat(r.line().command()).isEqualTo(command);
    assertThat(r.err()).contains("sink bug at write 2");
    // The first batch stayed written, and the line counts exactly what the sink holds.
    assertThat(r.line().rowsWritten()).isPositive().isEqualTo(stored().size());
    assertThat(r.line().itemsProcessed()).isPositive();
    assertThat(report().path("stop_reason").asText()).isEqualTo("INTERNAL_ERROR");
    assertThat(report().path("exit_code").asInt()).isEqualTo(ExitCodes.INTERNAL);

    if (!command.equals("replay")) {
      // A re-run (what a scheduler does after exit 1) skips what is stored and stores the rest,
      // none of it twice. (A replay parses its whole archive again by design.)
      Run again = run(args, 0, null);
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.json().path("items_skipped").asLong()).isPositive();
      assertThat(stored()).doesNotHaveDuplicates();
    }
  }

  /**
   * Out of memory mid-run (here in the sink): the summary, the report and the final line are
   * those of the report the engine settled on before it rethrew the error, not a second
   * reckoning from its progress that knew nothing of the rows dropped nor of the sink at fault.
   */
  @Test
  void anOutOfMemoryErrorMidRunIsReportedAsTheEngineSettledIt() throws IOException {
    Run r = run(scrapeArgs(), 2, null, new OutOfMemoryError("Java heap space"));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INTERNAL);
    JsonNode report = report();
    // One row an article: what was processed is written or dropped, as the engine counted.
    assertThat(report.at("/rows/written").asLong()).isEqualTo(stored().size()).isPositive();
    assertThat(report.at("/rows/dropped").asLong()).isPositive().isEqualTo(
        report.at("/items/processed").asLong() - report.at("/rows/written").asLong());
    assertThat(report.at("/rows/batches").asInt()).isEqualTo(1);
    assertThat(report.at("/items/by_outcome/ARTICLE").asLong())
        .isEqualTo(report.at("/items/processed").asLong()).isPositive();
    assertThat(report.path("problems").toString()).contains("internal error in the sink (")
        .contains("out of memory (Java heap space)");
    assertThat(r.line().rowsWritten()).isEqualTo(stored().size());
    assertThat(r.err()).contains("DROPPED");
  }

  @Test
  void aScrapeThatFailsMidRunAndIsRunAgainStoresEveryArticleOnce() throws IOException {
    List<String> args = scrapeArgs();

    Run broken = run(args, 2, null);
    Run again = run(args, 0, null);

    assertThat(broken.line().rowsWritten()).isEqualTo(4);
    assertThat(again.json().path("items_skipped").asLong()).isEqualTo(4);
    assertThat(stored()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void aSinkWhoseCloseFailsEndsTheRunAsSinkFailedWithTheSameCodeInTheLineAndTheProcess()
      throws IOException {
    Run r = run(scrapeArgs(), 0, new IOException("merge of the staged rows refused"));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.line().stopReason()).isEqualTo("SINK_FAILED");
    assertThat(r.err()).contains("FAILURE  merge of the staged rows refused");
    assertThat(r.line().rowsWritten()).isEqualTo(12);
    assertThat(report().path("exit_code").asInt()).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void aSinkWhoseCloseThrowsABugEndsTheRunAsAnInternalError() throws IOException {
    Run r = run(scrapeArgs(), 0, new IllegalStateException("close bug"));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INTERNAL);
    assertThat(r.line().stopReason()).isEqualTo("INTERNAL_ERROR");
    assertThat(r.err()).contains("close bug");
    assertThat(stored()).hasSize(12);
  }

  @Test
  void aSinkWhoseCloseFailsAfterAnotherStopStillSaysSoInTheLine() throws IOException {
    site.answering((path, nth) -> new FakeSite.Answer(503, FakeSite.CHALLENGE));
    List<String> args = scrapeArgs();
    args.addAll(List.of("--blocked-limit", "3", "--max-attempts", "1"));

    Run r = run(args, 0, new IOException("disk gone"));

    assertThat(r.line().stopReason()).isEqualTo("SINK_FAILED");
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
  }
}

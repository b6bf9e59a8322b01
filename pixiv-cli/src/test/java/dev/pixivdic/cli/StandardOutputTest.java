package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.file.internal.PageArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Results that cannot be written to standard output are an error (74), never lost in silence. */
class StandardOutputTest {

  private static final Path PAGE = ParseCommandTest.CORPUS.resolve("current-dom-full.html");

  @TempDir static Path dir;

  /** Standard output on a full disk: every write fails. */
  private static final class Full extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      throw new IOException("No space left on device");
    }
  }

  @BeforeEach
  void files() throws IOException {
    Files.write(dir.resolve("urls.txt"), ScrapeCommandTest.urls(3));
    Path history = dir.resolve("history.ndjson");
    if (!Files.exists(history)) {
      Files.write(history, List.of(dev.pixivdic.core.internal.RowJson.write(
          TrendsCommandTest.row("記事", "2026-11-02T03:00:00Z", 100L, 10L))));
      try (PageArchive a = PageArchive.open(dir.resolve("archive"))) {
        a.put(ArticleUrl.ofTitle("記事"), 200, "text/html", Instant.EPOCH, Files.readAllBytes(PAGE));
      }
    }
  }

  static Stream<List<String>> commandsThatPrintResults() {
    return Stream.of(
        List.of("parse", PAGE.toString()),
        List.of("scrape", "--dry-run", "--source", dir.resolve("urls.txt").toString(),
            "--sink", dir.resolve("rows.ndjson").toString()),
        List.of("replay", "--dry-run", "--archive", dir.resolve("archive").toString(),
            "--sink", dir.resolve("rows.ndjson").toString()),
        List.of("trends", dir.resolve("history.ndjson").toString()),
        List.of("trends", dir.resolve("history.ndjson").toString(), "--format", "csv"),
        List.of("completion", "bash"),
        List.of("--help"),
        List.of("--version"));
  }

  private static Cli.Result run(PrintWriter out, List<String> args) {
    StringWriter err = new StringWriter();
    int code = Main.execute(args.toArray(String[]::new), out, new PrintWriter(err, true));
    return new Cli.Result(code, "", err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandsThatPrintResults")
  void resultsLostOnAFullDiskExit74SayingWhy(List<String> args) {
    Cli.Result working = Cli.run(args.toArray(String[]::new));
    assertThat(working.code()).as(working.err()).isZero();

    Cli.Result r = run(new StandardOutput(new Full()), args);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_RECORDED).isEqualTo(74);
    assertThat(r.err().lines().filter(l -> l.contains("standard output")))
        .containsExactly("pixiv: cannot write to standard output: No space left on device");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dryRunsOfManyItems")
  void aDryRunStopsAtTheFirstLineItCannotWriteInsteadOfListingEveryItemToNoOne(
      List<String> args) throws IOException {
    if (!Files.exists(dir.resolve("many.txt"))) {
      Files.write(dir.resolve("many.txt"), ScrapeCommandTest.urls(5_000));
      try (PageArchive a = PageArchive.open(dir.resolve("many"))) {
        for (String url : ScrapeCommandTest.urls(5_000)) {
          a.put(ArticleUrl.parse(url), 404, "text/html", Instant.EPOCH, new byte[0]);
        }
      }
    }
    java.util.concurrent.atomic.AtomicInteger writes =
        new java.util.concurrent.atomic.AtomicInteger();
    OutputStream closed = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        writes.incrementAndGet();
        throw new IOException("Broken pipe");
      }
    };

    Cli.Result r = run(new StandardOutput(closed), args);

    assertThat(r.code()).as(r.err()).isEqualTo(74);
    assertThat(r.err()).contains("cannot write to standard output: Broken pipe")
        .doesNotContain("dry run,");
    assertThat(writes).as("writes tried after the first failed").hasValueLessThan(10);
  }

  static Stream<List<String>> dryRunsOfManyItems() {
    return Stream.of(
        List.of("scrape", "--dry-run", "--source", dir.resolve("many.txt").toString(),
            "--sink", dir.resolve("rows.ndjson").toString()),
        List.of("replay", "--dry-run", "--archive", dir.resolve("many").toString(),
            "--sink", dir.resolve("rows.ndjson").toString()));
  }

  @Test
  void anyWriterThatFailedIsCheckedEvenWithoutItsReason() {
    Cli.Result r = run(new PrintWriter(new Full(), true), List.of("parse", PAGE.toString()));

    assertThat(r.code()).isEqualTo(74);
    assertThat(r.err()).contains("pixiv: cannot write to standard output: write error");
  }

  @Test
  void aCommandThatFailedKeepsItsCodeAndStillSaysItsOutputWasLost() {
    Cli.Result r = run(new StandardOutput(new Full()),
        List.of("parse", PAGE.toString(), dir.resolve("missing.html").toString()));

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("missing.html: no such file")
        .contains("cannot write to standard output: No space left on device");
  }

  @Test
  void aWorkingStandardOutputGetsEveryByteAndNoMessage() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

    Cli.Result r = run(new StandardOutput(bytes), List.of("parse", PAGE.toString()));

    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("standard output");
    assertThat(bytes.toString(java.nio.charset.Charset.defaultCharset()))
        .isEqualTo(Cli.run("parse", PAGE.toString()).out());
  }
}

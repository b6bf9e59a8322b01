package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.file.internal.CorruptSinkException;
import dev.pixivdic.core.file.internal.FileInUseException;
import dev.pixivdic.core.file.internal.NdjsonSink;
import dev.pixivdic.core.file.internal.NotOurFileException;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.file.internal.ResolutionFiles;
import dev.pixivdic.core.file.internal.WriterLockSeams;
import dev.pixivdic.core.internal.RowJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every fault of pixiv-core's files, fetching and run engine that a user can hit, in one place,
 * each with what must happen. Concurrency across processes runs real child JVMs.
 */
class FaultMatrixTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static ArticleRow row(String title) {
    return ArticleRow.builder(ArticleUrl.ofTitle(title)).title(title).loadedAt(T0)
        .runId("run-1").scraperVersion("test").build();
  }

  static String line(String title) {
    return RowJson.write(row(title)) + "\n";
  }

  /** One writer per sink, for real. */
  @Nested
  class OneWriter {
    @TempDir Path tmp;

    private Process holder(String kind, Path path) throws Exception {
      return holder(kind, path, "holding");
    }

    private Process holder(String kind, Path path, String ready) throws Exception {
      Process p = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
          "-cp", System.getProperty("java.class.path"),
          "dev.pixivdic.core.file.internal.LockHolder",
          kind, path.toString()).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String l;
      while ((l = out.readLine()) != null && !l.equals(ready)) {
        // the child's log lines
      }
      assertThat(l).as("the child holds the lock").isEqualTo(ready);
      return p;
    }

    /**
     * Two runs started together: the one refused read the lock file before the one that won had
     * written who it is, and named no holder, or the run that held the lock before.
     */
    @Test
    void aRunRefusedWhileTheHolderIsStillStartingNamesTheHolder() throws Exception {
      Path file = tmp.resolve("rows.ndjson");
      Files.writeString(file, line("a"));
      Files.writeString(tmp.resolve("rows.ndjson.lock"),
          "pid 999999 on gone, since 2026-01-01T00:00:00Z (999999@gone)\n"); // an ended run's
      Process other = holder("starting", file, "locked");
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      WriterLockSeams.onAwaitingStart(() -> waiting.complete(null));
      try {
        CompletableFuture<Throwable> second = CompletableFuture.supplyAsync(() -> {
          try {
            NdjsonSink.open(file).close();
            return null;
          } catch (Exception e) {
            return e;
          }
        });
        // The second run is refused at once or waits for the first to record itself.
        CompletableFuture.anyOf(second, waiting).get(1, TimeUnit.MINUTES);
        OutputStream in = other.getOutputStream();
        in.write('\n'); // the first records itself
        in.flush();
        assertThat(second.get(1, TimeUnit.MINUTES)).isInstanceOf(FileInUseException.class)
            .hasMessageContaining("pid " + other.pid())
            .hasMessageNotContaining("999999");
      } finally {
        WriterLockSeams.onAwaitingStart(() -> { });
        release(other);
      }
    }

    private void release(Process p) throws Exception {
      try (OutputStream in = p.getOutputStream()) {
        in.write('\n');
      }
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void aSinkHeldByAnotherProcessThatReadItIsRefusedNamingTheHolder() throws Exception {
      Path file = tmp.resolve("rows.ndjson");
      Files.writeString(file, line("a"));
      Process other = holder("sink", file);
      try {
        assertThatThrownBy(() -> NdjsonSink.open(file))
            .isInstanceOf(FileInUseException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("pid " + other.pid());
      } finally {
        release(other);
      }
      NdjsonSink.open(file).close();
    }

    @Test
    void aSinkHeldByAnotherProcessIsRefusedUnderEveryOtherNameALinkGivesIt() throws Exception {
      Path real = Files.createDirectories(tmp.resolve("real"));
      Path file = real.resolve("rows.ndjson");
      Files.writeString(file, line("a"));
      Path linkedDir = Files.createSymbolicLink(tmp.resolve("alias"), real);
      Path linkedFile = Files.createSymbolicLink(tmp.resolve("current.ndjson"), file);
      Process other = holder("sink", file);
      try {
        for (Path name : List.of(linkedFile, linkedDir.resolve("rows.ndjson"))) {
          assertThatThrownBy(() -> NdjsonSink.open(name)).as("%s", name)
              .isInstanceOf(FileInUseException.class)
              .hasMessageContaining("pid " + other.pid());
        }
      } finally {
        release(other);
      }
      assertThat(Files.readString(file)).isEqualTo(line("a"));
      assertThat(tmp.resolve("current.ndjson.lock")).doesNotExist();
    }

    @Test
    void anArchiveHeldByAnotherProcessIsRefused() throws Exception {
      Path dir = tmp.resolve("archive");
      Process other = holder("archive", dir);
      try {
        assertThatThrownBy(() -> PageArchive.open(dir)).isInstanceOf(FileInUseException.class)
            .hasMessageContaining("index.ndjson");
      } finally {
        release(other);
      }
    }

    @Test
    void aSecondResolutionSinkInTheSameProcessIsRefusedAndTheFirstKeepsItsLock() throws Exception {
      Path file = tmp.resolve("res.ndjson");
      try (var first = ResolutionFiles.sink(file)) {
        assertThatThrownBy(() -> ResolutionFiles.sink(file))
            .isInstanceOf(FileInUseException.class);
        assertThatThrownBy(() -> ResolutionFiles.sink(file))
            .isInstanceOf(FileInUseException.class);
        assertThat(first.file()).isEqualTo(file);
      }
    }

    @Test
    void appendsGoToTheEndOfTheFileEvenWhenSomethingElseAppended() throws Exception {
      Path file = tmp.resolve("rows.ndjson");
      try (NdjsonSink sink = NdjsonSink.open(file)) {
        sink.write(List.of(row("a")));
        Files.writeString(file, line("by-hand"), StandardOpenOption.APPEND);
        sink.write(List.of(row("b")));
      }
      assertThat(Files.readAllLines(file)).hasSize(3)
          .allSatisfy(l -> assertThat(RowJson.read(l)).isNotNull());
    }
  }

  /** Never change a file that is not ours. */
  @Nested
  class NotOurs {
    @TempDir Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "https://dic.pixiv.net/a/a\nhttps://dic.pixiv.net/a/b\nhttps://dic.pixiv.net/a/c",
        "url,middle_class_ip_name\nhttps://dic.pixiv.net/a/a,x\nhttps://dic.pixiv.net/a/b,y\n",
        "{\"url\":\"https://dic.pixiv.net/a/a\",\"middle_class_ip_name\":\"x\"}\n{\"url\":\"b",
        "{\"url\":\"https://dic.pixiv.net/a/a\",\"http_status\":200,\"content_type\":null,"
            + "\"fetched_at\":\"2026-01-01T00:00:00Z\",\"sha256\":\"0000000000000000000000000000000"
            + "000000000000000000000000000000000\"}\n",
        "just some text without a line end",
        "{\"url\":\"https://dic.pixiv.net/a/a\",\"middle_class_ip_name\":\"x\"}",
        "{\"url\":\"https://dic.pixiv.net/a/a\"}  "})
    void aFileThatIsNotASinkIsRefusedAndLeftByteForByte(String content) throws Exception {
      Path file = tmp.resolve("list.ndjson");
      Files.writeString(file, content);

      assertThatThrownBy(() -> NdjsonSink.open(file)).isInstanceOf(NotOurFileException.class)
          .hasMessageContaining("left unchanged");
      assertThatThrownBy(() -> NdjsonSink.openReadOnly(file))
          .isInstanceOf(NotOurFileException.class);
      assertThatThrownBy(() -> ResolutionFiles.sink(file))
          .isInstanceOf(NotOurFileException.class);
      assertThat(Files.readString(file)).isEqualTo(content);
      assertThat(tmp.resolve("list.ndjson.torn")).doesNotExist();
      assertThat(tmp.resolve("list.ndjson.lock")).doesNotExist();
    }

    @Test
    void aSinkIsNotAnArchiveIndex() throws Exception {
      Path dir = tmp.resolve("archive");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("index.ndjson"), line("a"));

      assertThatThrownBy(() -> PageArchive.open(dir)).isInstanceOf(NotOurFileException.class);
      assertThat(Files.readString(dir.resolve("index.ndjson"))).isEqualTo(line("a"));
    }

    @Test
    void aDeviceIsRefusedBeforeAnythingIsFetched() {
      assertThatThrownBy(() -> NdjsonSink.open(Path.of("/dev/null")))
          .isInstanceOf(NotOurFileException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void aTornTailOfOurFileIsCutAndKeptInATornFile() throws Exception {
      Path file = tmp.resolve("rows.ndjson");
      String torn = line("b").substring(0, 30);
      Files.writeString(file, line("a") + torn);

      NdjsonSink.open(file).close();

      assertThat(Files.readString(file)).isEqualTo(line("a"));
      assertThat(Files.readString(tmp.resolve("rows.ndjson.torn"))).isEqualTo(torn + "\n");
    }

    @Test
    void aReadOnlySinkChangesNothingAndCreatesNothing() throws Exception {
      Path file = tmp.resolve("rows.ndjson");
      String content = line("a") + line("b").substring(0, 30);
      Files.writeString(file, content);

      try (NdjsonSink sink = NdjsonSink.openReadOnly(file)) {
        assertThat(sink.stored(Shard.ALL, T0).size()).isEqualTo(1);
        assertThatThrownBy(() -> sink.write(List.of(row("c"))))
            .isInstanceOf(IllegalStateException.class);
      }
      NdjsonSink.openReadOnly(tmp.resolve("missing/rows.ndjson")).close();

      assertThat(Files.readString(file)).isEqualTo(content);
      try (var files = Files.list(tmp)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("rows.ndjson");
      }
    }

    @Test
    void aDamagedMiddleLineNamesTheLineAndTheRepair() throws Exception {
      Path file = tmp.resolve("rows.ndjson");
      String content = line("a") + "{\"url\": garbage\n" + line("b");
      Files.writeString(file, content);

      try (NdjsonSink sink = NdjsonSink.open(file)) {
        assertThatThrownBy(() -> sink.stored(Shard.ALL, T0))
            .isInstanceOf(CorruptSinkException.class)
            .hasMessageContaining("rows.ndjson:2:")
            .hasMessageContaining("A retry cannot fix this")
            .hasMessageContaining("sed -i '2d'");
      }
      assertThat(Files.readString(file)).isEqualTo(content);
    }
  }

  /** Values at the door of a source: every bad line is reported short, the rest goes on. */
  @Nested
  class SourceLines {
    @TempDir Path tmp;

    private List<String> problems(String name, String content) throws Exception {
      Path f = tmp.resolve(name);
      Files.writeString(f, content);
      List<String> seen = new java.util.ArrayList<>();
      var source = dev.pixivdic.core.file.internal.FileSource.builder(f)
          .problems(p -> seen.add(p.toString())).build();
      try (var items = source.items(Shard.ALL)) {
        assertThat(items.map(WorkItem::key).toList())
            .containsExactly("https://dic.pixiv.net/a/ok");
      }
      return seen;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"urls.txt", "urls.ndjson", "urls.csv"})
    void aLineOfFiveMegabytesIsABadLineShownShortened(String name) throws Exception {
      String huge = "https://dic.pixiv.net/a/" + "x".repeat(5 * 1024 * 1024);
      String content = switch (name) {
        case "urls.ndjson" ->
            "{\"url\":\"" + huge + "\"}\n{\"url\":\"https://dic.pixiv.net/a/ok\"}\n";
        case "urls.csv" -> "url\n" + huge + "\nhttps://dic.pixiv.net/a/ok\n";
        default -> huge + "\nhttps://dic.pixiv.net/a/ok\n";
      };
      List<String> seen = problems(name, content);

      assertThat(seen).singleElement().asString().contains("8192").hasSizeLessThan(400);
    }

    @Test
    void titlesDotAndDotDotAreRefused() throws Exception {
      List<String> seen = problems("urls.txt", "https://dic.pixiv.net/a/..\n"
          + "https://dic.pixiv.net/a/.\nhttps://dic.pixiv.net/a/%2E%2E\n"
          + "https://dic.pixiv.net/a/ok\n");

      assertThat(seen).hasSize(3).allSatisfy(p -> assertThat(p).contains(". or .."));
      assertThatThrownBy(() -> ArticleUrl.ofTitle("..")).isInstanceOf(
          InvalidArticleUrlException.class);
    }

    @Test
    void anNdjsonKeyOfTheExactCaseWinsWhereverItStands() throws Exception {
      List<String> seen = problems("urls.ndjson",
          "{\"url\":\"https://dic.pixiv.net/a/ok\",\"Url\":\"https://example.com/x\"}\n"
          + "{\"Url\":\"https://example.com/x\",\"url\":\"https://dic.pixiv.net/a/ok\"}\n"
          + "{\"URL\":\"https://dic.pixiv.net/a/a\",\"Url\":\"https://dic.pixiv.net/a/b\"}\n");

      assertThat(seen).singleElement().asString().contains("both 'URL' and 'Url' could be the"
          + " 'url' field; rename the one meant to 'url', or ask for the field 'URL' or 'Url'"
          + " as written");
    }

    @Test
    void controlCharactersInABadLineAreEscaped() throws Exception {
      List<String> seen = problems("urls.txt",
          "https://example.com/\u001b[31mred\rforged\nhttps://dic.pixiv.net/a/ok\n");

      assertThat(seen).singleElement().asString().doesNotContain("\u001b", "\r")
          .contains("\\u001b", "\\r");
    }
  }
}

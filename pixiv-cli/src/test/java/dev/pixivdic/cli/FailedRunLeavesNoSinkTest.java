package dev.pixivdic.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.file.internal.PageArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that stops at its source before it writes a row leaves no new, empty sink file and no
 * lock file beside it, nor the directories it made for them or for its archive; a sink file
 * that was there before is left as it was.
 */
class FailedRunLeavesNoSinkTest {

  @TempDir Path dir;

  private Cli.Result scrape(Path source, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("scrape", "--source", source.toString(),
        "--sink", dir.resolve("out/rows.ndjson").toString(), "--origin", "http://127.0.0.1:9",
        "--progress", "none"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** What is left in {@code d}, every file and directory below it, by relative path. */
  private List<String> filesIn(Path d) throws IOException {
    try (var s = Files.walk(d)) {
      return s.filter(p -> !p.equals(d)).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }

  @Test
  void aStrictScrapeStoppedAtItsFirstSourceLineLeavesNoSinkNorLock() throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of("not a url", ArticleUrl.ofTitle("記事").canonical()));

    Cli.Result r = scrape(src, "--strict");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("urls.txt:1");
    assertThat(r.err()).as("the engine ran, the sink opened before it")
        .contains("\"drift\":\"TOO_FEW_PAGES\"");
    assertThat(filesIn(dir)).containsExactly("urls.txt");
  }

  @Test
  void aScrapeOfACutShortGzipSourceLeavesNoSinkNorLock() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write((ArticleUrl.ofTitle("記事").canonical() + "\n").repeat(50).getBytes(UTF_8));
    }
    Path src = dir.resolve("urls.txt.gz");
    Files.write(src, Arrays.copyOf(gz.toByteArray(), gz.size() / 2));

    Cli.Result r = scrape(src);

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("urls.txt.gz");
    assertThat(filesIn(dir)).containsExactly("urls.txt.gz");
  }

  @Test
  void aStrictResolveStoppedAtItsFirstNameLeavesNoSinkNorLock() throws IOException {
    Path names = dir.resolve("names.txt");
    Files.write(names, List.of("bad\u0001name", "初音ミク"));

    Cli.Result r = Cli.run("resolve", "--names", names.toString(), "--strict",
        "--sink", dir.resolve("out/resolved.ndjson").toString(),
        "--origin", "http://127.0.0.1:9", "--progress", "none");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(filesIn(dir)).containsExactly("names.txt");
  }

  @Test
  void aSinkFileThatWasThereBeforeIsLeftAsItWas() throws IOException {
    Path sink = dir.resolve("out/rows.ndjson");
    Files.createDirectories(sink.getParent());
    Files.createFile(sink);
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of("not a url"));

    Cli.Result r = scrape(src, "--strict");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(sink).exists().isEmptyFile();
  }

  @Test
  void aFailedScrapeRemovesTheDirectoriesItMadeForItsSinkAndArchiveDeepestFirst()
      throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of("not a url", ArticleUrl.ofTitle("記事").canonical()));

    Cli.Result r = Cli.run("scrape", "--source", src.toString(), "--strict",
        "--sink", dir.resolve("runs/2026/week49/rows.ndjson").toString(),
        "--archive", dir.resolve("runs/2026/week49/pages").toString(),
        "--origin", "http://127.0.0.1:9", "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("\"drift\":\"TOO_FEW_PAGES\"");
    assertThat(filesIn(dir)).containsExactly("urls.txt");
  }

  @Test
  void directoriesThatWereThereOrHoldOtherFilesStay() throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of("not a url"));
    Files.createDirectories(dir.resolve("runs"));
    Path theirs = Files.createDirectories(dir.resolve("pages")).resolve("notes.txt");
    Files.writeString(theirs, "kept");

    Cli.Result r = Cli.run("scrape", "--source", src.toString(), "--strict",
        "--sink", dir.resolve("runs/2026/rows.ndjson").toString(),
        "--archive", dir.resolve("pages").toString(),
        "--origin", "http://127.0.0.1:9", "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(filesIn(dir)).containsExactly("pages", "pages/notes.txt", "runs", "urls.txt");
  }

  @Test
  void aCompletedRunKeepsTheDirectoriesItMade() throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of());

    Cli.Result r = Cli.run("scrape", "--source", src.toString(),
        "--sink", dir.resolve("runs/2026/rows.ndjson").toString(),
        "--archive", dir.resolve("pages/week49").toString(),
        "--origin", "http://127.0.0.1:9", "--progress", "none");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(dir.resolve("runs/2026/rows.ndjson")).isEmptyFile();
    assertThat(PageArchive.indexOf(dir.resolve("pages/week49"))).isEmptyFile();
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures that a retry cannot fix end with a code that says so (2 or 65, never 69 or 75), name
 * what is wrong, and are found before the work where they can be.
 */
class NoRetryFailuresTest {

  private final FakeSite site = FakeSite.open();
  @TempDir Path dir;

  @AfterEach
  void closeTheSite() {
    site.close();
  }

  private Cli.Result scrape(String source, String... more) {
    List<String> args = new ArrayList<>(List.of("scrape", "--source", source,
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--origin", site.origin(), "--qps", "1000", "--backoff", "10ms", "--progress", "none"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** A gzip URL list of its first {@code cut} bytes, or without its last {@code -cut}. */
  private Path gzipSource(String name, int cut) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      // Varied lines, so that the compressed data is long enough to be cut in its middle.
      for (int i = 0; i < 3000; i++) {
        gz.write(("https://dic.pixiv.net/a/item" + i * 7919 + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] all = bytes.toByteArray();
    return Files.write(dir.resolve(name), Arrays.copyOf(all, cut > 0 ? cut : all.length + cut));
  }

  @Test
  void aGzipSourceThatIsTruncatedOrNotGzipExits65NamingTheFileBeforeAnyRequest()
      throws IOException {
    Path truncated = gzipSource("truncated.txt.gz", 300);
    Path headerOnly = gzipSource("header.txt.gz", 5);
    Path tail = gzipSource("tail.txt.gz", -20);
    Path plain = Files.writeString(dir.resolve("plain.txt.gz"),
        "https://dic.pixiv.net/a/item1\n");

    Cli.Result cut = scrape(truncated.toString());
    Cli.Result header = scrape(headerOnly.toString());
    Cli.Result notGzip = scrape(plain.toString());
    // A batch slice is not counted before the run: the run itself meets the damage, here
    // after more lines than one buffer holds.
    Cli.Result inTheRun = scrape(tail.toString(), "--batch-index", "0");

    for (Cli.Result r : List.of(cut, header, notGzip, inTheRun)) {
      assertThat(r.code()).as(r.err()).isEqualTo(65);
    }
    assertThat(cut.err()).contains(truncated + " is truncated");
    assertThat(header.err())
        .contains(headerOnly + " is truncated: it ends within the gzip header");
    assertThat(notGzip.err()).contains(plain + " is not gzip-compressed");
    assertThat(inTheRun.err()).contains(tail + " is truncated");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aConcatenatedGzipSourceWhoseSecondMemberIsCutExits65BeforeAnyRequest()
      throws IOException {
    // The first member is whole; `java.util.zip` used to stop at the cut one without a word,
    // and the run exited 0 having scraped the first half of the list.
    byte[] first = Files.readAllBytes(gzipSource("first.txt.gz", 0));
    byte[] second = Files.readAllBytes(gzipSource("second.txt.gz", 0));
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(first);
    both.write(second, 0, 10);
    Path cut = Files.write(dir.resolve("both.txt.gz"), both.toByteArray());

    Cli.Result r = scrape(cut.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(65);
    assertThat(r.err()).contains(cut + " is truncated");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aWholeGzipSourceIsStillRead() throws IOException {
    Path whole = gzipSource("whole.txt.gz", 0);
    Cli.Result r = scrape(whole.toString(), "--limit", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(site.articleRequests.get()).isEqualTo(2);
  }

  @Test
  void standardInputThatIsADirectoryExits2SayingSo() throws IOException {
    InputStream stdin = System.in;
    Cli.Result r;
    try (InputStream directory = Files.newInputStream(dir)) {
      System.setIn(directory);
      r = scrape("-");
    } finally {
      System.setIn(stdin);
    }
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("standard input: Is a directory")
        .contains("\"stop_reason\":\"SOURCE_FAILED\"").contains("\"drift\":null");
    assertThat(dir.resolve("rows.ndjson")).as("refused before the sink is made").doesNotExist();
    assertThat(dir.resolve("rows.ndjson.lock")).doesNotExist();
  }

  /** As /dev/zero on standard input: bytes without end and never a line end. */
  @Test
  void standardInputWithoutALineEndExits2AsNotATextList() {
    InputStream stdin = System.in;
    Cli.Result r;
    try {
      System.setIn(new InputStream() {
        @Override
        public int read() {
          return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          java.util.Arrays.fill(b, off, off + len, (byte) 0);
          return len;
        }
      });
      r = scrape("-");
    } finally {
      System.setIn(stdin);
    }
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("standard input is not a text list")
        .contains("\"stop_reason\":\"SOURCE_FAILED\"");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void standardInputThatWasClosedExits2BeforeTheSinkIsMade() {
    InputStream stdin = System.in;
    Cli.Result r;
    try {
      System.setIn(StandardInput.closedStream());
      r = scrape("-");
    } finally {
      System.setIn(stdin);
    }
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("standard input: closed").contains("\"drift\":null");
    assertThat(dir.resolve("rows.ndjson")).doesNotExist();
  }

  @Test
  void aPageOverTheBodyCapIsClassifiedOnceNotRetriedAndTheRunDoesNotAskForARetry()
      throws IOException {
    byte[] huge = new byte[9 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    site.answering((path, nth) -> path.endsWith("item2")
        ? new FakeSite.Answer(200, huge) : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1",
        "https://dic.pixiv.net/a/item2", "https://dic.pixiv.net/a/item3"));

    Cli.Result r = scrape(src.toString(), "--report", dir.resolve("r.json").toString());

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
    assertThat(report.at("/items/failed").asLong()).isZero();
    assertThat(report.at("/items/by_outcome/UNRECOGNIZED").asLong()).isEqualTo(1);
    assertThat(report.at("/items/by_outcome/ARTICLE").asLong()).isEqualTo(2);
    assertThat(report.path("problems").toString())
        .contains("https://dic.pixiv.net/a/item2", "cap of 8388608 bytes");
    assertThat(site.perPath.get("/a/item2").get()).as("requests of the page").isEqualTo(1);
  }

  @Test
  void aPageOverTheBodyCapIsReportedAsTheSitesAnswerAndCountedAsAnyUnrecognisedPage()
      throws IOException {
    byte[] huge = new byte[9 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    byte[] plain = "<html><body>no article here</body></html>".getBytes(StandardCharsets.UTF_8);
    site.answering((path, nth) -> path.endsWith("item2") ? new FakeSite.Answer(200, huge)
        : path.endsWith("item3") ? new FakeSite.Answer(200, plain)
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1",
        "https://dic.pixiv.net/a/item2", "https://dic.pixiv.net/a/item3"));

    Cli.Result r = scrape(src.toString(), "--report", dir.resolve("r.json").toString());

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
    assertThat(report.at("/items/by_outcome/UNRECOGNIZED").asLong()).isEqualTo(2);
    // Each of the three pages was answered with 200 (robots.txt too), and no call failed.
    assertThat(report.at("/fetch/responses_by_status/200").asLong()).isEqualTo(4);
    assertThat(report.at("/fetch/failures").asLong()).isZero();
    // The page too large and the page without a title count alike: judged and broken, and
    // not in `missing`, which counts the article pages without a column.
    assertThat(report.at("/drift/pages_judged").asLong()).isEqualTo(3);
    assertThat(report.at("/drift/pages_broken").asLong()).isEqualTo(2);
    assertThat(report.at("/drift/missing/title").asLong()).isZero();
  }

  @Test
  void aReportBelowALinkToNothingOrAFileIsRefusedBeforeAnyRequestAndAMissingDirectoryIsMade()
      throws IOException {
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));
    Path dangling = Files.createSymbolicLink(dir.resolve("gone"), dir.resolve("nowhere"));

    Cli.Result belowLink = scrape(src.toString(), "--report",
        dangling.resolve("r.json").toString());
    Cli.Result belowFile = scrape(src.toString(), "--report",
        src.resolve("sub").resolve("r.json").toString());

    assertThat(belowLink.code()).as(belowLink.err()).isEqualTo(2);
    assertThat(belowLink.err()).contains(dangling + " is a symbolic link to nothing");
    assertThat(belowFile.code()).as(belowFile.err()).isEqualTo(2);
    assertThat(belowFile.err()).contains(src + " is a file, where a directory is needed");
    assertThat(site.articleRequests.get()).isZero();

    Path fresh = dir.resolve("reports").resolve("weekly").resolve("r.json");
    Cli.Result made = scrape(src.toString(), "--report", fresh.toString());
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(fresh).isRegularFile();
  }

  /**
   * A sink or report that is a link to a file in a directory that does not exist: the report
   * made that directory (anywhere, outside every one named) and was written there, the sink
   * failed on its lock's "no such file or directory". Both are refused alike, and nothing is
   * made; a link into a directory that exists is still written where it leads.
   */
  @Test
  void aSinkOrReportThatIsALinkIntoADirectoryThatDoesNotExistIsRefusedAndNothingIsMade()
      throws IOException {
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));
    Path nowhere = dir.resolve("nowhere");
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.ndjson"),
        nowhere.resolve("dir").resolve("x.ndjson"));
    String refused = dangling + " is a symbolic link to nothing: it leads to "
        + dir.toRealPath().resolve("nowhere/dir/x.ndjson")
        + ", in a directory that does not exist";

    Cli.Result sink = Cli.run("scrape", "--source", src.toString(), "--sink",
        dangling.toString(), "--origin", site.origin(), "--progress", "none");
    Cli.Result dry = Cli.run("scrape", "--source", src.toString(), "--sink",
        dangling.toString(), "--origin", site.origin(), "--dry-run");
    Cli.Result report = scrape(src.toString(), "--report", dangling.toString());
    Cli.Result resolve = Cli.run("resolve", "--names", src.toString(), "--sink",
        dangling.toString(), "--origin", site.origin(), "--progress", "none");

    for (Cli.Result r : List.of(sink, dry, report, resolve)) {
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains(refused).doesNotContain(".lock");
    }
    assertThat(sink.err()).contains("--sink " + dangling + ": " + refused);
    assertThat(report.err()).contains("--report " + dangling + ": " + refused);
    assertThat(nowhere).doesNotExist();
    assertThat(site.articleRequests.get()).isZero();

    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path latest = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("runs/r.json"));
    Cli.Result through = scrape(src.toString(), "--report", latest.toString());
    assertThat(through.code()).as(through.err()).isZero();
    assertThat(runs.resolve("r.json")).isRegularFile();
  }

  @Test
  void anArchiveBelowAFileIsRefusedBeforeTheSinkIsOpenedSoNoEmptySinkIsLeft()
      throws IOException {
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));

    Cli.Result r = scrape(src.toString(), "--archive", src.resolve("archive").toString());

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--archive " + src.resolve("archive") + ": " + src
        + " is a file, where a directory is needed");
    assertThat(dir.resolve("rows.ndjson")).doesNotExist();
    assertThat(dir.resolve("rows.ndjson.lock")).doesNotExist();
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aDryRunRefusesASinkWhereTheRunCouldNotCreateItsLockAsTheRunDoes() throws IOException {
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));
    Files.createDirectories(dir.resolve("archive"));
    Path belowFile = src.resolve("rows.ndjson");

    Cli.Result run = Cli.run("scrape", "--source", src.toString(), "--sink",
        belowFile.toString(), "--origin", site.origin(), "--progress", "none");
    Cli.Result dry = Cli.run("scrape", "--source", src.toString(), "--sink",
        belowFile.toString(), "--origin", site.origin(), "--progress", "none", "--dry-run");
    Cli.Result replay = Cli.run("replay", "--archive", dir.resolve("archive").toString(),
        "--sink", belowFile.toString(), "--progress", "none", "--dry-run");

    for (Cli.Result r : List.of(run, dry, replay)) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--sink " + belowFile + ": " + src
          + " is a file, where a directory is needed");
      assertThat(r.out()).isEmpty();
    }
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aRunAndItsDryRunRefuseASinkInAPlaceWhereNoFileCanBeCreated() throws IOException {
    // /proc/self is a directory where even root creates no file: the real run failed there
    // creating the sink's lock ("no such file or directory"), and the dry run said 0.
    Path proc = Path.of("/proc/self");
    Assumptions.assumeTrue(Files.isDirectory(proc), "needs /proc (Linux)");
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));
    Path sink = proc.resolve("status");

    Cli.Result dry = Cli.run("scrape", "--source", src.toString(), "--sink", sink.toString(),
        "--origin", site.origin(), "--progress", "none", "--dry-run");
    Cli.Result run = Cli.run("scrape", "--source", src.toString(), "--sink", sink.toString(),
        "--origin", site.origin(), "--progress", "none");

    for (Cli.Result r : List.of(dry, run)) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--sink " + sink + ": cannot write in " + proc);
      assertThat(r.out()).isEmpty();
    }
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aReportOrSinkNamedAsASinksLockOrTornFileIsRefusedBeforeTheLockExists()
      throws IOException {
    // A report written over rows.ndjson.lock at the end of one run replaced the lock a second
    // run on rows.ndjson held, and a third run then wrote beside the second.
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));
    Path lock = dir.resolve("other.ndjson.lock");

    Cli.Result report = scrape(src.toString(), "--report", lock.toString());
    Cli.Result sink = Cli.run("scrape", "--source", src.toString(), "--sink",
        dir.resolve("x.ndjson.torn").toString(), "--origin", site.origin(), "--progress", "none");

    for (Cli.Result r : List.of(report, sink)) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("a name ending in .lock or .torn is kept for the files");
    }
    assertThat(lock).doesNotExist();
    assertThat(dir.resolve("x.ndjson.torn")).doesNotExist();
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aReplayOfAFileForAnArchiveSaysItIsNoDirectoryRatherThanThatItIsMissing()
      throws IOException {
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));

    Cli.Result r = Cli.run("replay", "--archive", src.toString(), "--sink",
        dir.resolve("rows.ndjson").toString());

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--archive " + src + ": not a directory");
  }

  @Test
  void aReportThatCannotBeWrittenLeavesNoTemporaryFileAndTheMessageNamesIt()
      throws IOException {
    Path report = dir.resolve("r.json");
    // Something takes the report's place during the run: moving the report over it fails.
    site.answering((path, nth) -> {
      try {
        Files.createDirectories(report.resolve("taken"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new FakeSite.Answer(200, FakeSite.ARTICLE);
    });
    Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));

    Cli.Result r = scrape(src.toString(), "--report", report.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(2); // a directory in its place: no retry helps
    assertThat(r.err()).contains("pixiv scrape: the report " + report + " was not written");
    assertThat(dir.resolve("r.json.tmp")).doesNotExist();
    assertThat(r.err()).contains("PIXIV_RESULT").contains("\"exit_code\":2");
  }
  @Test
  void aReportWhoseTemporaryFileIsTakenExits2AndLeavesWhatTookItAlone() throws IOException {
    Path report = dir.resolve("r.json");
    Path taken = dir.resolve("r.json.tmp");
    Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "not a report");
    // During the run, a directory takes the temporary file's place in one run, a link to
    // another file in the other: neither is the run's to write through or to remove.
    for (boolean link : new boolean[] {false, true}) {
      site.answering((path, nth) -> {
        try {
          if (link) {
            Files.createSymbolicLink(taken, elsewhere);
          } else {
            Files.createDirectories(taken.resolve("inside"));
          }
        } catch (FileAlreadyExistsException already) {
          // the second article of the run
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return new FakeSite.Answer(200, FakeSite.ARTICLE);
      });
      Path src = Files.write(dir.resolve("urls.txt"), List.of("https://dic.pixiv.net/a/item1"));

      Cli.Result r = scrape(src.toString(), "--report", report.toString(),
          "--refresh-after", "0s");

      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("the report " + report + " was not written");
      assertThat(report).doesNotExist();
      assertThat(link ? Files.isSymbolicLink(taken) : Files.isDirectory(taken.resolve("inside")))
          .isTrue();
      assertThat(elsewhere).hasContent("not a report");
      if (!link) {
        Files.delete(taken.resolve("inside"));
      }
      Files.delete(taken);
    }
  }
}

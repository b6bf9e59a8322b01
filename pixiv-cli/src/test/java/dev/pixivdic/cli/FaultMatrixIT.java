package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.support.testing.WatchedFile;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault of the {@code pixiv} command that a user can hit, in one place, run as real
 * processes of the built jar ({@code target/pixiv.jar}) against a loopback site: two runs on
 * one sink, files that are not ours, a site that dies, signals, Retry-After, secrets. All that
 * any of them prints is kept, and at the end no planted secret may appear in it.
 *
 * <p>Also in the matrix, in-process: every option's range ({@link OptionRangesTest}), the
 * duration grammar ({@link DurationGrammarTest}); in pixiv-core, the file, source and fetcher
 * faults ({@code dev.pixivdic.core.FaultMatrixTest}, {@code SiteFaultsTest}).
 */
class FaultMatrixIT {

  /** Secrets planted in arguments; none may reach any output. */
  private static final List<String> PLANTED = List.of("S3CRETPW", "S3CRETQUERY", "S3CRETFRAG");
  private static final List<String> OUTPUT = Collections.synchronizedList(new ArrayList<>());
  private static final Path JAR = Path.of("target", "pixiv.jar");

  @TempDir Path dir;
  private FakeSite site;
  private int runs;

  @BeforeEach
  void start() throws IOException {
    assertThat(JAR).as("the built jar (mvn verify packages it first)").exists();
    site = new FakeSite();
  }

  @AfterEach
  void stop() throws IOException {
    site.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && Files.size(f) < 10_000_000) {
          OUTPUT.add(f + ":\n" + Files.readString(f, StandardCharsets.ISO_8859_1));
        }
      }
    }
  }

  @AfterAll
  static void noPlantedSecretReachedAnyOutput() {
    assertThat(OUTPUT).isNotEmpty();
    for (String out : OUTPUT) {
      for (String secret : PLANTED) {
        assertThat(out).as("a planted secret in output").doesNotContain(secret);
      }
    }
  }

  /** Starts {@code java -jar target/pixiv.jar ARGS}, output to files under the temp dir. */
  private Process pixiv(String... args) throws IOException {
    File stdout = dir.resolve("stdout-" + (runs + 1) + ".txt").toFile();
    return pixiv(ProcessBuilder.Redirect.to(stdout), args);
  }

  /** As {@link #pixiv(String...)}, with standard output sent to {@code stdout}. */
  private Process pixiv(ProcessBuilder.Redirect stdout, String... args) throws IOException {
    int n = ++runs;
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
        JAR.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectOutput(stdout)
        .redirectError(dir.resolve("stderr-" + n + ".txt").toFile())
        .start();
  }

  private String stderr(Process p) throws IOException {
    return lastOf("stderr");
  }

  private String lastOf(String stream) throws IOException {
    return Files.readString(dir.resolve(stream + "-" + runs + ".txt"));
  }

  private static int await(Process p, int seconds) throws InterruptedException {
    assertThat(p.waitFor(seconds, TimeUnit.SECONDS))
        .as("the process ends within " + seconds + " s").isTrue();
    return p.exitValue();
  }

  private Path source(int n) throws IOException {
    Path f = dir.resolve("urls.txt");
    Files.write(f, ScrapeCommandTest.urls(n));
    return f;
  }

  private List<String> scrape(Path source, Path sink, String... more) {
    List<String> a = new ArrayList<>(List.of("scrape", "--source", source.toString(),
        "--sink", sink.toString(), "--origin", site.origin(), "--backoff", "10ms",
        "--progress", "none", "--drift-min-pages", "5", "--report",
        dir.resolve("report-" + (runs + 1) + ".json").toString()));
    a.addAll(List.of(more));
    return a;
  }

  private JsonNode report(int run) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("report-" + run + ".json").toFile());
  }

  private static List<String> urlsIn(Path sink) throws IOException {
    return Files.readAllLines(sink).stream().map(RowJson::read).map(ArticleRow::url).toList();
  }

  /**
   * Holds the site's answer to the fourth page until the latch is released: the first run
   * still holds its sink when the second starts, however long a JVM takes to start (at 20
   * requests a second, the first run ended before a slow second JVM got there, and the second
   * run found the sink free).
   */
  private CountDownLatch holdTheFourthPage() {
    CountDownLatch release = new CountDownLatch(1);
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> {
      if (overall == 4) {
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new FakeSite.Answer(200, FakeSite.ARTICLE);
    });
    return release;
  }

  @Test
  void twoRunsOnOneSinkTheSecondExits75NamingTheSinkAndTheHolder() throws Exception {
    Path src = source(60);
    Path sink = dir.resolve("rows.ndjson");
    var started = site.latchAfter(3);
    CountDownLatch release = holdTheFourthPage();
    Process first = pixiv(scrape(src, sink, "--qps", "20", "--flush-rows", "5")
        .toArray(String[]::new));
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

    Process second = pixiv(scrape(src, sink, "--qps", "1000").toArray(String[]::new));
    int code;
    try {
      code = await(second, 60);
    } finally {
      release.countDown();
    }
    String err = stderr(second);

    assertThat(code).as(err).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(err).contains(sink.toString()).contains("in use by another run")
        .contains("pid " + first.pid());
    assertThat(await(first, 120)).isZero();
    assertThat(urlsIn(sink)).hasSize(60).doesNotHaveDuplicates();
  }

  @Test
  void aSecondRunOnTheSameArchiveExits75BeforeMakingItsOwnSink() throws Exception {
    Path src = source(40);
    Path archive = dir.resolve("archive");
    var started = site.latchAfter(3);
    CountDownLatch release = holdTheFourthPage();
    Process first = pixiv(scrape(src, dir.resolve("first.ndjson"), "--qps", "20",
        "--archive", archive.toString()).toArray(String[]::new));
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    Path second = dir.resolve("second.ndjson");

    Process other = pixiv(scrape(src, second, "--qps", "1000", "--archive", archive.toString())
        .toArray(String[]::new));
    int code;
    try {
      code = await(other, 60);
    } finally {
      release.countDown();
    }
    String err = stderr(other);

    assertThat(code).as(err).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(err).contains("index.ndjson").contains("pid " + first.pid());
    assertThat(second).doesNotExist();
    assertThat(dir.resolve("second.ndjson.lock")).doesNotExist();
    assertThat(await(first, 120)).isZero();
    assertThat(urlsIn(dir.resolve("first.ndjson"))).hasSize(40).doesNotHaveDuplicates();
  }

  @Test
  void aFileThatIsNotASinkIsRefusedAndLeftAsItWasEvenInADryRun() throws Exception {
    Path src = source(5);
    String before = Files.readString(src);
    for (List<String> args : List.of(
        scrape(src, src),
        scrape(src, src, "--dry-run"),
        scrape(dir.resolve("urls.txt"), dir.resolve("./urls.txt")))) {
      Process p = pixiv(args.toArray(String[]::new));
      assertThat(await(p, 60)).as(stderr(p)).isEqualTo(ExitCodes.USAGE);
      assertThat(stderr(p)).contains("--sink").contains("--source");
    }
    Path csv = dir.resolve("other.csv");
    Files.writeString(csv, "url,name\nhttps://dic.pixiv.net/a/x,x\n");
    Process p = pixiv(scrape(src, csv).toArray(String[]::new));
    assertThat(await(p, 60)).as(stderr(p)).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr(p)).contains("is not an NDJSON sink").contains("left unchanged");

    assertThat(Files.readString(src)).isEqualTo(before);
    assertThat(Files.readString(csv)).isEqualTo("url,name\nhttps://dic.pixiv.net/a/x,x\n");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aDryRunAndReplayDryRunWriteNothing() throws Exception {
    Path src = source(5);
    Path sink = dir.resolve("out/rows.ndjson");
    Process p = pixiv(scrape(src, sink, "--dry-run").toArray(String[]::new));
    assertThat(await(p, 60)).as(stderr(p)).isZero();
    assertThat(dir.resolve("out")).doesNotExist();

    Path archive = dir.resolve("archive");
    Process fill = pixiv(scrape(src, sink, "--qps", "1000", "--archive", archive.toString())
        .toArray(String[]::new));
    assertThat(await(fill, 60)).as(stderr(fill)).isZero();
    Map<Path, Long> sizes = sizes(dir.resolve("out"));
    Process replay = pixiv("replay", "--archive", archive.toString(), "--sink", sink.toString(),
        "--dry-run", "--progress", "none");
    assertThat(await(replay, 60)).as(stderr(replay)).isZero();
    assertThat(lastOf("stdout").lines()).hasSize(5);
    assertThat(sizes(dir.resolve("out"))).isEqualTo(sizes);

    Process intoIndex = pixiv("replay", "--archive", archive.toString(), "--sink",
        archive.resolve("index.ndjson").toString(), "--progress", "none");
    assertThat(await(intoIndex, 60)).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr(intoIndex)).contains("index of --archive");
  }

  private static Map<Path, Long> sizes(Path d) throws IOException {
    Map<Path, Long> m = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(d)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        m.put(f, Files.isRegularFile(f) ? Files.size(f) : -1);
      }
    }
    return m;
  }

  @Test
  void resultsThatCannotReachStandardOutputExit74NamingWhy() throws Exception {
    Path full = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
    String page = ParseCommandTest.CORPUS.resolve("current-dom-full.html").toString();
    List<String> dryRun = scrape(source(3), dir.resolve("rows.ndjson"), "--dry-run");

    for (List<String> args : List.of(List.of("parse", page), dryRun)) {
      Process p = pixiv(ProcessBuilder.Redirect.to(full.toFile()), args.toArray(String[]::new));
      assertThat(await(p, 60)).as(stderr(p)).isEqualTo(ExitCodes.NOT_RECORDED);
      assertThat(stderr(p))
          .contains("pixiv: cannot write to standard output: No space left on device");
    }

    // A reader that stops early, as `| head -c10` does.
    Process p = pixiv(ProcessBuilder.Redirect.PIPE, "parse", page, page, page);
    p.getInputStream().close();
    assertThat(await(p, 60)).as(stderr(p)).isEqualTo(ExitCodes.NOT_RECORDED);
    assertThat(stderr(p)).contains("pixiv: cannot write to standard output: Broken pipe");
  }

  @Test
  void aCorruptLineInTheMiddleOfTheSinkExits65NamingTheLineAndTheRepair() throws Exception {
    Path src = source(5);
    Path sink = dir.resolve("rows.ndjson");
    Process fill = pixiv(scrape(src, sink, "--qps", "1000").toArray(String[]::new));
    assertThat(await(fill, 60)).as(stderr(fill)).isZero();
    List<String> lines = new ArrayList<>(Files.readAllLines(sink));
    lines.add(2, "{\"url\": this is not json");
    Files.write(sink, lines);

    Process p = pixiv(scrape(src, sink, "--qps", "1000").toArray(String[]::new));

    assertThat(await(p, 60)).as(stderr(p)).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(stderr(p)).contains("rows.ndjson:3:").contains("A retry cannot fix this");
  }

  @Test
  void aSiteThatDiesMidRunEndsTheRunWithin60sExit75NamingTheOriginKeepingWhatWasStored()
      throws Exception {
    Path src = source(200);
    Path sink = dir.resolve("rows.ndjson");
    var thirty = site.latchAfter(30);
    Process p = pixiv(scrape(src, sink, "--qps", "50", "--concurrency", "2", "--flush-rows",
        "5", "--flush-interval", "1s").toArray(String[]::new));
    assertThat(thirty.await(60, TimeUnit.SECONDS)).isTrue();
    String origin = site.origin();
    site.close();

    int code = await(p, 60);
    String err = stderr(p);

    assertThat(code).as(err).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(err).contains(origin + " is unreachable").contains("ConnectException");
    JsonNode report = report(runs);
    assertThat(report.path("stop_reason").asText()).isEqualTo("SITE_UNREACHABLE");
    assertThat(report.path("exit_code").asInt()).isEqualTo(75);
    List<String> stored = urlsIn(sink);
    // Everything the site answered before it died may be stored, never more; how many that is
    // depends on how quickly this thread closed the site after the 30th answer.
    long answered;
    synchronized (site.seen) {
      answered = site.seen.stream().filter(s -> s.status() == 200).count();
    }
    assertThat(stored).hasSizeBetween(20, (int) answered).doesNotHaveDuplicates();
  }

  @Test
  void aSiteThatAnswersOnlyServerErrorsAfterSomePagesEndsTheRunExit75KeepingWhatWasStored()
      throws Exception {
    // A backend that went down behind its CDN: every page after the 20th is a 502.
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> overall <= 20
        ? new FakeSite.Answer(200, FakeSite.ARTICLE) : new FakeSite.Answer(502, new byte[0]));
    Path src = source(200);
    Path sink = dir.resolve("rows.ndjson");
    Process p = pixiv(scrape(src, sink, "--qps", "100", "--flush-rows", "5").toArray(
        String[]::new));

    int code = await(p, 120);
    String err = stderr(p);

    assertThat(code).as(err).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(err).contains(site.origin() + " answers only server errors");
    JsonNode report = report(runs);
    assertThat(report.path("stop_reason").asText()).isEqualTo("SITE_UNREACHABLE");
    assertThat(urlsIn(sink)).hasSize(20).doesNotHaveDuplicates();
    assertThat(site.articleRequests.get()).as("not the whole shard, retried")
        .isLessThan(20 + 200);
  }

  @Test
  void aSiteThatDiesBeforeTheDriftGuardJudgedHasItsPagesJudgedAndNothingBrokenIsStored()
      throws Exception {
    // A redesign: two pages in three are no longer recognised, then the site dies, long before
    // the guard's 50 pages.
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> new FakeSite.Answer(200,
        overall % 3 == 1 ? FakeSite.ARTICLE : FakeSite.UNRELATED));
    Path src = source(200);
    Path sink = dir.resolve("rows.ndjson");
    var six = site.latchAfter(6);
    Process p = pixiv(scrape(src, sink, "--qps", "5", "--drift-min-pages", "50",
        "--drift-min-broken", "3").toArray(String[]::new));
    assertThat(six.await(60, TimeUnit.SECONDS)).isTrue();
    String origin = site.origin();
    site.close();

    int code = await(p, 60);
    String err = stderr(p);

    assertThat(code).as(err).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(err).contains("parse breakage").contains(origin + " is unreachable");
    JsonNode report = report(runs);
    assertThat(report.path("stop_reason").asText()).isEqualTo("PARSE_BREAKAGE");
    assertThat(report.path("failure").asText()).contains("is unreachable");
    assertThat(report.at("/rows/written").asInt()).isZero();
    assertThat(Files.exists(sink) ? urlsIn(sink) : List.of()).isEmpty();
  }

  @Test
  void aClosedPortAtTheStartExits75NamingTheOriginAndTheError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path src = source(50);
    List<String> args = new ArrayList<>(scrape(src, dir.resolve("rows.ndjson")));
    args.addAll(List.of("--origin", "http://127.0.0.1:" + port));
    Process p = pixiv(args.toArray(String[]::new));

    int code = await(p, 60);
    String err = stderr(p);

    assertThat(code).as(err).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(err).contains("robots.txt of http://127.0.0.1:" + port)
        .contains("ConnectException");
    assertThat(report(runs).at("/items/processed").asInt()).isZero();
  }

  @Test
  void sigintIsReportedAs130AndSigtermAs143Everywhere() throws Exception {
    Path src = source(400);
    for (String signal : List.of("INT", "TERM")) {
      Path sink = dir.resolve("rows-" + signal + ".ndjson");
      var some = site.latchAfter(site.articleRequests.get() + 10);
      Process p = pixiv(scrape(src, sink, "--qps", "50", "--flush-rows", "1000")
          .toArray(String[]::new));
      assertThat(some.await(60, TimeUnit.SECONDS)).isTrue();
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      int expected = signal.equals("INT") ? 130 : 143;

      assertThat(await(p, 90)).isEqualTo(expected);
      assertThat(stderr(p)).contains("(exit " + expected + ")").contains("SIG" + signal);
      JsonNode report = report(runs);
      assertThat(report.path("exit_code").asInt()).isEqualTo(expected);
      assertThat(report.path("stop_reason").asText()).isEqualTo("INTERRUPTED");
      assertThat(urlsIn(sink)).hasSize(report.at("/rows/written").asInt());
    }
  }

  @Test
  void aSignalWhileWaitingForStandardInputEndsTheLogWithTheFinalLine() throws Exception {
    for (String signal : List.of("INT", "TERM")) {
      Path sink = dir.resolve("rows-stdin-" + signal + ".ndjson");
      // Standard input is a pipe nobody writes to: the run waits for its first line.
      Process p = pixiv("scrape", "--source", "-", "--sink", sink.toString(), "--origin",
          site.origin(), "--progress", "none");
      Path err = dir.resolve("stderr-" + runs + ".txt");
      // The wait for standard input is logged.
      WatchedFile.awaitContaining(err, "standard input", Duration.ofSeconds(60));
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
      int expected = signal.equals("INT") ? 130 : 143;

      assertThat(await(p, 30)).isEqualTo(expected);
      List<String> lines = Files.readAllLines(err);
      String last = lines.get(lines.size() - 1);
      assertThat(last).startsWith(FinalLine.MARKER + " ");
      JsonNode line = new ObjectMapper().readTree(last.substring(FinalLine.MARKER.length()));
      assertThat(line.path("stop_reason").asText()).isEqualTo("INTERRUPTED");
      assertThat(line.path("exit_code").asInt()).isEqualTo(expected);
      assertThat(line.path("items_read").asInt()).isZero();
      assertThat(String.join("\n", lines)).contains("SIG" + signal);
      assertThat(sink).doesNotExist();
      assertThat(site.articleRequests.get()).isZero();
    }
  }

  @Test
  void aRetryAfterPausesEveryWorkerAtConcurrencyFour() throws Exception {
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> overall == 20
        ? new FakeSite.Answer(429, new byte[0], Map.of("Retry-After", "2"))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path src = source(40);
    Process p = pixiv(scrape(src, dir.resolve("rows.ndjson"), "--qps", "200", "--concurrency",
        "4").toArray(String[]::new));
    assertThat(await(p, 120)).as(stderr(p)).isZero();

    List<FakeSite.Seen> seen = List.copyOf(site.seen);
    FakeSite.Seen limited = seen.stream().filter(s -> s.status() == 429).findFirst()
        .orElseThrow();
    long pauseEnds = limited.answeredNanos() + TimeUnit.MILLISECONDS.toNanos(1900);
    // Requests already on the wire when the 429 went out may still arrive just after it.
    long settled = limited.answeredNanos() + TimeUnit.MILLISECONDS.toNanos(150);
    assertThat(seen).filteredOn(s -> s.arrivedNanos() > settled && s.arrivedNanos() < pauseEnds)
        .as("requests during the pause").isEmpty();
    assertThat(seen).filteredOn(s -> s.arrivedNanos() >= pauseEnds).isNotEmpty();
  }

  @Test
  void aRetryAfterThatIsNeitherSecondsNorADateIsSaidNotUnderstoodAndTheBackoffApplies()
      throws Exception {
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> path.startsWith("/a/")
        && nth == 1
        ? new FakeSite.Answer(503, new byte[0], Map.of("Retry-After", "3.5"))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path rows = dir.resolve("rows.ndjson");
    Process p = pixiv(scrape(source(1), rows).toArray(String[]::new));

    assertThat(await(p, 60)).as(stderr(p)).isZero();
    assertThat(stderr(p)).contains("status 503, Retry-After '3.5' not understood (neither"
        + " seconds nor an HTTP-date) on attempt 1/");
    assertThat(urlsIn(rows)).hasSize(1);
  }

  @Test
  void secretsInTheOriginAreNeverEchoedAndAForgedLogLineIsRefused() throws Exception {
    Path src = source(3);
    String host = "127.0.0.1:" + site.port();
    for (String origin : List.of("http://user:S3CRETPW@" + host,
        "http://" + host + "/?token=S3CRETQUERY", "http://" + host + "/#S3CRETFRAG",
        "http://us er:S3CRETPW@" + host)) {
      List<String> args = new ArrayList<>(scrape(src, dir.resolve("rows.ndjson")));
      args.addAll(List.of("--origin", origin));
      Process p = pixiv(args.toArray(String[]::new));
      assertThat(await(p, 60)).as(stderr(p)).isEqualTo(ExitCodes.USAGE);
      assertThat(stderr(p)).contains("--origin").contains("***");
    }
    Process forged = pixiv(scrape(src, dir.resolve("rows.ndjson"), "--run-id",
        "r\n00:00:00.000 INFO  ScrapeCommand: forged").toArray(String[]::new));
    assertThat(await(forged, 60)).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr(forged)).contains("--run-id").doesNotContain("\n00:00:00.000 INFO");
    Process resolve = pixiv("resolve", "--names", src.toString(), "--sink",
        dir.resolve("res.ndjson").toString(), "--origin", "http://u:S3CRETPW@" + host);
    assertThat(await(resolve, 60)).isEqualTo(ExitCodes.USAGE);
  }
}

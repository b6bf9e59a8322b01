package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.launcher.report.FinalLine;
import dev.pixivdic.support.testing.WatchedFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pixiv command in a child JVM: crashes, signals and a bounded heap. */
class ScrapeProcessIT {

  @TempDir Path dir;
  private FakeSite site;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
  }

  @AfterEach
  void stop() {
    site.close();
  }

  private Process pixiv(List<String> jvm, String... args) throws IOException {
    return pixiv(jvm, Map.of(), args);
  }

  private Process pixiv(List<String> jvm, Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()));
    for (String proxyVariable : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY",
        "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")) {
      pb.environment().remove(proxyVariable);
    }
    pb.environment().remove("PIXIV_ORIGIN");
    pb.environment().remove("BIGQUERY_EMULATOR_HOST");
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * Started with standard input closed ({@code <&-}, by /bin/sh as a scheduler's shell would),
   * the JVM's own class library takes descriptor 0: read as the source it gave a million bad
   * lines and then a JVM crash (exit 139).
   */
  @Test
  void aClosedStandardInputExits2SayingSoInsteadOfReadingTheJvmsOwnFiles() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String command : List.of(
        "scrape --source - --sink " + dir.resolve("rows.ndjson") + " --dry-run",
        "parse --url https://dic.pixiv.net/a/x -")) {
      Process p = new ProcessBuilder("/bin/sh", "-c", "exec \"$0\" -cp \"$1\" "
          + Main.class.getName() + " " + command + " <&-", javaBin,
          System.getProperty("java.class.path"))
          .redirectOutput(dir.resolve("stdout.txt").toFile())
          .redirectError(dir.resolve("stderr.txt").toFile())
          .start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(dir.resolve("stderr.txt"));

      assertThat(p.exitValue()).as(command + ": " + err).isEqualTo(ExitCodes.USAGE);
      assertThat(err).as(command).contains("standard input: closed")
          .doesNotContain("bad source line");
    }
  }

  /**
   * The JDK drops Basic credentials from CONNECT requests unless a property is cleared before
   * its first HTTP client exists; only a process of its own shows that pixiv does so. The
   * target closes each connection after the TLS hello: the tunnel, not the page, is under test.
   */
  @Test
  void httpsProxyCredentialsReachTheProxyInsideTheConnectRequest() throws Exception {
    try (dev.pixivdic.core.fetch.LoopbackProxy proxy =
            dev.pixivdic.core.fetch.LoopbackProxy.withCredentials("ops", "hunter2-proxy");
        java.net.ServerSocket target = new java.net.ServerSocket(0, 50,
            java.net.InetAddress.getLoopbackAddress())) {
      Thread closer = new Thread(() -> {
        while (!target.isClosed()) {
          try (java.net.Socket s = target.accept()) {
            s.getInputStream().read();
          } catch (IOException e) {
            return;
          }
        }
      });
      closer.setDaemon(true);
      closer.start();
      String origin = "https://127.0.0.1:" + target.getLocalPort();
      Process p = pixiv(List.of(), Map.of("HTTPS_PROXY",
          "http://ops:hunter2-proxy@127.0.0.1:" + proxy.port()), "scrape", "--source",
          source(1).toString(), "--sink", dir.resolve("rows.ndjson").toString(), "--origin",
          origin, "--backoff", "10ms", "--progress", "none", "--max-attempts", "1");

      boolean ended = p.waitFor(120, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(ended).as(stderr()).isTrue();
      assertThat(proxy.seen()).as(stderr())
          .anyMatch(s -> s.method().equals("CONNECT") && s.authorized()
              && s.target().equals("127.0.0.1:" + target.getLocalPort()));
      assertThat(stderr()).doesNotContain("hunter2");
    }
  }

  private String[] scrapeArgs(Path source, String... more) {
    List<String> a = new ArrayList<>(List.of("scrape", "--source", source.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(),
        "--origin", site.origin(), "--backoff", "10ms", "--progress", "none",
        "--drift-min-pages", "5"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  private Path source(int n) throws IOException {
    Path f = dir.resolve("urls.txt");
    Files.write(f, ScrapeCommandTest.urls(n));
    return f;
  }

  private List<ArticleRow> rows() throws IOException {
    return Files.readAllLines(dir.resolve("rows.ndjson")).stream().map(RowJson::read).toList();
  }

  private String stderr() throws IOException {
    return Files.readString(dir.resolve("stderr.txt"));
  }

  /** Waits (up to 60 s) until the child's standard error holds {@code text}. */
  private void awaitStderr(String text) throws IOException, InterruptedException {
    WatchedFile.awaitContaining(dir.resolve("stderr.txt"), text, Duration.ofSeconds(60));
  }

  private static int await(Process p) throws InterruptedException {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child exits").isTrue();
    return p.exitValue();
  }

  /**
   * {@code --report /dev/stderr} with standard error sent to a file (or that file named itself)
   * replaced the log with the report: its lines and the final line were gone, and the log lines
   * after it went to a file no longer there. Refused, and the log keeps every line.
   */
  @Test
  void aReportNamingTheRunsOwnStandardErrorOrOutputIsRefusedAndTheLogKeepsItsLines()
      throws Exception {
    Path src = source(3);
    List<String> reports = List.of("/dev/stderr", dir.resolve("stderr.txt").toString(),
        "/dev/stdout");
    for (String report : reports) {
      Files.deleteIfExists(dir.resolve("stderr.txt"));
      List<String> args = new ArrayList<>(List.of(scrapeArgs(src, "--qps", "50")));
      args.set(args.indexOf("--report") + 1, report);
      Process p = pixiv(List.of(), args.toArray(String[]::new));

      assertThat(await(p)).as(report + ": " + stderr()).isEqualTo(ExitCodes.USAGE);
      assertThat(stderr()).as(report).contains("--report " + report + " is this run's standard")
          .contains("Name a file of its own");
      assertThat(stderr().strip().lines().reduce((a, b) -> b).orElseThrow()).as(report)
          .startsWith(FinalLine.MARKER + " ").contains("\"exit_code\":2");
    }
    assertThat(dir.resolve("rows.ndjson")).doesNotExist();
    assertThat(site.articleRequests.get()).isZero();
  }

  /**
   * A receiver that takes the notice and never answers held a stopped process for three
   * attempts of 10 s, past a pod's grace period, and the final line came last of all. A signal
   * while the notice is sent ends the wait within seconds; the run's own code and line stand.
   */
  @Test
  void aSignalWhileTheNoticeIsSentEndsTheWaitAndTheRunsLineStands() throws Exception {
    java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
    try (java.net.ServerSocket receiver = silentReceiver(asked)) {
      Process p = scrapeNotifying(receiver, asked);

      p.destroy(); // SIGTERM

      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("ends within the notice's wait, not 30 s")
          .isTrue();
      assertThat(p.exitValue()).as(stderr()).isZero();
      assertThat(stderr()).contains("stopped sending the notice");
      assertThat(stderr().strip().lines().reduce((a, b) -> b).orElseThrow())
          .startsWith(FinalLine.MARKER + " ").contains("\"exit_code\":0");
      assertThat(rows()).hasSize(3);
    }
  }

  /**
   * A second signal while the notice is sent ends the process at once with the run's own line
   * and code (the summary and the report say them), printed once, not an INTERRUPTED line of
   * the signal's code.
   */
  @Test
  void aSecondSignalWhileTheNoticeIsSentEndsWithTheRunsOwnLineOnce() throws Exception {
    java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
    try (java.net.ServerSocket receiver = silentReceiver(asked)) {
      Process p = scrapeNotifying(receiver, asked);

      p.destroy(); // SIGTERM: the notice is waited for a few seconds more
      // Two signals sent before the first is handled are one (the kernel does not queue them).
      awaitStderr("stop requested by SIGTERM");
      p.destroy(); // and again: exit now

      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(stderr()).isZero();
      assertThat(stderr()).contains("second signal: exiting now")
          .doesNotContain("stopped sending the notice");
      List<String> lines = stderr().lines()
          .filter(l -> l.startsWith(FinalLine.MARKER + " ")).toList();
      assertThat(lines).as(stderr()).hasSize(1);
      assertThat(lines.get(0)).contains("\"exit_code\":0")
          .contains("\"stop_reason\":\"COMPLETED\"").contains("\"rows_written\":3");
      assertThat(stderr().strip().lines().reduce((a, b) -> b).orElseThrow())
          .isEqualTo(lines.get(0));
      assertThat(rows()).hasSize(3);
    }
  }

  /** A scrape of 3 articles that notifies {@code receiver}, once it was asked. */
  private Process scrapeNotifying(java.net.ServerSocket receiver,
      java.util.concurrent.CountDownLatch asked) throws IOException, InterruptedException {
    Process p = pixiv(List.of(), scrapeArgs(source(3), "--qps", "50", "--notify",
        "http://127.0.0.1:" + receiver.getLocalPort() + "/hook", "--notify-on", "always"));
    assertThat(asked.await(60, TimeUnit.SECONDS)).as("the notice is sent").isTrue();
    return p;
  }

  /** A receiver that reads each request and never answers; {@code asked} once it read one. */
  private static java.net.ServerSocket silentReceiver(java.util.concurrent.CountDownLatch asked)
      throws IOException {
    java.net.ServerSocket receiver = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      List<java.net.Socket> held = new ArrayList<>();
      while (!receiver.isClosed()) {
        try {
          java.net.Socket c = receiver.accept();
          held.add(c); // read the notice, answer nothing
          c.getInputStream().read(new byte[4096]);
          asked.countDown();
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-receiver");
    t.setDaemon(true);
    t.start();
    return receiver;
  }

  @Test
  void killedWithSigkillMidRunThenReRunEndsWithExactlyTheFullSet() throws Exception {
    Path src = source(300);
    var seen120 = site.latchAfter(120);
    Process first = pixiv(List.of(),
        scrapeArgs(src, "--qps", "150", "--concurrency", "2", "--flush-rows", "10"));
    assertThat(seen120.await(60, TimeUnit.SECONDS)).isTrue();
    first.destroyForcibly();
    assertThat(await(first)).isEqualTo(137);
    long storedAfterCrash = Files.readAllLines(dir.resolve("rows.ndjson")).size();
    assertThat(storedAfterCrash).isBetween(1L, 299L);

    int before = site.articleRequests.get();
    Process second = pixiv(List.of(),
        scrapeArgs(src, "--qps", "500", "--concurrency", "4", "--flush-rows", "10"));
    assertThat(await(second)).as(stderr()).isZero();

    List<String> urls = rows().stream().map(ArticleRow::url).toList();
    assertThat(urls).hasSize(300).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(300));
    assertThat(site.articleRequests.get() - before)
        .isLessThanOrEqualTo((int) (300 - storedAfterCrash) + 10);
  }

  @Test
  void killedWithSigkillMidRunIntoBigQueryThenReRunStoresEveryArticleOnce() throws Exception {
    try (BigQueryStandIn bq = BigQueryStandIn.start()) {
      List<String> urls = ScrapeCommandTest.urls(120);
      List<Map<String, String>> source = new ArrayList<>();
      for (String u : urls) {
        source.add(Map.of("url", u, "middle_class_ip_name", "作品"));
        // Other spellings of some: the re-run looks them up in the sink.
        if (source.size() % 7 == 0) {
          source.add(Map.of("url", u.replace("https:", "http:") + "/",
              "middle_class_ip_name", "x"));
        }
      }
      bq.seed("my-project.pixiv.urls", source);
      String[] args = {"scrape", "--source", "bq:my-project.pixiv.urls",
          "--sink", "bq:my-project.pixiv.pixiv_detail_info", "--bigquery-endpoint",
          bq.endpoint().toString(), "--origin", site.origin(), "--progress", "none",
          "--drift-min-pages", "5", "--flush-rows", "10", "--concurrency", "2", "--qps", "60"};
      var seen50 = site.latchAfter(50);
      Process first = pixiv(List.of(), args);
      assertThat(seen50.await(60, TimeUnit.SECONDS)).isTrue();
      first.destroyForcibly();
      assertThat(await(first)).isEqualTo(137);
      int stored = bq.rows("my-project.pixiv.pixiv_detail_info").size();
      assertThat(stored).isBetween(10, 119);

      int before = site.articleRequests.get();
      assertThat(await(pixiv(List.of(), args))).as(stderr()).isZero();

      assertThat(bq.rows("my-project.pixiv.pixiv_detail_info")).extracting(r -> r.get("url"))
          .containsExactlyInAnyOrderElementsOf(urls);
      assertThat(site.articleRequests.get() - before).isLessThanOrEqualTo(120 - stored);
    }
  }

  @Test
  void durationsInTheLogAndTheSummaryAreWrittenInTheShortFormNeverIso() throws Exception {
    Process p = pixiv(List.of(), scrapeArgs(source(3), "--qps", "4", "--refresh-after", "7d",
        "--flush-interval", "90s", "-v"));
    assertThat(await(p)).as(stderr()).isZero();

    assertThat(stderr()).contains("250ms", "7d")
        .doesNotContainPattern("\\bP(T\\d|\\d+D)");
  }

  @Test
  void sigtermFlushesWhatWasParsedWritesTheReportAndExits143() throws Exception {
    Path src = source(400);
    // The latch falls when the 50th request arrives: by then at least 40 answers have been
    // parsed and handed to the sink's batch, whatever the request in flight is doing.
    var seen50 = site.latchAfter(50);
    Process p = pixiv(List.of(), scrapeArgs(src, "--qps", "100", "--flush-rows", "100000",
        "--flush-interval", "1h"));
    assertThat(seen50.await(60, TimeUnit.SECONDS)).isTrue();
    p.destroy();
    assertThat(await(p)).isEqualTo(143);

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("stop_reason").asText()).isEqualTo("INTERRUPTED");
    long written = report.at("/rows/written").asLong();
    assertThat(written).isGreaterThanOrEqualTo(40).isLessThan(400);
    assertThat(rows()).hasSize((int) written).extracting(ArticleRow::url).doesNotHaveDuplicates();
    assertThat(stderr()).contains("stop requested by SIGTERM");
    assertThat(report.path("exit_code").asInt()).isEqualTo(143);
    assertThat(stderr()).contains("(exit 143)");
  }

  /**
   * A wrong origin's run stopped by SIGTERM while its "not found" rows wait for an article: the
   * pages it fetched are in no index line of the archive (their bodies may be, unnamed), so a
   * replay of the archive stores only what it held before.
   */
  @Test
  void sigtermWhileNotFoundRowsAreHeldLeavesTheirPagesOutOfTheArchivesReplay() throws Exception {
    Path archive = dir.resolve("archive");
    dev.pixivdic.core.ArticleUrl earlier = dev.pixivdic.core.ArticleUrl.ofTitle("earlier");
    try (var pages = dev.pixivdic.core.file.internal.PageArchive.open(archive)) {
      pages.put(earlier, 200, "text/html", java.time.Instant.EPOCH, FakeSite.ARTICLE);
    }
    site.answering((path, nth) -> new FakeSite.Answer(404,
        "<html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8)));
    var seen30 = site.latchAfter(30);
    Process p = pixiv(List.of(), scrapeArgs(source(400), "--qps", "100", "--archive",
        archive.toString()));
    assertThat(seen30.await(60, TimeUnit.SECONDS)).isTrue();
    p.destroy();
    assertThat(await(p)).as(stderr()).isEqualTo(143);
    assertThat(stderr()).contains("answered 'not found'", "not stored");

    try (var pages = dev.pixivdic.core.file.internal.PageArchive.openReadOnly(archive);
        var entries = pages.entries()) {
      assertThat(entries.map(e -> e.url().canonical())).containsExactly(earlier.canonical());
    }
    Path replayed = dir.resolve("replayed.ndjson");
    Process replay = pixiv(List.of(), "replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--drift-min-pages", "1");
    assertThat(await(replay)).as(stderr()).isZero();
    assertThat(Files.readAllLines(replayed).stream().map(RowJson::read).map(ArticleRow::url))
        .containsExactly(earlier.canonical());
  }

  /**
   * A source read from a pipe that stays open: the run's thread waited in the read for the next
   * line, so a signal's stop (and its flush) waited until the writer closed the pipe.
   */
  @Test
  void sigtermWhileStandardInputStaysOpenStopsAtOnceAndFlushes() throws Exception {
    var seen3 = site.latchAfter(3);
    Process p = pixiv(List.of(), "scrape", "--source", "-",
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(), "--origin", site.origin(),
        "--qps", "100", "--progress", "none", "--flush-rows", "100000", "--flush-interval", "1h",
        "--strict");
    java.io.OutputStream stdin = p.getOutputStream();
    // Three lines and half of a fourth, as a writer that writes in blocks leaves them.
    stdin.write(String.join("\n", ScrapeCommandTest.urls(3)).concat("\nhttps://dic.pix")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    stdin.flush(); // and left open, as a writer that has more to say
    try {
      assertThat(seen3.await(60, TimeUnit.SECONDS)).isTrue();
      p.destroy();

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the stop waits for no further line")
          .isTrue();
      assertThat(p.exitValue()).as("a stop, not a bad line: %s", stderr()).isEqualTo(143);
      assertThat(rows()).hasSize(3);
      assertThat(stderr()).doesNotContain("dic.pix\"", "bad line");
      List<String> lines = stderr().strip().lines().toList();
      assertThat(FinalLine.find(lines.get(lines.size() - 1))).as(stderr()).isPresent();
    } finally {
      p.destroyForcibly();
      stdin.close();
    }
  }

  /**
   * Reading the command line takes about a second on a cold JVM, before a command can make
   * handlers of its own: a pod stopped then ended with 143 and no line at all. The handlers
   * now come before the first command class is loaded (the JVM's class log gives the order, not
   * a clock); the process waits on standard input, so a signal at any later moment also meets a
   * run that has not started.
   */
  @Test
  void aSignalWhileTheCommandLineIsReadStillEndsTheLogWithTheFinalLine() throws Exception {
    Process p = pixiv(List.of("-Xlog:class+load=info:stdout"), "scrape", "--source", "-",
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", site.origin(),
        "--progress", "none");
    Path classes = dir.resolve("stdout.txt");
    try {
      // Picocli is loaded once main's first steps, which make the handlers, are done: the
      // signal comes as the command line is read (the order is asserted below).
      WatchedFile.awaitContaining(classes, "picocli.CommandLine ", Duration.ofSeconds(60));
      p.destroy();

      FinalLine line = endOfLog(p, ExitCodes.SIGTERM);
      assertThat(line.stopReason()).isEqualTo("INTERRUPTED");
      assertThat(line.command()).isEqualTo("scrape");
      String loaded = Files.readString(classes);
      // What loads after the handlers may not load at all: the signal ends the process first.
      assertThat(loadedBefore(loaded, "sun.misc.SignalHandler", "picocli.CommandLine"))
          .as("handlers made before picocli is loaded").isTrue();
      assertThat(loadedBefore(loaded, "sun.misc.SignalHandler", "dev.pixivdic.cli.ScrapeCommand"))
          .as("handlers made before picocli reads the command").isTrue();
      // Logging takes most of a second to set up on a cold JVM: a signal then left no line.
      assertThat(loadedBefore(loaded, "sun.misc.SignalHandler",
          "ch.qos.logback.classic.LoggerContext"))
          .as("handlers made before logging is set up").isTrue();
    } finally {
      p.destroyForcibly();
      p.getOutputStream().close();
    }
  }

  /** Whether the JVM's class log shows {@code first} loaded, and {@code then} later or not. */
  private static boolean loadedBefore(String log, String first, String then) {
    int a = log.indexOf(first + " ");
    int b = log.indexOf(then + " ");
    return a >= 0 && (b < 0 || a < b);
  }

  /**
   * A second signal exits at once: the run's own line is not coming, so the line is printed
   * with what is known before the process exits.
   */
  @Test
  void aSecondSignalExitsAtOnceStillEndingTheLogWithTheFinalLine() throws Exception {
    // The fourth page is answered only when the test ends (or after a minute): the first
    // signal's stop waits for it.
    java.util.concurrent.CountDownLatch fourthArrived = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> {
      if (overall == 4) {
        fourthArrived.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new FakeSite.Answer(200, FakeSite.ARTICLE);
    });
    Process p = pixiv(List.of(), "scrape", "--source", "-",
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", site.origin(),
        "--qps", "100", "--progress", "none");
    java.io.OutputStream stdin = p.getOutputStream();
    stdin.write(String.join("\n", ScrapeCommandTest.urls(5)).concat("\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    stdin.flush();
    try {
      assertThat(fourthArrived.await(60, TimeUnit.SECONDS)).as("the fourth page asked for")
          .isTrue();
      Process kill = new ProcessBuilder("sh", "-c", "kill -TERM " + p.pid() + "; kill -INT "
          + p.pid()).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits without waiting for the page")
          .isTrue();
      int code = p.exitValue();
      assertThat(code).as(stderr()).isIn(130, 143);
      assertThat(stderr()).contains("second signal: exiting now");
      List<String> lines = stderr().strip().lines().toList();
      FinalLine line = FinalLine.find(lines.get(lines.size() - 1)).orElseThrow(
          () -> new AssertionError("the log does not end with the final line:\n" + lines));
      assertThat(line.exitCode()).isEqualTo(code);
      // The fetcher's counts so far: the line said 0 requests.
      assertThat(line.requests()).as(line.toString()).isGreaterThanOrEqualTo(4);
      assertThat(lines).filteredOn(l -> l.contains(FinalLine.MARKER)).hasSize(1);
    } finally {
      release.countDown();
      p.destroyForcibly();
      stdin.close();
    }
  }

  @Test
  void theSiteAndBigQueryComeFromTheEnvironmentWhenTheirOptionsAreNotGiven() throws Exception {
    try (BigQueryStandIn bq = BigQueryStandIn.start()) {
      bq.seed("my-project.pixiv.urls", ScrapeCommandTest.urls(5).stream()
          .map(u -> Map.of("url", u, "middle_class_ip_name", "作品")).toList());
      Process p = pixiv(List.of(), Map.of("PIXIV_ORIGIN", site.origin(),
          "BIGQUERY_EMULATOR_HOST", bq.endpoint().toString()),
          "scrape", "--source", "bq:my-project.pixiv.urls",
          "--sink", "bq:my-project.pixiv.pixiv_detail_info", "--qps", "100", "--progress", "none",
          "--drift-min-pages", "5");

      assertThat(await(p)).as(stderr()).isZero();
      assertThat(bq.rows("my-project.pixiv.pixiv_detail_info")).extracting(r -> r.get("url"))
          .containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(5));
      assertThat(site.articleRequests.get()).isEqualTo(5);
    }
  }

  @Test
  void httpProxyFromTheEnvironmentCarriesTheSiteAndBigQueryRequests() throws Exception {
    try (BigQueryStandIn bq = BigQueryStandIn.start();
        dev.pixivdic.core.fetch.LoopbackProxy proxy =
            dev.pixivdic.core.fetch.LoopbackProxy.open()) {
      bq.seed("my-project.pixiv.urls", ScrapeCommandTest.urls(3).stream()
          .map(u -> Map.of("url", u, "middle_class_ip_name", "作品")).toList());
      Process p = pixiv(List.of(), Map.of("http_proxy", "http://127.0.0.1:" + proxy.port()),
          "scrape", "--source", "bq:my-project.pixiv.urls", "--sink",
          "bq:my-project.pixiv.pixiv_detail_info", "--bigquery-endpoint", bq.endpoint().toString(),
          "--origin", site.origin(), "--qps", "100", "--progress", "none",
          "--drift-min-pages", "3");

      assertThat(await(p)).as(stderr()).isZero();
      assertThat(bq.rows("my-project.pixiv.pixiv_detail_info")).hasSize(3);
      List<String> through = proxy.seen().stream()
          .map(dev.pixivdic.core.fetch.LoopbackProxy.Seen::target).toList();
      String api = bq.endpoint().toString().replaceFirst("/$", "") + "/bigquery/v2/";
      assertThat(through).as("BigQuery's requests").anyMatch(t -> t.startsWith(api));
      assertThat(through).as("the site's requests")
          .anyMatch(t -> t.startsWith(site.origin() + "/a/"));
    }
  }

  @Test
  void anOriginFromTheEnvironmentThatIsNoUrlIsAUsageErrorNamingTheVariable() throws Exception {
    Process p = pixiv(List.of(), Map.of("PIXIV_ORIGIN", "dic.example.org"), "scrape", "--source",
        source(1).toString(), "--sink", dir.resolve("rows.ndjson").toString(),
        "--progress", "none");

    assertThat(await(p)).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("$PIXIV_ORIGIN (the default of --origin): ")
        .contains("'dic.example.org'");
    Files.delete(dir.resolve("stderr.txt"));

    Process noUrl = pixiv(List.of(), Map.of("PIXIV_ORIGIN", "http://[::1"), "scrape",
        "--source", source(1).toString(), "--sink", dir.resolve("rows.ndjson").toString(),
        "--progress", "none");

    assertThat(await(noUrl)).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("is not a URL (the value of $PIXIV_ORIGIN)");
    Files.delete(dir.resolve("stderr.txt"));

    Process empty = pixiv(List.of(), Map.of("PIXIV_ORIGIN", ""), "scrape", "--dry-run",
        "--source", source(1).toString(), "--sink", dir.resolve("rows.ndjson").toString());

    assertThat(await(empty)).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("$PIXIV_ORIGIN (the default of --origin) is empty: give a URL"
        + " such as http://127.0.0.1:8080, or unset it to fetch from https://dic.pixiv.net");
  }

  /**
   * Google's library reads the key file named by the variable itself, so only a process of its
   * own shows the message. Its private key is no base64: Guava's decoder said only "Invalid
   * input length 17".
   */
  @Test
  void aKeyFileWhosePrivateKeyCannotBeReadIsNamedWithoutShowingTheKey() throws Exception {
    Path key = dir.resolve("key.json");
    Files.writeString(key, "{\"type\": \"service_account\", \"project_id\": \"proj-one\","
        + " \"private_key_id\": \"k1\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
        + "SECRETabcdefghijk\\n-----END PRIVATE KEY-----\\n\", \"client_email\":"
        + " \"a@proj-one.iam.gserviceaccount.com\", \"client_id\": \"1\", \"token_uri\":"
        + " \"http://127.0.0.1:1/token\"}");

    Process p = pixiv(List.of(), Map.of("GOOGLE_APPLICATION_CREDENTIALS", key.toString()),
        "scrape", "--source", "bq:proj-one.d.src", "--sink", "bq:proj-one.d.out", "--dry-run");

    assertThat(await(p)).as(stderr()).isEqualTo(ExitCodes.USAGE);
    assertThat(stderr()).contains("GOOGLE_APPLICATION_CREDENTIALS ('" + key + "')")
        .contains("a key that cannot be read").contains("download the key file again")
        .doesNotContain("SECRET").doesNotContain("DecodingException");
  }

  /**
   * What the launcher reads from a pod whose run ended before its engine started: the log's last
   * line is the final line, with the exit code, the stop reason and what was known.
   */
  private FinalLine endOfLog(Process p, int exitCode) throws Exception {
    assertThat(await(p)).as(stderr()).isEqualTo(exitCode);
    String err = stderr();
    List<String> lines = err.strip().lines().toList();
    assertThat(lines).as(err).isNotEmpty();
    FinalLine f = FinalLine.find(lines.get(lines.size() - 1)).orElseThrow(
        () -> new AssertionError("the log does not end with the final line:\n" + err));
    assertThat(f.exitCode()).isEqualTo(exitCode);
    assertThat(lines).filteredOn(l -> l.contains(FinalLine.MARKER)).hasSize(1);
    assertThat(f.itemsProcessed() + f.rowsWritten() + f.requests()).isZero();
    Files.delete(dir.resolve("stderr.txt"));
    return f;
  }

  @Test
  void aRunThatFailsBeforeItsEngineStartsStillEndsItsLogWithTheFinalLine() throws Exception {
    Path src = source(3);
    Path rows = dir.resolve("rows.ndjson");

    FinalLine noSource = endOfLog(pixiv(List.of(), "scrape", "--source",
        dir.resolve("missing.txt").toString(), "--sink", rows.toString(), "--run-id", "week-49",
        "--shard", "1/2", "--qps", "3"), ExitCodes.USAGE);
    assertThat(noSource.command()).isEqualTo("scrape");
    assertThat(noSource.runId()).isEqualTo("week-49");
    assertThat(noSource.shard()).isEqualTo("1/2");
    assertThat(noSource.stopReason()).isEqualTo("SOURCE_FAILED");
    assertThat(noSource.qps()).isEqualTo(3.0);

    // This JVM holds the sink, as another run would.
    dev.pixivdic.core.Sink<ArticleRow> held = Targets.fileSink(rows.toString(), false);
    try {
      FinalLine busy = endOfLog(pixiv(List.of(), scrapeArgs(src)), ExitCodes.TEMPORARY);
      assertThat(busy.stopReason()).isEqualTo("SINK_FAILED");
      assertThat(busy.runId()).isNotBlank();
    } finally {
      held.close();
    }

    FinalLine badRunId = endOfLog(pixiv(List.of(), scrapeArgs(src, "--run-id", " ")),
        ExitCodes.USAGE);
    assertThat(badRunId.stopReason()).isEqualTo("REFUSED");
    assertThat(badRunId.runId()).isEmpty();

    FinalLine badTable = endOfLog(pixiv(List.of(), "scrape", "--source", "bq:no-dataset",
        "--progress", "none"), ExitCodes.USAGE);
    assertThat(badTable.stopReason()).isEqualTo("SOURCE_FAILED");

    try (BigQueryStandIn bq = BigQueryStandIn.start()) {
      FinalLine noTable = endOfLog(pixiv(List.of(), Map.of("BIGQUERY_EMULATOR_HOST",
          bq.endpoint().toString()), "scrape", "--source", "bq:my-project.pixiv.urls",
          "--sink", "bq:my-project.pixiv.pixiv_detail_info", "--origin", site.origin(),
          "--progress", "none"), ExitCodes.USAGE);
      assertThat(noTable.stopReason()).isEqualTo("SOURCE_FAILED");
    }

    FinalLine noNames = endOfLog(pixiv(List.of(), "resolve", "--names",
        dir.resolve("missing.txt").toString(), "--sink", dir.resolve("names.ndjson").toString(),
        "--origin", site.origin(), "--progress", "none"), ExitCodes.USAGE);
    assertThat(noNames.command()).isEqualTo("resolve");
    assertThat(noNames.stopReason()).isEqualTo("SOURCE_FAILED");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aMillionLineSourceRunsInA64MegabyteHeap() throws Exception {
    Path big = dir.resolve("million.txt");
    try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 1_000_000; i++) {
        w.write("https://dic.pixiv.net/a/%E8%A8%98%E4%BA%8B" + i);
        w.newLine();
      }
    }
    // Shard 0 of 1000 streams every line and fetches about a thousand of them.
    Process p = pixiv(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"), scrapeArgs(big,
        "--shard", "0/1000", "--qps", "2000", "--concurrency", "4", "--flush-rows", "200"));
    assertThat(await(p)).as(stderr()).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.at("/items/read").asLong()).isBetween(800L, 1200L);
    assertThat(rows()).hasSize((int) report.at("/rows/written").asLong());
  }

  /**
   * A shard too large for the heap (the source's set of URLs seen) ended with a raw stack trace,
   * exit 1 and neither the final line nor the report; now it is told what to change.
   */
  @Test
  void aShardTooLargeForTheHeapEndsAsAnInternalErrorWithAdviceTheFinalLineAndTheReport()
      throws Exception {
    Path big = dir.resolve("big.txt");
    String fresh = java.time.Instant.now().toString();
    // Every URL already stored, so nothing is fetched and the source is read through at once.
    try (BufferedWriter urls = Files.newBufferedWriter(big, StandardCharsets.UTF_8);
        BufferedWriter rows = Files.newBufferedWriter(dir.resolve("rows.ndjson"),
            StandardCharsets.UTF_8)) {
      for (int i = 0; i < 400_000; i++) {
        String url = "https://dic.pixiv.net/a/big" + i;
        urls.write(url);
        urls.newLine();
        rows.write("{\"url\":\"" + url + "\",\"loaded_at\":\"" + fresh
            + "\",\"status\":\"NOT_FOUND\",\"run_id\":\"run-x\","
            + "\"scraper_version\":\"0.1.0-SNAPSHOT\"}");
        rows.newLine();
      }
    }
    Process p = pixiv(List.of("-Xmx24m"), scrapeArgs(big, "--qps", "50"));

    assertThat(await(p)).as(stderr()).isEqualTo(ExitCodes.INTERNAL);
    assertThat(stderr()).contains("out of memory").contains("raise the heap (-Xmx)")
        .doesNotContain("Exception in thread");
    assertThat(stderr().strip().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith(FinalLine.MARKER + " ").contains("\"stop_reason\":\"INTERNAL_ERROR\"")
        .contains("\"exit_code\":1");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("stop_reason").asText()).isEqualTo("INTERNAL_ERROR");
    assertThat(report.path("problems").toString()).contains("out of memory");
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.report.FinalLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every run ends with one structured line, and {@code pixiv-launch} reads the line the real
 * command prints (the launcher's own reader is on this module's test class path).
 */
@Timeout(120)
class FinalLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeSite site;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
  }

  @AfterEach
  void stop() {
    site.close();
    Logging.format("text");
  }

  private Cli.Result scrape(String... more) throws IOException {
    List<String> args = scrapeArgs("--report", dir.resolve("report.json").toString(),
        "--shard", "0/1");
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static String finalLineOf(String err) {
    List<String> marked = err.lines().filter(l -> l.startsWith(FinalLine.MARKER + " ")).toList();
    assertThat(marked).as(err).hasSize(1);
    assertThat(err.strip()).as("the final line is the last one").endsWith(marked.get(0));
    return marked.get(0);
  }

  @Test
  void theFinalLineCarriesTheReportsCountsAndTheLaunchersReaderReadsThem() throws IOException {
    Cli.Result r = scrape("--run-id", "week-49");

    assertThat(r.code()).as(r.err()).isZero();
    String line = finalLineOf(r.err());
    JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
    FinalLine f = FinalLine.find(line).orElseThrow();
    assertThat(f.command()).isEqualTo("scrape");
    assertThat(f.runId()).isEqualTo("week-49");
    assertThat(f.shard()).isEqualTo(report.path("shard").asText());
    assertThat(f.stopReason()).isEqualTo("COMPLETED");
    assertThat(f.exitCode()).isZero();
    assertThat(f.itemsProcessed()).isEqualTo(report.at("/items/processed").asLong())
        .isEqualTo(12);
    assertThat(f.rowsWritten()).isEqualTo(report.at("/rows/written").asLong());
    assertThat(f.requests()).isEqualTo(report.at("/fetch/requests").asLong()).isPositive();
    assertThat(f.retries()).isEqualTo(report.at("/fetch/retries").asLong());
    assertThat(f.qps()).isEqualTo(1000.0);
    assertThat(f.elapsedSeconds()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aBlockedRunSaysSoInItsFinalLineAlsoWithJsonLogs() throws IOException {
    site.answering((path, nth) -> new FakeSite.Answer(503, FakeSite.CHALLENGE));
    List<String> args = scrapeArgs("--blocked-limit", "3", "--max-attempts", "1");
    // One page at a time: with four in flight, five 503 answers could end before three were
    // parsed, and the circuit breaker (five items of server errors) spoke first.
    args.set(args.indexOf("--concurrency") + 1, "1");
    Cli.Result r = Cli.run(concat(List.of("--log-format", "json"), args));

    assertThat(r.code()).isEqualTo(75);
    FinalLine f = FinalLine.find(finalLineOf(r.err())).orElseThrow();
    assertThat(f.stopReason()).isEqualTo("BLOCKED");
    assertThat(f.exitCode()).isEqualTo(75);
    assertThat(f.rowsWritten()).isZero();
  }

  private List<String> scrapeArgs(String... more) throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, ScrapeCommandTest.urls(12));
    List<String> args = new ArrayList<>(List.of("scrape", "--source", src.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", site.origin(),
        "--qps", "1000", "--concurrency", "4", "--backoff", "10ms", "--progress", "none"));
    args.addAll(List.of(more));
    return args;
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"scrape", "resolve", "replay"})
  void anUnexpectedErrorBeforeTheEngineRunsStillEndsTheLogWithTheLine(String command)
      throws IOException {
    Files.writeString(dir.resolve("names.txt"), "初音ミク\n");
    Files.createDirectories(dir.resolve("archive"));
    List<String> args = switch (command) {
      case "scrape" -> scrapeArgs();
      case "resolve" -> List.of("resolve", "--names", dir.resolve("names.txt").toString(),
          "--sink", dir.resolve("names.ndjson").toString(), "--origin", site.origin());
      default -> List.of("replay", "--archive", dir.resolve("archive").toString(),
          "--sink", dir.resolve("rows.ndjson").toString());
    };
    StringWriter err = new StringWriter();
    CommandLine cli =
        Main.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    // A bug stands in: the shard options lost, so that the run's setup throws an NPE.
    Object c = cli.getSubcommands().get(command).getCommand();
    if (c instanceof ScrapeCommand scrape) {
      scrape.shardOptions = null;
    } else if (c instanceof ResolveCommand resolve) {
      resolve.shardOptions = null;
    } else {
      ((ReplayCommand) c).shardOptions = null;
    }

    int code = cli.execute(args.toArray(String[]::new));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("pixiv: internal error: java.lang.NullPointerException");
    FinalLine f = FinalLine.find(finalLineOf(err.toString())).orElseThrow();
    assertThat(f.command()).isEqualTo(command);
    assertThat(f.stopReason()).isEqualTo("INTERNAL_ERROR");
    assertThat(f.exitCode()).isEqualTo(1);
    assertThat(f.itemsProcessed()).isZero();
  }

  @Test
  void aRunStoppedBeforeItsEngineReportedCarriesNoDriftVerdict() throws IOException {
    // A refused option and a source that is not there: no page was judged, so the line says
    // no verdict rather than TOO_FEW_PAGES, the verdict of a run that judged too few pages.
    Cli.Result refused = Cli.run(scrapeArgs("--report", dir.toString()).toArray(String[]::new));
    Cli.Result noSource = Cli.run("scrape", "--source", dir.resolve("none.txt").toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", site.origin(),
        "--progress", "none");

    assertThat(refused.code()).as(refused.err()).isEqualTo(2);
    assertThat(noSource.code()).as(noSource.err()).isEqualTo(2);
    JsonNode r = lineJson(finalLineOf(refused.err()));
    JsonNode n = lineJson(finalLineOf(noSource.err()));
    assertThat(r.path("stop_reason").asText()).isEqualTo("REFUSED");
    assertThat(n.path("stop_reason").asText()).isEqualTo("SOURCE_FAILED");
    for (JsonNode o : List.of(r, n)) {
      assertThat(o.has("drift")).as(o.toString()).isTrue();
      assertThat(o.get("drift").isNull()).as(o.toString()).isTrue();
    }
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aCommandLineThatCannotBeReadEndsWithTheLineAsEveryOtherUsageErrorDoes() throws IOException {
    // Before, an unknown option or a bad value ended the log with "Try ... --help" and no line:
    // the Job report could not tell the pod's exit 2 from a pod killed without a word.
    Path args = Files.writeString(dir.resolve("weekly.args"), "scrape --qps fast\n");
    List<Cli.Result> unread = List.of(
        Cli.run(scrapeArgs("--bogus").toArray(String[]::new)),
        Cli.run("--bogus", "resolve", "--names", "n.txt"),
        Cli.run("replay", "--archive", dir.toString(), "--threads", "many"),
        Cli.run("@" + args));

    for (Cli.Result r : unread) {
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("--help'.");
      FinalLine f = FinalLine.find(finalLineOf(r.err())).orElseThrow();
      assertThat(f.stopReason()).isEqualTo("REFUSED");
      assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
    assertThat(List.of(FinalLine.find(finalLineOf(unread.get(1).err())).orElseThrow().command(),
        FinalLine.find(finalLineOf(unread.get(2).err())).orElseThrow().command()))
        .containsExactly("resolve", "replay");
    // A dry run (and a command of no run) prints none, as when its command line can be read;
    // also when an argument file asks for it.
    Path dry = Files.writeString(dir.resolve("dry.args"), "--dry-run\n");
    for (String[] none : List.of(new String[] {"scrape", "--dry-run", "--bogus"},
        new String[] {"replay", "--dry-run", "--threads", "many"},
        new String[] {"scrape", "@" + dry, "--bogus"},
        new String[] {"parse", "--bogus"})) {
      Cli.Result r = Cli.run(none);
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).doesNotContain(FinalLine.MARKER);
    }
  }

  @Test
  void aReportNameTooLongOnceTmpIsAddedIsRefusedBeforeAnyRequestNotAfterTheRun()
      throws IOException {
    // 251 + ".json" = 256 bytes: too long as it is; 250 + ".json" fits, its ".tmp" does not.
    for (String name : List.of("q".repeat(250) + ".json", "q".repeat(251) + ".json")) {
      Cli.Result r = Cli.run(scrapeArgs("--report", dir.resolve(name).toString())
          .toArray(String[]::new));

      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--report").contains("File name too long");
      assertThat(lineJson(finalLineOf(r.err())).path("stop_reason").asText())
          .isEqualTo("REFUSED");
    }
    Cli.Result inNewDir = Cli.run(scrapeArgs("--report",
        dir.resolve("new-dir").resolve("q".repeat(250) + ".json").toString())
        .toArray(String[]::new));
    assertThat(inNewDir.code()).as("in a directory not made yet: " + inNewDir.err())
        .isEqualTo(2);
    assertThat(site.articleRequests.get()).isZero();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no probe or temporary file left")
          .noneMatch(n -> n.startsWith("qqq") || n.startsWith(".pixiv-probe"));
    }
  }

  @Test
  void aRunThatJudgedItsPagesCarriesTheDriftGuardsVerdict() throws IOException {
    Cli.Result r = scrape();

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
    assertThat(lineJson(finalLineOf(r.err())).path("drift").asText())
        .isEqualTo(report.at("/drift/verdict").asText()).isEqualTo("TOO_FEW_PAGES");
  }

  private static JsonNode lineJson(String line) throws IOException {
    return JSON.readTree(line.substring(FinalLine.MARKER.length() + 1));
  }

  @Test
  void theLauncherFindsTheLineAfterAProgressBarAndIgnoresLinesThatOnlyLookLikeIt() {
    assertThat(FinalLine.find("[===] 3/3\r" + FinalLine.MARKER
        + " {\"command\":\"scrape\",\"exit_code\":75,\"stop_reason\":\"BLOCKED\"}"))
        .hasValueSatisfying(f -> assertThat(f.exitCode()).isEqualTo(75));
    assertThat(FinalLine.find("the word " + FinalLine.MARKER + " in a message")).isEmpty();
    assertThat(FinalLine.find(FinalLine.MARKER + " {\"exit_code\":")).isEmpty();
    assertThat(FinalLine.find(FinalLine.MARKER + " {\"exit_code\":\"zero\"}")).isEmpty();
  }

  @Test
  void bothCommandsUseTheSameMarker() {
    assertThat(dev.pixivdic.cli.FinalLine.MARKER).isEqualTo(FinalLine.MARKER);
  }
}

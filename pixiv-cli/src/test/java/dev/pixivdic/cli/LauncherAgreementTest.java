package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.launcher.manifest.JobSpec;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.launcher.manifest.ScrapeModel;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code pixiv-launch} and the {@code pixiv} command its pods run agree: the launcher's
 * description of {@code pixiv scrape} is generated from the command, the exit codes its pod
 * failure policy treats as fatal are {@code pixiv}'s, and both give the same verdict on the same
 * arguments. (These tests live here because this module already has the launcher on its test
 * class path; the launcher's main code cannot depend on this module.)
 */
class LauncherAgreementTest {
  private static final List<String> LAUNCHER_ARGS = List.of("--shards", "4", "--qps", "0.05");

  @Test
  void theLaunchersDescriptionOfPixivScrapeIsGeneratedFromTheCommandItself() throws IOException {
    String generated = ScrapeModelDescription.render();
    if (Boolean.getBoolean("pixiv.launcher.model.write")) {
      Files.createDirectories(ScrapeModelDescription.FILE.getParent());
      Files.writeString(ScrapeModelDescription.FILE, generated, StandardCharsets.UTF_8);
    }
    String onDisk = Files.exists(ScrapeModelDescription.FILE)
        ? Files.readString(ScrapeModelDescription.FILE, StandardCharsets.UTF_8) : "";
    assertThat(onDisk)
        .as("%s is stale: pixiv scrape's options or exit codes changed. Regenerate it with%n  %s",
            ScrapeModelDescription.FILE, ScrapeModelDescription.REGENERATE)
        .isEqualTo(generated);
    assertThat(ScrapeModel.bundled().exitCodes()).as("the description the launcher ships")
        .isEqualTo(ScrapeModel.parse(generated).exitCodes());
  }

  @Test
  void theJobFailsAtOnceOnExactlyPixivsUsageAndParseBreakageCodes() {
    JsonNode job = ManifestBuilder.build(spec(List.of("--source", "urls.txt")));

    List<Integer> failJob = new ArrayList<>();
    for (JsonNode rule : job.at("/spec/podFailurePolicy/rules")) {
      if (rule.path("action").asText().equals("FailJob")) {
        rule.at("/onExitCodes/values").forEach(v -> failJob.add(v.asInt()));
        assertThat(rule.at("/onExitCodes/operator").asText()).isEqualTo("In");
      }
    }
    assertThat(failJob).containsExactlyInAnyOrder(ExitCodes.USAGE, ExitCodes.PARSE_BREAKAGE);
    assertThat(ScrapeModel.bundled().exitCode(ScrapeModel.RETRY_LATER))
        .isEqualTo(ExitCodes.TEMPORARY);
    assertThat(ScrapeModel.bundled().exitCode(ScrapeModel.RETRY)).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void bothCommandsTakeTheWebhookOptionsTheSameWay() {
    CommandLine.Model.CommandSpec scrape = Main.commandLine(new java.io.PrintWriter(
        java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()))
        .getSubcommands().get("scrape").getCommandSpec();
    CommandLine.Model.CommandSpec run = dev.pixivdic.launcher.Main.model().getSubcommands()
        .get("run").getCommandSpec();
    for (String name : List.of("--notify", "--notify-format", "--notify-on")) {
      CommandLine.Model.OptionSpec ours = scrape.findOption(name);
      CommandLine.Model.OptionSpec theirs = run.findOption(name);
      assertThat(ours).as("pixiv scrape " + name).isNotNull();
      assertThat(theirs).as("pixiv-launch run " + name).isNotNull();
      assertThat(ours.paramLabel()).as(name).isEqualTo(theirs.paramLabel());
      assertThat(ours.defaultValue()).as(name).isEqualTo(theirs.defaultValue());
    }
  }

  @Test
  void theLaunchersOwnCodesMeanWhatPixivsCodesOfTheSameNumberMean() {
    assertThat(dev.pixivdic.launcher.run.ExitCodes.USAGE).isEqualTo(ExitCodes.USAGE);
    assertThat(dev.pixivdic.launcher.run.ExitCodes.UNAVAILABLE).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(dev.pixivdic.launcher.run.ExitCodes.SIGINT).isEqualTo(ExitCodes.SIGINT);
    assertThat(dev.pixivdic.launcher.run.ExitCodes.SIGTERM).isEqualTo(ExitCodes.SIGTERM);
  }

  static Stream<Arguments> verdicts() {
    return Stream.of(
        row(true, "--source", "urls.txt"),
        row(true, "--source", "bq:myproj.d.t", "--sink", "bq:myproj.d.u", "--location",
            "asia-northeast1"),
        row(true, "--source=urls.txt", "--dry-run"),
        row(true, "--source", "-", "--strict", "--concurrency", "4", "--refresh-after", "30s"),
        row(true, "--source", "urls.txt", "--source-format", "csv"),
        row(true, "--source", "urls.txt", "--source-format", "NDJSON", "--progress", "LINES"),
        row(true, "--source", "urls.txt", "--batch-index", "3"),
        row(true, "--source", "urls.txt", "--batch_index", "3", "--batch-size", "50"),
        row(true, "--source", "urls.txt", "--pass-through", "a,b", "--pass-through", "c"),
        row(true, "--source", "urls.txt", "--log-format", "TEXT"),
        row(
            true,
            "--source",
            "urls.txt",
            "--origin",
            "http://127.0.0.1:8080",
            "--max-bytes-billed",
            "1000"),
        row(true, "--source", "urls.txt", "--source", "other.txt"),
        row(true, "--source", "urls.txt", "--drift-threshold", "1", "--flush-interval", "15m"),
        row(false, "--source", "urls.txt", "--drift-threshold", "NaN"),
        row(false, "--source", "urls.txt", "--drift-threshold", "0.5d"),
        row(false, "--source", "urls.txt", "--drift-threshold", "0x1p-1"),
        row(true, "--source", "urls.txt", "--drift-threshold", ".5"),
        row(true, "--source", "urls.txt", "--drift-threshold", "5e-1"),
        row(false, "--source", "urls.txt", "--drift-threshold", "0"),
        row(true, "--source", "urls.txt", "--concurrency", "64", "--limit", "1"),
        row(false, "--source", "urls.txt", "--concurrency", "0"),
        row(false, "--source", "urls.txt", "--concurrency", "65"),
        row(false, "--source", "urls.txt", "--limit", "0"),
        row(false, "--source", "urls.txt", "--max-attempts", "21"),
        row(false, "--source", "urls.txt", "--batch-index", "-1"),
        row(false, "--source", "urls.txt", "--batch-index", "1", "--batch-size", "0"),
        row(false, "--source", "urls.txt", "--bigquery-attempts", "0"),
        row(true, "--source", "urls.txt", "--origin", " http://127.0.0.1:8080 "),
        row(false, "--source", "urls.txt", "--origin", "http://u:secret@exa mple"),
        row(true, "--source", "u.txt", "--refresh-after", "7d", "--flush-interval", "PT15M"),
        row(true, "--source", "u.txt", "--backoff", "500ms", "--request-timeout", "4m30s"),
        row(false, "--source", "u.txt", "--refresh-after", "6"),
        row(false, "--source", "u.txt", "--refresh-after", "99999d"),
        row(false, "--source", "u.txt", "--request-timeout", "500ms"),
        row(false, "--source", "u.txt", "--bigquery-timeout", "50ms"),
        row(false),
        row(false, "--sink", "out.ndjson"),
        row(false, "--source"),
        row(false, "--source", "--sink", "out.ndjson"),
        row(false, "--source", "urls.txt", "--concurrency", "abc"),
        row(false, "--source", "urls.txt", "--concurrency", "99999999999"),
        row(false, "--source", "urls.txt", "--concurrency", "0x10"),
        row(false, "--source", "urls.txt", "--limit", "\uFF11\uFF10\uFF10"),
        row(false, "--source", "urls.txt", "--concurrency", "\u0663"),
        row(false, "--source", "urls.txt", "--max-bytes-billed", "\u0661\u0660\u0660\u0660"),
        row(true, "--source", "urls.txt", "--limit", " 100 "),
        row(true, "--source", "urls.txt", "--max-bytes-billed", "1000\t"),
        row(false, "--source", "urls.txt", "--max-bytes-billed", "1.5"),
        row(false, "--source", "urls.txt", "--no-such-option"),
        row(false, "--source", "urls.txt", "extra"),
        row(false, "--source", "urls.txt", "--", "extra"),
        row(false, "--source", "urls.txt", "--source-format", "xml"),
        row(false, "--source", "urls.txt", "--progress", "sometimes"),
        row(false, "--source", "urls.txt", "--refresh-after", "soon"),
        row(false, "--source", "urls.txt", "--batch-size", "50"),
        row(false, "--source", "urls.txt", "--log-format", "xml"),
        row(false, "--source", "urls.txt", "--origin", "http://exa mple"),
        row(false, "--source", "urls.txt", "--dry-run=maybe"),
        row(true, "--source", "urls.txt", "--sink-mode", "append"),
        row(true, "--source", "bq:myproj.d.t", "--sink", "bq:myproj.d.u", "--sink-mode", " MERGE"),
        row(false, "--source", "urls.txt", "--sink-mode", "merge"),
        row(false, "--source", "urls.txt", "--sink", "o.ndjson", "--sink-mode", "merge"),
        row(false, "--source", "u.txt", "--sink", "bq:myproj.d.u", "--sink-mode", "merge", "--sink",
            "o.ndjson"),
        row(false, "--source", "bq:myproj.d.t", "--sink", "bq:myproj.d.u", "--sink-mode", "upsert"),
        row(false, "--source", "urls.txt", "--help"),
        row(false, "--source", "urls.txt", "-V"));
  }

  private static Arguments row(boolean scrapes, String... args) {
    return Arguments.of(scrapes, Arrays.asList(args));
  }

  @ParameterizedTest(name = "{1} -> runs a scrape: {0}")
  @MethodSource("verdicts")
  void theLauncherRefusesExactlyWhatPixivScrapeRefuses(boolean scrapes, List<String> args) {
    assertThat(pixivWouldScrape(args)).as("pixiv scrape's own verdict").isEqualTo(scrapes);
    Optional<String> current =
        launcherRefusal(ScrapeModel.parse(ScrapeModelDescription.render()), args);
    assertThat(current.isEmpty())
        .as("the launcher accepts, from the command's current model; it says %s", current)
        .isEqualTo(scrapes);
    assertThat(launcherRefusal(ScrapeModel.bundled(), args)).as("the shipped launcher's verdict")
        .isEqualTo(current);
  }

  @Test
  void aRefusalNamesTheArgumentAndTheExitCodeThePodsWouldGet() {
    Optional<String> why =
        launcherRefusal(ScrapeModel.bundled(), List.of("--source", "u", "--concurency", "4"));

    assertThat(why)
        .hasValueSatisfying(
            w -> assertThat(w).contains("'--concurency'", "exit " + ExitCodes.USAGE));
  }

  @Test
  void optionsTheLauncherOwnsAreRefusedAfterTheSeparatorThoughPixivAcceptsThem() {
    Map<List<String>, String> owned = Map.of(
        List.of("--qps", "1"), "pixiv-launch --qps Q",
        List.of("--qps=1"), "pixiv-launch --qps Q",
        List.of("--shards", "8"), "pixiv-launch --shards N",
        List.of("--shard", "1/4"), "pixiv-launch --shards N",
        List.of("--shard=1/4"), "pixiv-launch --shards N");
    owned.forEach(
        (extra, advice) -> {
          List<String> args = new ArrayList<>(List.of("--source", "urls.txt"));
          args.addAll(extra);
          assertThat(pixivWouldScrape(args)).as("pixiv accepts %s", extra).isTrue();
          assertThat(launcherRefusal(ScrapeModel.bundled(), args))
              .as("the launcher refuses %s", extra)
              .hasValueSatisfying(
                  w -> assertThat(w).contains(extra.get(0).replaceAll("=.*", ""), advice));
        });
  }

  @Test
  void aRefusedValueIsNamedAsPixivNamesItAndASecretInAUrlIsNotShown() {
    assertThat(launcherRefusal(ScrapeModel.bundled(), List.of("--source", "u", "--concurrency",
        "0"))).hasValueSatisfying(w -> assertThat(w)
            .contains("--concurrency must be " + OptionRanges.of("--concurrency").orElseThrow()
                + ", was 0", "exit " + ExitCodes.USAGE));
    assertThat(launcherRefusal(ScrapeModel.bundled(), List.of("--source", "u", "--origin",
        "http://u:hunter2@exa mple/?token=t0k3n"))).hasValueSatisfying(w -> assertThat(w)
            .contains("--origin").doesNotContain("hunter2").doesNotContain("t0k3n"));
  }

  @Test
  void aSinkModeRefusalIsSaidInPixivsOwnWords() {
    List<String> args = List.of("--source", "u", "--sink", "o.ndjson", "--sink-mode", "merge");
    String pixiv = org.assertj.core.api.Assertions.catchThrowableOfType(
        ConfigException.class, () -> scrapeCommand(args).checkArguments()).getMessage();

    assertThat(launcherRefusal(ScrapeModel.bundled(), args)).hasValueSatisfying(w ->
        assertThat(w).endsWith(": " + pixiv).contains("exit " + ExitCodes.USAGE));
  }

  @Test
  void aPerPodShareBelowPixivsSmallestQpsIsRefusedAsTheLaunchersOwnValue() {
    List<String> launcher = List.of("--shards", "8", "--qps", "0.00005");
    List<String> args = new ArrayList<>(launcher);
    args.addAll(List.of("--source", "urls.txt"));
    args.add(0, "scrape");
    CommandLine.ParseResult parsed = CliReference.model().parseArgs(args.toArray(String[]::new));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OptionRanges.check(parsed))
        .as("pixiv's own verdict").isInstanceOf(CommandLine.ParameterException.class);

    assertThat(ScrapeModel.bundled().refusal(launcher, List.of("--source", "urls.txt")))
        .hasValueSatisfying(w -> assertThat(w).contains("pixiv-launch would pass every pod --qps"
            + " 0.00005", "--parallelism"));
  }

  /** Whether {@code pixiv scrape} would get past its command line and scrape. */
  private static boolean pixivWouldScrape(List<String> args) {
    List<String> all = new ArrayList<>(LAUNCHER_ARGS);
    all.addAll(args);
    try {
      all.add(0, "scrape");
      CommandLine.ParseResult top = CliReference.model().parseArgs(all.toArray(String[]::new));
      CommandLine.ParseResult r = top.subcommand();
      if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
        return false;
      }
      OptionRanges.check(top); // what pixiv checks before it runs
      ((ScrapeCommand) r.commandSpec().userObject()).checkArguments();
      return true;
    } catch (CommandLine.ParameterException | ConfigException e) {
      return false;
    }
  }

  private static ScrapeCommand scrapeCommand(List<String> args) {
    List<String> all = new ArrayList<>(List.of("scrape"));
    all.addAll(LAUNCHER_ARGS);
    all.addAll(args);
    return (ScrapeCommand) CliReference.model().parseArgs(all.toArray(String[]::new))
        .subcommand().commandSpec().userObject();
  }

  private static Optional<String> launcherRefusal(ScrapeModel model, List<String> args) {
    return model.refusal(LAUNCHER_ARGS, args);
  }

  private static JobSpec spec(List<String> args) {
    return new JobSpec(
        "j",
        Optional.of("batch"),
        Optional.empty(),
        "img:1",
        "IfNotPresent",
        4,
        4,
        new BigDecimal("0.2"),
        1,
        Duration.ofHours(6),
        Duration.ofHours(1),
        "500m",
        "512Mi",
        Map.of(),
        List.of(),
        Map.of(),
        Map.of(),
        true,
        args);
  }
}

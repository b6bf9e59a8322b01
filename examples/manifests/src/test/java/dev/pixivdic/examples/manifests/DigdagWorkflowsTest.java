package dev.pixivdic.examples.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Digdag workflows are YAML: this checks what they promise (schedule, retries, the launcher
 * call and its flags, variables, no secrets). Digdag's own loader and compiler read them in
 * {@code examples/digdag} (DigdagParserTest), isolated there with Digdag's old dependency tree.
 */
class DigdagWorkflowsTest {

  /** The options of {@code pixiv-launch run}, from its own command model. */
  static final Set<String> LAUNCHER_OPTIONS = Set.copyOf(dev.pixivdic.launcher.Main.model()
      .getSubcommands().get("run").getCommandSpec().optionsMap().keySet());

  /** Variables Digdag defines for every session. */
  static final Set<String> BUILT_IN = Set.of("session_uuid", "session_time", "session_date",
      "session_date_compact", "session_local_time", "session_tz_offset", "session_unixtime",
      "session_id", "attempt_id", "task_name", "timezone", "project_id");

  private static final Pattern SECRET = Pattern.compile(
      "(?i)(password|passwd|secret\\s*[:=]|token\\s*[:=]|BEGIN [A-Z ]*PRIVATE KEY|ya29\\.|"
          + "AIza[0-9A-Za-z_-]{10,}|client_secret)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern FLAG = Pattern.compile("(?<=\\s|^)(--[a-z][a-z0-9-]*)");

  static List<Path> workflows() {
    return RepoFiles.list("examples/digdag", ".dig");
  }

  @Test
  void bothWorkflowsAreThere() {
    assertThat(workflows()).extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("pixiv_scraping.dig", "pixiv_resolve_and_scraping.dig");
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void runsWeeklyOnMondayAt4InTokyo(Path file) {
    JsonNode dig = single(file);
    assertThat(dig.path("timezone").asText()).isEqualTo("Asia/Tokyo");
    assertThat(dig.path("schedule").path("weekly>").asText()).isEqualTo("Mon,04:00:00");
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void everyTaskRetriesAndExecsItsCommandSoSignalsReachTheJvm(Path file) {
    List<Map.Entry<String, JsonNode>> tasks = tasks(single(file));
    assertThat(tasks).isNotEmpty();
    for (Map.Entry<String, JsonNode> t : tasks) {
      JsonNode retry = t.getValue().path("_retry");
      assertThat(retry.isMissingNode()).as(t.getKey() + " has _retry").isFalse();
      int limit = retry.isObject() ? retry.path("limit").asInt() : retry.asInt();
      assertThat(limit).as(t.getKey() + " retry limit").isBetween(1, 5);
      assertThat(t.getValue().path("sh>").asText()).as(t.getKey()).startsWith("exec ./pixiv");
    }
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void theScrapeTaskLaunchesOneIndexedJobOf40ShardsFromBigQueryToBigQuery(Path file) {
    JsonNode scrape = single(file).path("+scrape");
    String sh = scrape.path("sh>").asText();
    assertThat(sh).startsWith("exec ./pixiv-launch run ");
    String[] parts = sh.split("(?m)^\\s*--\\s*\\\\?\\s*$", 2);
    assertThat(parts).as("launcher options, then -- and the scrape's").hasSize(2);
    String launcher = parts[0];
    String scrapeArgs = parts[1];
    assertThat(launcher).containsPattern("--name pixiv-\\$\\{session_uuid}\\s")
        .containsPattern("--shards \\$\\{shards}\\s")
        .containsPattern("--parallelism \\$\\{parallelism}\\s")
        .containsPattern("--qps \\$\\{qps}\\s").containsPattern("--image \\$\\{image}\\s");
    JsonNode export = single(file).path("_export");
    assertThat(export.path("shards").asInt()).isEqualTo(40);
    assertThat(export.path("parallelism").asInt()).isBetween(1, 40);
    assertThat(export.path("qps").asDouble()).as("one request every 5 s at most, as the original")
        .isPositive().isLessThanOrEqualTo(0.2);
    assertThat(flags(launcher))
        .allSatisfy(f -> assertThat(LAUNCHER_OPTIONS).as("pixiv-launch option").contains(f));
    assertThat(scrapeArgs)
        .containsPattern("--source bq:\\S+\\.pixiv_search_middle_class_ip_name_url\\s")
        .containsPattern("--sink bq:\\S+\\.pixiv_detail_info\\s");
    assertThat(single(file).path("_export").path("image").asText())
        .matches("[a-z0-9.-]+/[^:]+/pixiv:[A-Za-z0-9_.-]+").doesNotEndWith(":latest");
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void everyVariableIsExportedOrBuiltIn(Path file) {
    JsonNode dig = single(file);
    Matcher m = VARIABLE.matcher(RepoFiles.JSON.valueToTree(dig).toString());
    while (m.find()) {
      String v = m.group(1);
      assertThat(BUILT_IN.contains(v) || dig.path("_export").has(v))
          .as(file.getFileName() + ": ${" + v + "} is neither exported nor built in").isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("workflows")
  void holdsNoSecret(Path file) {
    assertThat(SECRET.matcher(RepoFiles.read("examples/digdag/" + file.getFileName())).find())
        .as(file + " looks like it holds a credential").isFalse();
  }

  @Test
  void theSecretCheckWouldNoticeACredential() {
    assertThat(SECRET.matcher("_env:\n  BQ_PASSWORD: hunter2").find()).isTrue();
    assertThat(SECRET.matcher("-----BEGIN RSA PRIVATE KEY-----").find()).isTrue();
    assertThat(SECRET.matcher("--name pixiv-${session_uuid}").find()).isFalse();
  }

  /** The options of {@code pixiv-launch notify}. */
  static final Set<String> NOTIFY_OPTIONS = Set.copyOf(dev.pixivdic.launcher.Main.model()
      .getSubcommands().get("notify").getCommandSpec().optionsMap().keySet());

  @ParameterizedTest
  @MethodSource("workflows")
  void aFailureSendsTheNoticeWithTheJobReportOfTheLastAttemptAndNoUrlInTheFile(Path file) {
    JsonNode dig = single(file);
    String error = dig.path("_error").path("sh>").asText();
    assertThat(error).startsWith("exec ./pixiv-launch notify ")
        .containsPattern("--notify env:PIXIV_NOTIFY_URL\\s");
    assertThat(flags(error)).allSatisfy(
        f -> assertThat(NOTIFY_OPTIONS).as("pixiv-launch notify option").contains(f));
    Matcher read = Pattern.compile("--job-report (\\S+)").matcher(error);
    Matcher written = Pattern.compile("--report (\\S+)")
        .matcher(dig.path("+scrape").path("sh>").asText());
    assertThat(read.find()).as("the notice includes a Job report").isTrue();
    assertThat(written.find()).as("+scrape writes one").isTrue();
    assertThat(read.group(1)).as("the one +scrape writes, for this session")
        .isEqualTo(written.group(1)).contains("${session_uuid}");
  }

  @Test
  void theResolveWorkflowResolvesBeforeItScrapes() {
    JsonNode dig = single(RepoFiles.path("examples/digdag/pixiv_resolve_and_scraping.dig"));
    List<String> order = tasks(dig).stream().map(Map.Entry::getKey).toList();
    assertThat(order).containsExactly("+resolve", "+scrape");
    assertThat(dig.path("+resolve").path("sh>").asText()).startsWith("exec ./pixiv resolve ")
        .as("the same site budget as the Job").containsPattern("--qps \\$\\{qps}\\s");
  }

  static List<String> flags(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = FLAG.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static JsonNode single(Path file) {
    List<JsonNode> docs = RepoFiles.yamlDocuments(file);
    assertThat(docs).as(file + " is one YAML document").hasSize(1);
    return docs.get(0);
  }

  private static List<Map.Entry<String, JsonNode>> tasks(JsonNode dig) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : dig.properties()) {
      if (e.getKey().startsWith("+")) {
        out.add(e);
      }
    }
    return out;
  }
}

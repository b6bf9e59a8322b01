package dev.pixivdic.examples.rehearsal.digdag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A workflow's task as Digdag would run it: its parameters, its command, its shell. */
class DigdagTaskTest {

  static final Path DIGDAG =
      Path.of(System.getProperty("pixiv.repo.root", "../..")).resolve("examples/digdag");
  static final UUID ID = UUID.fromString("0b5d3c1e-7c8e-4a51-9d1e-2f7a1c9b6e42");
  static final ZonedDateTime MONDAY =
      ZonedDateTime.of(2026, 11, 30, 4, 0, 0, 0, ZoneId.of("Asia/Tokyo"));

  @TempDir Path dir;

  private Workflow workflow(String body) throws Exception {
    Path file = dir.resolve("wf.dig");
    Files.writeString(file, "timezone: Asia/Tokyo\n" + body);
    return Workflow.load(file);
  }

  private static Session session(Map<String, String> edits, Map<String, String> params) {
    return new Session(ID, MONDAY, edits, params);
  }

  @Test
  void theShippedScrapeTaskRendersWithTheCopysValuesAndTheSessionUuid() throws Exception {
    Workflow w = Workflow.load(DIGDAG.resolve("pixiv_scraping.dig"));
    Workflow.Task scrape = w.task("scrape");
    Session s =
        session(
            Map.of(
                "image",
                "registry.example/pixiv/pixiv:abc123",
                "project",
                "my-project",
                "shards",
                "3"),
            Map.of());

    String command = s.render(w, scrape);

    assertThat(w.tasks())
        .extracting(Workflow.Task::fullName)
        .containsExactly("+pixiv_scraping+scrape");
    assertThat(scrape.retryLimit()).isEqualTo(2);
    assertThat(command)
        .startsWith("exec ./pixiv-launch run")
        .doesNotContain("${")
        .contains(
            "--name pixiv-" + ID + " ",
            "--image registry.example/pixiv/pixiv:abc123 ",
            "--shards 3 ",
            "--parallelism 4 ",
            "--qps 0.2 ",
            "--source bq:my-project.pixiv.pixiv_search_middle_class_ip_name_url");
  }

  @Test
  void theResolveWorkflowResolvesBeforeItScrapesWithTheSameBudget() throws Exception {
    Workflow w = Workflow.load(DIGDAG.resolve("pixiv_resolve_and_scraping.dig"));
    Session s = session(Map.of("qps", "0.1"), Map.of());

    assertThat(w.tasks())
        .extracting(Workflow.Task::fullName)
        .containsExactly(
            "+pixiv_resolve_and_scraping+resolve", "+pixiv_resolve_and_scraping+scrape");
    assertThat(s.render(w, w.task("resolve")))
        .startsWith("exec ./pixiv resolve")
        .contains("--qps 0.1")
        .contains("--names bq:PROJECT_ID.pixiv.middle_class_ip_master");
    assertThat(s.render(w, w.task("scrape"))).contains("--qps 0.1 ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pixiv_scraping.dig", "pixiv_resolve_and_scraping.dig"})
  void theFailureNoticeReadsTheJobReportThatTheScrapeOfTheSameSessionWrites(String file)
      throws Exception {
    Workflow w = Workflow.load(DIGDAG.resolve(file));
    Session s = session(Map.of(), Map.of());
    Workflow.Task error = w.errorTask().orElseThrow();

    String notice = s.render(w, error);

    assertThat(error.fullName()).endsWith("^error");
    assertThat(notice).startsWith("exec ./pixiv-launch notify").doesNotContain("${")
        .contains("--notify env:PIXIV_NOTIFY_URL", "2026-11-30T04:00:00+09:00",
            "--job-report /tmp/pixiv-job-report-" + ID + ".json");
    assertThat(s.render(w, w.task("scrape")))
        .contains("--report /tmp/pixiv-job-report-" + ID + ".json ");
  }

  @Test
  void aSessionParameterFillsWhatIsNotExportedButCannotOverrideAnExportedValue() throws Exception {
    Workflow w = workflow("_export:\n  image: shipped\n+t:\n  sh>: echo ${image} ${extra}\n");

    Session s = session(Map.of(), Map.of("image", "from-p", "extra", "from-p"));

    String command = s.render(w, w.task("t"));

    assertThat(command).isEqualTo("echo shipped from-p");
  }

  @Test
  void theBuiltInVariablesAreDigdagsAndWinOverParameters() throws Exception {
    Workflow w =
        workflow(
            "+t:\n  sh>: echo ${session_uuid} ${session_time}"
                + " ${session_date_compact} ${task_name}\n");

    String command = session(Map.of(), Map.of("session_uuid", "mine")).render(w, w.task("t"));

    assertThat(command).isEqualTo("echo " + ID + " 2026-11-30T04:00:00+09:00 20261130 +wf+t");
  }

  @Test
  void aReferenceNothingDefinesIsRefusedNamingIt() throws Exception {
    Workflow w = workflow("_export:\n  image: x\n+t:\n  sh>: echo ${imgae}\n");

    assertThatThrownBy(() -> session(Map.of(), Map.of()).render(w, w.task("t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("${imgae}");
  }

  @Test
  void anExpressionIsRefusedRatherThanGuessed() throws Exception {
    Workflow w = workflow("+t:\n  sh>: echo ${session_date.substring(0, 4)}\n");

    assertThatThrownBy(() -> session(Map.of(), Map.of()).render(w, w.task("t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expression");
  }

  @Test
  void anEditOfANameTheExportBlockLacksIsRefused() throws Exception {
    Workflow w = workflow("_export:\n  image: x\n+t:\n  sh>: echo ${image}\n");

    assertThatThrownBy(() -> session(Map.of("imgae", "y"), Map.of()).render(w, w.task("t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imgae");
  }

  @Test
  void onlyShellTasksAreRehearsed() {
    assertThatThrownBy(() -> workflow("+t:\n  echo>: hello\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only sh>");
  }

  @Test
  void theShellGetsTheCommandOnStdinInTheProjectWithTheParametersAsEnvironment() throws Exception {
    Workflow w =
        workflow(
            "_export:\n  image: shipped\n+t:\n  sh>: |\n    pwd\n"
                + "    echo \"$image $session_uuid $HOST_ONLY\" >&2\n    exit 3\n");
    Session s = session(Map.of(), Map.of());
    List<String> lines = new CopyOnWriteArrayList<>();

    ShTask task =
        ShTask.start(
            s.render(w, w.task("t")),
            dir,
            Map.of("HOST_ONLY", "host", "PATH", "/usr/bin:/bin"),
            s.variables(w, w.task("t")),
            lines::add);

    assertThat(task.await(Duration.ofSeconds(20))).isEqualTo(3);
    assertThat(lines).containsExactly(dir.toRealPath().toString(), "shipped " + ID + " host");
  }
}

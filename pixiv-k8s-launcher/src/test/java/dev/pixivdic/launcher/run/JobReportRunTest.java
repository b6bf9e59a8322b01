package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.createdAt;
import static dev.pixivdic.launcher.run.Fixtures.running;
import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.report.JobReport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Job report gathers the final line each pod printed, against the fake API server. */
@Timeout(60)
class JobReportRunTest {
  private static TestPki pki;
  @TempDir Path dir;
  private Harness h;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private static Instant t(double seconds) {
    return RunTest.t(seconds);
  }

  private static String finalLine(String shard, String stop, int exit, long items, long rows,
      long retries, long requests) {
    return "PIXIV_RESULT {\"v\":1,\"command\":\"scrape\",\"run_id\":\"r-" + shard.charAt(0)
        + "\",\"shard\":\"" + shard + "\",\"stop_reason\":\"" + stop + "\",\"exit_code\":" + exit
        + ",\"items_processed\":" + items + ",\"items_failed\":0,\"rows_written\":" + rows
        + ",\"rows_dropped\":0,\"requests\":" + requests + ",\"retries\":" + retries
        + ",\"elapsed_seconds\":10.0,\"qps\":0.1}";
  }

  private void podRuns(String pod, int index, PodLog log, int exitCode, String reason)
      throws Exception {
    h.podWatch.event("MODIFIED", running(pod, index));
    log.finish();
    h.podWatch.event("MODIFIED", terminated(pod, index, exitCode, reason, null));
  }

  @Test
  void aFailedShardARetriedShardAndAPodThatDiedSilentlyAreEachReportedAsSuch() throws Exception {
    h = new Harness(pki, dir, 3, false).startCreated();
    PodLog ok = h.log("p0").line(t(1), "working")
        .line(t(2), finalLine("0/3", "COMPLETED", 0, 10, 9, 1, 11));
    PodLog partly = h.log("p1-a").line(t(1), finalLine("1/3", "COMPLETED", 75, 3, 2, 4, 7));
    PodLog retried = h.log("p1-b").line(t(3), "\r[====] 5/5" + "\r"
        + finalLine("1/3", "COMPLETED", 0, 5, 5, 0, 5));
    PodLog died = h.log("p2").line(t(1), "working").line(t(2), "still working");
    h.finalPods(terminated("p0", 0, 0, "Completed", null),
        terminated("p1-a", 1, 75, "Error", null), terminated("p1-b", 1, 0, "Completed", null),
        terminated("p2", 2, 137, "OOMKilled", null));
    h.podWatch.awaitOpened();
    podRuns("p0", 0, ok, 0, "Completed");
    podRuns("p1-a", 1, partly, 75, "Error");
    h.awaitOut("[1/p1-a] PIXIV_RESULT");
    podRuns("p1-b", 1, retried, 0, "Completed");
    podRuns("p2", 2, died, 137, "OOMKilled");
    h.awaitOut("[2/p2] still working");
    h.awaitOut("[1/p1-b] PIXIV_RESULT");
    h.awaitOut("[0/p0] PIXIV_RESULT");
    h.clock.advance(Duration.ofSeconds(100));
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Failed", "FailedIndexes",
        "Job has failed indexes"));

    assertThat(h.exitCode()).isNotZero();
    JobReport report = h.runner.report(new BigDecimal("0.2"));

    assertThat(report.shards()).extracting(JobReport.Shard::outcome)
        .containsExactly("COMPLETED", "COMPLETED", JobReport.NO_FINAL_LINE);
    JobReport.Shard retriedShard = report.shards().get(1);
    assertThat(retriedShard.attempts()).isEqualTo(2);
    assertThat(retriedShard.requests()).as("both attempts' requests").isEqualTo(12);
    assertThat(retriedShard.rows()).isEqualTo(7);
    assertThat(report.shards().get(2).exitCode()).contains(137);
    assertThat(report.shards().get(2).note()).contains("p2", "137", "OOMKilled");
    assertThat(report.reported()).isEqualTo(2);
    assertThat(report.wall()).isEqualTo(Duration.ofSeconds(100));
    // 23 requests in 100 s against 0.2/s: 1.15 of the budget
    assertThat(report.budgetShare()).isCloseTo(1.15, org.assertj.core.data.Offset.offset(1e-9));
    JsonNode json = report.json();
    assertThat(json.at("/total/coverage").asDouble()).isCloseTo(2 / 3.0,
        org.assertj.core.data.Offset.offset(1e-3));
    assertThat(json.at("/total/shards_without_final_line").toString()).isEqualTo("[2]");
    assertThat(json.at("/total/requests").asLong()).isEqualTo(23);
    assertThat(String.join("\n", report.lines()))
        .contains("2 of 3 shards reported", "NO_FINAL_LINE");
    assertThat(report.verdict()).anySatisfy(l -> assertThat(l).contains("failed"));
  }

  @Test
  void aShardsLastAttemptIsItsNewestPodWhateverOrderItsPodsCameIn() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();
    h.log("p0-a").line(t(70), finalLine("0/1", "COMPLETED", 0, 5, 5, 0, 5)).finish();
    h.log("p0-z").line(t(1), finalLine("0/1", "COMPLETED", 75, 3, 2, 4, 7)).finish();
    ObjectNode newer = createdAt(terminated("p0-a", 0, 0, "Completed", null),
        "2026-01-01T00:01:05Z");
    ObjectNode older = terminated("p0-z", 0, 75, "Error", null); // created at 00:00:00
    h.finalPods(newer, older);
    h.podWatch.awaitOpened();
    // As a re-attach's list of pods, sorted by name, brings them: the newer pod first.
    h.podWatch.event("ADDED", newer);
    h.podWatch.event("ADDED", older);
    h.awaitOut("[0/p0-a] PIXIV_RESULT");
    h.awaitOut("[0/p0-z] PIXIV_RESULT");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    JobReport.Shard shard = h.runner.report(new BigDecimal("0.2")).shards().get(0);

    assertThat(shard.pod()).isEqualTo("p0-a");
    assertThat(shard.exitCode()).contains(0);
    assertThat(shard.attempts()).isEqualTo(2);
    assertThat(shard.rows()).as("both attempts' rows").isEqualTo(7);
  }

  @Test
  void aPodThatSucceededWithoutContainerStatusesRanInTheReportAsInTheSummary() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();
    ObjectNode succeeded = Fixtures.pod("p0", 0, "Succeeded"); // no containerStatuses
    h.finalPods(succeeded);
    h.podWatch.awaitOpened().event("ADDED", succeeded);
    ObjectNode complete = withCondition(h.job, "Complete", "CompletionsReached", "");
    ((ObjectNode) complete.get("status")).put("succeeded", 1);
    h.jobWatch.event("MODIFIED", complete);

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("1 of 1 indexes completed", "index 0 pod p0: Succeeded");
    JobReport report = h.runner.report(new BigDecimal("0.2"));
    JobReport.Shard shard = report.shards().get(0);
    assertThat(shard.outcome()).isEqualTo(JobReport.NO_FINAL_LINE);
    assertThat(shard.exitCode()).contains(0);
    assertThat(shard.attempts()).isEqualTo(1);
    assertThat(shard.note()).isEqualTo("pod p0 ended without a final line (exit code 0,"
        + " Succeeded)");
    assertThat(report.lines().get(0)).doesNotContain("not started");
  }

  @Test
  void aPodThePodsWatchHadNotToldOfWhenTheJobEndedHasItsLogRead() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();
    h.log("p0").line(t(1), finalLine("0/1", "COMPLETED", 0, 5, 5, 0, 5)).finish();
    h.finalPods(terminated("p0", 0, 0, "Completed", null));
    h.podWatch.awaitOpened(); // and silent: reconnecting, or its events behind the Job's end
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).contains("[0/p0] PIXIV_RESULT");
    JobReport.Shard shard = h.runner.report(new BigDecimal("0.2")).shards().get(0);
    assertThat(shard.outcome()).isEqualTo("COMPLETED");
    assertThat(shard.rows()).isEqualTo(5);
  }
}

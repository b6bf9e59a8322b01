package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.running;
import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.report.JobReport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod whose {@code pixiv} says the site blocks the run (stop reason BLOCKED) stops the whole Job:
 * Kubernetes would start its shard again within seconds and the other shards meet the same site.
 */
@Timeout(60)
class SiteStopTest {
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

  static String finalLine(String shard, String stop, int exit) {
    return "PIXIV_RESULT {\"v\":1,\"command\":\"scrape\",\"run_id\":\"r\",\"shard\":\"" + shard
        + "\",\"stop_reason\":\"" + stop + "\",\"exit_code\":" + exit + ",\"items_processed\":3,"
        + "\"items_failed\":0,\"rows_written\":2,\"rows_dropped\":0,\"requests\":5,"
        + "\"retries\":0,\"elapsed_seconds\":4.0,\"qps\":1.0}";
  }

  private static ObjectNode createdAt(ObjectNode pod, String time) {
    ((ObjectNode) pod.path("metadata")).put("creationTimestamp", time);
    return pod;
  }

  @Test
  void aBlockedPodStopsTheJobAndTheStoppedPodsLastLinesStillReachTheReport() throws Exception {
    h = new Harness(pki, dir, 3, false).startCreated();
    PodLog other = h.log("p0").line(t(1), "working");
    PodLog blocked = h.log("p1").line(t(1), finalLine("1/3", "BLOCKED", 75));
    h.finalPods(terminated("p0", 0, 143, "Error", null), terminated("p1", 1, 75, "Error", null));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("[0/p0] working");
    h.podWatch.event("ADDED", running("p1", 1));
    blocked.finish();
    h.awaitOut("[1/p1] PIXIV_RESULT");
    assertThat(h.count("DELETE", Harness.DELETE)).as("not before its container ended").isZero();
    h.podWatch.event("MODIFIED", terminated("p1", 1, 75, "Error", null));

    h.fake.awaitRequest("DELETE", Harness.DELETE);
    // The deletion stops p0: its pixiv flushes and says so before the pod goes.
    other.line(t(2), finalLine("0/3", "INTERRUPTED", 143)).finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 143, "Error", null));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.TRY_LATER);
    assertThat(h.err()).contains("pod p1 (shard 1/3) stopped because the site blocks the run",
        "stopping Job batch/pixiv-scraping-1", "Run it again later");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
    JobReport report = h.runner.report(new BigDecimal("1"));
    assertThat(report.exitCode()).isEqualTo(75);
    assertThat(report.shards()).extracting(JobReport.Shard::outcome)
        .containsExactly("INTERRUPTED", "BLOCKED", JobReport.NOT_STARTED);
    assertThat(report.lines().get(0)).endsWith(
        "2 of 3 shards reported, 1 blocked, 0 drift, 0 without a final line, 1 not started");
    assertThat(report.json().at("/total/shards_without_final_line").toString()).isEqualTo("[]");
    assertThat(report.json().at("/total/shards_not_started").toString()).isEqualTo("[2]");
    assertThat(report.verdict()).anySatisfy(l -> assertThat(l).contains("stopping Job"));
  }

  @Test
  void aSignalDuringTheDrainEndsItAtOnceAndTheReportSaysWhatWasDecided() throws Exception {
    h = new Harness(pki, dir, 2, false).startCreated();
    PodLog other = h.log("p0").line(t(1), "working"); // never ends: the drain would wait 20 s
    PodLog blocked = h.log("p1").line(t(1), finalLine("1/2", "BLOCKED", 75));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("[0/p0] working");
    h.podWatch.event("ADDED", running("p1", 1));
    blocked.finish();
    h.awaitOut("[1/p1] PIXIV_RESULT");
    h.podWatch.event("MODIFIED", terminated("p1", 1, 75, "Error", null));
    h.fake.awaitRequest("DELETE", Harness.DELETE);

    new Thread(() -> h.interruption.onSignal(ExitCodes.SIGTERM, java.time.Duration.ofSeconds(5)))
        .start();

    assertThat(h.exitCodeWithin(10)).as("well before the 20 s drain").isEqualTo(75);
    JobReport report = h.runner.report(new BigDecimal("1"));
    assertThat(report.shards()).extracting(JobReport.Shard::outcome).contains("BLOCKED");
    assertThat(report.lines().get(0)).contains("1 of 2 shards reported, 1 blocked");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
    other.finish();
  }

  @Test
  void aPodThatCouldNotHaveTheSiteStopsTheJobToo() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();
    PodLog log = h.log("p0").line(t(1), "ERROR http://mirror answers only server errors")
        .line(t(2), finalLine("0/1", "SITE_UNREACHABLE", 75));
    h.finalPods(terminated("p0", 0, 75, "Error", null));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    log.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 75, "Error", null));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.TRY_LATER);
    assertThat(h.err()).contains("pod p0 (shard 0/1) stopped because the site gave no answer or"
        + " only server errors (stop_reason SITE_UNREACHABLE): stopping Job");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  @Test
  void aLogLineQuotingABlockedFinalLineStopsNothing() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();
    PodLog log = h.log("p0").line(t(1), "WARN unrecognized page titled \""
        + finalLine("0/1", "BLOCKED", 75) + "\"").line(t(2), finalLine("0/1", "COMPLETED", 75));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    log.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 75, "Error", null));
    h.awaitOut("[0/p0] PIXIV_RESULT");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Failed", "FailedIndexes",
        "Job has failed indexes"));

    assertThat(h.exitCode()).isEqualTo(75);
    assertThat(h.err()).doesNotContain("stopping Job").contains("failed: FailedIndexes");
  }

  @Test
  void aParseBreakageThatFiresTheFailJobRuleOutranksABlockedPod() throws Exception {
    h = new Harness(pki, dir, 2, false).startCreated();
    PodLog blocked = h.log("p1").line(t(1), finalLine("1/2", "BLOCKED", 75));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.podWatch.event("MODIFIED", terminated("p0", 0, 65, "Error", "parse breakage"));
    h.podWatch.event("ADDED", running("p1", 1));
    blocked.finish();
    h.podWatch.event("MODIFIED", terminated("p1", 1, 75, "Error", null));
    h.awaitOut("[1/p1] PIXIV_RESULT");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Failed", "PodFailurePolicy",
        "Container scrape for pod batch/p0 failed with exit code 65 matching FailJob rule at"
            + " index 0"));

    assertThat(h.exitCode()).isEqualTo(65);
    assertThat(h.err()).doesNotContain("stopping Job");
  }

  @Test
  void keepOnFailureStillDeletesAJobThatWouldGoOnAskingABlockingSite() throws Exception {
    h = new Harness(pki, dir, Harness.Setup.shards(1).keepingFailedJobs()).startCreated();
    PodLog blocked = h.log("p0").line(t(1), finalLine("0/1", "BLOCKED", 75));
    h.finalPods(terminated("p0", 0, 75, "Error", null));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    blocked.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 75, "Error", null));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.TRY_LATER);
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  /**
   * Shard 0/1 ends its first attempt with {@code firstStop} and exit 75, then its retry completes;
   * returns the launcher's exit code.
   */
  private int firstAttemptThenARetryThatCompletes(String firstStop) throws Exception {
    PodLog first = h.log("p0-a").line(t(1), finalLine("0/1", firstStop, 75));
    PodLog retry = h.log("p0-b").line(t(2), finalLine("0/1", "COMPLETED", 0));
    h.podWatch.awaitOpened().event("ADDED", running("p0-a", 0));
    first.finish();
    h.podWatch.event("MODIFIED", terminated("p0-a", 0, 75, "Error", null));
    h.awaitOut("[0/p0-a] PIXIV_RESULT");
    h.podWatch.event("ADDED", createdAt(running("p0-b", 0), "2026-01-01T00:00:20Z"));
    retry.finish();
    h.podWatch.event("MODIFIED",
        createdAt(terminated("p0-b", 0, 0, "Completed", null), "2026-01-01T00:00:20Z"));
    h.awaitOut("[0/p0-b] PIXIV_RESULT");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
    return h.exitCode();
  }

  @Test
  void seventyFiveForAFewFailedPagesIsLeftToTheJobsRetries() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();

    assertThat(firstAttemptThenARetryThatCompletes("COMPLETED")).isZero();
    assertThat(h.err()).doesNotContain("stopping Job");
  }

  @Test
  void keepGoingWhenBlockedLeavesTheShardToTheJobsRetries() throws Exception {
    h = new Harness(pki, dir, Harness.Setup.shards(1).keepingGoingWhenBlocked()).startCreated();

    assertThat(firstAttemptThenARetryThatCompletes("BLOCKED")).isZero();
    assertThat(h.count("DELETE", Harness.DELETE)).as("the finished Job's only").isEqualTo(1);
    assertThat(h.err()).doesNotContain("stopping Job");
  }

  @Test
  void aReattachedLauncherIgnoresABlockedAttemptItsShardHasSinceRetried() throws Exception {
    h = new Harness(pki, dir, 1, false).startCreated();
    PodLog old = h.log("p0-a").line(t(1), finalLine("0/1", "BLOCKED", 75));
    PodLog retry = h.log("p0-b").line(t(2), "working");
    ObjectNode newer = createdAt(running("p0-b", 0), "2026-01-01T00:10:00Z");
    h.podWatch.awaitOpened().event("ADDED", newer);
    h.awaitOut("[0/p0-b] working");
    old.finish();
    h.podWatch.event("ADDED", terminated("p0-a", 0, 75, "Error", null));
    h.awaitOut("[0/p0-a] PIXIV_RESULT");
    retry.line(t(3), finalLine("0/1", "COMPLETED", 0)).finish();
    h.podWatch.event("MODIFIED",
        createdAt(terminated("p0-b", 0, 0, "Completed", null), "2026-01-01T00:10:00Z"));
    h.awaitOut("[0/p0-b] PIXIV_RESULT");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).doesNotContain("stopping Job");
  }
}

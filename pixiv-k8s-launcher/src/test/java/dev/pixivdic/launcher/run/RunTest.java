package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.afterFailures;
import static dev.pixivdic.launcher.run.Fixtures.finishedAt;
import static dev.pixivdic.launcher.run.Fixtures.running;
import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.LogCapture;
import dev.pixivdic.launcher.fake.NotifyingBuffer;
import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.Streams;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.report.JobReport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class RunTest {
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

  static Instant t(double seconds) {
    return Instant.parse("2026-01-01T00:00:00Z").plusMillis((long) (seconds * 1000));
  }

  private Harness harness(int shards) throws Exception {
    h = new Harness(pki, dir, shards, false);
    return h;
  }

  /** Runs one pod to the end with {@code exitCode}: running, its log finished, terminated. */
  private void podRuns(
      String pod, int index, PodLog log, int exitCode, String reason, String message)
      throws Exception {
    h.podWatch.event("MODIFIED", running(pod, index));
    log.finish();
    h.podWatch.event("MODIFIED", terminated(pod, index, exitCode, reason, message));
  }

  @Test
  void theHappyPathPrintsPrefixedLinesDeletesTheJobAndExitsZero() throws Exception {
    harness(1).startCreated();
    PodLog log = h.log("p0").line(t(1), "hello");
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("[0/p0] hello\n");
    log.line(t(2), "world");
    podRuns("p0", 0, log, 0, "Completed", null);
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).isEqualTo("[0/p0] hello\n[0/p0] world\n");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
    assertThat(h.fake.requests().get(0).uri()).endsWith("fieldValidation=Strict");
    assertThat(h.err()).contains("created Job batch/pixiv-scraping-1", "succeeded");
  }

  @Test
  void aFailureWithoutRetriesExitsWithTheContainersCodeAndShowsItsMessage() throws Exception {
    harness(1).startCreated();
    PodLog log = h.log("p0").line(t(1), "starting");
    h.finalPods(terminated("p0", 0, 69, "Error", "BigQuery unavailable after retries"));
    h.podWatch.awaitOpened();
    podRuns("p0", 0, log, 69, "Error", "BigQuery unavailable after retries");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "FailureTarget", "BackoffLimitExceeded", ""));
    h.jobWatch.event(
        "MODIFIED",
        withCondition(
            withCondition(h.job, "FailureTarget", "BackoffLimitExceeded", ""),
            "Failed",
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit"));

    assertThat(h.exitCode()).isEqualTo(69);
    assertThat(h.err())
        .contains(
            "failed: BackoffLimitExceeded",
            "index 0 pod p0: exit code 69 (Error)",
            "termination message: BigQuery unavailable after retries");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  /**
   * An Error on a log follower's thread (a stack overflow, out of memory), here thrown by the
   * stream the pods' lines go to: the run ends as an internal error (exit 1) that names it, with
   * its stack trace in the log, deletes the Job, and the report says so; it neither hangs nor
   * ends as the Job's success.
   */
  @ParameterizedTest
  @ValueSource(strings = {"StackOverflowError", "OutOfMemoryError"})
  void anErrorWhileFollowingAPodsLogEndsTheRunAsAnInternalErrorAndDeletesTheJob(String error)
      throws Exception {
    harness(1);
    ((NotifyingBuffer) h.out).failOn("[0/p0] boom", () -> error.equals("StackOverflowError")
        ? new StackOverflowError("simulated") : new OutOfMemoryError("simulated"));
    try (LogCapture logs = LogCapture.start()) {
      h.startCreated();
      h.log("p0").line(t(1), "hello").line(t(2), "boom");
      h.podWatch.awaitOpened().event("ADDED", running("p0", 0));

      assertThat(h.exitCodeWithin(20)).isEqualTo(ExitCodes.FAILED);
      assertThat(h.out()).isEqualTo("[0/p0] hello\n");
      assertThat(h.err()).contains("internal error: following the log of pod p0 stopped on an"
          + " unexpected " + error, "deleted Job batch/pixiv-scraping-1");
      assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
      assertThat(logs.text()).contains("following the log of pod p0 failed", error);
      JobReport report = h.runner.report(BigDecimal.ONE);
      assertThat(report.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(report.verdict()).anyMatch(l -> l.contains("unexpected " + error));
    }
  }

  @Test
  void keepOnFailureLeavesAFailedJob() throws Exception {
    h = new Harness(pki, dir, 1, true).startCreated();
    h.podWatch.awaitOpened();
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Failed", "BackoffLimitExceeded", ""));

    assertThat(h.exitCode()).isEqualTo(1);
    assertThat(h.count("DELETE", Harness.JOBS)).isZero();
    assertThat(h.err()).contains("keeping failed Job");
  }

  @Test
  void aRetriedIndexThatSucceedsMakesTheRunSucceed() throws Exception {
    harness(1).startCreated();
    PodLog first = h.log("p0-a").line(t(1), "attempt 1");
    PodLog second = h.log("p0-b").line(t(5), "attempt 2");
    h.podWatch.awaitOpened();
    podRuns("p0-a", 0, first, 75, "Error", null);
    h.awaitOut("attempt 1");
    podRuns("p0-b", 0, second, 0, "Completed", null);
    h.awaitOut("attempt 2");
    h.jobWatch.event(
        "MODIFIED", withCondition(h.job, "SuccessCriteriaMet", "CompletionsReached", ""));
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).contains("[0/p0-a] attempt 1\n", "[0/p0-b] attempt 2\n");
  }

  @Test
  void threeShardsPrintWholePrefixedLinesInOrderPerPod() throws Exception {
    harness(3).startCreated();
    PodLog[] logs = {h.log("p0"), h.log("p1"), h.log("p2")};
    h.podWatch.awaitOpened();
    for (int i = 0; i < 3; i++) {
      h.podWatch.event("ADDED", running("p" + i, i));
    }
    String payload = "x".repeat(3000);
    for (int n = 0; n < 200; n++) {
      for (int i = 0; i < 3; i++) {
        logs[i].line(t(1 + n * 0.01), "line-" + n + " " + payload);
      }
    }
    for (int i = 0; i < 3; i++) {
      logs[i].finish();
      h.podWatch.event("MODIFIED", terminated("p" + i, i, 0, "Completed", null));
    }
    for (int i = 0; i < 3; i++) {
      h.awaitOut("[" + i + "/p" + i + "] line-199 ");
    }
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    String[] lines = h.out().split("\n", -1);
    assertThat(lines).hasSize(601);
    int[] next = new int[3];
    for (int k = 0; k < 600; k++) {
      assertThat(lines[k]).matches("\\[(\\d)/p\\1\\] line-\\d+ x{3000}");
      int pod = lines[k].charAt(1) - '0';
      assertThat(lines[k]).startsWith("[" + pod + "/p" + pod + "] line-" + next[pod]++ + " ");
    }
  }

  @Test
  void aFailedIndexIsReportedWithItsExitCode() throws Exception {
    harness(2).startCreated();
    h.finalPods(
        terminated("p0", 0, 0, "Completed", null),
        terminated("p1", 1, 75, "Error", "blocked by the site"));
    h.podWatch.awaitOpened();
    h.podWatch.event("ADDED", terminated("p0", 0, 0, "Completed", null));
    var failed = withCondition(h.job, "Failed", "FailedIndexes", "Job has failed indexes");
    ((com.fasterxml.jackson.databind.node.ObjectNode) failed.get("status"))
        .put("failedIndexes", "1");
    h.jobWatch.event("MODIFIED", failed);

    assertThat(h.exitCode()).isEqualTo(75);
    assertThat(h.err()).contains("failed indexes: 1", "index 1 pod p1: exit code 75")
        .doesNotContain("index 0 pod p0");
  }

  @Test
  void thePodFailurePolicyExitCodeIsTheLaunchersExitCode() throws Exception {
    harness(2).startCreated();
    h.podWatch.awaitOpened().event("ADDED", terminated("p1", 1, 65, "Error", "parse breakage"));
    h.jobWatch.event(
        "MODIFIED",
        withCondition(
            h.job,
            "Failed",
            "PodFailurePolicy",
            "Container scrape for pod batch/p1 failed with exit code 65 matching FailJob rule at"
                + " index 1"));

    assertThat(h.exitCode()).isEqualTo(65);
  }

  @Test
  void theDeadlineExitsWith124() throws Exception {
    harness(1).startCreated();
    h.jobWatch
        .awaitOpened()
        .event(
            "MODIFIED",
            withCondition(
                h.job,
                "Failed",
                "DeadlineExceeded",
                "Job was active longer than specified deadline"));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DEADLINE);
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  @Test
  void anOomKilledPodIsNamedInTheSummary() throws Exception {
    harness(1).startCreated();
    h.finalPods(terminated("p0", 0, 137, "OOMKilled", null));
    h.podWatch.awaitOpened();
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Failed", "BackoffLimitExceeded", ""));

    assertThat(h.exitCode()).isEqualTo(137);
    assertThat(h.err()).contains("OOMKilled", "raise --memory");
  }

  @Test
  void aClosedWatchResumesFromTheLastResourceVersionAndBookmarksMoveIt() throws Exception {
    harness(1).startCreated();
    Streams.Stream second = h.fake.newStream();
    h.fake.on("GET", Harness.JOB_WATCH, Responses.stream(second));
    h.jobWatch.awaitOpened().event("BOOKMARK", Fixtures.bookmark("150"));
    h.jobWatch.end();
    second
        .awaitOpened()
        .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.fake.requests())
        .filteredOn(r -> r.uri().contains("fieldSelector") && r.uri().contains("watch=true"))
        .extracting(r -> r.uri().replaceAll(".*resourceVersion=", ""))
        .containsExactly("100", "150");
  }

  @Test
  void anInStream410ListsAgainAndTheListDecides() throws Exception {
    harness(1).startCreated();
    h.fake.on("GET", Harness.JOB_LIST, Responses.json(200,
        Fixtures.list("300", withCondition(h.job, "Complete", "CompletionsReached", ""))));
    h.fake.on("GET", Harness.JOB_WATCH, Responses.stream(h.fake.newStream()));
    h.jobWatch.awaitOpened().event("ERROR", Fixtures.expired());

    assertThat(h.exitCode()).isZero();
    assertThat(h.count("GET", Harness.JOB_LIST)).isEqualTo(2);
  }

  @Test
  void aWatchRefusedWith410ListsAgainAndAJobMissingFromTheListAndNotFoundByNameWasDeleted()
      throws Exception {
    harness(1);
    h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
    h.fake.on("GET", Harness.JOB_LIST, Responses.json(200, Fixtures.list("100", h.job)));
    h.fake.on(
        "GET",
        Harness.JOB_WATCH,
        Responses.status(410, "Expired", "too old resource version: 100"));
    h.fake.on("GET", Harness.JOB_LIST, Responses.json(200, Fixtures.list("400")));
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.fake.on("GET", Harness.POD_LIST, Responses.json(200, Fixtures.list("100")));
    h.fake.on("GET", Harness.POD_WATCH, Responses.stream(h.fake.newStream()));
    h.start();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.count("GET", Harness.JOB_LIST)).isEqualTo(2);
    assertThat(h.count("GET", Harness.JOB)).as("absence confirmed by name").isEqualTo(1);
  }

  @Test
  void aPodRelistAfter410UpdatesThePodsForTheSummary() throws Exception {
    harness(1).startCreated();
    Streams.Stream pods2 = h.fake.newStream();
    h.fake.on("GET", Harness.POD_LIST, Responses.json(200,
        Fixtures.list("200", terminated("p0", 0, 75, "Error", "rate limited"))));
    h.fake.on("GET", Harness.POD_WATCH, Responses.stream(pods2));
    h.podWatch.awaitOpened().event("ERROR", Fixtures.expired());
    pods2.awaitOpened();
    h.fake.awaitRequest("GET", "/pods/p0/log");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Failed", "BackoffLimitExceeded", ""));

    assertThat(h.exitCode()).isEqualTo(75);
    assertThat(h.err()).contains("index 0 pod p0: exit code 75 (Error)", "rate limited");
  }

  @Test
  void aLogStreamThatEndsWhileThePodRunsIsResumedWithoutDuplicates() throws Exception {
    harness(1).startCreated();
    PodLog log = h.log("p0").line(t(1.1), "a").line(t(1.5), "b");
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("[0/p0] b\n");
    log.drop();
    h.runner.tick();
    h.fake.awaitRequest("GET", "/pods/p0/log\\?.*sinceTime=2026-01-01T00%3A00%3A01Z");
    log.line(t(1.5), "b2 same timestamp").line(t(3), "c");
    podRuns("p0", 0, log, 0, "Completed", null);
    h.awaitOut("c\n");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).isEqualTo("[0/p0] a\n[0/p0] b\n[0/p0] b2 same timestamp\n[0/p0] c\n");
  }

  @Test
  void aLogStreamThatDropsWhileTheLastLinesAreAwaitedIsReopenedAtTheNextTick() throws Exception {
    harness(1).startCreated();
    PodLog log = h.log("p0").line(t(1), "a");
    h.finalPods(running("p0", 0)); // the Job ended before its pod's status said so
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("[0/p0] a\n");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
    h.fake.awaitRequest("GET", Harness.POD_LIST); // the pods watch's first list
    h.fake.awaitRequest("GET", Harness.POD_LIST); // the Job ended: its pods listed afresh
    // Handled while the last lines are awaited; it leaves the follower woken (as the fresh list
    // did), so the first drop is reopened at once, and the second waits for a tick.
    assertThat(h.tickHandled()).as("ticks handled while the logs are drained").isTrue();
    try (LogCapture logs = LogCapture.start()) {
      int connections = log.connections();
      log.drop();
      log.awaitConnections(connections + 1);
      log.drop();
      // The follower sees its stream end on its own thread: a tick is for it once it has said
      // so (it waits for the tick from then on).
      logs.await("log stream of pod p0 ended while the pod runs", 2);
      assertThat(h.tickHandled()).isTrue();
      h.fake.awaitRequest("GET", "/pods/p0/log\\?.*sinceTime=");
    }
    log.line(t(2), "b");
    h.podWatch.event("MODIFIED", terminated("p0", 0, 0, "Completed", null));
    log.finish();

    assertThat(h.exitCodeWithin(10)).isZero();
    assertThat(h.out()).isEqualTo("[0/p0] a\n[0/p0] b\n");
  }

  @Test
  void aStalledLogStreamIsReopenedByTheIdleWatchdog() throws Exception {
    harness(1).startCreated();
    PodLog log = h.log("p0").line(t(1), "before stall").stallNext();
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("before stall");
    log.line(t(2), "after stall");
    h.clock.advance(Duration.ofMinutes(3));
    h.runner.tick();
    h.awaitOut("after stall");
    podRuns("p0", 0, log, 0, "Completed", null);
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).isEqualTo("[0/p0] before stall\n[0/p0] after stall\n");
  }

  @Test
  void aContainerWaitingToStartIsAskedAgainLater() throws Exception {
    harness(1).startCreated();
    h.fake.on("GET", Harness.PODS + "/p0/log", Responses.status(400, "BadRequest",
        "container \"scrape\" in pod \"p0\" is waiting to start: ContainerCreating"));
    PodLog log = h.log("p0").line(t(1), "finally");
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.fake.awaitRequest("GET", "/pods/p0/log");
    h.runner.tick();
    h.awaitOut("finally");
    podRuns("p0", 0, log, 0, "Completed", null);
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
  }

  @Test
  void aLogTheAccountMayNotReadIsAskedForOnceAndTheJobStillFollowed() throws Exception {
    harness(1).startCreated();
    h.fake.on(
        "GET",
        Harness.PODS + "/p0/log",
        Responses.status(403, "Forbidden", "pods \"p0\" is forbidden: cannot get pods/log"));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.fake.awaitRequest("GET", "/pods/p0/log");
    runsThreeSecondsThenCompletes();

    assertThat(h.exitCode()).isZero();
    assertThat(h.count("GET", "/pods/p0/log")).isEqualTo(1);
  }

  /** Pod p0 runs three more ticks a second apart, then it and the Job complete. */
  private void runsThreeSecondsThenCompletes() throws Exception {
    for (int i = 0; i < 3; i++) {
      h.clock.advance(Duration.ofSeconds(1));
      assertThat(h.tickHandled()).isTrue();
      h.podWatch.event("MODIFIED", running("p0", 0));
    }
    h.podWatch.event("MODIFIED", terminated("p0", 0, 0, "Completed", null));
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
  }

  @Test
  void aLogRefusedWith401AlsoWithFreshCredentialsIsAskedForOnceAndTheJobStillFollowed()
      throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      harness(1).startCreated();
      h.fake.always(
          "GET",
          Harness.PODS + "/p0/log\\?",
          Responses.status(401, "Unauthorized", "Unauthorized"));
      h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
      logs.await("cannot read the log of pod p0");
      runsThreeSecondsThenCompletes();

      assertThat(h.exitCode()).isZero();
      // The request and its one retry after the credentials were read again.
      assertThat(h.count("GET", "/pods/p0/log")).isEqualTo(2);
      assertThat(logs.text()).contains("refused the launcher's credentials");
    }
  }

  @Test
  void aThrottledLogIsAskedForAgainOnlyAfterRetryAfterAndWarnedOfOnce() throws Exception {
    List<Instant> asked = new CopyOnWriteArrayList<>();
    Logger follower = (Logger) LoggerFactory.getLogger(LogFollower.class);
    Level level = follower.getLevel();
    follower.setLevel(Level.DEBUG); // to see when the second 429 has been taken in
    try (LogCapture logs = LogCapture.start()) {
      harness(1).startCreated();
      h.fake.always("GET", Harness.PODS + "/p0/log\\?", ex -> {
        asked.add(h.clock.instant());
        ex.getResponseHeaders().set("Retry-After", "10");
        Responses.status(429, "TooManyRequests", "too many requests").respond(ex);
      });
      h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
      logs.await("throttling log requests of pod p0");
      for (int i = 0; i < 3; i++) {
        h.clock.advance(Duration.ofSeconds(3));
        assertThat(h.tickHandled()).isTrue();
        h.podWatch.event("MODIFIED", running("p0", 0));
      }
      h.clock.advance(Duration.ofSeconds(1));
      assertThat(h.tickHandled()).isTrue();
      logs.await("log request of pod p0 throttled again");
      PodLog log = new PodLog().line(t(1), "at last");
      h.fake.always("GET", Harness.PODS + "/p0/log\\?", ex -> {
        asked.add(h.clock.instant());
        log.respond(ex);
      });
      h.clock.advance(Duration.ofSeconds(10));
      assertThat(h.tickHandled()).isTrue();
      h.awaitOut("at last");
      podRuns("p0", 0, log, 0, "Completed", null);
      h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

      assertThat(h.exitCode()).isZero();
      assertThat(asked).startsWith(t(0), t(10), t(20));
      assertThat(logs.text().split("throttling log requests", -1)).hasSize(2);
    } finally {
      follower.setLevel(level);
    }
  }

  @Test
  void aPodThatIsGoneEndsItsLogFollowing() throws Exception {
    harness(1).startCreated();
    h.fake.on(
        "GET",
        Harness.PODS + "/p0/log",
        Responses.status(404, "NotFound", "pods \"p0\" not found"));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.fake.awaitRequest("GET", "/pods/p0/log");
    h.podWatch.event("DELETED", running("p0", 0));
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.count("GET", "/pods/p0/log")).isEqualTo(1);
  }

  @Test
  void logsStillArrivingWhenTheJobCompletesAreDrainedFirst() throws Exception {
    harness(1).startCreated();
    PodLog log = h.log("p0").line(t(1), "early");
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("early");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
    log.line(t(2), "late");
    log.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 0, "Completed", null));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).endsWith("[0/p0] late\n");
    assertThat(h.err().indexOf("succeeded")).isPositive();
  }

  @Test
  void anImagePullErrorFailsOnceItOutlastsTheStartupTimeout() throws Exception {
    harness(1).startCreated();
    h.podWatch
        .awaitOpened()
        .event(
            "ADDED",
            Fixtures.waiting(
                "p0",
                0,
                "ImagePullBackOff",
                "Back-off pulling image \"ghcr.io/pixivdic/pixiv:1.0\""));
    h.podWatch.event(
        "MODIFIED",
        Fixtures.waiting(
            "p0", 0, "ImagePullBackOff", "Back-off pulling image \"ghcr.io/pixivdic/pixiv:1.0\""));
    h.clock.advance(Duration.ofMinutes(5));
    h.runner.tick();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err())
        .contains("pod p0 could not start: ImagePullBackOff", "ghcr.io/pixivdic/pixiv:1.0");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  @Test
  void aPodJustCreatedIsNotFailedBecauseTheLaunchersClockRunsAheadOfTheClusters()
      throws Exception {
    h = new Harness(pki, dir, Harness.Setup.shards(1).hostAhead(Duration.ofMinutes(6)));
    h.startCreated();
    // The server wrote the pod's creation six minutes before the launcher's "now".
    ObjectNode pod = Fixtures.waiting("p0", 0, "ErrImagePull", "i/o timeout");
    ((ObjectNode) pod.get("metadata")).put("creationTimestamp",
        h.clock.instant().minus(Duration.ofMinutes(6)).toString());
    h.podWatch.awaitOpened().event("ADDED", pod);
    // A launcher reading the pod's creation on its own clock would end the run here.
    assertThat(h.runner.awaitPodObserved("p0", Duration.ofSeconds(30))).isTrue();
    assertThat(h.tickHandled()).as("the run goes on").isTrue();
    h.clock.advance(Duration.ofMinutes(4));

    assertThat(h.tickHandled()).as("the run goes on").isTrue();
    h.clock.advance(Duration.ofMinutes(2)); // past the timeout and the Date header's second
    h.runner.tick();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err()).contains("pod p0 could not start: ErrImagePull");
  }

  @Test
  void aJobKeptOnFailureThatMayStillRunSaysSo() throws Exception {
    h = new Harness(pki, dir, 1, true);
    h.startCreated();
    h.podWatch.awaitOpened().event("ADDED",
        Fixtures.waiting("p0", 0, "ImagePullBackOff", "Back-off pulling image"));
    h.clock.advance(Duration.ofMinutes(6));
    h.runner.tick();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err()).contains("may be running unwatched: --keep-on-failure kept it",
        "kubectl delete job");
    assertThat(h.count("DELETE", Harness.JOBS)).isZero();
  }

  @Test
  void anInvalidImageNameFailsAtOnceWithThePodsWarningEvents() throws Exception {
    harness(1).startCreated();
    var events = Fixtures.list("1");
    ((com.fasterxml.jackson.databind.node.ArrayNode) events.get("items"))
        .addObject()
        .put("reason", "InspectFailed")
        .put("message", "Failed to apply default image tag \"bad ref\"");
    h.fake.on("GET", "^/api/v1/namespaces/batch/events\\?fieldSelector=.*involvedObject.name%3Dp0",
        Responses.json(200, events));
    h.podWatch
        .awaitOpened()
        .event("ADDED", Fixtures.waiting("p0", 0, "InvalidImageName", "bad ref"));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err())
        .contains("InvalidImageName", "event InspectFailed: Failed to apply default image tag");
  }

  /**
   * The Job's events, always: the controller's FailedCreate warnings when a pod is refused, the
   * first one last seen {@code lastSeen}, then one at the start of the run that healed.
   */
  private void jobEvents(Instant lastSeen, String... failedCreates) {
    var events = Fixtures.list("1");
    var items = (com.fasterxml.jackson.databind.node.ArrayNode) events.get("items");
    items.addObject().put("reason", "BackoffLimitExceeded").put("message", "an older warning")
        .put("lastTimestamp", lastSeen.toString());
    items.addObject().put("reason", "FailedCreate").put("message", "a refusal that healed")
        .put("lastTimestamp", "2025-12-31T23:59:59Z");
    for (String m : failedCreates) {
      items.addObject().put("reason", "FailedCreate").put("message", m)
          .put("lastTimestamp", lastSeen.toString());
    }
    h.fake.always("GET",
        "^/api/v1/namespaces/batch/events\\?fieldSelector=.*involvedObject.kind%3DJob",
        Responses.json(200, events));
  }

  @Test
  void aJobWhosePodsTheClusterRefusesFailsAfterTheStartupTimeoutWithItsEvents() throws Exception {
    harness(1).startCreated();
    jobEvents(Instant.parse("2026-01-01T00:00:01Z"),
        "Error creating: pods \"pixiv-scraping-1-0-x\" is forbidden: exceeded quota: "
        + "compute, requested: limits.memory=512Mi");
    h.podWatch.awaitOpened();
    h.clock.advance(Duration.ofMinutes(4));
    h.runner.tick();
    h.clock.advance(Duration.ofMinutes(2));
    h.runner.tick();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err()).contains("has had no pod pending or running for",
        "the cluster refuses to create its pods", "event FailedCreate: Error creating: pods",
        "exceeded quota").doesNotContain("an older warning", "a refusal that healed");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  @Test
  void refusedPodsDoNotFailAJobWhileItHasAPodRunning() throws Exception {
    harness(1).startCreated();
    jobEvents(Instant.parse("2026-01-01T00:00:01Z"),
        "Error creating: pods \"p1\" is forbidden: exceeded quota");
    PodLog log = h.log("p0").line(t(1), "working");
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    h.awaitOut("working");
    h.clock.advance(Duration.ofMinutes(10));
    h.runner.tick();
    log.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 0, "Completed", null));
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.count("GET", "involvedObject.kind%3DJob")).isZero();
  }

  /** Pod p0 runs (a watch event of {@code type}), logs "working", ends; the Job completes. */
  private int p0WorksAndTheJobCompletes(PodLog log, String type) throws Exception {
    h.podWatch.event(type, running("p0", 0));
    h.awaitOut("working");
    log.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 0, "Completed", null));
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
    return h.exitCode();
  }

  @Test
  void aRefusalThatHealedBeforeTheJobWentIdleDoesNotFailIt() throws Exception {
    harness(1).startCreated();
    jobEvents(Instant.parse("2025-12-31T23:00:00Z"));
    PodLog log = h.log("p0").line(t(1), "working");
    h.podWatch.awaitOpened();
    h.clock.advance(Duration.ofMinutes(6));
    h.runner.tick();
    h.fake.awaitRequest("GET", "involvedObject.kind%3DJob");

    assertThat(p0WorksAndTheJobCompletes(log, "ADDED")).isZero();
  }

  @Test
  void aCreateContainerErrorAfterALongWaitForANodeIsGivenTheWholeTimeout() throws Exception {
    harness(1).startCreated();
    h.clock.advance(Duration.ofMinutes(10)); // the pod was created at the start
    h.podWatch.awaitOpened().event("ADDED",
        Fixtures.waiting("p0", 0, "CreateContainerError", "failed to reserve container name"));
    h.runner.tick();
    h.clock.advance(Duration.ofMinutes(4));
    h.runner.tick();
    PodLog log = h.log("p0").line(t(1), "working");

    assertThat(p0WorksAndTheJobCompletes(log, "MODIFIED")).isZero();
  }

  @Test
  void anImageThatMayNeverBePulledFailsOnceItOutlastsTheStartupTimeout() throws Exception {
    harness(1).startCreated();
    h.podWatch.awaitOpened().event("ADDED",
        Fixtures.waiting("p0", 0, "ErrImageNeverPull", "no way"));
    h.clock.advance(Duration.ofMinutes(6));
    h.runner.tick();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err()).contains("pod p0 could not start: ErrImageNeverPull: no way");
  }

  @Test
  void aCreateContainerErrorThatLastsTheStartupTimeoutFails() throws Exception {
    harness(1).startCreated();
    h.podWatch.awaitOpened().event("ADDED",
        Fixtures.waiting("p0", 0, "CreateContainerError", "no way"));
    // Timed from when the loop first sees it: the startup timeout (5 min) later, the run ends.
    assertThat(h.runner.awaitPodObserved("p0", Duration.ofSeconds(30))).isTrue();
    h.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    assertThat(h.tickHandled()).as("the run goes on").isTrue();
    h.clock.advance(Duration.ofSeconds(1));
    assertThat(h.tickHandled()).as("the run goes on").isFalse();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err()).contains("pod p0 could not start: CreateContainerError: no way");
  }

  @Test
  void anUnschedulablePodFailsAfterTheStartupTimeout() throws Exception {
    harness(1).startCreated();
    h.podWatch.awaitOpened().event("ADDED", Fixtures.unschedulable("p0", 0));
    h.clock.advance(Duration.ofMinutes(6));
    h.runner.tick();

    assertThat(h.exitCode()).isEqualTo(ExitCodes.COULD_NOT_START);
    assertThat(h.err()).contains("Unschedulable: 0/3 nodes are available");
  }

  @Test
  void aJobDeletedBySomeoneElseExitsWith4AndIsNotDeletedAgain() throws Exception {
    harness(1).startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.jobWatch.awaitOpened().event("DELETED", h.job);

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.err()).contains("deleted by someone else while it ran");
    assertThat(h.count("GET", Harness.JOB)).as("absence confirmed by name").isEqualTo(1);
    assertThat(h.count("DELETE", Harness.JOBS)).isZero();
  }

  /** A DELETED event alone ended the run with exit 4 and left the Job running unwatched. */
  @Test
  void aDeletedEventIsBelievedOnlyWhenAReadByNameFindsNoJob() throws Exception {
    harness(1).startCreated();
    h.fake.on("GET", Harness.JOB, Responses.json(200, h.job));
    h.jobWatch.awaitOpened().event("DELETED", h.job);
    h.fake.awaitRequest("GET", Harness.JOB);
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).doesNotContain("deleted by someone else");
    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }

  /**
   * Two launches of the same --name (a retry while the first runs): the one that sees the end
   * first deletes the Job, and the other said "deleted while it ran" (exit 4) of a Job that had
   * completed.
   */
  @Test
  void aJobDeletedAfterItCompletedEndsAsItEnded() throws Exception {
    harness(1).startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.jobWatch.awaitOpened().event("DELETED",
        withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("deleted by someone else after it ended", "succeeded")
        .doesNotContain("while it ran");
    assertThat(h.count("DELETE", Harness.JOBS)).isZero();
  }

  /**
   * A Job deleted after it failed ends as a failure, and with --keep-on-failure the launcher no
   * longer says it keeps a Job that is gone.
   */
  @Test
  void aJobDeletedAfterItFailedEndsAsAFailureAndIsNotSaidToBeKept() throws Exception {
    h = new Harness(pki, dir, 1, true);
    h.startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.jobWatch.awaitOpened().event("DELETED",
        withCondition(h.job, "Failed", "BackoffLimitExceeded", ""));

    assertThat(h.exitCode()).isNotZero().isNotEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.err()).contains("deleted by someone else after it ended")
        .doesNotContain("keeping failed Job", "while it ran");
    assertThat(h.count("DELETE", Harness.JOBS)).isZero();
  }

  @Test
  void aJobDeletedAfterAPodOfEveryIndexWasSeenToSucceedEndsAsCompleted() throws Exception {
    harness(2);
    deletedAfterPods(terminated("p0", 0, 0, "Completed", null),
        terminated("p1", 1, 0, "Completed", null));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("deleted by someone else after it ended",
        "succeeded: 2 of 2 indexes completed");
  }

  /**
   * Two launches of the same --name, every pod exiting 1: the one that saw the Job fail deleted
   * it, and the other, whose last state of the Job had no condition yet, said "deleted while it
   * ran" (exit 4: retry) of a Job whose every index had failed with its retries spent.
   */
  @Test
  void aJobDeletedAfterEveryIndexWasSeenToFailWithItsRetriesSpentEndsAsAFailure()
      throws Exception {
    harness(2);
    ((ObjectNode) h.job.get("spec")).put("backoffLimitPerIndex", 2);
    deletedAfterPods(afterFailures(terminated("p0", 0, 1, "Error", null), 2),
        afterFailures(terminated("p1", 1, 1, "Error", null), 2));

    assertThat(h.exitCode()).isEqualTo(1);
    assertThat(h.err()).contains("deleted by someone else after it ended",
        "failed: FailedIndexes", "failed indexes: 0,1", "exit code 1 of failed indexes 0,1")
        .doesNotContain("while it ran");
    assertThat(h.count("DELETE", Harness.JOBS)).isZero();
  }

  @Test
  void aJobDeletedAfterEachIndexWasSeenToSucceedOrFailForGoodEndsAsAFailure() throws Exception {
    harness(2); // no retries: backoffLimitPerIndex 0
    deletedAfterPods(terminated("p0", 0, 0, "Completed", null),
        terminated("p1", 1, 69, "Error", null));

    assertThat(h.exitCode()).isEqualTo(69);
    assertThat(h.err()).contains("deleted by someone else after it ended", "failed indexes: 1")
        .doesNotContain("while it ran");
  }

  @Test
  void aJobDeletedWhileItsFailureWasDecidedEndsAsThatFailure() throws Exception {
    harness(1).startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.jobWatch.awaitOpened().event("DELETED", withCondition(h.job, "FailureTarget",
        "PodFailurePolicy", "Container scrape for pod batch/p0 failed with exit code 65 matching"
            + " FailJob rule at index 0"));

    assertThat(h.exitCode()).isEqualTo(65);
    assertThat(h.err()).contains("deleted by someone else after it ended",
        "failed: PodFailurePolicy").doesNotContain("while it ran");
  }

  @Test
  void aJobDeletedWhileAFailedIndexHadRetriesLeftWasDeletedWhileItRan() throws Exception {
    harness(2);
    ((ObjectNode) h.job.get("spec")).put("backoffLimitPerIndex", 2);
    deletedAfterPods(afterFailures(terminated("p0", 0, 1, "Error", null), 1),
        afterFailures(terminated("p1", 1, 1, "Error", null), 2));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.err()).contains("deleted by someone else while it ran");
  }

  /**
   * Every index seen to exit 0 called a Job complete though its active deadline ran out as the
   * last pod ended: the Job controller fails such a Job (DeadlineExceeded) unless it had marked
   * it complete first, which was not seen.
   */
  @Test
  void aJobDeletedAfterItsDeadlinePassedIsNotCalledCompleteFromItsPods() throws Exception {
    harness(2);
    ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:00Z"); // 6 h ago
    assertThat(h.job.at("/spec/activeDeadlineSeconds").asLong()).isEqualTo(6 * 3600);
    deletedAfterPods(terminated("p0", 0, 0, "Completed", null),
        terminated("p1", 1, 0, "Completed", null));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.err()).contains("deleted by someone else after its active deadline had passed")
        .doesNotContain("succeeded");
  }

  /**
   * Every index exited 0 before the deadline, but the Job lived past it: the Job controller checks
   * the deadline before success when it syncs, so a Job it synced only after the deadline failed
   * (DeadlineExceeded). Which it was is not seen: not called complete.
   */
  @Test
  void aJobDeletedAfterItsDeadlineIsNotCalledCompleteThoughEveryIndexSucceededBeforeIt()
      throws Exception {
    harness(2);
    ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:01Z"); // a second left
    h.clock.set(Instant.parse("2026-01-01T00:10:00Z")); // the deletion seen after the deadline
    deletedAfterPods(finishedAt(terminated("p0", 0, 0, "Completed", null),
        "2025-12-31T23:59:00Z"), finishedAt(terminated("p1", 1, 0, "Completed", null),
        "2026-01-01T00:00:00Z"));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.err()).contains("deleted by someone else after its active deadline had passed")
        .doesNotContain("succeeded");
  }

  /** A Job last seen alive before its deadline cannot have failed on it. */
  @Test
  void aJobDeletedBeforeItsDeadlineAfterEveryIndexSucceededEndsAsCompleted() throws Exception {
    harness(2);
    ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:01Z"); // a second left
    deletedAfterPods(finishedAt(terminated("p0", 0, 0, "Completed", null),
        "2025-12-31T23:59:00Z"), finishedAt(terminated("p1", 1, 0, "Completed", null),
        "2025-12-31T23:59:30Z"));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("deleted by someone else after it ended", "succeeded");
  }

  /** Kubernetes 1.31 and later write SuccessCriteriaMet before Complete. */
  @Test
  void aJobDeletedWithSuccessCriteriaMetEndsAsCompleted() throws Exception {
    harness(2);
    ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:00Z");
    h.startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.jobWatch.awaitOpened().event("DELETED",
        withCondition(h.job, "SuccessCriteriaMet", "CompletionsReached", "Reached expected"));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("deleted by someone else after it ended", "succeeded");
  }

  @Test
  void aJobDeletedBeforeEveryIndexSucceededWasDeletedWhileItRan() throws Exception {
    harness(2);
    deletedAfterPods(terminated("p0", 0, 0, "Completed", null), running("p1", 1));

    assertThat(h.exitCode()).isEqualTo(ExitCodes.DELETED_EXTERNALLY);
    assertThat(h.err()).contains("deleted by someone else while it ran");
  }

  /**
   * Starts the run and, once pods {@code p0} and {@code p1} are seen as given, deletes the Job (a
   * read by name answers 404), its last state seen without a condition.
   */
  private void deletedAfterPods(ObjectNode p0, ObjectNode p1) throws Exception {
    h.startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "jobs.batch not found"));
    h.podWatch.awaitOpened().event("ADDED", p0);
    h.podWatch.event("ADDED", p1);
    h.fake.awaitRequest("GET", "/pods/p[01]/log"); // both pods seen
    h.fake.awaitRequest("GET", "/pods/p[01]/log");
    h.jobWatch.awaitOpened().event("DELETED", h.job);
  }

  @Test
  void aJobWatchThatEndsAtOnceWithoutAnEventIsFollowedByAListThatSeesTheJobComplete()
      throws Exception {
    harness(1);
    h.fake.always("GET", Harness.JOB_WATCH, Responses.text(200, ""));
    h.fake.always("GET", Harness.JOB_LIST, Responses.json(200,
        Fixtures.list("200", withCondition(h.job, "Complete", "CompletionsReached", ""))));
    h.startCreated();
    h.jobWatch.awaitOpened().end();

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("succeeded").doesNotContain("cannot watch");
    assertThat(h.count("GET", Harness.JOB_LIST)).as("listed again after the empty watch")
        .isGreaterThan(1);
  }

  @Test
  void aJobThatCompletedWhileItsWatchKeptFailingIsFinishedNotGivenUpOn() throws Exception {
    h = new Harness(pki, dir, Harness.Setup.shards(1)
        .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(1)));
    h.fake.always("GET", Harness.JOB_WATCH, Responses.status(503, "ServiceUnavailable", "busy"));
    h.fake.always("GET", Harness.JOB_LIST, Responses.status(503, "ServiceUnavailable", "busy"));
    h.fake.on("GET", Harness.JOB, Responses.json(200,
        withCondition(h.job, "Complete", "CompletionsReached", "")));
    h.startCreated();
    h.jobWatch.awaitOpened().end();

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("succeeded").doesNotContain("cannot watch", "unwatched");
    assertThat(h.count("GET", Harness.JOB)).as("read by name before giving up").isEqualTo(1);
  }

  @Test
  void podsOfAnotherJobThatTheServerHandsOutAnywayAreNeitherFollowedNorSummed() throws Exception {
    foreignPodIsLeftOut(Fixtures.ofJob(terminated("other-0", 0, 65, "Error", null),
        "someone-else", "other", 0));
  }

  @Test
  void aPodWithNeitherControllerLabelNorOwnerThatTheServerHandsOutIsLeftOut() throws Exception {
    foreignPodIsLeftOut(Fixtures.unowned(terminated("other-0", 0, 65, "Error", null)));
  }

  @Test
  void aPodOwnedByAnotherJobIsLeftOutWhateverItsLabelsSay() throws Exception {
    ObjectNode relabelled = Fixtures.ofJob(terminated("other-0", 0, 65, "Error", null),
        "someone-else", "other", 0);
    ((ObjectNode) relabelled.at("/metadata/labels")).put("controller-uid", Fixtures.JOB_UID)
        .put("batch.kubernetes.io/controller-uid", Fixtures.JOB_UID);
    foreignPodIsLeftOut(relabelled);
  }

  @Test
  void aPodOwnedByTheJobIsFollowedWithoutItsControllerLabels() throws Exception {
    harness(1).startCreated();
    ObjectNode ended = terminated("p0", 0, 0, "Completed", null);
    ((ObjectNode) ended.get("metadata")).remove("labels");
    h.finalPods(ended);
    PodLog log = h.log("p0").line(t(1), "hello");
    log.finish();
    h.podWatch.awaitOpened().event("ADDED", ended);
    h.awaitOut("[0/p0] hello\n");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("pod p0");
  }

  /** Runs the Job with pod p0 while the server also hands out {@code foreign} (other-0). */
  private void foreignPodIsLeftOut(ObjectNode foreign) throws Exception {
    harness(1).startCreated();
    h.finalPods(foreign, terminated("p0", 0, 0, "Completed", null));
    PodLog log = h.log("p0").line(t(1), "hello");
    h.podWatch.awaitOpened().event("ADDED", foreign);
    podRuns("p0", 0, log, 0, "Completed", null);
    h.awaitOut("[0/p0] hello\n");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("pod p0").doesNotContain("other-0");
    assertThat(h.count("GET", "/pods/other-0/")).as("its log is not read").isZero();
  }

  @Test
  void aPodNameNoRequestPathCouldHoldIsEncodedInThePathAndEscapedWhenPrinted() throws Exception {
    harness(1).startCreated();
    String name = "p0\u001b]0;T\u0007 x";
    PodLog log = new PodLog().line(t(1), "hello");
    h.fake.always("GET", Harness.PODS + "/p0%1B%5D0%3BT%07%20x/log\\?", log);
    h.finalPods(terminated(name, 0, 0, "Completed", null));
    h.podWatch.awaitOpened();
    podRuns(name, 0, log, 0, "Completed", null);
    h.awaitOut("hello\n");
    h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).isEqualTo("[0/p0\\u001b]0;T\\u0007 x] hello\n");
    assertThat(h.err()).contains("pod p0\\u001b]0;T\\u0007 x: exit code 0")
        .doesNotContain("\u001b", "\u0007");
  }

  /** The follower's own log lines named the pod raw, terminal escapes and all. */
  @Test
  void aPodNameIsEscapedInTheFollowersLogLines() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      harness(1).startCreated();
      String name = "p0\u001b]0;T\u0007 x";
      h.fake.always("GET", Harness.PODS + "/p0%1B%5D0%3BT%07%20x/log\\?",
          Responses.status(403, "Forbidden", "cannot get pods/log"));
      h.podWatch.awaitOpened().event("ADDED", running(name, 0));
      logs.await("cannot read the log of pod");
      h.podWatch.event("MODIFIED", terminated(name, 0, 0, "Completed", null));
      h.jobWatch.event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

      assertThat(h.exitCode()).isZero();
      assertThat(logs.text()).contains("cannot read the log of pod p0\\u001b]0;T\\u0007 x:")
          .doesNotContain("\u001b", "\u0007");
    }
  }
}

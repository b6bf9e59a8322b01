package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartAndSignalTest {
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

  private Harness harness() throws Exception {
    h = new Harness(pki, dir, 1, false);
    return h;
  }

  @Test
  void aRetryOfTheSameLaunchReattachesToTheExistingJob() throws Exception {
    harness();
    h.fake.on("POST", Harness.CREATE, Responses.status(409, "AlreadyExists",
        "jobs.batch \"pixiv-scraping-1\" already exists"));
    h.fake.on("GET", Harness.JOB, Responses.json(200, h.job));
    h.startWatching(h.job);
    h.jobWatch
        .awaitOpened()
        .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err()).contains("re-attached to existing Job batch/pixiv-scraping-1");
    assertThat(h.count("POST", Harness.JOBS)).isEqualTo(1);
  }

  @Test
  void aRetryFindingItsJobAlreadyCompleteReadsThePodsLogsForTheReport() throws Exception {
    harness();
    ObjectNode done = withCondition(h.job, "Complete", "CompletionsReached", "");
    h.fake.on("POST", Harness.CREATE, Responses.status(409, "AlreadyExists",
        "jobs.batch \"pixiv-scraping-1\" already exists"));
    h.fake.on("GET", Harness.JOB, Responses.json(200, done));
    h.fake.always("GET", Harness.POD_LIST, Responses.json(200,
        Fixtures.list("100", Fixtures.terminated("p0", 0, 0, "Completed", null))));
    h.log("p0").line(Instant.parse("2026-01-01T00:00:30Z"), "the run's last words").finish();
    h.fake.on("DELETE", Harness.DELETE, Responses.json(200, Fixtures.JSON.createObjectNode()));
    h.start();

    assertThat(h.exitCode()).isZero();
    assertThat(h.out()).contains("[0/p0] the run's last words");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Failed", "FailureTarget"})
  void aRetryFindingThePreviousAttemptsFailedJobDeletesItAndStartsAfresh(String condition)
      throws Exception {
    harness();
    ObjectNode failed = withCondition(h.job, condition, "BackoffLimitExceeded", "");
    ObjectNode deleting = failed.deepCopy();
    ((ObjectNode) deleting.get("metadata")).put("deletionTimestamp", "2026-01-01T00:00:00Z");
    h.fake.on("POST", Harness.CREATE, Responses.status(409, "AlreadyExists", "already exists"));
    h.fake.on("GET", Harness.JOB, Responses.json(200, failed));
    h.fake.on("DELETE", Harness.DELETE, Responses.json(200, Fixtures.JSON.createObjectNode()));
    h.fake.on("POST", Harness.CREATE, Responses.status(409, "AlreadyExists", "already exists"));
    h.fake.on("GET", Harness.JOB, Responses.json(200, deleting));
    ObjectNode fresh = Fixtures.created(h.manifest, "uid-2");
    h.fake.on("POST", Harness.CREATE, Responses.json(201, fresh));
    h.startWatching(fresh);
    h.jobWatch
        .awaitOpened()
        .event("MODIFIED", withCondition(fresh, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.err())
        .contains("previous attempt's Job batch/pixiv-scraping-1 failed; deleting it");
    assertThat(h.fake.requests())
        .extracting(r -> r.method() + " " + r.uri().replaceAll("\\?.*", ""))
        .startsWith(
            "POST /apis/batch/v1/namespaces/batch/jobs",
            "GET /apis/batch/v1/namespaces/batch/jobs/pixiv-scraping-1",
            "DELETE /apis/batch/v1/namespaces/batch/jobs/pixiv-scraping-1",
            "POST /apis/batch/v1/namespaces/batch/jobs",
            "GET /apis/batch/v1/namespaces/batch/jobs/pixiv-scraping-1",
            "POST /apis/batch/v1/namespaces/batch/jobs");
    // Only the failed Job, by its uid: one made under the name since the read would stay.
    assertThat(h.fake.requests().stream().filter(r -> r.method().equals("DELETE")).findFirst()
        .orElseThrow().body()).contains("\"preconditions\":{\"uid\":\""
            + failed.at("/metadata/uid").asText() + "\"}");
  }

  @Test
  void a401IsAnsweredByFetchingCredentialsAgainAndRetryingOnce() throws Exception {
    harness();
    h.fake.on("POST", Harness.CREATE, Responses.status(401, "Unauthorized", "token expired"));
    h.startCreated();
    h.jobWatch
        .awaitOpened()
        .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));

    assertThat(h.exitCode()).isZero();
    assertThat(h.count("POST", Harness.CREATE)).isEqualTo(2);
  }

  @Test
  void aSignalBeforeCreateCreatesNothing() throws Exception {
    harness();
    int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(5));
    h.start();

    assertThat(code).isEqualTo(143);
    assertThat(h.exitCode()).isEqualTo(143);
    assertThat(h.fake.requests()).isEmpty();
  }

  @Test
  void aSignalAfterTheRunFinishedDeletesNothingMore() throws Exception {
    harness().startCreated();
    h.jobWatch
        .awaitOpened()
        .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
    assertThat(h.exitCode()).isZero();

    h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(5));

    assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
  }
}

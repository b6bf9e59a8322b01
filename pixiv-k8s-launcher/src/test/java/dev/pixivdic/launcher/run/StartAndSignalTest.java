package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.LogCapture;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

  @Test
  void theReportOfARunASignalEndedSaysTheJobWasDeleted() throws Exception {
    harness();
    CountDownLatch release = new CountDownLatch(1);
    h.fake.on("DELETE", Harness.DELETE, Responses.held(release,
        Responses.json(200, Fixtures.JSON.createObjectNode().put("kind", "Status"))));
    h.startCreated();
    h.jobWatch.awaitOpened();
    h.podWatch.awaitOpened();

    CompletableFuture<Integer> signal = CompletableFuture.supplyAsync(
        () -> h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20)));
    h.fake.awaitRequest("DELETE", Harness.DELETE);
    assertThatThrownBy(() -> h.result.get(300, TimeUnit.MILLISECONDS))
        .as("the run's report waits for the deletion in flight")
        .isInstanceOf(TimeoutException.class);
    release.countDown();

    assertThat(h.exitCode()).isEqualTo(143);
    assertThat(signal.get(20, TimeUnit.SECONDS)).isEqualTo(143);
    assertThat(h.runner.report(BigDecimal.ONE).verdict())
        .containsExactly("interrupted by SIGTERM (exit 143): deleted Job batch/pixiv-scraping-1");
  }

  @Test
  void theReportOfARunASignalEndedSaysWhyItsJobCouldNotBeDeleted() throws Exception {
    harness();
    h.fake.on("DELETE", Harness.DELETE,
        Responses.status(403, "Forbidden", "jobs.batch is forbidden: no delete for you"));
    h.startCreated();
    h.jobWatch.awaitOpened();
    h.podWatch.awaitOpened();

    CompletableFuture.runAsync(
        () -> h.interruption.onSignal(ExitCodes.SIGINT, Duration.ofSeconds(5)));

    assertThat(h.exitCode()).isEqualTo(130);
    assertThat(h.runner.report(BigDecimal.ONE).verdict()).singleElement().asString()
        .startsWith("interrupted by SIGINT (exit 130): Job batch/pixiv-scraping-1 may still be"
            + " running: it could not be deleted within 5s (")
        .contains("no delete for you");
  }

  @Test
  void theReportOfASignalBeforeTheCreateSaysNoJobWasCreated() throws Exception {
    harness();
    h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(5));
    h.start();

    assertThat(h.exitCode()).isEqualTo(143);
    assertThat(h.runner.report(BigDecimal.ONE).verdict()).containsExactly(
        "interrupted by SIGTERM (exit 143): no Job batch/pixiv-scraping-1 was created; nothing"
            + " to delete");
  }


  /**
   * A create still connecting (the server takes the connection and never answers the TLS
   * handshake) was waited for until its time limit of 10 s before the signal could say anything.
   */
  @Test
  @Timeout(30)
  void aSignalWhileTheCreateIsStillConnectingEndsItAtOnceAndSaysNoJobWasCreated()
      throws Exception {
    h = new Harness(pki, dir, Harness.Setup.shards(1).withDeadServer());
    try (ServerSocket silent = new ServerSocket(h.deadPort, 50,
        InetAddress.getLoopbackAddress())) {
      h.start();
      try (Socket connection = silent.accept()) { // the create connects, and hears nothing
        assertThat(connection.isConnected()).isTrue();
        long start = System.nanoTime();
        int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20));

        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("well before the request's 10 s limit").isLessThan(Duration.ofSeconds(5));
        assertThat(code).isEqualTo(143);
        assertThat(h.exitCodeWithin(5)).isEqualTo(143);
        assertThat(h.runner.report(BigDecimal.ONE).verdict()).containsExactly(
            "interrupted by SIGTERM (exit 143): no Job batch/pixiv-scraping-1 was created;"
                + " nothing to delete");
        assertThat(h.err()).doesNotContain("trying again");
      }
    }
  }

  /**
   * A read of the Job by name (after a DELETED event) that the server took and never answered was
   * waited for until its time limit of 10 s before the signal could delete the Job and the run
   * could end.
   */
  @Test
  @Timeout(30)
  void aSignalWhileALookupOfTheFollowedJobGoesUnansweredEndsItAtOnceAndDeletesTheJob()
      throws Exception {
    harness();
    CountDownLatch never = new CountDownLatch(1);
    try {
      h.fake.on("GET", Harness.JOB, Responses.held(never, Responses.json(200, h.job)));
      h.startCreated();
      h.jobWatch.awaitOpened().event("DELETED", h.job);
      h.fake.awaitRequest("GET", Harness.JOB); // the lookup is taken, and hears nothing
      long start = System.nanoTime();

      int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20));

      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("well before the lookup's 10 s limit").isLessThan(Duration.ofSeconds(5));
      assertThat(code).isEqualTo(143);
      assertThat(h.exitCodeWithin(5)).isEqualTo(143);
      assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
      assertThat(h.runner.report(BigDecimal.ONE).verdict())
          .containsExactly("interrupted by SIGTERM (exit 143): deleted Job batch/pixiv-scraping-1");
      assertThat(h.err()).doesNotContain("cannot read Job", "deleted by someone else");
    } finally {
      never.countDown();
    }
  }

  @Test
  @Timeout(30)
  void aSignalWhileThePluginForTheCreateHangsStopsItAndSaysNoJobWasCreated() throws Exception {
    Files.createFile(dir.resolve("ran")); // the plugin hangs from its first run
    try (LogCapture logs = LogCapture.start()) {
      execHarness();
      h.start();
      String[] pids = started();

      int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20));

      assertThat(code).isEqualTo(143);
      assertThat(h.exitCode()).isEqualTo(143);
      assertThat(h.fake.requests()).as("the create was never sent; nothing to look up").isEmpty();
      assertThat(logs.text()).contains("no Job batch/pixiv-scraping-1 was created")
          .doesNotContain("removing Job", "looking the Job up");
      awaitGone(pids);
    }
  }

  @Test
  @Timeout(30)
  void aDeletionWaitingForAHangingPluginEndsAtTheSignalsBound() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      execHarness();
      // The token is refused: the plugin runs again for the deletion, and hangs.
      h.fake.on("DELETE", Harness.DELETE, Responses.status(401, "Unauthorized", "expired"));
      h.startCreated();
      h.jobWatch.awaitOpened();
      h.podWatch.awaitOpened();
      CompletableFuture<String[]> hanging = CompletableFuture.supplyAsync(this::started);

      int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(5));

      assertThat(code).isEqualTo(143);
      awaitGone(hanging.get(20, TimeUnit.SECONDS));
      assertThat(logs.text()).contains("could not be deleted within 5s", "was stopped");
    }
  }

  /** A harness whose credentials come from the exec plugin {@link #plugin()}. */
  private Harness execHarness() throws Exception {
    h = new Harness(pki, dir, Harness.Setup.shards(1).token(Harness.EXEC + plugin()));
    return h;
  }

  /**
   * A plugin that gives a token on its first run and hangs on later ones (from the first when
   * {@code dir/ran} exists), with a child, ignoring SIGTERM; once hanging, it writes its pid and
   * its child's to the FIFO {@code dir/started}.
   */
  private Path plugin() throws Exception {
    Path fifo = dir.resolve("started");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    String credential = "{\"apiVersion\":\"client.authentication.k8s.io/v1\","
        + "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}";
    Path script = dir.resolve("auth-plugin.sh");
    Files.writeString(script, "#!/bin/sh\n"
        + "if [ -e '" + dir.resolve("ran") + "' ]; then\n"
        + "  trap '' TERM\n"
        + "  sleep 1000 &\n"
        + "  echo $$ $! > '" + fifo + "'\n"
        + "  wait\n"
        + "fi\n"
        + "touch '" + dir.resolve("ran") + "'\n"
        + "printf '%s' '" + credential + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  /** The pids of the hanging plugin and its child, once it hangs. */
  private String[] started() {
    try {
      return Files.readString(dir.resolve("started")).trim().split(" ");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the processes have gone (bound: the test's timeout). */
  private static void awaitGone(String[] pids) {
    for (String pid : pids) {
      ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> p.onExit().join());
    }
  }
}

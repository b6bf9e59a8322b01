package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.afterFailures;
import static dev.pixivdic.launcher.run.Fixtures.evicted;
import static dev.pixivdic.launcher.run.Fixtures.finishedAt;
import static dev.pixivdic.launcher.run.Fixtures.running;
import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static dev.pixivdic.launcher.run.Fixtures.withCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.fake.FaultProxy;
import dev.pixivdic.launcher.fake.LogCapture;
import dev.pixivdic.launcher.fake.PodLog;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.Streams;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.launcher.run.Harness.Setup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault {@code pixiv-launch run} is tested against, in one place: a Kubernetes API that fails
 * (through the fault-injecting {@link FaultProxy} in front of the API stand-in), refuses, lies or
 * echoes secrets; pods that decide the Job's failure, or that were evicted; signals in each phase
 * of a run. Each fault states what the command does and its exit code; the table in
 * docs/launcher.md is rendered from this list ({@link
 * #docsListEveryFaultWithWhatTheCommandDoesAndItsExitCode}).
 *
 * <p>Every case runs with secrets planted in its kubeconfig (a bearer token, a query string in the
 * server URL), and nothing the launcher prints or logs may contain them.
 */
class FaultMatrixTest {
  static final String TOKEN = "TOKEN-SECRET-2f7c9a41d3e8";
  static final String QUERY_SECRET = "QUERY-SECRET-8e1b55";
  private static final Path DOCS = Path.of("..", "docs", "launcher.md");
  private static final Duration SHORT = Duration.ofSeconds(2);
  private static final Setup PROXIED =
      Setup.shards(1)
          .throughProxy("/?access_token=" + QUERY_SECRET, TOKEN)
          .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
  private static final Setup TOKEN_FROM_FILE =
      Setup.shards(1)
          .throughProxy("/?access_token=" + QUERY_SECRET, Harness.TOKEN_FILE + TOKEN)
          .timeouts(Duration.ofSeconds(10), Duration.ofSeconds(20));
  private static final Setup IMPATIENT = PROXIED.timeouts(Duration.ofSeconds(1), SHORT);
  private static final String FOUND =
      "an earlier create request made it though its answer was lost";
  private static TestPki pki;
  @TempDir Path dir;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  /** Plays one fault against a started harness and returns the code the process would exit with. */
  interface Scenario {
    int play(Harness h) throws Exception;
  }

  /**
   * One fault.
   *
   * @param phase when it strikes: create, watch, delete, result, signal, secrets
   * @param fault what goes wrong
   * @param does what pixiv-launch does about it, as docs/launcher.md says
   * @param exit the exit code
   */
  record Fault(String phase, String fault, String does, int exit, Setup setup, Scenario scenario) {
    @Override
    public String toString() {
      return phase + ": " + fault;
    }

    String docRow() {
      return "| " + phase + " | " + fault + " | " + does + " | " + exit + " |";
    }
  }

  static List<Fault> faults() {
    List<Fault> f = new ArrayList<>();
    // --- creating the Job ---
    f.add(
        new Fault(
            "create",
            "429 with `Retry-After: 1`",
            "waits the second asked, creates, runs",
            0,
            PROXIED,
            h -> {
              h.proxy.rule("POST", Harness.CREATE, 1, FaultProxy.tooManyRequests("1"));
              h.startCreated();
              complete(h);
              assertThat(h.err()).contains("429", "trying again in 1s", "created Job");
              return h.exitCode();
            }));
    f.add(
        new Fault(
            "create",
            "500, 503, then 504 from a gateway",
            "retries with backoff, creates, runs",
            0,
            PROXIED,
            h -> {
              h.proxy
                  .rule("POST", Harness.CREATE, 1, FaultProxy.status(500, "InternalError"))
                  .rule("POST", Harness.CREATE, 1, FaultProxy.status(503, "ServiceUnavailable"))
                  .rule("POST", Harness.CREATE, 1, FaultProxy.status(504, "Timeout"));
              h.startCreated();
              complete(h);
              assertThat(h.count("POST", Harness.CREATE)).isEqualTo(1);
              return h.exitCode();
            }));
    f.add(
        new Fault(
            "create",
            "connection closed before the request arrived",
            "creates again, runs",
            0,
            PROXIED,
            h -> {
              h.proxy.rule("POST", Harness.CREATE, 1, new FaultProxy.Reset());
              h.startCreated();
              complete(h);
              assertThat(h.err()).contains("the connection closed before an answer");
              return h.exitCode();
            }));
    Map<String, FaultProxy.Fault> lost = new java.util.LinkedHashMap<>();
    lost.put("Job stored, answer lost (connection closed)", new FaultProxy.LoseAnswer());
    lost.put(
        "Job stored, then 504 from a gateway",
        new FaultProxy.ServedThen(FaultProxy.status(504, "Timeout")));
    lost.put("Job stored, answer not JSON (a proxy's HTML page)", new FaultProxy.Garbled());
    lost.forEach(
        (fault, how) ->
            f.add(
                new Fault(
                    "create",
                    fault,
                    "sends the create again, gets 409, finds its own Job by name and labels,"
                        + " follows it",
                    0,
                    PROXIED,
                    h -> {
                      h.proxy.rule("POST", Harness.CREATE, 1, how);
                      h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
                      h.fake.on(
                          "POST",
                          Harness.CREATE,
                          Responses.status(
                              409,
                              "AlreadyExists",
                              "jobs.batch \"pixiv-scraping-1\" already exists"));
                      h.fake.on("GET", Harness.JOB, Responses.json(200, h.job));
                      h.startWatching(h.job);
                      complete(h);
                      int code = h.exitCode();
                      assertThat(h.err()).contains(FOUND);
                      assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
                      return code;
                    })));
    f.add(new Fault("create", "201 whose body is JSON but not a Job (a `Status`)",
        "says it got JSON that is not a Job, sends the create again, gets 409, finds its own"
            + " Job by name, follows it", 0, PROXIED, h -> {
          h.fake.on("POST", Harness.CREATE, Responses.json(201,
              Fixtures.JSON.createObjectNode().put("kind", "Status").put("status", "Success")));
          h.fake.on("POST", Harness.CREATE, Responses.status(409, "AlreadyExists",
              "jobs.batch \"pixiv-scraping-1\" already exists"));
          h.fake.on("GET", Harness.JOB, Responses.json(200, h.job));
          h.startWatching(h.job);
          complete(h);
          int code = h.exitCode();
          assertThat(h.err()).contains("answered 201 with JSON, but not a Job: a Status", FOUND)
              .doesNotContain("not JSON");
          assertCleanMessages(h);
          return code;
        }));
    f.add(new Fault("create", "no answer within the request time limit", "creates again, runs", 0,
        PROXIED.timeouts(Duration.ofSeconds(1), Duration.ofSeconds(20)), h -> {
          h.proxy.rule("POST", Harness.CREATE, 1, new FaultProxy.Stall());
          h.startCreated();
          complete(h);
          assertThat(h.err()).contains("no answer within 1s");
          return h.exitCode();
        }));
    f.add(new Fault("create", "`Retry-After` far beyond `--api-retry-timeout`",
        "waits until the timeout at most, tries once more, creates, runs", 0, PROXIED.timeouts(
            Duration.ofSeconds(10), SHORT), h -> {
          h.proxy.rule("POST", Harness.CREATE, 1, FaultProxy.tooManyRequests("999999999"));
          h.startCreated();
          complete(h);
          return h.exitCode();
        }));
    f.add(
        new Fault(
            "create",
            "`Retry-After` that is neither seconds nor a date",
            "uses its own backoff, creates",
            0,
            PROXIED,
            h -> {
              h.proxy.rule("POST", Harness.CREATE, 1, FaultProxy.tooManyRequests("soon, perhaps"));
              h.startCreated();
              complete(h);
              return h.exitCode();
            }));
    f.add(new Fault("create", "connections refused, then the API server comes up",
        "retries until it answers, creates, runs", 0, PROXIED.withDeadServer().timeouts(
            Duration.ofSeconds(10), Duration.ofSeconds(20)), h -> {
          h.startCreated();
          h.awaitErr("connection refused");
          FaultProxy up = FaultProxy.startOn(h.pki, h.fake.url(), h.deadPort);
          try {
            complete(h);
            return h.exitCode();
          } finally {
            up.close();
          }
        }));
    f.add(
        new Fault(
            "create",
            "connections refused for the whole `--api-retry-timeout`",
            "gives up naming the server and the cause; nothing was created",
            ExitCodes.UNAVAILABLE,
            PROXIED.withDeadServer().timeouts(Duration.ofSeconds(1), SHORT),
            h -> {
              h.start();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains(
                      "gave up creating Job batch/pixiv-scraping-1 after 2s",
                      "no answer from the API server https://127.0.0.1:"
                          + h.deadPort
                          + ": connection refused")
                  .doesNotContain("null", "unwatched");
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "503 for the whole `--api-retry-timeout`",
            "gives up; looks the Job up by name first (none)",
            ExitCodes.UNAVAILABLE,
            IMPATIENT,
            h -> {
              h.proxy.rule(
                  "POST", Harness.CREATE, 10_000, FaultProxy.status(503, "ServiceUnavailable"));
              h.fake.always("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
              h.start();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains("gave up creating Job", "503")
                  .doesNotContain("unwatched");
              assertThat(h.count("GET", Harness.JOB)).isPositive();
              assertThat(h.count("DELETE", Harness.JOBS)).isZero();
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "Job stored, answer lost, then every request fails",
            "gives up, says the Job may run unwatched and how to delete it",
            ExitCodes.UNAVAILABLE,
            IMPATIENT,
            h -> {
              h.proxy
                  .rule("POST", Harness.CREATE, 1, new FaultProxy.LoseAnswer())
                  .rule("POST", Harness.JOBS, 10_000, FaultProxy.status(503, "ServiceUnavailable"))
                  .rule("GET", "", 10_000, FaultProxy.status(503, "ServiceUnavailable"))
                  .rule("DELETE", "", 10_000, FaultProxy.status(503, "ServiceUnavailable"));
              h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
              h.start();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains(
                      "Job batch/pixiv-scraping-1 may be running unwatched",
                      "kubectl delete job -n batch pixiv-scraping-1",
                      "same --name re-attaches",
                      "looking the Job up once more (within 1s) failed too", "returned 503");
              // One lookup, within one request's limit: the launch ends near its patience.
              assertThat(h.proxy.applied().stream().filter(a -> a.method().equals("GET")))
                  .hasSize(1);
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "Job stored, answer lost, then every create fails; the last lookup finds it failed",
            "deletes the failed Job, as any failed Job; exits (a retry starts afresh)",
            ExitCodes.UNAVAILABLE,
            IMPATIENT,
            h -> {
              playFoundFailed(h);
              int code = h.exitCode();
              assertThat(h.err())
                  .contains("gave up creating Job", "(uid " + Fixtures.JOB_UID
                      + "), made by an earlier create request or attempt, has failed",
                      "deleted Job batch/pixiv-scraping-1")
                  .doesNotContain("unwatched");
              assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "as above, with `--keep-on-failure`",
            "keeps the failed Job, says the TTL removes it",
            ExitCodes.UNAVAILABLE,
            IMPATIENT.keepingFailedJobs(),
            h -> {
              playFoundFailed(h);
              int code = h.exitCode();
              assertThat(h.err())
                  .contains("keeping failed Job batch/pixiv-scraping-1 (--keep-on-failure)")
                  .doesNotContain("unwatched", "deleted Job");
              assertThat(h.count("DELETE", Harness.JOBS)).isZero();
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "403 Forbidden (RBAC)",
            "names the missing permission; nothing to clean up",
            ExitCodes.API_REFUSED,
            PROXIED,
            h -> {
              h.fake.on(
                  "POST",
                  Harness.CREATE,
                  Responses.status(
                      403,
                      "Forbidden",
                      "jobs.batch is forbidden: User \"system:serviceaccount:batch:digdag\" cannot"
                          + " create resource \"jobs\""));
              h.start();
              int code = h.exitCode();
              assertThat(h.err()).contains("cannot create resource \"jobs\"");
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "422 Invalid",
            "shows the server's message",
            ExitCodes.API_REFUSED,
            PROXIED,
            h -> {
              h.fake.on(
                  "POST",
                  Harness.CREATE,
                  Responses.status(
                      422,
                      "Invalid",
                      "Job.batch \"pixiv-scraping-1\" is invalid:"
                          + " spec.template.spec.containers[0].resources.limits.memory: Invalid"
                          + " value: \"1Gb\""));
              h.start();
              int code = h.exitCode();
              assertThat(h.err()).contains("422 Invalid", "Invalid value: \"1Gb\"");
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "401 twice (credentials refreshed in between)",
            "reports the refusal",
            ExitCodes.API_REFUSED,
            PROXIED,
            h -> {
              h.fake.on(
                  "POST", Harness.CREATE, Responses.status(401, "Unauthorized", "token expired"));
              h.fake.on(
                  "POST",
                  Harness.CREATE,
                  Responses.status(401, "Unauthorized", "token still expired"));
              h.start();
              int code = h.exitCode();
              assertThat(h.err()).contains("401 Unauthorized: token still expired");
              return code;
            }));
    f.add(new Fault("create", "401 once (a token that just expired)",
        "reads the credentials again, creates, runs", 0, PROXIED, h -> {
          h.proxy.rule("POST", Harness.CREATE, 1, FaultProxy.status(401, "Unauthorized"));
          h.startCreated();
          complete(h);
          int code = h.exitCode();
          assertThat(h.count("POST", Harness.CREATE)).isEqualTo(1);
          return code;
        }));
    f.add(
        new Fault(
            "create",
            "409: a Job of that name with other labels",
            "names the labels; touches nothing",
            ExitCodes.API_REFUSED,
            PROXIED,
            h -> {
              ObjectNode other = h.job.deepCopy();
              ((ObjectNode) other.at("/metadata/labels"))
                  .put(ManifestBuilder.LABEL_SPEC_HASH, "0000000000000000");
              h.fake.on(
                  "POST", Harness.CREATE, Responses.status(409, "AlreadyExists", "already exists"));
              h.fake.on("GET", Harness.JOB, Responses.json(200, other));
              h.start();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains(
                      "a different Job named batch/pixiv-scraping-1 already exists",
                      ManifestBuilder.LABEL_SPEC_HASH + "=0000000000000000");
              assertThat(h.count("DELETE", Harness.JOBS)).isZero();
              return code;
            }));
    f.add(new Fault("create", "403 whose message repeats the bearer token (a hostile server)",
        "reports the refusal with the token masked", ExitCodes.API_REFUSED, PROXIED, h -> {
          h.proxy.rule("POST", Harness.CREATE, 1, new FaultProxy.EchoCredentials(403));
          h.start();
          int code = h.exitCode();
          assertThat(h.err()).contains("you sent Bearer ***");
          return code;
        }));
    f.add(new Fault("create", "403 whose message repeats the bearer token cut short: less its"
        + " last character, its first 16 characters (a hostile server)",
        "reports the refusal with every run of 16 or more of the token's characters masked",
        ExitCodes.API_REFUSED, PROXIED, h -> {
          h.fake.on("POST", Harness.CREATE, Responses.status(403, "Forbidden",
              "token " + TOKEN.substring(0, TOKEN.length() - 1) + " or " + TOKEN.substring(0, 16)
                  + " or " + TOKEN.substring(9) + " is not allowed"));
          h.start();
          int code = h.exitCode();
          assertThat(h.err()).contains("token *** or *** or *** is not allowed");
          return code;
        }));
    f.add(
        new Fault(
            "create",
            "403 whose message holds a newline and terminal escapes (a hostile server)",
            "prints the message on one line, the control characters escaped",
            ExitCodes.API_REFUSED,
            PROXIED,
            h -> {
              h.fake.on(
                  "POST",
                  Harness.CREATE,
                  Responses.status(
                      403,
                      "Forbidden",
                      "no\npixiv-launch: Job batch/pixiv-scraping-1 succeeded\u001b[2J"));
              h.start();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains("no\\npixiv-launch: Job batch/pixiv-scraping-1 succeeded\\u001b[2J")
                  .doesNotContain("\u001b")
                  .doesNotContain("\npixiv-launch: Job batch/pixiv-scraping-1 succeeded");
              return code;
            }));
    f.add(
        new Fault(
            "create",
            "409: our previous Job stays in deletion for the whole `--api-retry-timeout`",
            "waits for it, then gives up",
            ExitCodes.UNAVAILABLE,
            IMPATIENT,
            h -> {
              ObjectNode deleting = h.job.deepCopy();
              ((ObjectNode) deleting.get("metadata"))
                  .put("deletionTimestamp", "2026-01-01T00:00:00Z");
              h.fake.always(
                  "POST", Harness.CREATE, Responses.status(409, "AlreadyExists", "already exists"));
              h.fake.always("GET", Harness.JOB, Responses.json(200, deleting));
              h.start();
              int code = h.exitCode();
              assertThat(h.err()).contains("from a previous attempt is still being deleted");
              assertThat(h.count("DELETE", Harness.JOBS)).isZero();
              return code;
            }));
    // --- watching the Job and its pods ---
    f.add(
        new Fault(
            "watch",
            "watch answered 503 twice, then served",
            "reconnects, runs to the end",
            0,
            PROXIED,
            h -> {
              h.proxy.rule(
                  "GET", Harness.JOB_WATCH, 2, FaultProxy.status(503, "ServiceUnavailable"));
              h.startCreated();
              complete(h);
              return h.exitCode();
            }));
    f.add(new Fault("watch",
        "the token file gains a line break while the Job runs (a bad rotation)",
        "names the kubeconfig the token came from, never the token; the Job cannot be deleted"
            + " without it: says how to delete it",
        ExitCodes.API_REFUSED, TOKEN_FROM_FILE, h -> {
          h.startCreated();
          h.jobWatch.awaitOpened();
          Files.writeString(h.tokenFile, TOKEN + "\r\nX-Injected: 1\n");
          h.jobWatch.send("<html>proxy error</html>\n"); // the watch is opened again
          int code = h.exitCode();
          assertThat(h.err()).contains("a character a token cannot hold",
              "kubeconfig [", "may be running unwatched", "kubectl delete job");
          assertThat(h.count("DELETE", Harness.JOBS)).isZero();
          return code;
        }));
    f.add(new Fault("watch",
        "the token file gains a byte order mark while the Job runs (saved by an editor)",
        "names the kubeconfig the token came from, never the token; no hang",
        ExitCodes.API_REFUSED, TOKEN_FROM_FILE, h -> {
          h.startCreated();
          h.jobWatch.awaitOpened();
          Files.writeString(h.tokenFile, "\uFEFF" + TOKEN + "\n");
          h.jobWatch.send("<html>proxy error</html>\n"); // the watch is opened again
          int code = h.exitCode();
          assertThat(h.err()).contains("a character a token cannot hold", "kubeconfig [",
              "may be running unwatched");
          return code;
        }));
    f.add(
        new Fault(
            "watch",
            "a watch line that is not JSON",
            "reconnects from the last version, runs to the end",
            0,
            PROXIED,
            h -> {
              h.startCreated();
              Streams.Stream second = h.fake.newStream();
              h.fake.on("GET", Harness.JOB_WATCH, Responses.stream(second));
              h.jobWatch.awaitOpened().send("<html>proxy error</html>\n");
              second
                  .awaitOpened()
                  .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
              return h.exitCode();
            }));
    Map<String, String> badLists = new java.util.LinkedHashMap<>();
    badLists.put("the Job list answered with `\"items\": null`, always",
        "{\"metadata\":{\"resourceVersion\":\"7\"},\"items\":null}");
    badLists.put("the Job list answered with `\"items\"` not a list, always",
        "{\"metadata\":{\"resourceVersion\":\"7\"},\"items\":{}}");
    badLists.put("the Job list answered without `items`, always",
        "{\"metadata\":{\"resourceVersion\":\"7\"}}");
    badLists.forEach((fault, body) -> f.add(new Fault("watch", fault,
        "never reads it as \"deleted\": retries, then deletes the Job and exits",
        ExitCodes.UNAVAILABLE, IMPATIENT, h -> {
          h.fake.always("GET", Harness.JOB_LIST, Responses.text(200, body));
          int code = aroundJobWatch(h);
          assertThat(h.err()).contains("cannot watch the state of Job batch/pixiv-scraping-1",
              "JSON, but not a list of Jobs: items is", "deleted Job batch/pixiv-scraping-1")
              .doesNotContain("deleted by someone else");
          assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
          assertCleanMessages(h);
          return code;
        })));
    Map<String, String> wrongTypes = new java.util.LinkedHashMap<>();
    wrongTypes.put("a `null` condition", "status.conditions[0] is null, not an object");
    wrongTypes.put("`\"succeeded\": \"one\"`", "status.succeeded is \"one\", not a number");
    wrongTypes.put("`\"metadata\"` a list", "metadata is a list, not an object");
    wrongTypes.forEach((what, said) -> f.add(new Fault("watch",
        "the Job list's Job has " + what + ", always",
        "names the field and what was wrong; retries, then deletes the Job and exits",
        ExitCodes.UNAVAILABLE, IMPATIENT, h -> {
          ObjectNode job = h.job.deepCopy();
          if (what.contains("null")) {
            ((ObjectNode) job.get("status")).putArray("conditions").addNull();
          } else if (what.contains("succeeded")) {
            ((ObjectNode) job.get("status")).put("succeeded", "one");
          } else {
            job.putArray("metadata");
          }
          h.fake.always("GET", Harness.JOB_LIST, Responses.json(200, Fixtures.list("7", job)));
          int code = aroundJobWatch(h);
          assertThat(h.err()).contains("JSON, but not a list of Jobs: items[0]." + said,
              "deleted Job batch/pixiv-scraping-1");
          assertCleanMessages(h);
          return code;
        })));
    f.add(new Fault("watch", "every Job watch sends a line cut off mid-JSON, then closes",
        "says the line was cut off; retries, then deletes the Job and exits",
        ExitCodes.UNAVAILABLE, IMPATIENT, h -> {
          h.fake.always("GET", Harness.JOB_LIST, Responses.json(200, Fixtures.list("7", h.job)));
          h.fake.always("GET", Harness.JOB_WATCH,
              Responses.text(200, "{\"type\":\"MODIFIED\",\"object\":{\"metad"));
          int code = aroundJobWatch(h);
          assertThat(h.err()).contains("a line of the watch of", "is JSON cut off before its end",
              "deleted Job batch/pixiv-scraping-1");
          assertCleanMessages(h);
          return code;
        }));
    f.add(new Fault("watch", "a Job watch line without its object (`{\"type\":\"MODIFIED\"}`)",
        "never reads it as another Job: reconnects from the last version, runs to the end", 0,
        PROXIED, h -> {
          h.startCreated();
          Streams.Stream second = h.fake.newStream();
          h.fake.on("GET", Harness.JOB_WATCH, Responses.stream(second));
          h.jobWatch.awaitOpened().send("{\"type\":\"MODIFIED\"}\n");
          second.awaitOpened()
              .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
          int code = h.exitCode();
          assertThat(h.err()).doesNotContain("deleted by someone else");
          return code;
        }));
    f.add(new Fault("watch", "the Job list lacks the Job, a read by name finds it",
        "follows it (a lagging list is not a deletion), runs to the end", 0, PROXIED, h -> {
          h.fake.on("GET", Harness.JOB, Responses.json(200, h.job));
          h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
          h.startWatching();
          complete(h);
          int code = h.exitCode();
          assertThat(h.count("GET", Harness.JOB)).isEqualTo(1);
          return code;
        }));
    f.add(new Fault("watch", "the Job list lacks the Job, a read by name answers 404",
        "says it was deleted by someone else, deletes nothing", ExitCodes.DELETED_EXTERNALLY,
        PROXIED, h -> {
          h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
          h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
          h.startWatching();
          int code = h.exitCode();
          assertThat(h.err()).contains("deleted by someone else");
          assertThat(h.count("DELETE", Harness.JOBS)).isZero();
          return code;
        }));
    f.add(new Fault("watch",
        "the Job list lacks the Job, a read by name answers a bare 404 (a gateway's page)",
        "never reads it as \"deleted\": names the refusal, deletes the Job",
        ExitCodes.API_REFUSED, PROXIED, h -> {
          h.fake.on("GET", Harness.JOB, Responses.text(404, "<html>404 Not Found</html>"));
          h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
          h.startWatching();
          int code = h.exitCode();
          assertThat(h.err()).contains("cannot read Job batch/pixiv-scraping-1 to tell whether"
              + " it still exists", "404", "deleted Job batch/pixiv-scraping-1")
              .doesNotContain("deleted by someone else");
          return code;
        }));
    f.add(new Fault("watch",
        "the Job list lacks the Job, every read by name answers JSON that is not a Job",
        "cannot tell whether it exists: retries, then deletes the Job and exits",
        ExitCodes.UNAVAILABLE, IMPATIENT, h -> {
          h.fake.always("GET", Harness.JOB, Responses.json(200,
              Fixtures.JSON.createObjectNode().put("kind", "Job")));
          h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
          h.startWatching();
          int code = h.exitCode();
          assertThat(h.err()).contains("cannot tell whether Job batch/pixiv-scraping-1 still"
              + " exists for 2s", "JSON, but not a Job: metadata.name is missing",
              "deleted Job batch/pixiv-scraping-1").doesNotContain("deleted by someone else");
          assertCleanMessages(h);
          return code;
        }));
    f.add(new Fault("watch", "the Job watch refused with 410 Gone (its version expired)",
        "lists the Job again and watches from the new version, runs to the end", 0, PROXIED,
        h -> {
          h.proxy.rule("GET", Harness.JOB_WATCH, 1, FaultProxy.status(410, "Expired"));
          h.fake.on("GET", Harness.JOB_LIST, Responses.json(200, Fixtures.list("90", h.job)));
          h.startCreated();
          complete(h);
          int code = h.exitCode();
          assertThat(h.count("GET", Harness.JOB_LIST)).isEqualTo(2);
          return code;
        }));
    f.add(new Fault("watch", "410 Expired inside the Job's watch stream",
        "lists the Job again; the list says it completed", 0, PROXIED, h -> {
          h.startCreated();
          h.fake.on("GET", Harness.JOB_LIST, Responses.json(200,
              Fixtures.list("300", withCondition(h.job, "Complete", "CompletionsReached", ""))));
          h.fake.on("GET", Harness.JOB_WATCH, Responses.stream(h.fake.newStream()));
          h.jobWatch.awaitOpened().event("ERROR", Fixtures.expired());
          int code = h.exitCode();
          assertThat(h.count("GET", Harness.JOB_LIST)).isEqualTo(2);
          return code;
        }));
    f.add(new Fault("watch", "an `ERROR` event in the pods watch whose message repeats the bearer"
        + " token, with a newline and terminal escapes (a hostile server)",
        "reports the refusal with the token masked and the control characters escaped; deletes"
        + " the Job", ExitCodes.API_REFUSED, PROXIED, h -> {
          h.startCreated();
          ObjectNode forbidden = Fixtures.JSON.createObjectNode().put("kind", "Status")
              .put("status", "Failure").put("reason", "Forbidden").put("code", 403)
              .put("message", "you sent " + TOKEN
                  + "\npixiv-launch: Job batch/pixiv-scraping-1 succeeded\u001b[2J");
          h.podWatch.awaitOpened().event("ERROR", forbidden);
          int code = h.exitCode();
          assertThat(h.err()).contains("you sent ***",
                  "\\npixiv-launch: Job batch/pixiv-scraping-1 succeeded\\u001b[2J")
              .doesNotContain("\u001b")
              .doesNotContain("\npixiv-launch: Job batch/pixiv-scraping-1 succeeded");
          assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
          return code;
        }));
    f.add(new Fault("watch", "a pod that cannot start, whose waiting message and event repeat the"
        + " bearer token, URL-encoded and in lower case (a hostile server)",
        "reports it with the token masked in every form; deletes the Job",
        ExitCodes.COULD_NOT_START, PROXIED, h -> {
          String encoded = TOKEN.replace("-", "%2D");
          String lower = TOKEN.toLowerCase(java.util.Locale.ROOT);
          ObjectNode events = Fixtures.list("1");
          ((com.fasterxml.jackson.databind.node.ArrayNode) events.get("items")).addObject()
              .put("type", "Warning").put("reason", "InspectFailed")
              .put("message", "pulled with " + lower);
          h.fake.on("GET", "^/api/v1/namespaces/batch/events\\?fieldSelector=.*p0",
              Responses.json(200, events));
          h.startCreated();
          h.podWatch.awaitOpened().event("ADDED", Fixtures.waiting("p0", 0, "InvalidImageName",
              "bad ref; url=" + encoded + " token " + TOKEN));
          int code = h.exitCode();
          assertThat(h.err()).contains("InvalidImageName", "url=*** token ***",
              "pulled with ***").doesNotContain(encoded, lower);
          assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
          return code;
        }));
    f.add(new Fault("watch", "the Job watch's connection reset",
        "reconnects from the last version, runs to the end", 0, PROXIED, h -> {
          h.proxy.rule("GET", Harness.JOB_WATCH, 1, new FaultProxy.Reset());
          h.startCreated();
          complete(h);
          return h.exitCode();
        }));
    f.add(new Fault("watch",
        "the Job deleted by someone else while it runs (a `DELETED` event, a read by name answers"
            + " 404)",
        "says so, deletes nothing", ExitCodes.DELETED_EXTERNALLY, PROXIED, h -> {
          h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
          h.startCreated();
          h.jobWatch.awaitOpened().event("DELETED", h.job);
          int code = h.exitCode();
          assertThat(h.err()).contains("deleted by someone else while it ran");
          assertThat(h.count("DELETE", Harness.JOBS)).isZero();
          return code;
        }));
    f.add(new Fault("watch", "a `DELETED` event for the Job, a read by name still finds it",
        "follows it (an event alone is not a deletion), runs to the end", 0, PROXIED, h -> {
          h.fake.on("GET", Harness.JOB, Responses.json(200, h.job));
          h.startCreated();
          h.jobWatch.awaitOpened().event("DELETED", h.job);
          h.fake.awaitRequest("GET", Harness.JOB);
          complete(h);
          return h.exitCode();
        }));
    f.add(new Fault("watch",
        "the Job deleted after it completed (by another launch of the same `--name`)",
        "ends as the Job ended: its last state has `Complete`, or a pod of every index was seen"
            + " to exit 0", 0, PROXIED, h -> {
          h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
          h.startCreated();
          h.jobWatch.awaitOpened().event("DELETED",
              withCondition(h.job, "Complete", "CompletionsReached", ""));
          int code = h.exitCode();
          assertThat(h.err()).contains("deleted by someone else after it ended");
          return code;
        }));
    f.add(new Fault("watch", "the Job deleted after it failed (by another launch of the same"
        + " `--name`), its last state seen without a condition", "ends as the Job ended: the last"
        + " attempt of every index was seen to fail with its retries spent", 1, PROXIED, h -> {
          ((ObjectNode) h.job.get("spec")).put("backoffLimitPerIndex", 2);
          return deletedAfterPods(h, afterFailures(terminated("p0", 0, 1, "Error", null), 2),
              "deleted by someone else after it ended");
        }));
    f.add(new Fault("watch", "the Job deleted while a failed index had retries left",
        "says it was deleted while it ran", 4, PROXIED, h -> {
          ((ObjectNode) h.job.get("spec")).put("backoffLimitPerIndex", 2);
          return deletedAfterPods(h, afterFailures(terminated("p0", 0, 1, "Error", null), 1),
              "deleted by someone else while it ran");
        }));
    f.add(new Fault("watch", "the Job deleted after every index was seen to exit 0, its active"
        + " deadline passed by then", "not called complete: says how it ended is not known", 4,
        PROXIED, h -> {
          ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:00Z");
          return deletedAfterPods(h, terminated("p0", 0, 0, "Completed", null),
              "how it ended is not known");
        }));
    f.add(new Fault("watch", "the Job deleted after every index was seen to exit 0 before its"
        + " active deadline, the deletion seen after it", "not called complete (the Job controller"
        + " checks the deadline before success, and when it last synced is not seen): says how"
        + " it ended is not known", 4,
        PROXIED, h -> {
          ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:30Z");
          h.clock.set(Instant.parse("2026-01-01T00:10:00Z"));
          return deletedAfterPods(h, finishedAt(terminated("p0", 0, 0, "Completed", null),
              "2025-12-31T23:59:00Z"), "how it ended is not known");
        }));
    f.add(new Fault("watch", "the Job deleted with `SuccessCriteriaMet` (Kubernetes 1.31+), before"
        + " `Complete`", "ends as the Job ended: complete", 0, PROXIED, h -> {
          ((ObjectNode) h.job.get("status")).put("startTime", "2025-12-31T18:00:00Z");
          h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
          h.startCreated();
          h.jobWatch.awaitOpened().event("DELETED",
              withCondition(h.job, "SuccessCriteriaMet", "CompletionsReached", ""));
          int code = h.exitCode();
          assertThat(h.err()).contains("deleted by someone else after it ended");
          return code;
        }));
    f.add(new Fault("watch", "a pod evicted (`DisruptionTarget`), its index run again",
        "follows the new pod, runs to the end", 0, PROXIED, h -> {
          h.startCreated();
          h.podWatch.awaitOpened().event("MODIFIED", evicted("p0-a", 0, 143,
              "2026-01-01T00:01:00Z"));
          h.podWatch.event("ADDED", running("p0-b", 0));
          complete(h);
          int code = h.exitCode();
          assertThat(h.err()).contains("pixiv-scraping-1 succeeded");
          return code;
        }));
    f.add(
        new Fault(
            "watch",
            "pods watch refused (403)",
            "deletes the Job, names the permission",
            ExitCodes.API_REFUSED,
            PROXIED,
            h -> {
              h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
              h.fake.on("GET", Harness.JOB_LIST, Responses.json(200, Fixtures.list("100", h.job)));
              h.fake.on("GET", Harness.JOB_WATCH, Responses.stream(h.fake.newStream()));
              h.fake.on(
                  "GET",
                  Harness.POD_LIST,
                  Responses.status(403, "Forbidden", "cannot list resource \"pods\""));
              h.fake.on(
                  "DELETE", Harness.DELETE, Responses.json(200, Fixtures.JSON.createObjectNode()));
              h.start();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains("cannot watch the pods", "cannot list resource \"pods\"");
              assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
              return code;
            }));
    f.add(
        new Fault(
            "watch",
            "the API server fails every request for the whole `--api-retry-timeout`",
            "gives up watching, cannot delete, says the Job may run unwatched",
            ExitCodes.UNAVAILABLE,
            IMPATIENT,
            h -> {
              h.startCreated();
              h.jobWatch.awaitOpened();
              h.podWatch.awaitOpened();
              h.proxy
                  .rule("GET", "", 10_000, FaultProxy.status(503, "ServiceUnavailable"))
                  .rule("DELETE", "", 10_000, FaultProxy.status(503, "ServiceUnavailable"));
              h.jobWatch.end();
              int code = h.exitCode();
              assertThat(h.err())
                  .contains(
                      "cannot watch the state of Job batch/pixiv-scraping-1 for 2s",
                      "503",
                      "may be running unwatched");
              return code;
            }));
    // --- deleting the Job ---
    f.add(new Fault("delete", "503 twice", "deletes on the third try", 0, PROXIED, h -> {
      h.proxy.rule("DELETE", Harness.DELETE, 2, FaultProxy.status(503, "ServiceUnavailable"));
      h.startCreated();
      complete(h);
      int code = h.exitCode();
      assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
      assertThat(h.err()).contains("deleted Job batch/pixiv-scraping-1");
      return code;
    }));
    f.add(
        new Fault(
            "delete",
            "DELETE of the finished Job fails for the whole `--api-retry-timeout`",
            "keeps the Job's own result; says the TTL removes it",
            0,
            IMPATIENT,
            h -> {
              h.proxy.rule(
                  "DELETE", Harness.DELETE, 10_000, FaultProxy.status(503, "ServiceUnavailable"));
              h.startCreated();
              complete(h);
              int code = h.exitCode();
              assertThat(h.err())
                  .contains(
                      "could not delete the finished Job", "ttlSecondsAfterFinished removes it");
              return code;
            }));
    // --- the Job's result ---
    f.add(
        new Fault(
            "result",
            "a pod exits 65 (parse breakage): FailJob rule",
            "exits with the pod's code: do not retry",
            65,
            PROXIED,
            h ->
                failedBy(
                    h,
                    "PodFailurePolicy",
                    "Container scrape for pod batch/p1 failed with exit code 65 matching FailJob"
                        + " rule at index 1",
                    null,
                    terminated("p1", 1, 65, "Error", "parse breakage"))));
    f.add(
        new Fault(
            "result",
            "a pod exits 2 (usage), the condition's message without the code, an evicted pod later",
            "finds the pod the FailJob rule matched, ignores the evicted one",
            2,
            PROXIED,
            h ->
                failedBy(
                    h,
                    "PodFailurePolicy",
                    "Pod batch/p1 has condition matching FailJob rule",
                    null,
                    terminated("p1", 1, 2, "Error", "unknown option"),
                    evicted("p0", 0, 143, "2026-01-01T00:09:00Z"))));
    f.add(
        new Fault(
            "result",
            "index 1 fails with 69; an evicted pod of it finishes later with 143",
            "the failing pod decides, not the evicted one",
            69,
            PROXIED,
            h ->
                failedBy(
                    h,
                    "FailedIndexes",
                    "Job has failed indexes",
                    "1",
                    finishedAt(terminated("p1-a", 1, 69, "Error", null), "2026-01-01T00:01:00Z"),
                    evicted("p1-b", 1, 143, "2026-01-01T00:02:00Z"),
                    terminated("p0", 0, 0, "Completed", null))));
    f.add(
        new Fault(
            "result",
            "failed indexes ended with 69 and 75",
            "the most cautious code decides: 75, retry later",
            75,
            PROXIED,
            h -> {
              int code =
                  failedBy(
                      h,
                      "FailedIndexes",
                      "Job has failed indexes",
                      "0,1",
                      terminated("p0", 0, 69, "Error", null),
                      terminated("p1", 1, 75, "Error", null));
              assertThat(h.err())
                  .contains("index 0: 69, index 1: 75", "the most cautious code, 75, decides");
              return code;
            }));
    f.add(
        new Fault(
            "result",
            "a pod exits 75 without a `BLOCKED` final line until its index runs out of retries",
            "exits 75: retry later",
            75,
            PROXIED,
            h ->
                failedBy(
                    h,
                    "FailedIndexes",
                    "Job has failed indexes",
                    "0",
                    finishedAt(terminated("p0-a", 0, 75, "Error", null), "2026-01-01T00:01:00Z"),
                    finishedAt(terminated("p0-b", 0, 75, "Error", null), "2026-01-01T00:03:00Z"))));
    f.add(
        new Fault(
            "result",
            "a pod's `pixiv` says `BLOCKED` in its final line and exits 75",
            "deletes the Job before Kubernetes starts the shard again, exits 75: retry later",
            ExitCodes.TRY_LATER,
            PROXIED,
            FaultMatrixTest::blockedBySite));
    f.add(
        new Fault(
            "result",
            "the Job passes its active deadline",
            "exits with the deadline code",
            ExitCodes.DEADLINE,
            PROXIED,
            h ->
                failedBy(
                    h,
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                    null,
                    evicted("p0", 0, 143, "2026-01-01T06:00:00Z"))));
    // --- signals ---
    f.add(
        new Fault(
            "signal",
            "SIGTERM while the create request is in flight (answer delayed)",
            "waits for the answer, deletes the Job it created",
            ExitCodes.SIGTERM,
            PROXIED,
            h -> {
              CountDownLatch release = new CountDownLatch(1);
              h.proxy.rule(
                  "POST",
                  Harness.CREATE,
                  1,
                  new FaultProxy.DelayAnswer(Duration.ofSeconds(30), release));
              h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
              h.fake.on(
                  "DELETE", Harness.DELETE, Responses.json(200, Fixtures.JSON.createObjectNode()));
              h.start();
              h.fake.awaitRequest("POST", "/jobs");
              return signalHeldUntil(h, release, () -> h.count("DELETE", Harness.DELETE) == 1);
            }));
    f.add(
        new Fault(
            "signal",
            "SIGTERM while waiting to create again after a 503",
            "sends no new create, looks the Job up by name (none), exits",
            ExitCodes.SIGTERM,
            PROXIED,
            h -> {
              h.proxy.rule(
                  "POST",
                  Harness.CREATE,
                  1,
                  new FaultProxy.Answer(503, "ServiceUnavailable", Map.of("Retry-After", "30")));
              h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
              h.start();
              h.awaitErr("trying again in 20s");
              int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20));
              assertThat(h.exitCode()).isEqualTo(code);
              assertThat(h.count("POST", Harness.JOBS)).isZero();
              assertThat(h.count("GET", Harness.JOB)).isEqualTo(1);
              assertThat(h.count("DELETE", Harness.JOBS)).isZero();
              return code;
            }));
    f.add(
        new Fault(
            "signal",
            "SIGTERM while watching",
            "deletes the Job once",
            ExitCodes.SIGTERM,
            PROXIED,
            h -> {
              h.startCreated();
              h.jobWatch.awaitOpened();
              h.podWatch.awaitOpened();
              int code = h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20));
              h.interruption.onSignal(
                  ExitCodes.SIGINT, Duration.ofSeconds(20)); // a second signal deletes nothing more
              assertThat(h.exitCode()).isEqualTo(code);
              assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
              return code;
            }));
    f.add(
        new Fault(
            "signal",
            "SIGINT while following a pod's log",
            "deletes the Job, stops following",
            ExitCodes.SIGINT,
            PROXIED,
            h -> {
              h.startCreated();
              h.log("p0").line(RunTest.t(1), "scraping");
              h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
              h.awaitOut("[0/p0] scraping");
              int code = h.interruption.onSignal(ExitCodes.SIGINT, Duration.ofSeconds(20));
              assertThat(h.exitCode()).isEqualTo(code);
              assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
              return code;
            }));
    f.add(
        new Fault(
            "signal",
            "SIGTERM while the DELETE is in flight (answer delayed)",
            "waits for the DELETE to be answered before exiting",
            ExitCodes.SIGTERM,
            PROXIED,
            h -> {
              CountDownLatch release = new CountDownLatch(1);
              h.proxy.rule(
                  "DELETE",
                  Harness.DELETE,
                  1,
                  new FaultProxy.DelayAnswer(Duration.ofSeconds(30), release));
              h.startCreated();
              complete(h);
              h.fake.awaitRequest("DELETE", "/jobs/");
              int code = signalHeldUntil(h, release, () -> h.err().contains("deleted Job"));
              assertThat(h.exitCode()).as("the run itself had finished").isZero();
              assertThat(h.count("DELETE", Harness.DELETE)).isEqualTo(1);
              return code;
            }));
    return f;
  }

  private static void complete(Harness h) throws InterruptedException {
    h.jobWatch
        .awaitOpened()
        .event("MODIFIED", withCondition(h.job, "Complete", "CompletionsReached", ""));
  }

  /**
   * Scripts the create, the pods' list and watch and the delete around the Job list and watch,
   * which the case scripts itself; starts the run and returns its exit code.
   */
  private static int aroundJobWatch(Harness h) throws Exception {
    h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
    h.fake.on("GET", Harness.POD_LIST, Responses.json(200, Fixtures.list("100")));
    h.fake.on("GET", Harness.POD_WATCH, Responses.stream(h.fake.newStream()));
    h.fake.on("DELETE", Harness.DELETE, Responses.json(200, Fixtures.JSON.createObjectNode()));
    h.start();
    return h.exitCode();
  }

  /** No parser internals reach the user: class names, source excerpts, line and column. */
  private static void assertCleanMessages(Harness h) {
    assertThat(h.err()).doesNotContain("com.fasterxml", "jackson", "[Source", "line: ",
        "column: ", "Exception");
  }

  /** The Job fails with {@code reason}; the pods' final states are {@code pods}. */
  private static int failedBy(
      Harness h, String reason, String message, String failedIndexes, ObjectNode... pods)
      throws Exception {
    h.startCreated();
    h.finalPods(pods);
    h.podWatch.awaitOpened();
    ObjectNode failed = withCondition(h.job, "Failed", reason, message);
    if (failedIndexes != null) {
      ((ObjectNode) failed.get("status")).put("failedIndexes", failedIndexes);
    }
    h.jobWatch.awaitOpened().event("MODIFIED", failed);
    return h.exitCode();
  }

  /** The only pod's pixiv says the site blocks the run; the Job has not failed (yet). */
  private static int blockedBySite(Harness h) throws Exception {
    h.startCreated();
    PodLog log = h.log("p0").line(RunTest.t(1), SiteStopTest.finalLine("0/1", "BLOCKED", 75));
    h.finalPods(terminated("p0", 0, 75, "Error", null));
    h.podWatch.awaitOpened().event("ADDED", running("p0", 0));
    log.finish();
    h.podWatch.event("MODIFIED", terminated("p0", 0, 75, "Error", null));
    return h.exitCode();
  }

  interface Check {
    boolean holds();
  }

  /**
   * Sends SIGTERM while a request's answer is held back, checks that the signal's handling waits
   * for it, then lets the answer through.
   */
  private static int signalHeldUntil(Harness h, CountDownLatch release, Check done)
      throws Exception {
    CompletableFuture<Integer> signal =
        CompletableFuture.supplyAsync(
            () -> h.interruption.onSignal(ExitCodes.SIGTERM, Duration.ofSeconds(20)));
    assertThatThrownBy(() -> signal.get(300, TimeUnit.MILLISECONDS))
        .as("the signal's handling waits for the answer in flight")
        .isInstanceOf(TimeoutException.class);
    release.countDown();
    int code = signal.get(20, TimeUnit.SECONDS);
    assertThat(done.holds()).as("cleaned up before the signal's handling returned").isTrue();
    return code;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void eachFaultEndsAsDocumentedAndLeaksNoSecret(Fault fault) throws Exception {
    try (LogCapture logs = LogCapture.start(); Harness h = new Harness(pki, dir, fault.setup())) {
      int code = fault.scenario().play(h);

      assertThat(code).as("exit code; stderr:%n%s", h.err()).isEqualTo(fault.exit());
      String everything = h.out() + h.err() + logs.text();
      assertThat(everything).as("all output").doesNotContain(TOKEN, QUERY_SECRET);
      for (int i = 0; i + 16 <= TOKEN.length(); i++) {
        assertThat(everything).as("all output").doesNotContain(TOKEN.substring(i, i + 16));
      }
      if (!h.fake.requests().isEmpty() && fault.setup().token().equals(TOKEN)) {
        assertThat(h.fake.requests()).as("the planted token was sent, so the check means something")
            .allSatisfy(r -> assertThat(r.authorization()).contains("Bearer " + TOKEN));
      }
    }
  }

  @Test
  void docsListEveryFaultWithWhatTheCommandDoesAndItsExitCode() throws IOException {
    String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
    List<String> missing =
        faults().stream().map(Fault::docRow).filter(row -> !docs.contains(row)).toList();

    assertThat(missing)
        .as("rows missing from the fault table of %s, which should read:%n%s", DOCS, faultTable())
        .isEmpty();
  }

  /**
   * A create whose answer is lost, every create after it answered 503, and a read of the Job by
   * name finding it failed (its pods ran while the launcher could not hear of it).
   */
  private static void playFoundFailed(Harness h) {
    h.proxy
        .rule("POST", Harness.CREATE, 1, new FaultProxy.LoseAnswer())
        .rule("POST", Harness.JOBS, 10_000, FaultProxy.status(503, "ServiceUnavailable"));
    h.fake.on("POST", Harness.CREATE, Responses.json(201, h.job));
    h.fake.always("GET", Harness.JOB, Responses.json(200, withCondition(h.job, "Failed",
        "BackoffLimitExceeded", "Job has reached the specified backoff limit")));
    h.fake.on("DELETE", Harness.DELETE,
        Responses.json(200, Fixtures.JSON.createObjectNode().put("kind", "Status")));
    h.start();
  }

  /**
   * Runs the Job until {@code pod} is seen, then deletes it (a read by name answers 404) with no
   * condition in its last state; the run must say {@code said}.
   */
  private static int deletedAfterPods(Harness h, ObjectNode pod, String said) throws Exception {
    h.startCreated();
    h.fake.on("GET", Harness.JOB, Responses.status(404, "NotFound", "not found"));
    h.podWatch.awaitOpened().event("ADDED", pod);
    h.fake.awaitRequest("GET", "/pods/p0/log"); // the pod seen
    h.jobWatch.awaitOpened().event("DELETED", h.job);
    int code = h.exitCode();
    assertThat(h.err()).contains(said);
    return code;
  }

  /** The fault table of docs/launcher.md, as this class lists the faults. */
  static String faultTable() {
    StringBuilder md =
        new StringBuilder(
            "| phase | fault | what pixiv-launch does | exit |\n| --- | --- | --- | --- |\n");
    faults().forEach(f -> md.append(f.docRow()).append('\n'));
    return md.toString();
  }
}

package dev.pixivdic.examples.rehearsal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes stand-in on its own, with shell commands as pods: it must behave as the API server
 * and the Job controller do before a launcher's behaviour against it means anything.
 */
class StandInClusterTest {

  static final String NS = "pixiv";
  static final String JOBS = "/apis/batch/v1/namespaces/pixiv/jobs";

  @TempDir Path dir;
  private StandInCluster cluster;
  private KubeClient api;

  @BeforeEach
  void start() throws Exception {
    Path root = Path.of(System.getProperty("pixiv.repo.root", "../.."));
    cluster =
        StandInCluster.start(
            new StandInCluster.Setup(
                StandInCluster.shippedManifests(root),
                "system:serviceaccount:pixiv:pixiv-launcher",
                List.of(
                    new Image("shell:1", List.of("/bin/sh", "-c"), Map.of("FROM_IMAGE", "yes"))),
                Map.of("FROM_NODE", "yes"),
                dir));
    api = new KubeClient(cluster.kubeconfig());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** An Indexed Job as a launcher builds one, running {@code script} in every pod. */
  static ObjectNode job(
      String name, int completions, int parallelism, int backoffPerIndex, String script) {
    ObjectNode job = Meta.JSON.createObjectNode();
    job.put("apiVersion", "batch/v1").put("kind", "Job");
    job.putObject("metadata").put("name", name).putObject("labels").put("app", "test");
    ObjectNode spec = job.putObject("spec");
    spec.put("completionMode", "Indexed")
        .put("completions", completions)
        .put("parallelism", parallelism)
        .put("backoffLimitPerIndex", backoffPerIndex);
    ObjectNode rules = spec.putObject("podFailurePolicy");
    ObjectNode ignore = rules.withArray("rules").addObject().put("action", "Ignore");
    ignore
        .putArray("onPodConditions")
        .addObject()
        .put("type", "DisruptionTarget")
        .put("status", "True");
    ObjectNode fail = rules.withArray("rules").addObject().put("action", "FailJob");
    fail.putObject("onExitCodes")
        .put("containerName", "scrape")
        .put("operator", "In")
        .putArray("values")
        .add(2)
        .add(65);
    ObjectNode pod = spec.putObject("template").putObject("spec");
    pod.put("restartPolicy", "Never")
        .put("serviceAccountName", "pixiv-scraper")
        .put("terminationGracePeriodSeconds", 5);
    ObjectNode c = pod.putArray("containers").addObject();
    c.put("name", "scrape")
        .put("image", "shell:1")
        .put("terminationMessagePolicy", "FallbackToLogsOnError");
    c.putArray("args").add(script);
    return job;
  }

  private JsonNode create(ObjectNode job) throws Exception {
    KubeClient.Answer a = api.send("POST", JOBS + "?fieldValidation=Strict", job.toString());
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    return a.body();
  }

  /**
   * Waits up to a minute for {@code condition}, woken by every change of the cluster; fails the
   * test when it does not come.
   */
  private void awaitTrue(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    assertThat(cluster.await(Duration.ofMinutes(1), condition)).as(what).isTrue();
  }

  /** The Job as the API serves it once it is Complete or Failed. */
  private JsonNode awaitFinished(String name) throws Exception {
    awaitTrue("Job " + name + " finishes", () -> cluster.jobs(NS).stream()
        .filter(j -> j.path("metadata").path("name").asText().equals(name))
        .anyMatch(StandInClusterTest::finished));
    JsonNode job = api.send("GET", JOBS + "/" + name, null).body();
    assertThat(finished(job)).as(job.toString()).isTrue();
    return job;
  }

  private static boolean finished(JsonNode job) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (c.path("type").asText().matches("Complete|Failed")) {
        return true;
      }
    }
    return false;
  }

  private static String condition(JsonNode job, String type, String field) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path(field).asText();
      }
    }
    return "";
  }

  /** Every status.active the Job had, from the watch history. */
  private List<Integer> activeCounts(String name) throws Exception {
    String lines =
        api.send(
                "GET",
                JOBS
                    + "?fieldSelector=metadata.name%3D"
                    + name
                    + "&watch=true&resourceVersion=1&timeoutSeconds=1",
                null)
            .text();
    List<Integer> out = new ArrayList<>();
    for (String line : lines.split("\n")) {
      out.add(Meta.JSON.readTree(line).path("object").path("status").path("active").asInt());
    }
    return out;
  }

  @Test
  void runsEveryIndexOnceWithTheIndexInItsEnvironmentAndNeverMorePodsThanTheParallelism()
      throws Exception {
    String script = "echo \"index $JOB_COMPLETION_INDEX $FROM_IMAGE $FROM_NODE\"; sleep 0.2";
    create(job("all-good", 4, 2, 1, script));

    JsonNode job = awaitFinished("all-good");

    assertThat(condition(job, "Complete", "status")).isEqualTo("True");
    assertThat(condition(job, "SuccessCriteriaMet", "reason")).isEqualTo("CompletionsReached");
    assertThat(job.path("status").path("completedIndexes").asText()).isEqualTo("0-3");
    assertThat(job.path("status").path("succeeded").asInt()).isEqualTo(4);
    assertThat(cluster.pods())
        .extracting(StandInCluster.PodRun::index)
        .containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(cluster.pods())
        .allSatisfy(
            p -> {
              assertThat(p.log()).isEqualTo("index " + p.index() + " yes yes\n");
              assertThat(p.pod()).matches("all-good-" + p.index() + "-[a-z0-9]{5}");
            });
    assertThat(activeCounts("all-good"))
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2))
        .contains(2);
  }

  @Test
  void aFailJobExitCodeFailsTheJobAtOnceAndEndsTheOtherPods() throws Exception {
    String script = "[ \"$JOB_COMPLETION_INDEX\" = 1 ] && { echo broken; exit 65; }; exec sleep 30";
    create(job("breaks", 3, 3, 3, script));

    JsonNode job = awaitFinished("breaks");

    assertThat(condition(job, "Failed", "reason")).isEqualTo("PodFailurePolicy");
    assertThat(condition(job, "Failed", "message"))
        .matches(
            "Container scrape for pod pixiv/breaks-1-[a-z0-9]{5} failed with exit code 65 matching"
                + " FailJob rule at index 1");
    assertThat(condition(job, "FailureTarget", "reason")).isEqualTo("PodFailurePolicy");
    assertThat(cluster.awaitNoContainerRunning(Duration.ofSeconds(10))).isTrue();
    assertThat(cluster.pods()).hasSize(3);
    assertThat(cluster.podObjects(NS))
        .filteredOn(p -> p.path("metadata").path("name").asText().startsWith("breaks-1"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.at("/status/containerStatuses/0/state/terminated/message").asText())
                    .isEqualTo("broken\n"));
  }

  @Test
  void aFailingIndexIsRetriedUpToItsBackoffLimitThenTheJobFailsWithFailedIndexes()
      throws Exception {
    create(job("flaky", 3, 3, 2, "[ \"$JOB_COMPLETION_INDEX\" = 1 ] && exit 75; exit 0"));

    JsonNode job = awaitFinished("flaky");

    assertThat(condition(job, "Failed", "reason")).isEqualTo("FailedIndexes");
    assertThat(job.path("status").path("failedIndexes").asText()).isEqualTo("1");
    assertThat(job.path("status").path("completedIndexes").asText()).isEqualTo("0,2");
    assertThat(job.path("status").path("failed").asInt()).isEqualTo(3);
    assertThat(cluster.pods())
        .filteredOn(p -> p.index() == 1)
        .hasSize(3)
        .allSatisfy(p -> assertThat(p.exitCode()).contains(75));
  }

  @Test
  void withAPodFailureBackoffAFailedIndexWaitsLongerAfterEachFailure() throws Exception {
    cluster.podFailureBackoff(Duration.ofSeconds(1));
    create(job("patient", 1, 1, 2, "date +%s%N; exit 75"));

    awaitFinished("patient");

    List<Long> startedNanos =
        cluster.pods().stream().map(p -> Long.parseLong(p.log().trim())).sorted().toList();
    assertThat(startedNanos).hasSize(3);
    assertThat(startedNanos.get(1) - startedNanos.get(0)).isGreaterThanOrEqualTo(1_000_000_000L);
    assertThat(startedNanos.get(2) - startedNanos.get(1)).isGreaterThanOrEqualTo(2_000_000_000L);
  }

  @Test
  void anEvictedPodIsReplacedWithoutCountingAgainstTheIndex() throws Exception {
    Path marker = dir.resolve("evicted-once");
    create(
        job(
            "drained",
            1,
            1,
            0,
            "[ -f " + marker + " ] && exit 0; touch " + marker
                + "; echo marked; exec sleep 30"));
    awaitTrue("the first pod marked its file", () -> cluster.pods().stream()
        .anyMatch(p -> p.log().contains("marked")));
    assertThat(marker).exists();

    cluster.evict(NS, cluster.pods().get(0).pod());
    JsonNode job = awaitFinished("drained");

    assertThat(condition(job, "Complete", "status")).isEqualTo("True");
    assertThat(job.path("status").path("failed").asInt()).isZero();
    assertThat(cluster.pods()).extracting(p -> p.exitCode().orElseThrow()).containsExactly(143, 0);
  }

  @Test
  void deletingTheJobInTheBackgroundEndsItsPodsProcesses() throws Exception {
    create(job("long", 2, 2, 0, "exec sleep 30"));
    awaitTrue("both pods run", () -> cluster.pods().size() == 2);

    KubeClient.Answer deleted =
        api.send("DELETE", JOBS + "/long?propagationPolicy=Background", null);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(api.send("GET", JOBS + "/long", null).status()).isEqualTo(404);
    assertThat(cluster.awaitNoContainerRunning(Duration.ofSeconds(10))).isTrue();
    awaitTrue("the pods are gone", () -> cluster.podObjects(NS).isEmpty());
  }

  @Test
  void theApiRefusesWhatARealServerRefuses() throws Exception {
    assertThat(api.send("GET", JOBS, null, "not-the-token").status()).isEqualTo(401);
    KubeClient.Answer pods = api.send("POST", "/api/v1/namespaces/pixiv/pods", "{}");
    assertThat(pods.status()).isEqualTo(403);
    assertThat(pods.body().path("message").asText())
        .isEqualTo(
            "pods is forbidden: User \"system:serviceaccount:pixiv:pixiv-launcher\" cannot create"
                + " resource \"pods\" in API group \"\" in the namespace \"pixiv\"");
    assertThat(api.send("GET", "/apis/batch/v1/namespaces/default/jobs", null).status())
        .isEqualTo(403);

    ObjectNode unknown = job("strict", 1, 1, 0, "true");
    ((ObjectNode) unknown.path("spec")).put("completionsPerShard", 3);
    KubeClient.Answer strict =
        api.send("POST", JOBS + "?fieldValidation=Strict", unknown.toString());
    assertThat(strict.status()).isEqualTo(400);
    assertThat(strict.body().path("message").asText())
        .startsWith("strict decoding error")
        .contains("completionsPerShard");

    ObjectNode wrongContainer = job("wrong-container", 1, 1, 0, "true");
    ((ObjectNode) wrongContainer.at("/spec/podFailurePolicy/rules/1/onExitCodes"))
        .put("containerName", "pixiv");
    KubeClient.Answer invalid = api.send("POST", JOBS, wrongContainer.toString());
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.body().path("message").asText())
        .contains(
            "spec.podFailurePolicy.rules[1].onExitCodes.containerName: Invalid value: \"pixiv\"");

    create(job("twice", 1, 1, 0, "true"));
    assertThat(api.send("POST", JOBS, job("twice", 1, 1, 0, "true").toString()).status())
        .isEqualTo(409);
  }
}

package dev.pixivdic.launcher.run;

import static dev.pixivdic.launcher.run.Fixtures.finishedAt;
import static dev.pixivdic.launcher.run.Fixtures.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.KubeJson;
import dev.pixivdic.launcher.kube.MalformedAnswerException;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.launcher.manifest.Specs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private final ObjectNode job =
      Fixtures.created(ManifestBuilder.build(Specs.simple("j", 12, 4)), "u");

  @Test
  void podsAreListedInNumericIndexOrder() {
    var complete = Fixtures.withCondition(job, "Complete", "CompletionsReached", "");
    ((ObjectNode) complete.get("status")).put("succeeded", 3);

    Summary s = summarise("ns/j", complete, List.of(terminated("p10", 10, 0, "Completed", null),
        terminated("p2", 2, 0, "Completed", null), terminated("p1", 1, 0, "Completed", null)));

    assertThat(s.exitCode()).isZero();
    assertThat(s.lines()).containsExactly("Job ns/j succeeded: 3 of 12 indexes completed",
        "  index 1 pod p1: exit code 0 (Completed)", "  index 2 pod p2: exit code 0 (Completed)",
        "  index 10 pod p10: exit code 0 (Completed)");
  }

  @Test
  void withoutAnyContainerExitCodeAFailedJobExitsWithOne() {
    var failed = Fixtures.withCondition(job, "Failed", "BackoffLimitExceeded", "");

    Summary s =
        summarise("ns/j", failed, List.of(Fixtures.waiting("p0", 0, "ErrImagePull", "not found")));

    assertThat(s.exitCode()).isEqualTo(1);
    assertThat(s.lines()).contains("  index 0 pod p0: Pending (ErrImagePull: not found)");
  }

  private static ObjectNode failed(
      ObjectNode job, String reason, String message, String failedIndexes) {
    ObjectNode f = Fixtures.withCondition(job, "Failed", reason, message);
    if (failedIndexes != null) {
      ((ObjectNode) f.get("status")).put("failedIndexes", failedIndexes);
    }
    return f;
  }

  @Test
  void aCodeNoRetryCanFixOutranksRetryLaterWhichOutranksUnknownWhichOutranksRetry() {
    Summary s = summarise("ns/j", failed(job, "FailedIndexes", "", "0-3"), List.of(
        terminated("p0", 0, 69, "Error", null), terminated("p1", 1, 137, "OOMKilled", null),
        terminated("p2", 2, 75, "Error", null), terminated("p3", 3, 2, "Error", null)));
    Summary withoutFatal = summarise("ns/j", failed(job, "FailedIndexes", "", "0-2"), List.of(
        terminated("p0", 0, 69, "Error", null), terminated("p1", 1, 137, "OOMKilled", null),
        terminated("p2", 2, 75, "Error", null)));
    Summary unknownOverRetry = summarise("ns/j", failed(job, "FailedIndexes", "", "0,1"), List.of(
        terminated("p0", 0, 69, "Error", null), terminated("p1", 1, 137, "OOMKilled", null)));

    assertThat(s.exitCode()).isEqualTo(2);
    assertThat(withoutFatal.exitCode()).isEqualTo(75);
    assertThat(unknownOverRetry.exitCode()).isEqualTo(137);
    assertThat(s.lines())
        .contains(
            "  exit code 2: failed indexes ended differently (index 0: 69, index 1: 137,"
                + " index 2: 75, index 3: 2); the most cautious code, 2, decides");
  }

  @Test
  void onlyTheFailedIndexesDecideAndEachByItsLastAttempt() {
    Summary s = summarise("ns/j", failed(job, "FailedIndexes", "", "1"), List.of(
        finishedAt(terminated("p0", 0, 75, "Error", null), "2026-01-01T00:09:00Z"),
        finishedAt(terminated("p1-a", 1, 75, "Error", null), "2026-01-01T00:01:00Z"),
        finishedAt(terminated("p1-b", 1, 69, "Error", null), "2026-01-01T00:02:00Z")));

    assertThat(s.exitCode()).isEqualTo(69);
    assertThat(s.lines()).contains("  exit code 69: exit code 69 of failed index 1");
  }

  @Test
  void withoutFailedIndexesAnIndexRetriedToSuccessDoesNotDecide() {
    Summary s = summarise("ns/j", failed(job, "BackoffLimitExceeded", "", null), List.of(
        finishedAt(terminated("p0-a", 0, 75, "Error", null), "2026-01-01T00:01:00Z"),
        finishedAt(terminated("p0-b", 0, 0, "Completed", null), "2026-01-01T00:02:00Z"),
        finishedAt(terminated("p1", 1, 69, "Error", null), "2026-01-01T00:00:30Z")));

    assertThat(s.exitCode()).isEqualTo(69);
  }

  @Test
  void evictedPodsAreListedAsIgnoredAndNeverDecide() {
    ObjectNode kubeletEvicted = terminated("p0-c", 0, 137, "Error", null);
    ((ObjectNode) kubeletEvicted.get("status")).put("reason", "Evicted");

    Summary s = summarise("ns/j", failed(job, "FailedIndexes", "", "0"), List.of(
        finishedAt(terminated("p0-a", 0, 69, "Error", null), "2026-01-01T00:01:00Z"),
        Fixtures.evicted("p0-b", 0, 143, "2026-01-01T00:05:00Z"),
        finishedAt(kubeletEvicted, "2026-01-01T00:06:00Z")));

    assertThat(s.exitCode()).isEqualTo(69);
    assertThat(s.lines())
        .contains(
            "  index 0 pod p0-b: exit code 143 (Error) evicted or disrupted: ignored,"
                + " as the Job's failure policy does");
  }

  @Test
  void aFailJobRuleWithNotInIsMatchedAsTheClusterWould() {
    ObjectNode policyJob = job.deepCopy();
    ObjectNode rule =
        ((com.fasterxml.jackson.databind.node.ArrayNode)
                policyJob.at("/spec/podFailurePolicy/rules"))
            .addObject();
    rule.put("action", "FailJob");
    rule.putObject("onExitCodes")
        .put("operator", "NotIn")
        .putArray("values")
        .add(0)
        .add(69)
        .add(75)
        .add(65)
        .add(2);

    Summary s =
        summarise(
            "ns/j",
            failed(policyJob, "PodFailurePolicy", "a rule fired", null),
            List.of(
                finishedAt(terminated("p0", 0, 69, "Error", null), "2026-01-01T00:05:00Z"),
                finishedAt(terminated("p1", 1, 42, "Error", null), "2026-01-01T00:01:00Z")));

    assertThat(s.exitCode()).isEqualTo(42);
  }

  /** Summarises the Job and pods the API server would send, decoded as the launcher does. */
  private static Summary summarise(String jobRef, ObjectNode job, List<ObjectNode> pods) {
    try {
      List<Pod> decoded = new ArrayList<>();
      for (ObjectNode pod : pods) {
        decoded.add(KubeJson.decode(pod, Pod.class));
      }
      return Summary.of(jobRef, KubeJson.decode(job, Job.class), decoded);
    } catch (MalformedAnswerException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failedIndexesAreReadAsTheApiWritesThem() {
    assertThat(ExitDecision.indexes("1,3-5,9")).containsExactly(1, 3, 4, 5, 9);
    assertThat(ExitDecision.indexes("")).isEmpty();
    assertThat(ExitDecision.indexes("x-1")).isEmpty();
  }
}

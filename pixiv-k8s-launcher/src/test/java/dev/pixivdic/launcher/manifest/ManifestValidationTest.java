package dev.pixivdic.launcher.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pixivdic.support.internal.Durations;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checks generated manifests against the official Kubernetes models, which reject unknown fields.
 */
class ManifestValidationTest {
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  static V1Job validated(ObjectNode manifest) throws IOException {
    return ManifestValidation.validate(manifest);
  }

  @Test
  void aSimpleSpecBuildsAValidIndexedJob() throws IOException {
    V1Job job = validated(ManifestBuilder.build(Specs.simple("pixiv-scraping-1", 3, 2)));

    assertThat(job.getApiVersion()).isEqualTo("batch/v1");
    assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(job.getSpec().getCompletions()).isEqualTo(3);
    assertThat(job.getSpec().getParallelism()).isEqualTo(2);
    assertThat(job.getSpec().getBackoffLimitPerIndex()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(6 * 3600L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    V1PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    V1Container c = pod.getContainers().get(0);
    assertThat(c.getArgs())
        .containsExactly("scrape", "--shards", "3", "--qps", "0.5", "--source", "bigquery");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getVolumeMounts().get(0).getMountPath()).isEqualTo("/tmp");
    assertThat(pod.getVolumes().get(0).getEmptyDir()).isNotNull();
    assertThat(c.getResources().getLimits()).containsOnlyKeys("cpu", "memory");
    // The two pods that run at once share the site's budget, robots.txt's Crawl-delay too.
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("PIXIV_QPS_SHARED_BY"))
        .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("2"));
  }

  @Test
  void thePodFailurePolicyIgnoresDisruptionsAndFailsOnUsageAndParseBreakage() throws IOException {
    V1Job job = validated(ManifestBuilder.build(Specs.simple("j", 1, 1)));

    var rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(0).getOnPodConditions().get(0).getType()).isEqualTo("DisruptionTarget");
    assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("scrape");
    assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(2, 65);
  }

  @Test
  void everyOptionLandsInAValidManifest() throws IOException {
    V1Job job = validated(ManifestBuilder.build(Specs.full()));

    V1PodSpec pod = job.getSpec().getTemplate().getSpec();
    V1Container c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsSequence("--qps", "0.666666");
    assertThat(c.getEnv().get(0).getName()).isEqualTo("PIXIV_QPS_SHARED_BY");
    assertThat(c.getEnv().get(1).getName()).isEqualTo("TZ");
    assertThat(c.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("pixiv-secrets");
    assertThat(pod.getServiceAccountName()).isEqualTo("scraper");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getNodeSelector()).containsEntry("cloud.google.com/gke-nodepool", "batch");
    assertThat(job.getMetadata().getLabels())
        .containsEntry("team", "data")
        .containsEntry(
            ManifestBuilder.LABEL_LAUNCH, "pixiv-scraping-0f8fad5b-d9cb-469f-a165-70867728950e")
        .containsKey(ManifestBuilder.LABEL_SPEC_HASH);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "data");
  }

  @Test
  void theSameSpecGivesTheSameBytesAndADifferentSpecAnotherHash() throws IOException {
    String a = JSON_MAPPER.writeValueAsString(ManifestBuilder.build(Specs.full()));
    String b = JSON_MAPPER.writeValueAsString(ManifestBuilder.build(Specs.full()));
    ObjectNode other =
        ManifestBuilder.build(
            Specs.simple("pixiv-scraping-0f8fad5b-d9cb-469f-a165-70867728950e", 8, 3));

    assertThat(a).isEqualTo(b);
    assertThat(other.at("/metadata/labels").get(ManifestBuilder.LABEL_SPEC_HASH).asText())
        .isNotEqualTo(
            JSON_MAPPER
                .readTree(a)
                .at("/metadata/labels")
                .get(ManifestBuilder.LABEL_SPEC_HASH)
                .asText());
  }

  @Test
  void aTemplateKeepsItsExtrasAndTakesTheOptions() throws IOException {
    ObjectNode template;
    try (InputStream in = getClass().getResourceAsStream("template.yaml")) {
      template = (ObjectNode) new YAMLMapper().readTree(in);
    }
    V1Job job = validated(ManifestBuilder.build(Specs.full(), Optional.of(template)));

    assertThat(job.getMetadata().getName()).startsWith("pixiv-scraping-");
    assertThat(job.getMetadata().getUid()).isNull();
    assertThat(job.getMetadata().getResourceVersion()).isNull();
    assertThat(job.getMetadata().getAnnotations()).containsEntry("team", "data");
    assertThat(job.getStatus()).isNull();
    assertThat(job.getSpec().getSelector()).isNull();
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(6);
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("tier", "batch")
        .doesNotContainKey("controller-uid");
    V1PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(pod.getContainers()).hasSize(1);
    V1Container c = pod.getContainers().get(0);
    assertThat(c.getName()).isEqualTo("scrape");
    assertThat(c.getImage()).startsWith("ghcr.io/pixivdic/pixiv@sha256:");
    assertThat(c.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("PIXIV_QPS_SHARED_BY=3", "TZ=Asia/Tokyo", "LOG_LEVEL=debug");
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "cache");
  }

  private static ObjectNode template(String yaml) throws IOException {
    return (ObjectNode) new YAMLMapper().readTree(yaml);
  }

  private static final String JOB_HEAD = "apiVersion: batch/v1\nkind: Job\nspec:\n";

  /**
   * A template made from an old Job: what would undo the launch is refused, naming it, before
   * any Job exists (each case once accepted: the budget or the shards were silently lost).
   */
  @Test
  void aTemplateThatWouldUndoTheLaunchIsRefusedNamingWhat() throws IOException {
    String pod = "  template:\n    spec:\n      containers:\n";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(JOB_HEAD + pod + "        - name: main\n          image: old:1\n"
        + "          command: [sh, -c, \"pixiv scrape --qps 100\"]\n", "a command");
    cases.put(JOB_HEAD + pod + "        - name: scrape\n          image: old:1\n"
        + "        - name: second\n          image: ghcr.io/pixivdic/pixiv:1.4.0\n"
        + "          args: [scrape, --qps, \"50\"]\n", "container second of the pixiv image");
    cases.put(JOB_HEAD + "  suspend: true\n", "spec.suspend");
    cases.put(JOB_HEAD + "  successPolicy:\n    rules:\n      - succeededCount: 1\n",
        "spec.successPolicy");
    cases.put(JOB_HEAD + "  podReplacementPolicy: TerminatingOrFailed\n",
        "spec.podReplacementPolicy");
    cases.put(JOB_HEAD + pod + "        - name: main\n          image: old:1\n          env:\n"
        + "            - name: JOB_COMPLETION_INDEX\n              value: \"0\"\n",
        "sets JOB_COMPLETION_INDEX");
    cases.put(JOB_HEAD + pod + "        - name: main\n          image: old:1\n          env:\n"
        + "            - name: PIXIV_QPS_SHARED_BY\n              value: \"1\"\n",
        "sets PIXIV_QPS_SHARED_BY");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ObjectNode t = template(c.getKey());
      assertThatThrownBy(() -> ManifestBuilder.build(Specs.full(), Optional.of(t)))
          .as(c.getValue())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c.getValue()).hasMessageStartingWith("--job-file");
    }
    ObjectNode sidecar = template(JOB_HEAD + pod + "        - name: scrape\n          image: x\n"
        + "        - name: proxy\n          image: gcr.io/cloud-sql-connectors/proxy:2\n"
        + "  podReplacementPolicy: Failed\n");
    assertThat(validated(ManifestBuilder.build(Specs.full(), Optional.of(sidecar)))
        .getSpec().getTemplate().getSpec().getContainers()).hasSize(2);
  }

  @Test
  void theValidatorRejectsAnUnknownField() {
    ObjectNode manifest = ManifestBuilder.build(Specs.simple("j", 1, 1));
    ((ObjectNode) manifest.at("/spec/template/spec/containers/0"))
        .put("imagePullPolicyy", "Always");

    assertThatThrownBy(() -> validated(manifest)).hasMessageContaining("imagePullPolicyy");
  }

  @Test
  void nonsenseOptionsAreRejectedWithTheOptionName() {
    assertThatThrownBy(() -> Specs.simple("Bad_Name", 1, 1)).hasMessageContaining("--name");
    assertThatThrownBy(() -> Specs.simple("j", 0, 1))
        .hasMessageContaining("--shards must be > 0, was 0");
    assertThatThrownBy(() -> Specs.simple("j", 2, 3))
        .hasMessageContaining("--parallelism must be <= --shards");
    assertThatThrownBy(() -> Durations.parse("1 hour")).hasMessageContaining("not a duration");
    assertThat(Durations.parse("1h30m")).hasMinutes(90);
    assertThatThrownBy(() -> Durations.parse("45")).hasMessageContaining("no unit");
  }
}

package dev.pixivdic.examples.rehearsal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import java.util.List;
import java.util.Optional;

/**
 * A Job's {@code podFailurePolicy} applied to a failed pod as the Job controller applies it: the
 * first rule that matches decides, and its message is the controller's.
 */
final class FailurePolicy {

  /**
   * The rule that matched.
   *
   * @param action {@code FailJob}, {@code FailIndex}, {@code Ignore} or {@code Count}
   * @param message as the Job's condition carries it, e.g. {@code Container scrape for pod ns/name
   *     failed with exit code 65 matching FailJob rule at index 1}
   */
  record Match(String action, String message) {}

  private FailurePolicy() {}

  /** The first rule matching the failed pod; empty when none does (the failure counts). */
  static Optional<Match> first(V1PodFailurePolicy policy, JsonNode pod, int exitCode) {
    List<V1PodFailurePolicyRule> rules = policy == null ? List.of() : policy.getRules();
    for (int i = 0; i < rules.size(); i++) {
      V1PodFailurePolicyRule rule = rules.get(i);
      Optional<String> why = matches(rule, pod, exitCode);
      if (why.isPresent()) {
        return Optional.of(
            new Match(
                rule.getAction(),
                why.get() + " matching " + rule.getAction() + " rule at index " + i));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> matches(V1PodFailurePolicyRule rule, JsonNode pod, int exitCode) {
    String ref = Meta.namespace(pod) + "/" + Meta.name(pod);
    V1PodFailurePolicyOnExitCodesRequirement codes = rule.getOnExitCodes();
    if (codes != null) {
      String container = pod.path("status").path("containerStatuses").path(0).path("name").asText();
      if (codes.getContainerName() != null && !codes.getContainerName().equals(container)) {
        return Optional.empty();
      }
      boolean in = codes.getValues().contains(exitCode);
      // NotIn never matches a success: exit code 0 is not a failure to judge.
      boolean hit = codes.getOperator().equals("In") ? in : !in && exitCode != 0;
      return hit
          ? Optional.of(
              "Container " + container + " for pod " + ref + " failed with exit code " + exitCode)
          : Optional.empty();
    }
    for (V1PodFailurePolicyOnPodConditionsPattern pattern : rule.getOnPodConditions()) {
      String wanted = pattern.getStatus() == null ? "True" : pattern.getStatus();
      for (JsonNode c : pod.path("status").path("conditions")) {
        if (c.path("type").asText().equals(pattern.getType())
            && c.path("status").asText().equals(wanted)) {
          return Optional.of("Pod " + ref + " has condition " + pattern.getType());
        }
      }
    }
    return Optional.empty();
  }
}

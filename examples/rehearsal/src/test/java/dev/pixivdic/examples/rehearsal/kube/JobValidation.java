package dev.pixivdic.examples.rehearsal.kube;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API server's semantic checks of a Job that the structural model cannot express, for the
 * fields an Indexed Job with a pod failure policy uses. Messages follow the API's field paths.
 */
final class JobValidation {

  private JobValidation() {}

  /** The first problem, as {@code field: why}, or empty when the Job would be accepted. */
  static Optional<String> problem(V1Job job) {
    String name = job.getMetadata() == null ? null : job.getMetadata().getName();
    if (name == null || !ApiServer.isDnsLabel(name)) {
      return Optional.of(
          "metadata.name: Invalid value: \""
              + name
              + "\": must be a lowercase RFC 1123 label of at most 63 characters");
    }
    V1JobSpec spec = job.getSpec();
    if (spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
      return Optional.of("spec.template: Required value");
    }
    V1PodSpec pod = spec.getTemplate().getSpec();
    boolean indexed = "Indexed".equals(spec.getCompletionMode());
    if (indexed && spec.getCompletions() == null) {
      return Optional.of("spec.completions: Required value: when completion mode is Indexed");
    }
    if (spec.getBackoffLimitPerIndex() != null && !indexed) {
      return Optional.of("spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode");
    }
    if (spec.getMaxFailedIndexes() != null && spec.getBackoffLimitPerIndex() == null) {
      return Optional.of(
          "spec.maxFailedIndexes: Forbidden: cannot set maxFailedIndexes without"
              + " backoffLimitPerIndex");
    }
    String restart = pod.getRestartPolicy();
    if (!"Never".equals(restart) && !"OnFailure".equals(restart)) {
      return Optional.of(
          "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\","
              + " \"Never\"");
    }
    if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
      return Optional.of("spec.template.spec.containers: Required value");
    }
    Set<String> containers = new HashSet<>();
    for (V1Container c : pod.getContainers()) {
      if (c.getImage() == null || c.getImage().isBlank()) {
        return Optional.of(
            "spec.template.spec.containers[" + containers.size() + "].image: Required value");
      }
      containers.add(c.getName());
    }
    if (spec.getPodFailurePolicy() != null) {
      if (!"Never".equals(restart)) {
        return Optional.of(
            "spec.podFailurePolicy: Invalid value: only \"Never\" is supported when"
                + " podFailurePolicy is specified");
      }
      List<V1PodFailurePolicyRule> rules = spec.getPodFailurePolicy().getRules();
      for (int i = 0; i < rules.size(); i++) {
        Optional<String> p =
            rule(
                rules.get(i),
                "spec.podFailurePolicy.rules[" + i + "]",
                containers,
                spec.getBackoffLimitPerIndex() != null);
        if (p.isPresent()) {
          return p;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> rule(
      V1PodFailurePolicyRule rule, String at, Set<String> containers, boolean perIndex) {
    String action = rule.getAction();
    if (!List.of("FailJob", "FailIndex", "Ignore", "Count").contains(action)) {
      return Optional.of(at + ".action: Unsupported value: \"" + action + "\"");
    }
    if (action.equals("FailIndex") && !perIndex) {
      return Optional.of(at + ".action: Forbidden: requires the backoffLimitPerIndex to be set");
    }
    V1PodFailurePolicyOnExitCodesRequirement codes = rule.getOnExitCodes();
    boolean conditions = rule.getOnPodConditions() != null && !rule.getOnPodConditions().isEmpty();
    if ((codes == null) == !conditions) {
      return Optional.of(
          at + ": Invalid value: specifying one of onExitCodes and onPodConditions is required");
    }
    if (codes != null) {
      if (codes.getContainerName() != null && !containers.contains(codes.getContainerName())) {
        return Optional.of(
            at
                + ".onExitCodes.containerName: Invalid value: \""
                + codes.getContainerName()
                + "\": must be one of the container or initContainer names in the pod template");
      }
      if (!List.of("In", "NotIn").contains(codes.getOperator())) {
        return Optional.of(
            at + ".onExitCodes.operator: Unsupported value: \"" + codes.getOperator() + "\"");
      }
      List<Integer> values = codes.getValues();
      if (values == null || values.isEmpty() || values.size() > 255) {
        return Optional.of(
            at + ".onExitCodes.values: Invalid value: at least one and at most 255 values");
      }
      if (codes.getOperator().equals("In") && values.contains(0)) {
        return Optional.of(
            at
                + ".onExitCodes.values["
                + values.indexOf(0)
                + "]: Invalid value: 0: must not be 0 for the In operator");
      }
      if (new HashSet<>(values).size() != values.size()) {
        return Optional.of(at + ".onExitCodes.values: Duplicate value");
      }
    }
    return Optional.empty();
  }
}

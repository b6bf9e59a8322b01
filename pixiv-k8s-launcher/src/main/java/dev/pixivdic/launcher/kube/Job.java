package dev.pixivdic.launcher.kube;

import java.util.List;
import java.util.Optional;

/**
 * A Job as the API server returns it, with the fields the launcher reads.
 */
public record Job(Meta metadata, Spec spec, Status status) {
  public Job {
    metadata = metadata == null ? Meta.NONE : metadata;
    spec = spec == null ? new Spec(0, null) : spec;
    status = status == null ? new Status(null, 0, null) : status;
  }

  /** The first condition of this type that holds. */
  public Optional<Condition> condition(String type) {
    return status.conditions().stream().filter(c -> c.holds(type)).findFirst();
  }

  /**
   * @param completions how many indexes must complete
   * @param podFailurePolicy the rules that end the Job on a pod's failure
   */
  public record Spec(int completions, PodFailurePolicy podFailurePolicy) {
    public Spec {
      podFailurePolicy = podFailurePolicy == null ? new PodFailurePolicy(null) : podFailurePolicy;
    }
  }

  public record PodFailurePolicy(List<Rule> rules) {
    public PodFailurePolicy {
      rules = Fields.list(rules);
    }
  }

  /**
   * One rule of a pod failure policy.
   *
   * @param action {@code FailJob}, {@code Ignore}, {@code Count} or {@code FailIndex}
   * @param onExitCodes the exit codes it matches, or null when it matches pod conditions
   */
  public record Rule(String action, OnExitCodes onExitCodes) {
    public Rule {
      action = Fields.text(action);
    }

    /** The exit codes the rule matches, when it matches on exit codes. */
    public Optional<OnExitCodes> exitCodes() {
      return Optional.ofNullable(onExitCodes);
    }
  }

  /**
   * @param containerName the container whose codes count, or empty for any
   * @param operator {@code In} or {@code NotIn}
   */
  public record OnExitCodes(String containerName, String operator, List<Integer> values) {
    public OnExitCodes {
      containerName = Fields.text(containerName);
      operator = Fields.text(operator);
      values = Fields.list(values);
    }
  }

  /**
   * @param succeeded how many indexes completed
   * @param failedIndexes the failed indexes as the API writes them ({@code 1,3-5}), or empty
   */
  public record Status(List<Condition> conditions, int succeeded, String failedIndexes) {
    public Status {
      conditions = Fields.list(conditions);
      failedIndexes = Fields.text(failedIndexes);
    }
  }
}

package dev.pixivdic.launcher.kube;

import java.util.List;
import java.util.Optional;

/**
 * A Job as the API server returns it, with the fields the launcher reads.
 */
public record Job(Meta metadata, Spec spec, Status status) {
  public Job {
    metadata = metadata == null ? Meta.NONE : metadata;
    spec = spec == null ? new Spec(0, null, null, null, null) : spec;
    status = status == null ? new Status(null, 0, null, null) : status;
  }

  /** The first condition of this type that holds. */
  public Optional<Condition> condition(String type) {
    return status.conditions().stream().filter(c -> c.holds(type)).findFirst();
  }

  /**
   * @param completions how many indexes must complete
   * @param podFailurePolicy the rules that end the Job on a pod's failure
   * @param backoffLimit failed pods the whole Job may have, -1 when the Job sets none
   * @param backoffLimitPerIndex failed pods each index may have, -1 when the Job sets none
   * @param activeDeadlineSeconds how long the Job may be active, -1 when the Job sets none
   */
  public record Spec(int completions, PodFailurePolicy podFailurePolicy, Integer backoffLimit,
      Integer backoffLimitPerIndex, Long activeDeadlineSeconds) {
    public Spec {
      podFailurePolicy = podFailurePolicy == null ? new PodFailurePolicy(null) : podFailurePolicy;
      backoffLimit = backoffLimit == null ? -1 : backoffLimit;
      backoffLimitPerIndex = backoffLimitPerIndex == null ? -1 : backoffLimitPerIndex;
      activeDeadlineSeconds = activeDeadlineSeconds == null ? -1 : activeDeadlineSeconds;
    }

    /**
     * The failed pods the whole Job may have before it fails, as the API server defaults it when
     * the Job sets none: 6, or no limit with a per-index limit.
     */
    public int failuresAllowed() {
      return backoffLimit >= 0 ? backoffLimit
          : backoffLimitPerIndex >= 0 ? Integer.MAX_VALUE : 6;
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
   * @param startTime when the Job controller started it (RFC 3339, the server's clock), or empty
   */
  public record Status(List<Condition> conditions, int succeeded, String failedIndexes,
      String startTime) {
    public Status {
      conditions = Fields.list(conditions);
      failedIndexes = Fields.text(failedIndexes);
      startTime = Fields.text(startTime);
    }
  }
}

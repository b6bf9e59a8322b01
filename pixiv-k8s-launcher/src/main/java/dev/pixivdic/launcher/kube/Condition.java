package dev.pixivdic.launcher.kube;

/**
 * One condition of a Job or a pod ({@code Complete}, {@code PodScheduled}...). Absent texts are
 * empty.
 *
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param lastTransitionTime when the status last changed (ISO-8601), or empty
 */
public record Condition(String type, String status, String reason, String message,
    String lastTransitionTime) {
  public Condition {
    type = Fields.text(type);
    status = Fields.text(status);
    reason = Fields.text(reason);
    message = Fields.text(message);
    lastTransitionTime = Fields.text(lastTransitionTime);
  }

  /** Whether this is a condition of type {@code type} that holds. */
  public boolean holds(String type) {
    return this.type.equals(type) && status.equals("True");
  }
}

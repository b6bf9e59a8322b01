package dev.pixivdic.launcher.kube;

/**
 * An event the cluster recorded about an object (a scheduler's or kubelet's explanation).
 * Absent texts are empty.
 */
public record KubeEvent(String reason, String message) {
  public KubeEvent {
    reason = Fields.text(reason);
    message = Fields.text(message);
  }
}

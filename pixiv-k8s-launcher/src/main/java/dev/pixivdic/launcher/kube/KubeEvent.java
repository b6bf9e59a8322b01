package dev.pixivdic.launcher.kube;

/**
 * An event the cluster recorded about an object (a scheduler's or kubelet's explanation).
 * Absent texts are empty.
 *
 * @param lastTimestamp when it was last seen, as the API gives it ({@code lastTimestamp}), or
 *     empty
 * @param eventTime when it happened, for events recorded through the newer API, or empty
 */
public record KubeEvent(String reason, String message, String lastTimestamp, String eventTime) {
  public KubeEvent {
    reason = Fields.text(reason);
    message = Fields.text(message);
    lastTimestamp = Fields.text(lastTimestamp);
    eventTime = Fields.text(eventTime);
  }

  /** When the event was last seen: {@code lastTimestamp}, else {@code eventTime}; if readable. */
  public java.util.Optional<java.time.Instant> lastSeen() {
    for (String t : new String[] {lastTimestamp, eventTime}) {
      if (!t.isEmpty()) {
        try {
          return java.util.Optional.of(java.time.OffsetDateTime.parse(t).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
          // the other one, or none
        }
      }
    }
    return java.util.Optional.empty();
  }
}

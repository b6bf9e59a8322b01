package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import java.util.Optional;

/** Reads the fields of a pod (as returned by the API) that the launcher cares about. */
final class Pods {
  static final String INDEX = "batch.kubernetes.io/job-completion-index";

  private Pods() {}

  static String name(JsonNode pod) {
    return pod.path("metadata").path("name").asText();
  }

  static String index(JsonNode pod) {
    String fromAnnotation = pod.path("metadata").path("annotations").path(INDEX).asText("");
    return fromAnnotation.isEmpty()
        ? pod.path("metadata").path("labels").path(INDEX).asText("?")
        : fromAnnotation;
  }

  static JsonNode container(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("containerStatuses")) {
      if (ManifestBuilder.CONTAINER.equals(c.path("name").asText())) {
        return c;
      }
    }
    JsonNode statuses = pod.path("status").path("containerStatuses");
    return statuses.size() == 1 ? statuses.get(0) : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static String containerName(JsonNode pod) {
    String n = container(pod).path("name").asText("");
    return n.isEmpty() ? ManifestBuilder.CONTAINER : n;
  }

  /** Whether the container has logs to read: it runs or has run. */
  static boolean started(JsonNode pod) {
    JsonNode state = container(pod).path("state");
    return state.has("running") || state.has("terminated");
  }

  /** Whether no more log lines can come. */
  static boolean finished(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText();
    return container(pod).path("state").has("terminated")
        || phase.equals("Succeeded")
        || phase.equals("Failed");
  }

  static Optional<JsonNode> terminated(JsonNode pod) {
    JsonNode t = container(pod).path("state").path("terminated");
    if (t.isMissingNode()) {
      t = container(pod).path("lastState").path("terminated");
    }
    return t.isMissingNode() ? Optional.empty() : Optional.of(t);
  }

  /**
   * Whether the pod was evicted, preempted or drained rather than failing by itself: a
   * {@code DisruptionTarget} condition (which the Job's failure policy ignores), or the kubelet's
   * {@code Evicted} reason. Such a pod never decides the launcher's exit code.
   */
  static boolean disrupted(JsonNode pod) {
    for (JsonNode cond : pod.path("status").path("conditions")) {
      if ("DisruptionTarget".equals(cond.path("type").asText())
          && "True".equals(cond.path("status").asText())) {
        return true;
      }
    }
    return "Evicted".equals(pod.path("status").path("reason").asText());
  }

  /** The container's exit code when it has terminated, from its current or last state. */
  static Optional<Integer> exitCode(JsonNode pod) {
    return terminated(pod).map(t -> t.path("exitCode").asInt(0));
  }

  /** When the container finished, as the API wrote it (ISO-8601 sorts as text), or empty text. */
  static String finishedAt(JsonNode pod) {
    return terminated(pod).map(t -> t.path("finishedAt").asText("")).orElse("");
  }

  /** The pod's index as a number, or -1 when it has none. */
  static int indexNumber(JsonNode pod) {
    try {
      return Integer.parseInt(index(pod));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** When the pod started waiting: the Unschedulable condition's transition, else its creation. */
  static Optional<java.time.Instant> pendingSince(JsonNode pod) {
    for (JsonNode cond : pod.path("status").path("conditions")) {
      if ("PodScheduled".equals(cond.path("type").asText())
          && "False".equals(cond.path("status").asText())) {
        Optional<java.time.Instant> t = instant(cond.path("lastTransitionTime").asText(""));
        if (t.isPresent()) {
          return t;
        }
      }
    }
    return instant(pod.path("metadata").path("creationTimestamp").asText(""));
  }

  private static Optional<java.time.Instant> instant(String text) {
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(java.time.Instant.parse(text));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A waiting reason that means the pod cannot start, with its message. */
  static Optional<String> startupProblem(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("containerStatuses")) {
      JsonNode waiting = c.path("state").path("waiting");
      String reason = waiting.path("reason").asText("");
      if (StartupWatch.BAD_WAITING_REASONS.contains(reason)) {
        return Optional.of(reason + ": " + waiting.path("message").asText(""));
      }
    }
    for (JsonNode cond : pod.path("status").path("conditions")) {
      if ("PodScheduled".equals(cond.path("type").asText())
          && "False".equals(cond.path("status").asText())
          && "Unschedulable".equals(cond.path("reason").asText())) {
        return Optional.of("Unschedulable: " + cond.path("message").asText(""));
      }
    }
    return Optional.empty();
  }
}

package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The Job's terminal conditions. Only {@code Complete} and {@code Failed} decide: the interim
 * {@code SuccessCriteriaMet} and {@code FailureTarget} appear while pods are still terminating.
 */
final class JobConditions {
  private JobConditions() {}

  static Optional<JsonNode> find(JsonNode job, String type) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  static boolean terminal(JsonNode job) {
    return find(job, "Complete").isPresent() || find(job, "Failed").isPresent();
  }
}

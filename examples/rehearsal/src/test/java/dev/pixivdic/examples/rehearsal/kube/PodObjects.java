package dev.pixivdic.examples.rehearsal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * The pods of a Job as the API shows them: made from the Job's template by the Job controller, then
 * moved through their states by the kubelet (waiting, running, terminated). Pure: each method
 * changes the object it is given.
 */
final class PodObjects {

  private PodObjects() {}

  /**
   * A new pod of index {@code index}, as the Job controller creates it: the template's labels and
   * spec, the completion index as label, annotation and {@code JOB_COMPLETION_INDEX}, the Job as
   * owner, Pending with its container waiting.
   */
  static ObjectNode create(JsonNode job, int index, String name) {
    String jobName = Meta.name(job);
    JsonNode template = job.path("spec").path("template");
    ObjectNode pod = Meta.JSON.createObjectNode();
    pod.put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode meta = pod.putObject("metadata");
    meta.put("name", name)
        .put("generateName", jobName + "-" + index + "-")
        .put("namespace", Meta.namespace(job))
        .put("uid", UUID.randomUUID().toString())
        .put("creationTimestamp", Meta.time(Instant.now()));
    ObjectNode labels = template.path("metadata").path("labels").deepCopy();
    labels.put(JobController.INDEX, Integer.toString(index));
    meta.set("labels", labels);
    meta.putObject("annotations").put(JobController.INDEX, Integer.toString(index));
    meta.putArray("ownerReferences")
        .addObject()
        .put("apiVersion", "batch/v1")
        .put("kind", "Job")
        .put("name", jobName)
        .put("uid", Meta.uid(job))
        .put("controller", true)
        .put("blockOwnerDeletion", true);
    meta.putArray("finalizers").add("batch.kubernetes.io/job-tracking");
    ObjectNode spec = template.path("spec").deepCopy();
    spec.put("hostname", jobName + "-" + index);
    spec.put("nodeName", "rehearsal-node");
    if (!spec.has("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    for (JsonNode c : spec.path("containers")) {
      ((ObjectNode) c)
          .withArray("env")
          .addObject()
          .put("name", "JOB_COMPLETION_INDEX")
          .putObject("valueFrom")
          .putObject("fieldRef")
          .put("fieldPath", "metadata.annotations['" + JobController.INDEX + "']");
    }
    pod.set("spec", spec);
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending").put("qosClass", "Guaranteed");
    setCondition(status, "PodScheduled", "True", null);
    JsonNode container = spec.path("containers").path(0);
    status
        .putArray("containerStatuses")
        .addObject()
        .put("name", container.path("name").asText())
        .put("image", container.path("image").asText())
        .put("imageID", "")
        .put("ready", false)
        .put("restartCount", 0)
        .put("started", false);
    waiting(pod, "ContainerCreating", null);
    return pod;
  }

  /** The container waits to start, for {@code reason}. */
  static void waiting(ObjectNode pod, String reason, String message) {
    ObjectNode waiting = container(pod).putObject("state").putObject("waiting");
    waiting.put("reason", reason);
    if (message != null) {
      waiting.put("message", message);
    }
  }

  /** The container runs since now. */
  static void running(ObjectNode pod) {
    String now = Meta.time(Instant.now());
    ObjectNode status = (ObjectNode) pod.path("status");
    status.put("phase", "Running").put("startTime", now).put("podIP", "127.0.0.1");
    setCondition(status, "Initialized", "True", null);
    setCondition(status, "Ready", "True", null);
    setCondition(status, "ContainersReady", "True", null);
    container(pod)
        .put("ready", true)
        .put("started", true)
        .putObject("state")
        .putObject("running")
        .put("startedAt", now);
  }

  /**
   * The container ended with {@code exitCode}; the pod Succeeded or Failed.
   *
   * @param message the termination message, or null
   */
  static void terminated(ObjectNode pod, int exitCode, String message) {
    String now = Meta.time(Instant.now());
    ObjectNode status = (ObjectNode) pod.path("status");
    status.put("phase", exitCode == 0 ? "Succeeded" : "Failed");
    ObjectNode cs = container(pod);
    String startedAt = cs.path("state").path("running").path("startedAt").asText(now);
    ObjectNode terminated = cs.putObject("state").putObject("terminated");
    terminated
        .put("exitCode", exitCode)
        .put("reason", exitCode == 0 ? "Completed" : "Error")
        .put("startedAt", startedAt)
        .put("finishedAt", now);
    if (message != null) {
      terminated.put("message", message);
    }
    cs.put("ready", false).put("started", false);
    setCondition(status, "Ready", "False", "PodCompleted");
    setCondition(status, "ContainersReady", "False", "PodCompleted");
  }

  /** Marks the pod as disrupted, as an eviction does before deleting it. */
  static void disrupted(ObjectNode pod) {
    ObjectNode status = (ObjectNode) pod.path("status");
    setCondition(status, "DisruptionTarget", "True", "EvictionByEvictionAPI");
  }

  private static ObjectNode container(ObjectNode pod) {
    return (ObjectNode) pod.path("status").path("containerStatuses").path(0);
  }

  private static void setCondition(ObjectNode status, String type, String value, String reason) {
    ArrayNode conditions = status.withArray("conditions");
    ObjectNode c = null;
    for (JsonNode existing : conditions) {
      if (existing.path("type").asText().equals(type)) {
        c = (ObjectNode) existing;
      }
    }
    if (c == null) {
      c = conditions.addObject().put("type", type);
    }
    c.put("status", value).put("lastTransitionTime", Meta.time(Instant.now()));
    if (reason != null) {
      c.put("reason", reason);
    }
  }
}

package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Job and pod objects as the API server returns them. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The uid of the Job that {@link Harness} creates. */
  static final String JOB_UID = "uid-1";

  private Fixtures() {}

  static ObjectNode created(ObjectNode manifest, String uid) {
    ObjectNode job = manifest.deepCopy();
    ObjectNode md = (ObjectNode) job.get("metadata");
    md.put("uid", uid);
    md.put("resourceVersion", "100");
    job.putObject("status");
    return job;
  }

  static ObjectNode withCondition(ObjectNode job, String type, String reason, String message) {
    ObjectNode j = job.deepCopy();
    ObjectNode status = (ObjectNode) j.get("status");
    ArrayNode conditions =
        status.has("conditions")
            ? (ArrayNode) status.get("conditions")
            : status.putArray("conditions");
    ObjectNode c = conditions.addObject();
    c.put("type", type);
    c.put("status", "True");
    c.put("reason", reason);
    c.put("message", message);
    return j;
  }

  static ObjectNode list(String rv, ObjectNode... items) {
    ObjectNode list = JSON.createObjectNode();
    list.putObject("metadata").put("resourceVersion", rv);
    ArrayNode a = list.putArray("items");
    for (ObjectNode i : items) {
      a.add(i);
    }
    return list;
  }

  static ObjectNode bookmark(String rv) {
    ObjectNode b = JSON.createObjectNode();
    b.put("kind", "Job");
    b.putObject("metadata").put("resourceVersion", rv);
    return b;
  }

  static ObjectNode expired() {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status");
    s.put("status", "Failure");
    s.put("reason", "Expired");
    s.put("message", "too old resource version");
    s.put("code", 410);
    return s;
  }

  /**
   * A pod of the Job {@link Harness} creates ({@value #JOB_UID}), with what the Job controller
   * puts on each: the controller and index labels and the Job as its controlling owner.
   */
  static ObjectNode pod(String name, int index, String phase) {
    ObjectNode pod = JSON.createObjectNode();
    ObjectNode md = pod.putObject("metadata");
    md.put("name", name);
    md.put("resourceVersion", "1");
    md.put("creationTimestamp", "2026-01-01T00:00:00Z");
    md.putObject("annotations")
        .put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
    pod.putObject("status").put("phase", phase);
    return ofJob(pod, JOB_UID, Harness.NAME, index);
  }

  /** {@code pod} labelled and owned as a pod the Job {@code jobName} ({@code uid}) made. */
  static ObjectNode ofJob(ObjectNode pod, String uid, String jobName, int index) {
    ObjectNode md = (ObjectNode) pod.get("metadata");
    md.putObject("labels")
        .put("batch.kubernetes.io/controller-uid", uid)
        .put("batch.kubernetes.io/job-name", jobName)
        .put("controller-uid", uid)
        .put("job-name", jobName)
        .put("batch.kubernetes.io/job-completion-index", Integer.toString(index));
    md.putArray("ownerReferences").addObject()
        .put("apiVersion", "batch/v1")
        .put("kind", "Job")
        .put("name", jobName)
        .put("uid", uid)
        .put("controller", true)
        .put("blockOwnerDeletion", true);
    return pod;
  }

  /** {@code pod} with neither labels nor owners: a pod of no Job. */
  static ObjectNode unowned(ObjectNode pod) {
    ObjectNode p = pod.deepCopy();
    ((ObjectNode) p.get("metadata")).without(java.util.List.of("labels", "ownerReferences"));
    return p;
  }

  static ObjectNode running(String name, int index) {
    ObjectNode pod = pod(name, index, "Running");
    container(pod).putObject("state").putObject("running").put("startedAt", "2026-01-01T00:00:00Z");
    return pod;
  }

  static ObjectNode terminated(
      String name, int index, int exitCode, String reason, String message) {
    ObjectNode pod = pod(name, index, exitCode == 0 ? "Succeeded" : "Failed");
    ObjectNode t = container(pod).putObject("state").putObject("terminated");
    t.put("exitCode", exitCode);
    t.put("reason", reason);
    if (message != null) {
      t.put("message", message);
    }
    t.put("finishedAt", "2026-01-01T00:01:00Z");
    return pod;
  }

  /** {@code pod} with its container finishing at {@code finishedAt} instead. */
  static ObjectNode finishedAt(ObjectNode pod, String finishedAt) {
    ObjectNode p = pod.deepCopy();
    ((ObjectNode) p.at("/status/containerStatuses/0/state/terminated"))
        .put("finishedAt", finishedAt);
    return p;
  }

  /**
   * {@code pod} as the Job controller annotates an attempt when the Job has a
   * {@code backoffLimitPerIndex}: {@code before} failures of its index came before it.
   */
  static ObjectNode afterFailures(ObjectNode pod, int before) {
    ObjectNode p = pod.deepCopy();
    ((ObjectNode) p.at("/metadata/annotations"))
        .put("batch.kubernetes.io/job-index-failure-count", Integer.toString(before));
    return p;
  }

  /** {@code pod} created at {@code creationTimestamp} instead. */
  static ObjectNode createdAt(ObjectNode pod, String creationTimestamp) {
    ObjectNode p = pod.deepCopy();
    ((ObjectNode) p.get("metadata")).put("creationTimestamp", creationTimestamp);
    return p;
  }

  /**
   * A pod evicted (or preempted, or drained) that ended with {@code exitCode} at {@code
   * finishedAt}.
   */
  static ObjectNode evicted(String name, int index, int exitCode, String finishedAt) {
    ObjectNode pod = finishedAt(terminated(name, index, exitCode, "Error", null), finishedAt);
    ObjectNode c = ((ObjectNode) pod.get("status")).putArray("conditions").addObject();
    c.put("type", "DisruptionTarget");
    c.put("status", "True");
    c.put("reason", "EvictionByEvictionAPI");
    c.put("message", "Eviction API: evicting");
    return pod;
  }

  static ObjectNode waiting(String name, int index, String reason, String message) {
    ObjectNode pod = pod(name, index, "Pending");
    ObjectNode w = container(pod).putObject("state").putObject("waiting");
    w.put("reason", reason);
    w.put("message", message);
    return pod;
  }

  static ObjectNode unschedulable(String name, int index) {
    ObjectNode pod = pod(name, index, "Pending");
    ObjectNode c = ((ObjectNode) pod.get("status")).putArray("conditions").addObject();
    c.put("type", "PodScheduled");
    c.put("status", "False");
    c.put("reason", "Unschedulable");
    c.put("message", "0/3 nodes are available: 3 Insufficient memory.");
    return pod;
  }

  private static ObjectNode container(ObjectNode pod) {
    ObjectNode c = ((ObjectNode) pod.get("status")).putArray("containerStatuses").addObject();
    c.put("name", "scrape");
    return c;
  }
}

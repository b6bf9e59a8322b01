package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Job controller for Indexed Jobs: keeps at most {@code parallelism} pods running, one per
 * pending index, lowest index first, until every index of {@code completions} succeeded or failed;
 * retries a failed index up to {@code backoffLimitPerIndex} times; applies the {@code
 * podFailurePolicy} rules in order (FailJob, FailIndex, Ignore, Count) to each failed pod; fails
 * the Job past {@code activeDeadlineSeconds}; writes the Job's status and conditions ({@code
 * FailureTarget}/{@code SuccessCriteriaMet} while pods terminate, then {@code Failed} or {@code
 * Complete}) with the reasons and messages of the real controller.
 *
 * <p>A failed index is retried after the controller's exponential delay when {@link
 * #podFailureBackoff} is set (Kubernetes: 10 s, doubled per failure of the index, at most 6 min);
 * by default at once. Not modelled: pod scheduling (every pod starts at once), {@code
 * ttlSecondsAfterFinished}, suspension, success policies. Every method runs under the store's
 * monitor.
 */
final class JobController {

  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String INDEX = "batch.kubernetes.io/job-completion-index";

  private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final Store store;
  private final Kubelet kubelet;
  private final Set<String> serviceAccounts;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final List<JsonNode> finished = new ArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(Meta.daemons("job-deadlines-%d"));
  private final java.util.Random random = new java.util.Random();
  private volatile java.util.function.Consumer<StandInCluster.PodExit> onExit = e -> {};
  private volatile Duration podFailureBackoff = Duration.ZERO;

  /** One Job being run. */
  private static final class Run {
    final String namespace;
    final String name;
    final String uid;
    final V1JobSpec spec;
    final int completions;
    final int parallelism;
    final Integer backoffLimitPerIndex;
    final int backoffLimit;
    final TreeSet<Integer> succeeded = new TreeSet<>();
    final TreeSet<Integer> failedIndexes = new TreeSet<>();
    final Map<Integer, Integer> failuresPerIndex = new HashMap<>();
    /** Indexes waiting out their pod failure backoff. */
    final Set<Integer> backingOff = new java.util.HashSet<>();
    final Map<String, Integer> activePods = new LinkedHashMap<>();
    final List<ObjectNode> conditions = new ArrayList<>();
    int succeededPods;
    int failedPods;
    String endingType;
    String endingReason;
    String endingMessage;
    Instant startTime;
    Instant completionTime;
    boolean warnedNoServiceAccount;
    boolean deleting;

    Run(V1Job job) {
      namespace = job.getMetadata().getNamespace();
      name = job.getMetadata().getName();
      uid = job.getMetadata().getUid();
      spec = job.getSpec();
      completions = spec.getCompletions();
      parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
      backoffLimitPerIndex = spec.getBackoffLimitPerIndex();
      backoffLimit =
          spec.getBackoffLimit() != null
              ? spec.getBackoffLimit()
              : backoffLimitPerIndex != null ? Integer.MAX_VALUE : 6;
    }

    boolean ending() {
      return endingType != null;
    }
  }

  JobController(Store store, Kubelet kubelet, Set<String> serviceAccounts) {
    this.store = requireNonNull(store, "store");
    this.kubelet = requireNonNull(kubelet, "kubelet");
    this.serviceAccounts = Set.copyOf(serviceAccounts);
  }

  /** Defaults the new Job as the API server does, stores it and starts its first pods. */
  ObjectNode create(ObjectNode job, V1Job model) {
    synchronized (store) {
      Instant now = Instant.now();
      ObjectNode meta = Meta.metadata(job);
      String uid = java.util.UUID.randomUUID().toString();
      meta.put("uid", uid);
      meta.put("creationTimestamp", Meta.time(now));
      meta.put("generation", 1);
      ObjectNode spec = (ObjectNode) job.path("spec");
      spec.putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
      spec.put("manualSelector", false);
      spec.put("suspend", false);
      if (!spec.has("backoffLimit")) {
        spec.put("backoffLimit", spec.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
      }
      if (spec.has("podFailurePolicy") && !spec.has("podReplacementPolicy")) {
        spec.put("podReplacementPolicy", "Failed");
      }
      ObjectNode templateLabels = Meta.labelsNode((ObjectNode) spec.path("template"));
      templateLabels
          .put(CONTROLLER_UID, uid)
          .put("batch.kubernetes.io/job-name", Meta.name(job))
          .put("controller-uid", uid)
          .put("job-name", Meta.name(job));
      model.getMetadata().setUid(uid);
      Run run = new Run(model);
      run.startTime = now;
      runs.put(key(run.namespace, run.name), run);
      job.putObject("status");
      ObjectNode stored = store.put("Job", job);
      Long deadline = model.getSpec().getActiveDeadlineSeconds();
      if (deadline != null) {
        timers.schedule(() -> deadlinePassed(run), deadline, TimeUnit.SECONDS);
      }
      sync(run);
      return store.get("Job", run.namespace, run.name).orElse(stored);
    }
  }

  /**
   * Deletes the Job with the given propagation: {@code Background} removes it now and its pods
   * after; {@code Foreground} removes the pods first; {@code Orphan} (the API's default for Jobs)
   * leaves the pods running on their own.
   */
  ObjectNode delete(String namespace, String name, String propagation) {
    synchronized (store) {
      ObjectNode job = store.get("Job", namespace, name).orElseThrow();
      Run run = runs.remove(key(namespace, name));
      List<ObjectNode> pods =
          store.list(
              "Pod",
              namespace,
              p -> Meta.labels(p).getOrDefault(CONTROLLER_UID, "").equals(Meta.uid(job)));
      switch (propagation) {
        case "Foreground" -> {
          Meta.metadata(job).put("deletionTimestamp", Meta.time(Instant.now()));
          Meta.metadata(job).putArray("finalizers").add("foregroundDeletion");
          store.put("Job", job);
          if (run != null) {
            run.deleting = true;
            runs.put(key(namespace, name), run);
          }
          pods.forEach(p -> deletePod(p, null));
          removeForegroundJob(namespace, name);
        }
        case "Orphan" -> {
          store.remove("Job", namespace, name);
          for (ObjectNode p : pods) {
            Meta.metadata(p).remove("ownerReferences");
            store.put("Pod", p);
          }
        }
        default -> {
          store.remove("Job", namespace, name);
          pods.forEach(p -> deletePod(p, null));
        }
      }
      return job;
    }
  }

  /** Deletes a pod as an eviction does: marked as a disruption, then terminated gracefully. */
  void evict(String namespace, String pod) {
    synchronized (store) {
      ObjectNode p = store.get("Pod", namespace, pod).orElseThrow();
      PodObjects.disrupted(p);
      deletePod(store.put("Pod", p), null);
    }
  }

  /**
   * Runs {@code listener} for every container that ends, before the controller reacts (starts the
   * next pod, decides the Job): the test's hook to change the world between two pods. It runs under
   * the store's monitor and must be quick.
   */
  void onExit(java.util.function.Consumer<StandInCluster.PodExit> listener) {
    this.onExit = requireNonNull(listener, "listener");
  }

  /** The kubelet's report that a container process ended. */
  void exited(String namespace, String podName, int exitCode) {
    synchronized (store) {
      Optional<ObjectNode> found = store.get("Pod", namespace, podName);
      if (found.isEmpty()) {
        return;
      }
      ObjectNode pod = found.get();
      String policy =
          pod.path("spec")
              .path("containers")
              .path(0)
              .path("terminationMessagePolicy")
              .asText("File");
      // No termination message file here: FallbackToLogsOnError always falls back to the log.
      String message =
          exitCode != 0 && policy.equals("FallbackToLogsOnError")
              ? kubelet.container(namespace, podName).map(c -> c.log().tail(80, 2048)).orElse(null)
              : null;
      PodObjects.terminated(pod, exitCode, message);
      boolean deleting = pod.path("metadata").has("deletionTimestamp");
      pod = store.put("Pod", pod);
      Run run = runForPod(pod);
      int index = Integer.parseInt(Meta.labels(pod).getOrDefault(INDEX, "-1"));
      onExit.accept(new StandInCluster.PodExit(namespace, podName, index, exitCode));
      if (run != null && run.activePods.remove(podName) != null) {
        if (!run.ending() && !run.deleting) {
          judge(run, pod, index, exitCode);
        } else if (exitCode != 0) {
          run.failedPods++;
        }
      }
      if (deleting) {
        store.remove("Pod", namespace, podName);
      }
      if (run != null) {
        sync(run);
      }
      store
          .get("Job", namespace, jobName(pod))
          .ifPresent(j -> removeForegroundJob(namespace, Meta.name(j)));
    }
  }

  private void judge(Run run, ObjectNode pod, int index, int exitCode) {
    if (exitCode == 0) {
      run.succeededPods++;
      run.succeeded.add(index);
      return;
    }
    Optional<FailurePolicy.Match> match =
        FailurePolicy.first(run.spec.getPodFailurePolicy(), pod, exitCode);
    switch (match.map(FailurePolicy.Match::action).orElse("Count")) {
      case "Ignore" -> {}
      case "FailJob" -> {
        run.failedPods++;
        end(run, "FailureTarget", "PodFailurePolicy", match.get().message());
      }
      case "FailIndex" -> {
        run.failedPods++;
        run.failedIndexes.add(index);
      }
      default -> count(run, index);
    }
  }

  /**
   * Sets the delay before a failed index gets its next pod, doubled per failure of the index and
   * at most 6 min, as the Job controller's pod failure backoff (10 s in Kubernetes).
   */
  void podFailureBackoff(Duration first) {
    podFailureBackoff = requireNonNull(first, "first");
  }

  private void count(Run run, int index) {
    run.failedPods++;
    int failures = run.failuresPerIndex.merge(index, 1, Integer::sum);
    Duration first = podFailureBackoff;
    if (!first.isZero()) {
      Duration delay = first.multipliedBy(1L << Math.min(failures - 1, 20));
      delay = delay.compareTo(Duration.ofMinutes(6)) > 0 ? Duration.ofMinutes(6) : delay;
      run.backingOff.add(index);
      timers.schedule(() -> retryDue(run, index), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (run.backoffLimitPerIndex != null && failures > run.backoffLimitPerIndex) {
      run.failedIndexes.add(index);
      Integer max = run.spec.getMaxFailedIndexes();
      if (max != null && run.failedIndexes.size() > max) {
        end(
            run,
            "FailureTarget",
            "MaxFailedIndexesExceeded",
            "Job has exceeded the specified maximal number of failed indexes");
      }
    }
    if (run.failedPods > run.backoffLimit) {
      end(
          run,
          "FailureTarget",
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit");
    }
  }

  /** The backoff of {@code index} is over (by the timer's clock, whatever the wall clock says). */
  private void retryDue(Run run, int index) {
    synchronized (store) {
      run.backingOff.remove(index);
      if (runs.get(key(run.namespace, run.name)) == run) {
        sync(run);
      }
    }
  }

  private void deadlinePassed(Run run) {
    synchronized (store) {
      if (runs.get(key(run.namespace, run.name)) == run && !run.ending()) {
        end(
            run,
            "FailureTarget",
            "DeadlineExceeded",
            "Job was active longer than specified deadline");
        sync(run);
      }
    }
  }

  /**
   * Decides the Job's end; its pods are deleted and the final condition follows when they are gone.
   */
  private void end(Run run, String interim, String reason, String message) {
    run.endingType = interim;
    run.endingReason = reason;
    run.endingMessage = message;
    run.conditions.add(condition(interim, reason, message));
    if (interim.equals("FailureTarget")) {
      for (String pod : List.copyOf(run.activePods.keySet())) {
        store.get("Pod", run.namespace, pod).ifPresent(p -> deletePod(p, null));
      }
    }
  }

  /** Starts pods for pending indexes, decides the end when no index is left, writes the status. */
  private void sync(Run run) {
    if (run.deleting) {
      return;
    }
    if (!run.ending()) {
      if (run.succeeded.size() + run.failedIndexes.size() == run.completions) {
        if (run.failedIndexes.isEmpty()) {
          end(
              run,
              "SuccessCriteriaMet",
              "CompletionsReached",
              "Reached expected number of succeeded pods");
        } else {
          end(run, "FailureTarget", "FailedIndexes", "Job has failed indexes");
        }
      } else {
        startPods(run);
      }
    }
    if (run.ending()
        && run.activePods.isEmpty()
        && run.conditions.stream()
            .noneMatch(c -> c.path("type").asText().matches("Complete|Failed"))) {
      boolean success = run.endingType.equals("SuccessCriteriaMet");
      run.conditions.add(
          condition(success ? "Complete" : "Failed", run.endingReason, run.endingMessage));
      if (success) {
        run.completionTime = Instant.now();
      }
      writeStatus(run);
      store.get("Job", run.namespace, run.name).ifPresent(finished::add);
      return;
    }
    writeStatus(run);
  }

  /** Every Job as it was when it reached Complete or Failed, deleted ones included. */
  List<JsonNode> finished() {
    synchronized (store) {
      return List.copyOf(finished);
    }
  }

  private void startPods(Run run) {
    if (!serviceAccounts.contains(run.namespace + "/" + serviceAccount(run))) {
      if (!run.warnedNoServiceAccount) {
        run.warnedNoServiceAccount = true;
        event(
            run,
            "FailedCreate",
            "Error creating: pods \""
                + run.name
                + "-\" is forbidden: error looking up"
                + " service account "
                + run.namespace
                + "/"
                + serviceAccount(run)
                + ": serviceaccount \""
                + serviceAccount(run)
                + "\" not found");
      }
      return;
    }
    Set<Integer> busy = new java.util.HashSet<>(run.activePods.values());
    for (int i = 0; i < run.completions && run.activePods.size() < run.parallelism; i++) {
      boolean waiting = run.backingOff.contains(i);
      if (!run.succeeded.contains(i) && !run.failedIndexes.contains(i) && !busy.contains(i)
          && !waiting) {
        startPod(run, i);
      }
    }
  }

  private String serviceAccount(Run run) {
    String sa = run.spec.getTemplate().getSpec().getServiceAccountName();
    return sa == null ? "default" : sa;
  }

  private void startPod(Run run, int index) {
    ObjectNode job = store.get("Job", run.namespace, run.name).orElseThrow();
    String name = run.name + "-" + index + "-" + suffix();
    ObjectNode pod = PodObjects.create(job, index, name);
    Optional<Kubelet.CannotStart> problem = kubelet.problem(pod);
    problem.ifPresent(p -> PodObjects.waiting(pod, p.reason(), p.message()));
    run.activePods.put(name, index);
    ObjectNode stored = store.put("Pod", pod);
    if (problem.isPresent()) {
      event(run, problem.get().reason(), "pod " + name + ": " + problem.get().message());
      return;
    }
    try {
      kubelet.start(stored);
      PodObjects.running(stored);
    } catch (java.io.IOException e) {
      PodObjects.waiting(stored, "RunContainerError", e.getMessage());
    }
    store.put("Pod", stored);
  }

  /** Marks the pod deleted and terminates its container; it leaves the store when that ended. */
  private void deletePod(ObjectNode pod, Duration grace) {
    String ns = Meta.namespace(pod);
    String name = Meta.name(pod);
    boolean running = kubelet.container(ns, name).map(c -> c.process().isAlive()).orElse(false);
    if (!running) {
      Run run = runForPod(pod);
      if (run != null) {
        run.activePods.remove(name);
      }
      store.remove("Pod", ns, name);
      return;
    }
    long seconds =
        grace != null
            ? grace.toSeconds()
            : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    Meta.metadata(pod)
        .put("deletionTimestamp", Meta.time(Instant.now().plusSeconds(seconds)))
        .put("deletionGracePeriodSeconds", seconds);
    store.put("Pod", pod);
    kubelet.terminate(ns, name, Duration.ofSeconds(seconds));
  }

  private void removeForegroundJob(String namespace, String name) {
    store
        .get("Job", namespace, name)
        .ifPresent(
            job -> {
              if (job.path("metadata").has("deletionTimestamp")
                  && store
                      .list(
                          "Pod",
                          namespace,
                          p ->
                              Meta.labels(p).getOrDefault(CONTROLLER_UID, "").equals(Meta.uid(job)))
                      .isEmpty()) {
                runs.remove(key(namespace, name));
                store.remove("Job", namespace, name);
              }
            });
  }

  private void writeStatus(Run run) {
    store
        .get("Job", run.namespace, run.name)
        .ifPresent(
            job -> {
              ObjectNode status = job.putObject("status");
              status.put("startTime", Meta.time(run.startTime));
              int terminating = 0;
              int ready = 0;
              for (String pod : run.activePods.keySet()) {
                Optional<ObjectNode> p = store.get("Pod", run.namespace, pod);
                if (p.isPresent() && p.get().path("metadata").has("deletionTimestamp")) {
                  terminating++;
                } else if (p.isPresent()
                    && p.get().path("status").path("phase").asText().equals("Running")) {
                  ready++;
                }
              }
              status.put("active", run.activePods.size() - terminating);
              status.put("ready", ready);
              status.put("terminating", terminating);
              status.put("succeeded", run.succeededPods);
              status.put("failed", run.failedPods);
              status.put("completedIndexes", ranges(run.succeeded));
              if (run.backoffLimitPerIndex != null) {
                status.put("failedIndexes", ranges(run.failedIndexes));
              }
              status.putObject("uncountedTerminatedPods");
              if (run.completionTime != null) {
                status.put("completionTime", Meta.time(run.completionTime));
              }
              ArrayNode conditions = status.putArray("conditions");
              run.conditions.forEach(conditions::add);
              store.put("Job", job);
            });
  }

  private void event(Run run, String reason, String message) {
    ObjectNode e = Meta.JSON.createObjectNode();
    e.put("apiVersion", "v1").put("kind", "Event");
    e.putObject("metadata")
        .put("name", run.name + "." + Long.toHexString(random.nextLong()))
        .put("namespace", run.namespace);
    e.putObject("involvedObject")
        .put("kind", "Job")
        .put("name", run.name)
        .put("namespace", run.namespace)
        .put("uid", run.uid);
    e.put("reason", reason).put("message", message).put("type", "Warning").put("count", 1);
    e.putObject("source").put("component", "job-controller");
    store.put("Event", e);
  }

  private Run runForPod(JsonNode pod) {
    Run run = runs.get(key(Meta.namespace(pod), jobName(pod)));
    return run != null && run.uid.equals(Meta.labels(pod).get(CONTROLLER_UID)) ? run : null;
  }

  private static String jobName(JsonNode pod) {
    return Meta.labels(pod).getOrDefault("batch.kubernetes.io/job-name", "");
  }

  private static ObjectNode condition(String type, String reason, String message) {
    String now = Meta.time(Instant.now());
    ObjectNode c = Meta.JSON.createObjectNode();
    c.put("type", type)
        .put("status", "True")
        .put("lastProbeTime", now)
        .put("lastTransitionTime", now)
        .put("reason", reason)
        .put("message", message);
    return c;
  }

  /** Indexes as the API writes them: {@code 0-2,5}. */
  static String ranges(TreeSet<Integer> indexes) {
    StringBuilder b = new StringBuilder();
    Integer start = null;
    Integer prev = null;
    for (int i : indexes) {
      if (prev != null && i == prev + 1) {
        prev = i;
        continue;
      }
      appendRange(b, start, prev);
      start = i;
      prev = i;
    }
    appendRange(b, start, prev);
    return b.toString();
  }

  private static void appendRange(StringBuilder b, Integer start, Integer end) {
    if (start == null) {
      return;
    }
    if (b.length() > 0) {
      b.append(',');
    }
    b.append(start);
    if (!end.equals(start)) {
      b.append('-').append(end);
    }
  }

  private String suffix() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      s.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
    }
    return s.toString();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  void close() {
    timers.shutdownNow();
  }
}

package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Condition;
import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.Pod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a Job that was deleted before the launcher saw its {@code Complete} or {@code Failed}
 * condition had ended, from the last states seen of it and of its pods. A Job deleted by another
 * launch of the same {@code --name} (a retry while this one ran, which saw the end first) has
 * ended; one whose end nothing seen shows may have been deleted while it ran. Stateless.
 */
final class EndBeforeDeletion {
  /** The annotation the Job controller puts on a pod: failures of its index before it. */
  static final String INDEX_FAILURES = "batch.kubernetes.io/job-index-failure-count";
  /** The message of a condition the launcher reads from the pods, not from the Job. */
  private static final String FROM_PODS = "as its pods showed";

  private EndBeforeDeletion() {}

  /**
   * The Job as it ended, with its terminal condition; empty when what was seen does not show that
   * it had ended.
   *
   * <ul>
   *   <li>a state seen has {@code Complete} or {@code Failed}: that state;
   *   <li>a state seen has {@code FailureTarget}: failed, as that condition says; one has
   *       {@code SuccessCriteriaMet} (Kubernetes 1.31 and later, before {@code Complete}):
   *       complete;
   *   <li>the pods seen show it failed ({@link #failedByPods}): failed;
   *   <li>every index completed, as a state's status counts them or as a pod of each index was
   *       seen to exit 0 with none seen to fire a FailJob rule, and its active deadline had not
   *       passed by {@code seenAt}: complete. Had it passed, the Job may have failed on it even
   *       if its pods all ended before it: the Job controller checks the deadline before success
   *       when it syncs, and when it last synced is not seen.
   * </ul>
   *
   * @param seen the states of the Job seen last, most telling first (the {@code DELETED} event's
   *     object, the last read by name, the watch's latest)
   * @param pods every pod of the Job seen, with its last state
   * @param seenAt when the last state was seen, on the server's clock
   */
  static Optional<Job> of(List<Job> seen, List<Pod> pods, Instant seenAt) {
    Optional<Job> terminal = seen.stream().filter(JobConditions::terminal).findFirst();
    if (terminal.isPresent() || seen.isEmpty()) {
      return terminal;
    }
    Job last = seen.get(0);
    for (Job job : seen) {
      Optional<Condition> failing = job.condition("FailureTarget");
      if (failing.isPresent()) {
        return Optional.of(failed(job, failing.get().reason(), failing.get().message(),
            job.status().failedIndexes()));
      }
      if (job.condition("SuccessCriteriaMet").isPresent()) {
        return Optional.of(complete(job, Math.max(0, job.spec().completions())));
      }
    }
    Optional<Job> failed = failedByPods(last, pods);
    if (failed.isPresent()) {
      return failed;
    }
    int completions = last.spec().completions();
    boolean counted = seen.stream().anyMatch(j -> j.status().succeeded() >= completions);
    boolean podsSucceeded = completions > 0 && everyIndexSucceeded(last, pods);
    // The Job controller checks the active deadline before success each time it syncs a Job:
    // pods that all ended before the deadline still fail a Job first synced after it
    // (DeadlineExceeded). When it last synced is not seen, only a Job still alive before its
    // deadline, as its last state seen shows, cannot have failed on it.
    if (completions <= 0 || !counted && !podsSucceeded
        || seen.stream().anyMatch(j -> deadlinePassed(j, seenAt))) {
      return Optional.empty();
    }
    return Optional.of(complete(last, completions));
  }

  private static Job complete(Job job, int completions) {
    List<Condition> conditions = new ArrayList<>(job.status().conditions());
    conditions.add(new Condition("Complete", "True", "", "", ""));
    return new Job(job.metadata(), job.spec(),
        new Job.Status(conditions, completions, "", job.status().startTime()));
  }

  /**
   * Whether the Job had failed, as its pods seen show, whatever the states of the Job seen say:
   * a pod failed with an exit code of a FailJob rule; more pods failed than its backoff limit
   * allows; or every index ended, each with a pod seen to exit 0 or with its last attempt seen
   * failing and its retries ({@code backoffLimitPerIndex}) spent, and at least one failed. Pods
   * that were evicted or disrupted never count, as the Job's failure policy ignores them.
   */
  static Optional<Job> failedByPods(Job job, List<Pod> pods) {
    List<Pod> failures = pods.stream().filter(p -> !Pods.disrupted(p) && failed(p)).toList();
    if (failures.stream().anyMatch(p -> ExitDecision.failJobRuleMatches(job, p))) {
      return Optional.of(failed(job, "PodFailurePolicy", "a FailJob rule matched a pod, "
          + FROM_PODS, ""));
    }
    if (failures.size() > job.spec().failuresAllowed()) {
      return Optional.of(failed(job, "BackoffLimitExceeded", "Job has reached the specified"
          + " backoff limit, " + FROM_PODS, ""));
    }
    int perIndex = job.spec().backoffLimitPerIndex();
    int completions = job.spec().completions();
    if (perIndex < 0 || completions <= 0) {
      return Optional.empty();
    }
    Set<Integer> failedIndexes = new TreeSet<>();
    for (int i = 0; i < completions; i++) {
      int index = i;
      List<Pod> attempts = pods.stream().filter(p -> Pods.indexNumber(p) == index).toList();
      if (attempts.stream().anyMatch(EndBeforeDeletion::succeeded)) {
        continue;
      }
      Optional<Pod> lastAttempt = attempts.stream().max(Comparator
          .comparing((Pod p) -> p.metadata().creationTimestamp())
          .thenComparing(Pods::finishedAt));
      if (lastAttempt.isEmpty() || Pods.disrupted(lastAttempt.get())
          || !failed(lastAttempt.get())) {
        return Optional.empty(); // the index may still run
      }
      long seenFailing = attempts.stream().filter(p -> !Pods.disrupted(p) && failed(p)).count();
      if (Math.max(seenFailing, failuresBefore(lastAttempt.get()) + 1L) <= perIndex) {
        return Optional.empty(); // the index is retried
      }
      failedIndexes.add(index);
    }
    if (failedIndexes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(failed(job, "FailedIndexes", "Job has failed indexes, " + FROM_PODS,
        failedIndexes.stream().map(String::valueOf).collect(Collectors.joining(","))));
  }

  /** Whether a pod of every index was seen to exit 0, and none to fire a FailJob rule. */
  private static boolean everyIndexSucceeded(Job job, List<Pod> pods) {
    if (pods.stream().anyMatch(p -> !Pods.disrupted(p)
        && ExitDecision.failJobRuleMatches(job, p))) {
      return false;
    }
    Set<Integer> done = new HashSet<>();
    pods.stream().filter(p -> Pods.terminated(p).map(t -> t.exitCode() == 0).orElse(false))
        .forEach(p -> done.add(Pods.indexNumber(p)));
    for (int i = 0; i < job.spec().completions(); i++) {
      if (!done.contains(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the Job's active deadline (its start plus {@code activeDeadlineSeconds}) had passed
   * by {@code at}; false when the state does not tell.
   */
  static boolean deadlinePassed(Job job, Instant at) {
    long seconds = job.spec().activeDeadlineSeconds();
    String start = job.status().startTime();
    if (seconds < 0 || start.isEmpty()) {
      return false;
    }
    try {
      return !at.isBefore(Instant.parse(start).plusSeconds(seconds));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean failed(Pod pod) {
    return pod.status().phase().equals("Failed");
  }

  private static boolean succeeded(Pod pod) {
    return pod.status().phase().equals("Succeeded")
        || Pods.terminated(pod).map(t -> t.exitCode() == 0).orElse(false);
  }

  /** The failures of the pod's index before it, as the Job controller counted them, else 0. */
  private static int failuresBefore(Pod pod) {
    try {
      return Math.max(0, Integer.parseInt(
          pod.metadata().annotations().getOrDefault(INDEX_FAILURES, "0").strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Job failed(Job job, String reason, String message, String failedIndexes) {
    List<Condition> conditions = new ArrayList<>(job.status().conditions());
    conditions.add(new Condition("Failed", "True", reason, message, ""));
    return new Job(job.metadata(), job.spec(), new Job.Status(conditions,
        job.status().succeeded(), failedIndexes, job.status().startTime()));
  }
}

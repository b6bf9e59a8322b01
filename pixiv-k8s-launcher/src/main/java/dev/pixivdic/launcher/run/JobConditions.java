package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Job;

/**
 * The Job's terminal conditions. Only {@code Complete} and {@code Failed} decide: the interim
 * {@code SuccessCriteriaMet} and {@code FailureTarget} appear while pods are still terminating.
 */
final class JobConditions {
  private JobConditions() {}

  static boolean terminal(Job job) {
    return job.condition("Complete").isPresent() || job.condition("Failed").isPresent();
  }

  /** Whether the Job's end is decided: terminal, or an interim condition says how it ends. */
  static boolean ending(Job job) {
    return terminal(job) || job.condition("FailureTarget").isPresent()
        || job.condition("SuccessCriteriaMet").isPresent();
  }
}

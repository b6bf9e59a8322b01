package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.support.internal.LogText;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notices pods that cannot start. A problem must persist for the startup timeout (an image pull
 * can fail once and then succeed), except {@code InvalidImageName}, which never heals. Time counts
 * from when the pod became unschedulable or was created, as the cluster recorded it, else from
 * when the launcher first saw the problem (the cluster's times told in the launcher's by the
 * difference of the two clocks); for {@code CreateContainerError}, which the kubelet
 * retries, always from when the launcher first saw it. Not thread-safe: the runner's loop owns it.
 */
final class StartupWatch {
  static final Set<String> BAD_WAITING_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError",
          "ErrImageNeverPull", "CreateContainerError");
  private final Duration timeout;
  private final Map<String, Instant> since = new HashMap<>();
  private final Map<String, String> problems = new HashMap<>();

  StartupWatch(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Notes {@code pod}'s state at {@code now}; {@code serverAhead} is how far the API server's
   * clock, which wrote the pod's times, is ahead of {@code now}'s
   * ({@link dev.pixivdic.launcher.kube.KubeApi#serverClockAhead()}): a launcher whose host runs
   * five minutes ahead would otherwise count a pod created this second as pending for five.
   */
  void observe(Pod pod, Instant now, Duration serverAhead) {
    String name = Pods.name(pod);
    Optional<String> problem = Pods.startupProblem(pod);
    if (problem.isEmpty()) {
      since.remove(name);
      problems.remove(name);
    } else {
      // The kubelet retries a container it could not create, and such an error may come after a
      // long wait for a node or an image: it must last the timeout from when it was first seen.
      since.putIfAbsent(name, problem.get().startsWith("CreateContainerError") ? now
          : Pods.pendingSince(pod).map(t -> t.minus(serverAhead)).orElse(now));
      problems.put(name, problem.get());
    }
  }

  void forget(String pod) {
    since.remove(pod);
    problems.remove(pod);
  }

  /** A pod that could not start, and why ("ImagePullBackOff: Back-off pulling image ..."). */
  record Failure(String pod, String problem) {
    String message() {
      return "pod " + LogText.escaped(pod) + " could not start: " + problem;
    }
  }

  /** The first pod whose problem has lasted too long. */
  Optional<Failure> failure(Instant now) {
    for (Map.Entry<String, String> e : problems.entrySet()) {
      boolean hopeless = e.getValue().startsWith("InvalidImageName");
      if (hopeless || !now.isBefore(since.get(e.getKey()).plus(timeout))) {
        return Optional.of(new Failure(e.getKey(), e.getValue()));
      }
    }
    return Optional.empty();
  }
}

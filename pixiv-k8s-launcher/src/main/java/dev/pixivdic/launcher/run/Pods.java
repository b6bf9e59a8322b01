package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Condition;
import dev.pixivdic.launcher.kube.Meta;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.support.internal.LogText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads what the launcher cares about from a pod: its index, container and how it ended. */
final class Pods {
  static final String INDEX = "batch.kubernetes.io/job-completion-index";

  private Pods() {}

  static String name(Pod pod) {
    return pod.metadata().name();
  }

  /** The labels the Job controller puts on its pods, naming the Job's uid. */
  private static final List<String> CONTROLLER_UID =
      List.of("controller-uid", "batch.kubernetes.io/controller-uid");

  /**
   * Whether the pod is one of the Job with {@code uid}, as Kubernetes tells: its controlling owner
   * reference names that uid (the reference decides when there is one: a pod has one controller);
   * without one, its controller labels name that uid and no other. A pod with neither is no Job's.
   * The pods are listed by the first label, but a server (or a proxy) that ignores the selector
   * would hand out every pod of the namespace, with or without labels.
   */
  static boolean ofJob(Pod pod, String uid) {
    Optional<Meta.OwnerReference> controller = pod.metadata().ownerReferences().stream()
        .filter(Meta.OwnerReference::controller).findFirst();
    if (controller.isPresent()) {
      return !uid.isEmpty() && uid.equals(controller.get().uid());
    }
    List<String> named = CONTROLLER_UID.stream().map(pod.metadata().labels()::get)
        .filter(Objects::nonNull).toList();
    return !uid.isEmpty() && !named.isEmpty() && named.stream().allMatch(uid::equals);
  }

  /** The pod's name as it may be printed: a server's text, its control characters escaped. */
  static String shown(Pod pod) {
    return LogText.escaped(name(pod));
  }

  static String index(Pod pod) {
    String fromAnnotation = pod.metadata().annotations().getOrDefault(INDEX, "");
    return fromAnnotation.isEmpty()
        ? pod.metadata().labels().getOrDefault(INDEX, "?")
        : fromAnnotation;
  }

  /** The scrape container's status: the one of its name, else the only one there is. */
  static Optional<Pod.ContainerStatus> container(Pod pod) {
    var statuses = pod.status().containerStatuses();
    for (Pod.ContainerStatus c : statuses) {
      if (ManifestBuilder.CONTAINER.equals(c.name())) {
        return Optional.of(c);
      }
    }
    return statuses.size() == 1 ? Optional.of(statuses.get(0)) : Optional.empty();
  }

  static String containerName(Pod pod) {
    String n = container(pod).map(Pod.ContainerStatus::name).orElse("");
    return n.isEmpty() ? ManifestBuilder.CONTAINER : n;
  }

  /** The pod's phase ({@code Pending}, {@code Running}...), {@code Unknown} when it has none. */
  static String phase(Pod pod) {
    return pod.status().phase().isEmpty() ? "Unknown" : pod.status().phase();
  }

  /** Whether the container has logs to read: it runs or has run. */
  static boolean started(Pod pod) {
    return container(pod).map(c -> c.state().isRunning() || c.state().terminated() != null)
        .orElse(false);
  }

  /** Whether no more log lines can come. */
  static boolean finished(Pod pod) {
    String phase = pod.status().phase();
    return container(pod).map(c -> c.state().terminated() != null).orElse(false)
        || phase.equals("Succeeded")
        || phase.equals("Failed");
  }

  /** How the container ended, from its current state, else its last one. */
  static Optional<Pod.Terminated> terminated(Pod pod) {
    return container(pod).flatMap(c -> c.state().terminatedIfAny()
        .or(() -> c.lastState().terminatedIfAny()));
  }

  /**
   * Whether the pod was evicted, preempted or drained rather than failing by itself: a
   * {@code DisruptionTarget} condition (which the Job's failure policy ignores), or the kubelet's
   * {@code Evicted} reason. Such a pod never decides the launcher's exit code.
   */
  static boolean disrupted(Pod pod) {
    return pod.status().conditions().stream().anyMatch(c -> c.holds("DisruptionTarget"))
        || "Evicted".equals(pod.status().reason());
  }

  /** The container's exit code when it has terminated, from its current or last state. */
  static Optional<Integer> exitCode(Pod pod) {
    return terminated(pod).map(Pod.Terminated::exitCode);
  }

  /** When the container finished, as the API wrote it (ISO-8601 sorts as text), or empty text. */
  static String finishedAt(Pod pod) {
    return terminated(pod).map(Pod.Terminated::finishedAt).orElse("");
  }

  /** The pod's index as a number, or -1 when it has none. */
  static int indexNumber(Pod pod) {
    try {
      return Integer.parseInt(index(pod));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** When the pod started waiting: the Unschedulable condition's transition, else its creation. */
  static Optional<Instant> pendingSince(Pod pod) {
    for (Condition cond : pod.status().conditions()) {
      if (unscheduled(cond)) {
        Optional<Instant> t = instant(cond.lastTransitionTime());
        if (t.isPresent()) {
          return t;
        }
      }
    }
    return instant(pod.metadata().creationTimestamp());
  }

  private static boolean unscheduled(Condition cond) {
    return "PodScheduled".equals(cond.type()) && "False".equals(cond.status());
  }

  private static Optional<Instant> instant(String text) {
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A waiting reason that means the pod cannot start, with its message. */
  static Optional<String> startupProblem(Pod pod) {
    for (Pod.ContainerStatus c : pod.status().containerStatuses()) {
      Optional<Pod.Waiting> waiting = c.state().waitingIfAny();
      String reason = waiting.map(Pod.Waiting::reason).orElse("");
      if (StartupWatch.BAD_WAITING_REASONS.contains(reason)) {
        return Optional.of(reason + ": " + waiting.get().message());
      }
    }
    for (Condition cond : pod.status().conditions()) {
      if (unscheduled(cond) && "Unschedulable".equals(cond.reason())) {
        return Optional.of("Unschedulable: " + cond.message());
      }
    }
    return Optional.empty();
  }
}

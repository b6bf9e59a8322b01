package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.launcher.report.FinalLine;
import dev.pixivdic.launcher.report.JobReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The pods of one Job: their latest states (written by the pod watcher), a log follower for each
 * pod that runs, the final line each pod's {@code pixiv} printed, and the pods that cannot start.
 * The watcher thread calls {@link #synced} and {@link #changed}; the runner's loop calls the
 * rest; a log follower's thread tells the runner when it has read its pod's log to the end.
 * Thread-safe.
 */
final class PodTracker {
  private final KubeApi api;
  private final String namespace;
  private final LinePrinter printer;
  private final Clock clock;
  private final Duration logIdleTimeout;
  private final StartupWatch startup;
  /**
   * Pods by creation (the API writes whole seconds in UTC, which sort as text), the name breaking
   * ties: two attempts of one index are never created within a second (the Job's pod backoff is
   * 10 s at least), except a pod replacing one evicted at once.
   */
  private static final Comparator<Pod> CREATED =
      Comparator.comparing((Pod p) -> p.metadata().creationTimestamp()).thenComparing(Pods::name);
  /** Latest state of live pods, written by the pod watcher, read by followers. */
  private final Map<String, Pod> live = new ConcurrentHashMap<>();
  /** Every pod seen, with its last state, for the summary and the report. */
  private final Map<String, Pod> seen = new LinkedHashMap<>();
  private final Map<String, LogFollower> followers = new ConcurrentHashMap<>();
  // Set by stop(), which a signal's thread may call while the loop starts followers.
  private volatile boolean stopped;
  /** The final line each pod's pixiv printed, by pod name; written by the log followers. */
  private final Map<String, FinalLine> finalLines = new ConcurrentHashMap<>();
  /** Pods the loop has looked at (onPods), for tests waiting on it; guarded by itself. */
  private final Set<String> observed = new HashSet<>();
  /** Pods seen pending or running: this launcher watched them while they could still act. */
  private final Set<String> sawUnfinished = ConcurrentHashMap.newKeySet();
  /** Told of each pod whose log was read to its end, on the follower's thread. */
  private final Consumer<String> onLogEnded;
  /** Told of a log follower that stopped on a bug, on its thread. */
  private final Consumer<IOException> onBug;

  PodTracker(KubeApi api, String namespace, LinePrinter printer, Clock clock,
      Duration startupTimeout, Duration logIdleTimeout, Consumer<String> onLogEnded,
      Consumer<IOException> onBug) {
    this.api = api;
    this.onLogEnded = onLogEnded;
    this.onBug = onBug;
    this.namespace = namespace;
    this.printer = printer;
    this.clock = clock;
    this.logIdleTimeout = logIdleTimeout;
    this.startup = new StartupWatch(startupTimeout);
  }

  /** Watcher thread: a fresh list of the Job's pods; those not in it are gone. */
  void synced(List<Pod> pods) {
    Set<String> present = new HashSet<>();
    for (Pod pod : pods) {
      present.add(Pods.name(pod));
      updated(pod);
    }
    for (String gone : live.keySet()) {
      if (!present.contains(gone)) {
        gone(gone);
      }
    }
  }

  /** Watcher thread: one pod was added, modified or deleted. */
  void changed(String type, Pod pod) {
    updated(pod);
    if (type.equals("DELETED")) {
      gone(Pods.name(pod));
    }
  }

  /** Publishes the pod's state before anyone is told, so followers see it. */
  private void updated(Pod pod) {
    String name = Pods.name(pod);
    synchronized (seen) {
      seen.put(name, pod);
    }
    if (!Pods.finished(pod)) {
      sawUnfinished.add(name);
    }
    live.put(name, pod);
    wake(name);
  }

  private void gone(String name) {
    live.remove(name);
    wake(name);
  }

  private void wake(String name) {
    LogFollower f = followers.get(name);
    if (f != null) {
      f.wake();
    }
  }

  /** Records the final states of a last listing, for the summary. */
  void record(List<Pod> pods) {
    synchronized (seen) {
      pods.forEach(p -> seen.put(Pods.name(p), p));
    }
  }

  /** Every pod seen, with its last state, in the order first seen. */
  List<Pod> seen() {
    synchronized (seen) {
      return new ArrayList<>(seen.values());
    }
  }

  /** Loop thread: starts followers for pods that run, and tracks pods that cannot start. */
  void onPods() {
    Instant now = clock.instant();
    for (Pod pod : seen()) {
      String name = Pods.name(pod);
      if (!live.containsKey(name)) {
        startup.forget(name);
        continue;
      }
      startup.observe(pod, now, api.serverClockAhead());
      synchronized (observed) {
        if (observed.add(name)) {
          observed.notifyAll();
        }
      }
      if (Pods.started(pod) && !followers.containsKey(name) && !stopped) {
        LogFollower f = new LogFollower(api, namespace, pod, printer, clock, logIdleTimeout,
            () -> Optional.ofNullable(live.get(name)),
            (podOf, line) -> FinalLine.find(line).ifPresent(said -> finalLines.put(podOf, said)),
            () -> onLogEnded.accept(name), onBug);
        followers.put(name, f);
        f.start();
        if (stopped) {
          f.stop(); // stop() ran meanwhile, from a signal, and did not see this one
        }
      }
    }
  }

  /**
   * The final line of a pod that ended as a run the site stopped, asked once its log has been
   * read to the end: its container terminated with the exit code its last final line gives, that
   * line's stop reason is one of {@code stopReasons}, this launcher saw the pod before it
   * finished (not an attempt long over, of a re-attached Job), and no pod of its index was created
   * after it (the shard has not been tried again since). The last final line of the whole log,
   * and the container's own exit code, keep a log line that merely quotes one from counting.
   */
  Optional<FinalLine> endedAs(String name, Set<String> stopReasons) {
    FinalLine said = finalLines.get(name);
    if (said == null || !stopReasons.contains(said.stopReason())
        || !sawUnfinished.contains(name)) {
      return Optional.empty();
    }
    List<Pod> all = seen();
    Optional<Pod> pod = all.stream().filter(p -> Pods.name(p).equals(name)).findFirst();
    if (pod.isEmpty() || !Pods.exitCode(pod.get()).equals(Optional.of(said.exitCode()))) {
      return Optional.empty();
    }
    String created = pod.get().metadata().creationTimestamp();
    boolean newest = all.stream().noneMatch(p -> Pods.index(p).equals(Pods.index(pod.get()))
        && p.metadata().creationTimestamp().compareTo(created) > 0);
    return newest ? Optional.of(said) : Optional.empty();
  }

  /** Waits until {@link #onPods} has looked at pod {@code name}, or the timeout passed. */
  boolean awaitObserved(String name, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (observed) {
      while (!observed.contains(name)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(observed, left);
      }
      return true;
    }
  }

  /** Loop thread: reopens silent log streams and wakes followers waiting to try again. */
  void tick() {
    Instant now = clock.instant();
    followers.values().forEach(f -> {
      f.checkIdle(now);
      f.wake();
    });
  }

  /** Whether a pod of the Job exists that has not finished (pending or running). */
  boolean anyActive() {
    return live.values().stream().anyMatch(p -> !Pods.finished(p));
  }

  /** The first pod whose startup problem has lasted too long, by the run's clock. */
  Optional<StartupWatch.Failure> cannotStart() {
    return startup.failure(clock.instant());
  }

  /** Whether every follower has ended: read its log to the end, given up, or been stopped. */
  boolean drained() {
    return followers.values().stream().allMatch(LogFollower::ended);
  }

  /** Stops every follower, and starts no more; does not wait. Any thread. */
  void stop() {
    stopped = true;
    followers.values().forEach(LogFollower::stop);
  }

  /**
   * The pods that ran (or tried to), as the Job report's attempts, in the order they were
   * created: an index's last attempt is its newest pod, whatever order the pods were seen in (a
   * re-attach lists them by name).
   */
  List<JobReport.Attempt> attempts() {
    List<JobReport.Attempt> attempts = new ArrayList<>();
    List<Pod> pods = seen();
    pods.sort(CREATED);
    for (Pod pod : pods) {
      String name = Pods.name(pod);
      // Succeeded: every container ran and exited 0, whether or not the pod lists their states
      // (the summary counts it as completed too).
      boolean succeeded = Pods.phase(pod).equals("Succeeded");
      if (!Pods.started(pod) && Pods.terminated(pod).isEmpty() && !succeeded
          && !finalLines.containsKey(name)) {
        continue; // never ran: it is not an attempt of its index
      }
      String state = Pods.terminated(pod).map(Pod.Terminated::reason)
          .orElseGet(() -> live.containsKey(name) || succeeded ? Pods.phase(pod)
              : "pod deleted");
      Optional<Integer> exitCode = Pods.exitCode(pod)
          .or(() -> succeeded ? Optional.of(0) : Optional.empty());
      attempts.add(new JobReport.Attempt(Pods.indexNumber(pod), name, exitCode, state,
          Optional.ofNullable(finalLines.get(name))));
    }
    return attempts;
  }
}

package dev.pixivdic.launcher.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.report.FinalLine;
import dev.pixivdic.launcher.report.JobReport;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Creates one Job, follows it and its pods' logs to the end, cleans up, and returns the exit code.
 * One loop thread decides; watchers and log followers run on their own threads and report to it
 * through a queue. Not reusable: one instance per run.
 */
public final class JobRunner {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobRunner.class);
  /**
   * @param startupTimeout how long a pod may stay unable to start (image pull, unschedulable)
   * @param logIdleTimeout how long a log stream may stay silent before it is reopened
   * @param drainTimeout how long to wait for logs after the Job finished
   * @param retryDelay first delay between retries after transient API failures
   * @param apiPatience how long transient API failures (no answer, 429, 5xx) are retried when
   *     creating, watching or deleting the Job before the launcher gives up (exit 69)
   * @param keepOnFailure keep a failed Job for inspection instead of deleting it
   */
  public record Settings(Duration startupTimeout, Duration logIdleTimeout, Duration drainTimeout,
      Duration retryDelay, Duration apiPatience, boolean keepOnFailure) {
    public Settings {
      requireNonNull(startupTimeout, "startupTimeout");
      requireNonNull(logIdleTimeout, "logIdleTimeout");
      requireNonNull(drainTimeout, "drainTimeout");
      requireNonNull(retryDelay, "retryDelay");
      requireNonNull(apiPatience, "apiPatience");
    }
  }

  private sealed interface Event {}

  private record JobSynced(List<JsonNode> items) implements Event {}

  private record JobChanged(String type, JsonNode job) implements Event {}

  private record PodsChanged() implements Event {}

  private record WatchFailed(String what, IOException error) implements Event {}

  private record Tick() implements Event {}

  private record Interrupted() implements Event {}


  private final KubeApi api;
  private final String namespace;
  private final ObjectNode manifest;
  private final String name;
  private final String jobRef;
  private final String jobsPath;
  private final Settings settings;
  private final Clock clock;
  private final PrintStream status;
  private final LinePrinter printer;
  private final Interruption interruption;
  private final JobHandle handle;
  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  /** Latest state of live pods, written by the pod watcher, read by followers. */
  private final Map<String, JsonNode> livePods = new ConcurrentHashMap<>();
  /** Every pod seen, with its last state, for the summary. Loop thread only. */
  private final Map<String, JsonNode> seenPods = new LinkedHashMap<>();
  private final Map<String, LogFollower> followers = new ConcurrentHashMap<>();
  private final StartupWatch startup;
  private final List<ResourceWatcher> watchers = new ArrayList<>();
  private String uid;
  /** The final line each pod's pixiv printed, by pod name; written by the log followers. */
  private final Map<String, FinalLine> finalLines = new ConcurrentHashMap<>();
  /** The launcher's own verdict: the summary, or why the run ended early. */
  private final List<String> verdict = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile Instant startedAt;
  private volatile Instant endedAt;
  private volatile int exitCode = ExitCodes.FAILED;

  /**
   * @param out where pod log lines go (stdout)
   * @param status where progress and the summary go (stderr)
   */
  public JobRunner(KubeApi api, String namespace, ObjectNode manifest, Settings settings, Clock clock,
      PrintStream out, PrintStream status, Interruption interruption) {
    this.api = requireNonNull(api, "api");
    this.namespace = requireNonNull(namespace, "namespace");
    this.manifest = requireNonNull(manifest, "manifest").deepCopy();
    ((ObjectNode) this.manifest.get("metadata")).put("namespace", namespace);
    this.name = manifest.path("metadata").path("name").asText();
    this.jobRef = namespace + "/" + name;
    this.jobsPath = "/apis/batch/v1/namespaces/" + namespace + "/jobs";
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.status = requireNonNull(status, "status");
    this.printer = new LinePrinter(requireNonNull(out, "out"));
    this.interruption = requireNonNull(interruption, "interruption");
    this.startup = new StartupWatch(settings.startupTimeout());
    this.handle =
        new JobHandle(
            api, jobsPath + "/" + name, jobRef, this.manifest, status, settings.retryDelay());
    interruption.attach(handle);
  }

  /** Asks the loop to check timeouts and wake waiting log followers; called every second. */
  public void tick() {
    queue.add(new Tick());
  }

  /**
   * Runs the Job to its end and returns the exit code ({@link ExitCodes}). Never throws for API
   * or Job failures: they become exit codes and messages on the status stream.
   */
  public int run() {
    interruption.onInterrupt(() -> queue.add(new Interrupted()));
    startedAt = clock.instant();
    try {
      exitCode = runJob();
    } catch (JobHandle.Closed e) {
      exitCode = interruption.signalExitCode(); // the signal's handler cleans up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exitCode = ExitCodes.FAILED;
    } catch (RuntimeException e) {
      LOG.error("internal error while following Job {}", jobRef, e);
      exitCode = fail(ExitCodes.FAILED, "internal error: " + e);
    } finally {
      watchers.forEach(ResourceWatcher::stop);
      followers.values().forEach(LogFollower::stop);
      // Every way out has cleaned up by now (or left it to a signal already being handled).
      interruption.finished();
      endedAt = clock.instant();
    }
    return exitCode;
  }

  /**
   * The Job report of the run that {@link #run()} ended: every pod seen, with the final line its
   * {@code pixiv} printed, if any.
   *
   * @param globalQps the Job's global request budget
   */
  public JobReport report(BigDecimal globalQps) {
    Instant start = startedAt == null ? clock.instant() : startedAt;
    Instant end = endedAt == null ? clock.instant() : endedAt;
    List<JsonNode> pods;
    synchronized (seenPods) {
      pods = new ArrayList<>(seenPods.values());
    }
    List<JobReport.Attempt> attempts = new ArrayList<>();
    for (JsonNode pod : pods) {
      if (!Pods.started(pod) && Pods.terminated(pod).isEmpty()
          && !finalLines.containsKey(Pods.name(pod))) {
        continue; // never ran: it is not an attempt of its index
      }
      String state = Pods.terminated(pod).map(t -> t.path("reason").asText(""))
          .orElseGet(() -> livePods.containsKey(Pods.name(pod))
              ? pod.path("status").path("phase").asText("Unknown") : "pod deleted");
      attempts.add(new JobReport.Attempt(Pods.indexNumber(pod), Pods.name(pod),
          Pods.exitCode(pod), state, Optional.ofNullable(finalLines.get(Pods.name(pod)))));
    }
    List<String> said;
    synchronized (verdict) {
      said = List.copyOf(verdict);
    }
    return JobReport.of(jobRef, exitCode, said, start, Duration.between(start, end), globalQps,
        manifest.path("spec").path("completions").asInt(0), attempts);
  }

  private int runJob() throws InterruptedException, JobHandle.Closed {
    JsonNode job;
    try {
      job =
          new JobCreator(
                  api,
                  handle,
                  jobsPath,
                  manifest,
                  status,
                  settings.retryDelay(),
                  settings.apiPatience())
              .create();
    } catch (LaunchFailure f) {
      status.println("pixiv-launch: " + f.getMessage());
      verdict.add(f.getMessage());
      if (!interruption.isInterrupted()
          && !handle.remove(Instant.now().plus(api.timeout().multipliedBy(2)))) {
        leftBehind("it may have been created by a request whose answer was lost");
      }
      return f.exitCode;
    }
    if (interruption.isInterrupted()) {
      return interruption.signalExitCode(); // the signal's handler deletes what was just created
    }
    uid = job.path("metadata").path("uid").asText();
    startWatchers();
    JsonNode terminal = JobConditions.terminal(job) ? job : null;
    while (terminal == null) {
      Event event = queue.take();
      if (event instanceof Interrupted) {
        return interruption.signalExitCode();
      } else if (event instanceof WatchFailed f) {
        boolean temporary = KubeApi.isTransient(f.error());
        return fail(
            temporary ? ExitCodes.UNAVAILABLE : ExitCodes.API_REFUSED,
            "cannot watch the "
                + f.what()
                + " of Job "
                + jobRef
                + (temporary ? " for " + JobCreator.seconds(settings.apiPatience()) : "")
                + ": "
                + f.error().getMessage());
      } else if (event instanceof JobSynced s) {
        Optional<JsonNode> ours = s.items().stream().filter(j -> ownJob(j)).findFirst();
        if (ours.isEmpty()) {
          return deletedExternally();
        }
        terminal = JobConditions.terminal(ours.get()) ? ours.get() : null;
      } else if (event instanceof JobChanged c) {
        if (!ownJob(c.job())) {
          if (c.type().equals("DELETED")) {
            continue; // an older Job of the same name finishing its deletion
          }
          return deletedExternally(); // someone deleted ours and created another
        }
        if (c.type().equals("DELETED")) {
          return deletedExternally();
        }
        terminal = JobConditions.terminal(c.job()) ? c.job() : null;
      } else if (event instanceof PodsChanged) {
        onPods();
      } else if (event instanceof Tick) {
        Instant now = clock.instant();
        followers.values().forEach(f -> {
          f.checkIdle(now);
          f.wake();
        });
      }
      Optional<StartupWatch.Failure> cannotStart = startup.failure(clock.instant());
      if (cannotStart.isPresent() && terminal == null) {
        return fail(ExitCodes.COULD_NOT_START, cannotStart.get().message() + warnings(cannotStart.get().pod()));
      }
    }
    return finish(terminal);
  }

  private boolean ownJob(JsonNode job) {
    return uid.equals(job.path("metadata").path("uid").asText());
  }

  private void startWatchers() {
    String jobs = jobsPath + "?fieldSelector=" + enc("metadata.name=" + name);
    watchers.add(new ResourceWatcher(api, jobs, new ResourceWatcher.Listener() {
      @Override
      public void synced(List<JsonNode> items) {
        queue.add(new JobSynced(items));
      }

      @Override
      public void changed(String type, JsonNode object) {
        queue.add(new JobChanged(type, object));
      }

      @Override
      public void failed(IOException e) {
        queue.add(new WatchFailed("state", e));
      }
    }, "job", settings.retryDelay(), settings.apiPatience()));
    watchers.add(new ResourceWatcher(api, podsPath(), new ResourceWatcher.Listener() {
      @Override
      public void synced(List<JsonNode> items) {
        Set<String> present = new HashSet<>();
        for (JsonNode pod : items) {
          present.add(Pods.name(pod));
          podUpdated(pod);
        }
        for (String gone : livePods.keySet()) {
          if (!present.contains(gone)) {
            podGone(gone);
          }
        }
        queue.add(new PodsChanged());
      }

      @Override
      public void changed(String type, JsonNode pod) {
        if (type.equals("DELETED")) {
          podUpdated(pod);
          podGone(Pods.name(pod));
        } else {
          podUpdated(pod);
        }
        queue.add(new PodsChanged());
      }

      @Override
      public void failed(IOException e) {
        queue.add(new WatchFailed("pods", e));
      }
    }, "pods", settings.retryDelay(), settings.apiPatience()));
    watchers.forEach(ResourceWatcher::start);
  }

  /** Watcher thread: publish the pod's state before anyone is told, so followers see it. */
  private void podUpdated(JsonNode pod) {
    String podName = Pods.name(pod);
    synchronized (seenPods) {
      seenPods.put(podName, pod);
    }
    livePods.put(podName, pod);
    LogFollower f = followers.get(podName);
    if (f != null) {
      f.wake();
    }
  }

  private void podGone(String podName) {
    livePods.remove(podName);
    LogFollower f = followers.get(podName);
    if (f != null) {
      f.wake();
    }
  }

  /** Loop thread: start followers for pods that run, and track pods that cannot start. */
  private void onPods() {
    Instant now = clock.instant();
    List<JsonNode> snapshot;
    synchronized (seenPods) {
      snapshot = new ArrayList<>(seenPods.values());
    }
    for (JsonNode pod : snapshot) {
      String podName = Pods.name(pod);
      if (!livePods.containsKey(podName)) {
        startup.forget(podName);
        continue;
      }
      startup.observe(pod, now);
      if (Pods.started(pod) && !followers.containsKey(podName)) {
        LogFollower f = new LogFollower(api, namespace, pod, printer, clock, settings.logIdleTimeout(),
            () -> Optional.ofNullable(livePods.get(podName)),
            (podOf, line) -> FinalLine.find(line)
                .ifPresent(said -> finalLines.put(podOf, said)));
        followers.put(podName, f);
        f.start();
      }
    }
  }

  private int finish(JsonNode job) throws InterruptedException {
    // Logs may still be arriving after the Job's condition flipped; give them a bounded time.
    Instant deadline = Instant.now().plus(settings.drainTimeout());
    for (LogFollower f : followers.values()) {
      Duration left = Duration.between(Instant.now(), deadline);
      if (!left.isNegative() && !left.isZero()) {
        f.join(left);
      }
    }
    watchers.forEach(ResourceWatcher::stop);
    followers.values().forEach(LogFollower::stop);
    // The pod watch may lag the Job watch: list once more so the summary has the final states.
    try {
      for (JsonNode pod : api.get(podsPath()).path("items")) {
        synchronized (seenPods) {
          seenPods.put(Pods.name(pod), pod);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list the Job's pods for the summary: {}", e.getMessage());
    }
    List<JsonNode> pods;
    synchronized (seenPods) {
      pods = new ArrayList<>(seenPods.values());
    }
    Summary summary = Summary.of(jobRef, job, pods);
    summary.lines().forEach(l -> status.println("pixiv-launch: " + l));
    verdict.addAll(summary.lines());
    if (summary.exitCode() == ExitCodes.SUCCESS || !settings.keepOnFailure()) {
      if (!handle.remove(Instant.now().plus(settings.apiPatience()))) {
        // The Job has ended: nothing runs unwatched, and its TTL removes it.
        status.println(
            "pixiv-launch: could not delete the finished Job "
                + jobRef
                + " ("
                + handle.lastProblem()
                + "); ttlSecondsAfterFinished removes it");
      }
    } else {
      handle.mark(JobHandle.Known.KEPT);
      status.println(
          "pixiv-launch: keeping failed Job "
              + jobRef
              + " (--keep-on-failure); the cluster removes it"
              + " after ttlSecondsAfterFinished");
    }
    interruption.finished();
    return summary.exitCode();
  }

  /**
   * Ends a run whose Job may still be running: stops following it and deletes it (unless
   * --keep-on-failure), so nothing runs unwatched; says so when it cannot be deleted.
   */
  private int fail(int exitCode, String message) {
    status.println("pixiv-launch: " + message);
    verdict.add(message);
    watchers.forEach(ResourceWatcher::stop);
    followers.values().forEach(LogFollower::stop);
    if (interruption.isInterrupted()) {
      return interruption.signalExitCode();
    }
    try {
      if (!settings.keepOnFailure() && !handle.remove(Instant.now().plus(settings.apiPatience()))) {
        leftBehind("it could not be deleted (" + handle.lastProblem() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    interruption.finished();
    return exitCode;
  }

  private void leftBehind(String why) {
    String ns = namespace;
    status.println(
        "pixiv-launch: Job "
            + jobRef
            + " may be running unwatched: "
            + why
            + ". Run this launch"
            + " again (the same --name re-attaches to it), or delete it: kubectl delete job -n "
            + ns
            + " "
            + name
            + "; else its active deadline ends it and ttlSecondsAfterFinished removes it");
  }

  /** The pod's latest warning events (scheduler and kubelet explanations), best effort. */
  private String warnings(String pod) {
    try {
      JsonNode events = api.get("/api/v1/namespaces/" + namespace + "/events?fieldSelector="
          + enc("involvedObject.kind=Pod,involvedObject.name=" + pod + ",type=Warning"));
      List<String> lines = new ArrayList<>();
      for (JsonNode e : events.path("items")) {
        lines.add("\n  event " + e.path("reason").asText() + ": " + e.path("message").asText());
      }
      return String.join("", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      LOG.debug("cannot list the events of pod {}: {}", pod, e.getMessage());
      return "";
    }
  }

  private int deletedExternally() {
    if (interruption.isInterrupted()) {
      return interruption.signalExitCode(); // deleted by the signal's handler
    }
    handle.mark(JobHandle.Known.GONE);
    status.println("pixiv-launch: Job " + jobRef + " was deleted by someone else while it ran");
    verdict.add("Job " + jobRef + " was deleted by someone else while it ran");
    interruption.finished();
    return ExitCodes.DELETED_EXTERNALLY;
  }

  private String podsPath() {
    return "/api/v1/namespaces/"
        + namespace
        + "/pods?labelSelector="
        + enc("controller-uid=" + uid);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

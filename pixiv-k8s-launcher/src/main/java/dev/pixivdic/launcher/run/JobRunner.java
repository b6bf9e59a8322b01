package dev.pixivdic.launcher.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import dev.pixivdic.launcher.report.FinalLine;
import dev.pixivdic.launcher.report.JobReport;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one Job, follows it and its pods' logs to the end, cleans up, and returns the exit code.
 * One loop thread decides; watchers and log followers run on their own threads and report to it
 * through a queue. Not reusable: one instance per run.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /**
   * @param startupTimeout how long a pod may stay unable to start (image pull, unschedulable)
   * @param logIdleTimeout how long a log stream may stay silent before it is reopened
   * @param drainTimeout how long to wait for logs after the Job finished
   * @param retryDelay first delay between retries after transient API failures
   * @param apiPatience how long transient API failures (no answer, 429, 5xx) are retried when
   *     creating, watching or deleting the Job before the launcher gives up (exit 69)
   * @param keepOnFailure keep a failed Job for inspection instead of deleting it
   * @param keepGoingWhenBlocked leave a pod that the site blocked (or that could not reach it)
   *     to the Job's retries and pod failure policy, instead of stopping the Job at once (exit 75)
   */
  public record Settings(Duration startupTimeout, Duration logIdleTimeout, Duration drainTimeout,
      Duration retryDelay, Duration apiPatience, boolean keepOnFailure,
      boolean keepGoingWhenBlocked) {
    public Settings {
      requireNonNull(startupTimeout, "startupTimeout");
      requireNonNull(logIdleTimeout, "logIdleTimeout");
      requireNonNull(drainTimeout, "drainTimeout");
      requireNonNull(retryDelay, "retryDelay");
      requireNonNull(apiPatience, "apiPatience");
    }
  }

  /** How often the Job's events are read while it has no pod. */
  private static final Duration REFUSALS_EVERY = Duration.ofSeconds(30);
  /** The stop reason of a {@code pixiv} run that the site pushed back on. */
  private static final String BLOCKED = "BLOCKED";
  /**
   * The stop reasons of a {@code pixiv} run that the site stopped: it pushed back, or gave no
   * answer (or only server errors) many times in a row, as in a maintenance window.
   */
  private static final Set<String> SITE_STOPPED = Set.of(BLOCKED, "SITE_UNREACHABLE");

  private final JobApi paths;
  private final ObjectNode manifest;
  private final String name;
  private final String jobRef;
  private final Settings settings;
  private final Clock clock;
  private final PrintStream status;
  private final Interruption interruption;
  private final JobHandle handle;
  private final PodTracker pods;
  private final BlockingQueue<RunEvent> queue = new LinkedBlockingQueue<>();
  private final List<ResourceWatcher<?>> watchers = new ArrayList<>();
  private String uid;
  /** The tick the loop is handling, if it is one; completed when it is done with it. */
  private volatile RunEvent.Tick handling;
  /** The Job as last seen by the loop. */
  private Job latest;
  /** Ours as the last read by name returned it, even while it was being deleted. */
  private Job lastRead;
  /** Ours as a {@code DELETED} watch event showed it last. */
  private Job deletedAs;
  /** When the loop last saw a state of ours (in a list, an event, a read by name). */
  private Instant lastSeenAt;
  /** Pods that ended as runs the site stopped, their logs read to the end. */
  private final Set<String> blockedPods = new LinkedHashSet<>();
  /** Since when the Job has had no pod that is pending or running; null while it has one. */
  private Instant idleSince;
  /** When the Job's events were last read for pods it could not create. */
  private Instant refusalsReadAt;
  /** The launcher's own verdict: the summary, or why the run ended early. */
  private final List<String> verdict = new CopyOnWriteArrayList<>();
  private volatile Instant startedAt;
  private volatile Instant endedAt;
  private volatile int exitCode = ExitCodes.FAILED;

  /**
   * @param clock the time of day, for the report and for startup and log-idle timeouts (blocking
   *     waits are measured on the monotonic clock, see {@link Deadline})
   * @param out where pod log lines go (stdout)
   * @param status where progress and the summary go (stderr)
   */
  public JobRunner(KubeApi api, String namespace, ObjectNode manifest, Settings settings,
      Clock clock, PrintStream out, PrintStream status, Interruption interruption) {
    this.manifest = requireNonNull(manifest, "manifest").deepCopy();
    ((ObjectNode) this.manifest.get("metadata")).put("namespace", namespace);
    this.name = manifest.path("metadata").path("name").asText();
    this.jobRef = requireNonNull(namespace, "namespace") + "/" + name;
    this.paths = new JobApi(requireNonNull(api, "api"), namespace, name);
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.status = requireNonNull(status, "status");
    this.interruption = requireNonNull(interruption, "interruption");
    this.pods = new PodTracker(api, namespace, new LinePrinter(requireNonNull(out, "out")), clock,
        settings.startupTimeout(), settings.logIdleTimeout(),
        pod -> queue.add(new RunEvent.LogEnded(pod)),
        e -> queue.add(new RunEvent.WatchFailed("logs", e)));
    this.handle = new JobHandle(api, paths.job(), jobRef, ManifestBuilder.labels(this.manifest),
        status, settings.retryDelay());
    interruption.attach(handle);
  }

  /** Asks the loop to check timeouts and wake waiting log followers; called every second. */
  public void tick() {
    tickHandled();
  }

  /**
   * As {@link #tick()}; the answer completes once the loop has handled the tick: true when the
   * run goes on, false when it has ended. Lets a test know the loop saw what came before.
   */
  CompletableFuture<Boolean> tickHandled() {
    RunEvent.Tick tick = new RunEvent.Tick(new CompletableFuture<>());
    queue.add(tick);
    if (endedAt != null) {
      tick.goesOn().complete(false);
    }
    return tick.goesOn();
  }

  /**
   * Waits until the loop has looked at pod {@code name} (its startup, its log follower); for
   * tests, whose fake API server cannot tell when the loop has seen what it sent.
   */
  boolean awaitPodObserved(String name, Duration timeout) throws InterruptedException {
    return pods.awaitObserved(name, timeout);
  }

  /**
   * Runs the Job to its end and returns the exit code ({@link ExitCodes}). Never throws for API
   * or Job failures: they become exit codes and messages on the status stream.
   */
  public int run() {
    interruption.onInterrupt(() -> {
      queue.add(new RunEvent.Interrupted());
      // A wait for the last log lines (the site stop's drain) ends too: the run reports what it
      // has before the JVM, exiting on the signal, cuts it off.
      pods.stop();
    });
    startedAt = clock.instant();
    try {
      exitCode = runJob();
    } catch (JobHandle.Closed e) {
      exitCode = interruption.signalExitCode(); // the signal's handler cleans up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exitCode = ExitCodes.FAILED;
    } catch (RuntimeException | Error e) {
      LOG.error("internal error while following Job {}", jobRef, e);
      exitCode = fail(ExitCodes.FAILED, "internal error: " + e);
    } finally {
      stopFollowing();
      recordSignalsCleanup();
      // Every way out has cleaned up by now (or left it to a signal already being handled).
      interruption.finished();
      endedAt = clock.instant();
      queue.forEach(e -> {
        if (e instanceof RunEvent.Tick t) {
          t.goesOn().complete(false);
        }
      });
      if (handling != null) {
        handling.goesOn().complete(false);
      }
    }
    return exitCode;
  }

  /**
   * After a signal, waits for its cleanup (within the signal's bound) so the report says what
   * became of the Job: deleted, never created, or why it may still be running.
   */
  private void recordSignalsCleanup() {
    if (!interruption.isInterrupted()) {
      return;
    }
    try {
      interruption.awaitCleanup().ifPresent(verdict::add);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    return JobReport.of(jobRef, exitCode, List.copyOf(verdict), start,
        Duration.between(start, end), globalQps,
        manifest.path("spec").path("completions").asInt(0), pods.attempts());
  }

  private int runJob() throws InterruptedException, JobHandle.Closed {
    Job job;
    try {
      job = new JobCreator(paths.kube(), handle, paths.jobs(), manifest, status,
          settings.retryDelay(), settings.apiPatience()).create();
    } catch (LaunchFailure f) {
      status.println("pixiv-launch: " + f.getMessage());
      verdict.add(f.getMessage());
      if (!interruption.isInterrupted() && !removedAfter(f)) {
        leftBehind("it may have been created by a request whose answer was lost");
      }
      // A signal that stopped the create (its exec plugin) decides the code, as its cleanup does.
      return interruption.isInterrupted() ? interruption.signalExitCode() : f.exitCode;
    }
    if (interruption.isInterrupted()) {
      return interruption.signalExitCode(); // the signal's handler deletes what was just created
    }
    uid = job.metadata().uid();
    try {
      return follow(job);
    } catch (Ended e) {
      return e.exitCode;
    }
  }

  /** Whether nothing is left of the Job after its create failed with {@code f}. */
  private boolean removedAfter(LaunchFailure f) throws InterruptedException {
    if (f.exitCode == ExitCodes.UNAVAILABLE && handle.known() == JobHandle.Known.EXISTS) {
      // The creator's last lookup found our Job failed: removed as any failed Job is.
      if (settings.keepOnFailure()) {
        handle.mark(JobHandle.Known.KEPT);
        status.println("pixiv-launch: keeping failed Job " + jobRef
            + " (--keep-on-failure); the cluster removes it after ttlSecondsAfterFinished");
      } else if (!handle.remove(Deadline.in(paths.kube().timeout().multipliedBy(2)))) {
        status.println("pixiv-launch: could not delete the failed Job " + jobRef + " ("
            + handle.lastProblem() + "); ttlSecondsAfterFinished removes it");
      }
      return true; // it has failed: nothing of it runs
    }
    if (f.exitCode == ExitCodes.UNAVAILABLE) {
      // The creator gave up having looked the Job up once more when a create may have made it:
      // looking again would stretch the launch well past --api-retry-timeout.
      return handle.known() != JobHandle.Known.MAYBE;
    }
    return handle.remove(Deadline.in(paths.kube().timeout().multipliedBy(2)));
  }

  /** Follows the created Job to its end and returns the exit code. */
  private int follow(Job job) throws InterruptedException, JobHandle.Closed, Ended {
    if (JobConditions.terminal(job)) {
      // Re-attached to a Job that had already ended (a retry after the launcher was stopped):
      // nothing to watch, but its pods' logs, and their final lines, are still there to read.
      return finish(job);
    }
    idleSince = clock.instant();
    latest = job;
    lastSeenAt = clock.instant();
    startWatchers();
    Job terminal = null;
    while (terminal == null) {
      RunEvent event = queue.take();
      handling = event instanceof RunEvent.Tick t ? t : null;
      if (event instanceof RunEvent.Interrupted) {
        return interruption.signalExitCode();
      } else if (event instanceof RunEvent.WatchFailed f
          && f.error() instanceof ResourceWatcher.Bug bug) {
        return fail(ExitCodes.FAILED, "internal error: " + bug.getMessage());
      } else if (event instanceof RunEvent.WatchFailed f) {
        boolean temporary = KubeApi.isTransient(f.error());
        // A watch that gave up says nothing of the Job: one that ended meanwhile is finished as
        // such, not deleted as if it still ran.
        terminal = temporary ? endedMeanwhile().orElse(null) : null;
        if (terminal != null) {
          continue;
        }
        return fail(temporary ? ExitCodes.UNAVAILABLE : ExitCodes.API_REFUSED,
            "cannot watch the " + f.what() + " of Job " + jobRef
                + (temporary ? " for " + JobCreator.seconds(settings.apiPatience()) : "")
                + ": " + f.error().getMessage());
      } else if (event instanceof RunEvent.JobSynced s) {
        // Absent from the list: only a read of the Job by name may say it is gone.
        Job ours = s.items().stream().filter(this::ownJob).findFirst().orElse(null);
        lastSeenAt = ours != null ? clock.instant() : lastSeenAt;
        ours = ours != null ? ours : stillOurs();
        latest = ours;
        terminal = JobConditions.terminal(ours) ? ours : null;
      } else if (event instanceof RunEvent.JobChanged c) {
        boolean deleted = c.type().equals("DELETED");
        if (!ownJob(c.job()) && deleted) {
          continue; // an older Job of the same name finishing its deletion
        }
        // Ours deleted, or another Job holds the name (ours was deleted and replaced): only a read
        // by name that finds no Job of ours says so. An event alone is not believed.
        deletedAs = deleted ? c.job() : deletedAs;
        lastSeenAt = clock.instant();
        Job ours = ownJob(c.job()) && !deleted ? c.job() : stillOurs();
        latest = ours;
        terminal = JobConditions.terminal(ours) ? ours : null;
      } else if (event instanceof RunEvent.PodsChanged) {
        pods.onPods();
      } else if (event instanceof RunEvent.LogEnded e && !settings.keepGoingWhenBlocked()
          && pods.endedAs(e.pod(), SITE_STOPPED).isPresent()) {
        blockedPods.add(e.pod());
      } else if (event instanceof RunEvent.Tick) {
        onTick();
      }
      Optional<String> siteSaysStop = terminal == null ? siteSaysStop() : Optional.empty();
      if (siteSaysStop.isPresent()) {
        return fail(ExitCodes.TRY_LATER, siteSaysStop.get(), true);
      }
      Optional<StartupWatch.Failure> cannotStart = pods.cannotStart();
      if (cannotStart.isPresent() && terminal == null) {
        return fail(ExitCodes.COULD_NOT_START,
            cannotStart.get().message()
                + events(() -> paths.warnings(cannotStart.get().pod())));
      }
      Optional<String> refused = terminal == null ? refusedPods() : Optional.empty();
      if (refused.isPresent()) {
        return fail(ExitCodes.COULD_NOT_START, refused.get());
      }
      if (handling != null) {
        handling.goesOn().complete(true);
        handling = null;
      }
    }
    return finish(terminal);
  }

  /**
   * Why the Job makes no pod, when it has had none pending or running for the startup timeout
   * and the cluster says it refuses to create them (a quota, a LimitRange, an admission webhook,
   * PodSecurity, a missing service account): such a Job gets no condition and would wait for its
   * active deadline. The events are read at most every {@link #REFUSALS_EVERY}.
   */
  private Optional<String> refusedPods() throws JobHandle.Closed {
    Instant now = clock.instant();
    if (pods.anyActive()) {
      idleSince = null;
      return Optional.empty();
    }
    idleSince = idleSince == null ? now : idleSince;
    if (now.isBefore(idleSince.plus(settings.startupTimeout()))
        || refusalsReadAt != null && now.isBefore(refusalsReadAt.plus(REFUSALS_EVERY))) {
      return Optional.empty();
    }
    refusalsReadAt = now;
    Instant since = idleSince.plus(paths.kube().serverClockAhead());
    String events = events(() -> paths.refusedPods(uid, since));
    if (events.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("Job " + jobRef + " has had no pod pending or running for "
        + JobCreator.seconds(settings.startupTimeout())
        + ": the cluster refuses to create its pods" + events);
  }

  /**
   * Lines of the Job's or a pod's events, read as {@code read} does (best effort: empty when they
   * cannot be read); a signal ends the read at once.
   */
  private String events(JobHandle.Request<String> read) throws JobHandle.Closed {
    try {
      return handle.lookup(read);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Why the Job is to stop at once, when a pod ended as a run the site stopped (a streak of
   * blocked pages, a Retry-After longer than pixiv waits, or a site that gave no answer or only
   * server errors many times in a row; see {@link PodTracker#endedAs}):
   * Kubernetes would start that shard again after its pod backoff, and the other shards would
   * meet the same site. Not while the Job's end is already decided, nor when a pod's exit code
   * fires the Job's FailJob rule (a 2 or 65 says more than 75; the policy ends the Job with it).
   */
  private Optional<String> siteSaysStop() {
    if (blockedPods.isEmpty() || JobConditions.ending(latest)) {
      return Optional.empty();
    }
    List<Pod> seen = pods.seen();
    if (seen.stream().anyMatch(p -> !Pods.disrupted(p)
        && ExitDecision.failJobRuleMatches(latest, p))) {
      return Optional.empty();
    }
    for (String pod : blockedPods) {
      Optional<FinalLine> said = pods.endedAs(pod, SITE_STOPPED);
      if (said.isPresent()) {
        String reason = said.get().stopReason();
        return Optional.of("pod " + LogText.escaped(pod) + " (shard " + said.get().shard()
            + ") stopped because"
            + (reason.equals(BLOCKED) ? " the site blocks the run or asks it to wait"
                : " the site gave no answer or only server errors")
            + " (stop_reason " + reason + "): stopping Job " + jobRef + " so that neither a retry"
            + " of the pod nor another shard asks the site now. Run it again later (rows already"
            + " stored are skipped)");
      }
    }
    return Optional.empty();
  }

  private boolean ownJob(Job job) {
    return uid.equals(job.metadata().uid());
  }

  /** The run is over, with this exit code, and has cleaned up. */
  private static final class Ended extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Ended(int exitCode) {
      super(null, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /**
   * Ours, read by name when a watch says it is not there.
   *
   * @throws Ended when it is really gone (exit 4), or the read kept failing (the Job is deleted;
   *     exit 69, or 3 on a refusal)
   */
  private Job stillOurs() throws Ended, InterruptedException, JobHandle.Closed {
    Optional<Job> ours;
    try {
      ours = lookUp();
    } catch (IOException e) {
      boolean temporary = KubeApi.isTransient(e);
      throw new Ended(fail(temporary ? ExitCodes.UNAVAILABLE : ExitCodes.API_REFUSED,
          temporary ? "cannot tell whether Job " + jobRef + " still exists for "
              + JobCreator.seconds(settings.apiPatience()) + ": " + e.getMessage()
              : "cannot read Job " + jobRef + " to tell whether it still exists: "
                  + e.getMessage()));
    }
    if (ours.isEmpty()) {
      throw new Ended(deletedExternally());
    }
    return ours.get();
  }

  /**
   * The Job, read once by name, when it is ours and has ended; empty when it has not, or the read
   * failed (logged).
   */
  private Optional<Job> endedMeanwhile() throws JobHandle.Closed {
    try {
      Job job = handle.lookup(() -> paths.kube().once("GET", paths.job(), null,
          paths.kube().timeout(), Job.class));
      return ownJob(job) && JobConditions.terminal(job) ? Optional.of(job) : Optional.empty();
    } catch (IOException e) {
      LOG.info("cannot read Job {} to see whether it ended: {}", jobRef, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Reads the Job by name: empty only when it is really gone (a {@code 404 NotFound}, or the name
   * holds another Job now, or ours is being deleted). Transient failures (no answer, 5xx, a
   * malformed answer) are retried for the API patience.
   *
   * @throws IOException the last failure, when the API kept failing or refused
   * @throws JobHandle.Closed when a signal arrived meanwhile
   */
  private Optional<Job> lookUp() throws IOException, InterruptedException, JobHandle.Closed {
    Deadline deadline = Deadline.in(settings.apiPatience());
    Duration delay = settings.retryDelay().isZero() ? Duration.ofMillis(10)
        : settings.retryDelay();
    while (true) {
      try {
        Job job = handle.lookup(() -> paths.kube().get(paths.job(), Job.class));
        lastRead = ownJob(job) ? job : lastRead;
        lastSeenAt = ownJob(job) ? clock.instant() : lastSeenAt;
        return ownJob(job) && job.metadata().deletionTimestamp().isEmpty()
            ? Optional.of(job) : Optional.empty();
      } catch (IOException e) {
        if (e instanceof ApiException a && a.isNotFound()) {
          return Optional.empty();
        }
        if (!KubeApi.isTransient(e) || deadline.passed()) {
          throw e;
        }
        LOG.info("cannot read Job {} yet ({}); trying again", jobRef, e.getMessage());
      }
      Duration wait = delay.compareTo(deadline.left()) > 0 ? deadline.left() : delay;
      if (handle.awaitClose(wait)) {
        throw new JobHandle.Closed();
      }
      delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
          : delay.multipliedBy(2);
    }
  }

  private void startWatchers() {
    watchers.add(new ResourceWatcher<>(paths.kube(), paths.jobByName(), Job.class,
        ResourceWatcher.Listener.of(
            items -> queue.add(new RunEvent.JobSynced(items)),
            (type, job) -> queue.add(new RunEvent.JobChanged(type, job)),
            e -> queue.add(new RunEvent.WatchFailed("state", e))),
        "job", settings.retryDelay(), settings.apiPatience(),
        ResourceWatcher.Pacing.REAL));
    watchers.add(new ResourceWatcher<>(paths.kube(), paths.pods(uid), Pod.class,
        ResourceWatcher.Listener.of(
            items -> {
              pods.synced(JobApi.ofJob(items, uid));
              queue.add(new RunEvent.PodsChanged());
            },
            (type, pod) -> {
              if (Pods.ofJob(pod, uid)) {
                pods.changed(type, pod);
                queue.add(new RunEvent.PodsChanged());
              }
            },
            e -> queue.add(new RunEvent.WatchFailed("pods", e))),
        "pods", settings.retryDelay(), settings.apiPatience(),
        ResourceWatcher.Pacing.REAL));
    watchers.forEach(ResourceWatcher::start);
  }

  private void onTick() {
    pods.tick();
    watchers.forEach(ResourceWatcher::closeIfSilent);
  }

  /**
   * Reads the last log lines of the Job's pods, within the drain timeout. The pods are listed
   * afresh first, and those the loop has not seen are followed too (the pods watch may be waiting
   * to reconnect, or its events queued behind the Job's end). While the logs are read, ticks are
   * handled as in the loop, so a follower whose stream dropped asks again at the next one, and
   * pods that start are followed. Ends at once on a signal.
   */
  private void readLastLogs() throws InterruptedException {
    Deadline deadline = Deadline.in(settings.drainTimeout());
    if (!interruption.isInterrupted()) {
      try {
        pods.synced(handle.lookup(() -> paths.listPods(uid)));
      } catch (JobHandle.Closed e) {
        return; // a signal: the report has what was read
      } catch (IOException e) {
        LOG.warn("cannot list the pods of Job {} to read their logs: {}", jobRef, e.getMessage());
      }
    }
    pods.onPods();
    while (!pods.drained() && !deadline.passed()) {
      // A follower that ends queues LogEnded, a signal Interrupted: the wait ends with either.
      RunEvent event = queue.poll(deadline.left().toNanos(), TimeUnit.NANOSECONDS);
      if (event instanceof RunEvent.Interrupted) {
        return;
      } else if (event instanceof RunEvent.Tick t) {
        onTick();
        t.goesOn().complete(true);
      } else if (event instanceof RunEvent.PodsChanged) {
        pods.onPods();
      }
    }
  }

  private void stopFollowing() {
    watchers.forEach(ResourceWatcher::stop);
    pods.stop();
  }

  private int finish(Job job) throws InterruptedException {
    // Logs may still be arriving after the Job's condition flipped; give them a bounded time.
    readLastLogs();
    stopFollowing();
    // The pod watch may lag the Job watch: list once more so the summary has the final states.
    relistPods("summary");
    Summary summary = Summary.of(jobRef, job, pods.seen());
    summary.lines().forEach(l -> status.println("pixiv-launch: " + l));
    verdict.addAll(summary.lines());
    // A Job deleted by someone else after it ended leaves nothing to delete or keep.
    boolean gone = handle.known() == JobHandle.Known.GONE;
    if (gone) {
      interruption.finished();
      return summary.exitCode();
    }
    if (summary.exitCode() == ExitCodes.SUCCESS || !settings.keepOnFailure()) {
      if (!handle.remove(Deadline.in(settings.apiPatience()))) {
        // The Job has ended: nothing runs unwatched, and its TTL removes it.
        status.println("pixiv-launch: could not delete the finished Job " + jobRef + " ("
            + handle.lastProblem() + "); ttlSecondsAfterFinished removes it");
      }
    } else {
      handle.mark(JobHandle.Known.KEPT);
      status.println("pixiv-launch: keeping failed Job " + jobRef
          + " (--keep-on-failure); the cluster removes it after ttlSecondsAfterFinished");
    }
    interruption.finished();
    return summary.exitCode();
  }

  /**
   * Ends a run whose Job may still be running: stops following it and deletes it (unless
   * --keep-on-failure), so nothing runs unwatched; says so when it cannot be deleted.
   */
  private int fail(int exitCode, String message) {
    return fail(exitCode, message, false);
  }

  /**
   * As {@link #fail(int, String)}; when {@code stopTheSiteAsking}, the Job is deleted even with
   * --keep-on-failure (a Job kept would go on asking the site), and the logs of the pods it
   * stopped are read to their final lines, for the report, within the drain timeout.
   */
  private int fail(int exitCode, String message, boolean stopTheSiteAsking) {
    status.println("pixiv-launch: " + message);
    verdict.add(message);
    if (!stopTheSiteAsking) {
      stopFollowing();
    }
    if (interruption.isInterrupted()) {
      stopFollowing();
      return interruption.signalExitCode();
    }
    try {
      if (stopTheSiteAsking) {
        if (handle.remove(Deadline.in(settings.apiPatience()))) {
          readLastLogs(); // a pod that started since the last event is followed too
          relistPods("report");
        } else {
          leftBehind("it could not be deleted (" + handle.lastProblem() + ")");
        }
        stopFollowing();
      } else if (settings.keepOnFailure()) {
        // The Job has not failed (its pods cannot start, or it could not be watched): kept as
        // asked, it may still run, and says so.
        leftBehind("--keep-on-failure kept it for inspection");
      } else if (!handle.remove(Deadline.in(settings.apiPatience()))) {
        leftBehind("it could not be deleted (" + handle.lastProblem() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    interruption.finished();
    return exitCode;
  }

  /**
   * Lists the Job's pods once more, so that the {@code forWhat} has their final states; not
   * after a signal (the report must be out before the JVM exits). A failed list is logged.
   */
  private void relistPods(String forWhat) {
    if (interruption.isInterrupted()) {
      return;
    }
    try {
      pods.record(handle.lookup(() -> paths.listPods(uid)));
    } catch (JobHandle.Closed e) {
      // A signal: the report must be out before the JVM exits.
    } catch (IOException e) {
      LOG.warn("cannot list the Job's pods for the {}: {}", forWhat, e.getMessage());
    }
  }

  /**
   * How the Job ended, when it was deleted after its end ({@link EndBeforeDeletion}): from the
   * last states seen of it (the {@code DELETED} event's object, the last read by name, the watch's
   * latest) and its pods. Empty when it may not have ended: it is then "deleted while it ran".
   */
  private Optional<Job> endedBeforeDeletion() {
    return EndBeforeDeletion.of(seenStates(), pods.seen(), lastSeenOnServer());
  }

  /** The last states seen of ours, most telling first. */
  private List<Job> seenStates() {
    return Stream.of(deletedAs, lastRead, latest).filter(Objects::nonNull).filter(this::ownJob)
        .toList();
  }

  /** When the loop last saw a state of ours, on the server's clock. */
  private Instant lastSeenOnServer() {
    return (lastSeenAt == null ? clock.instant() : lastSeenAt)
        .plus(paths.kube().serverClockAhead());
  }

  /** Whether the Job's active deadline had passed by the time its last state was seen. */
  private boolean deadlineHadPassed() {
    Instant seenAt = lastSeenOnServer();
    return seenStates().stream().anyMatch(j -> EndBeforeDeletion.deadlinePassed(j, seenAt));
  }

  private void leftBehind(String why) {
    status.println("pixiv-launch: Job " + jobRef + " may be running unwatched: " + why
        + ". Run this launch again (the same --name re-attaches to it), or delete it:"
        + " kubectl delete job -n " + jobRef.replace("/", " ")
        + "; else its active deadline ends it and ttlSecondsAfterFinished removes it");
  }

  private int deletedExternally() throws InterruptedException {
    if (interruption.isInterrupted()) {
      return interruption.signalExitCode(); // deleted by the signal's handler
    }
    handle.mark(JobHandle.Known.GONE);
    Optional<Job> ended = endedBeforeDeletion();
    if (ended.isPresent()) {
      // Another launch of the same --name (a retry while this one ran) deletes the Job it saw
      // end: the outcome is the Job's, not "deleted while it ran".
      String line = "Job " + jobRef + " was deleted by someone else after it ended";
      status.println("pixiv-launch: " + line);
      verdict.add(line);
      return finish(ended.get());
    }
    String line = "Job " + jobRef + " was deleted by someone else while it ran";
    if (deadlineHadPassed()) {
      line = "Job " + jobRef + " was deleted by someone else after its active deadline had passed,"
          + " before it was seen to complete or fail; how it ended is not known";
    }
    status.println("pixiv-launch: " + line);
    verdict.add(line);
    interruption.finished();
    return ExitCodes.DELETED_EXTERNALLY;
  }
}

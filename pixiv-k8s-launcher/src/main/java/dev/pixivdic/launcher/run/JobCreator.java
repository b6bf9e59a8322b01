package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.Job;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.kube.ApiConnectionException;
import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.KubeApi;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Creates the Job, or finds the one this launch already made. Creating is idempotent: the name is
 * deterministic, so a create whose answer was lost and is sent again answers 409, and a Job of
 * that name carrying this launch's labels and spec hash is ours.
 *
 * <p>Transient failures (no answer, 429 after its {@code Retry-After}, 5xx) are retried with
 * backoff until the patience runs out. A create that got no answer may have made the Job: the
 * {@link JobHandle} records that, and before giving up the Job is looked up by name and followed
 * when it is there. The waits end at once on a signal. The loop is written out rather than left to
 * a retry library because each attempt's outcome changes what a signal must clean up.
 */
final class JobCreator {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private final KubeApi api;
  private final JobHandle handle;
  private final String jobsPath;
  private final String jobPath;
  private final ObjectNode manifest;
  private final String jobRef;
  private final PrintStream status;
  private final Duration retryDelay;
  private final Duration patience;
  /** Why the last attempt did not create the Job, for messages. */
  private String problem = "";

  JobCreator(
      KubeApi api,
      JobHandle handle,
      String jobsPath,
      ObjectNode manifest,
      PrintStream status,
      Duration retryDelay,
      Duration patience) {
    this.api = api;
    this.handle = handle;
    this.jobsPath = jobsPath;
    this.manifest = manifest;
    String name = manifest.path("metadata").path("name").asText();
    this.jobPath = jobsPath + "/" + name;
    this.jobRef = handle.jobRef();
    this.status = status;
    this.retryDelay = retryDelay.isZero() ? Duration.ofMillis(10) : retryDelay;
    this.patience = patience;
  }

  /**
   * Creates the Job. If one of that name exists and carries this launch's labels, it is ours: a
   * running or complete Job is re-attached to, a failed one is deleted and created afresh (a retry
   * must not just report the old failure again), one being deleted is waited for.
   *
   * @throws LaunchFailure when the API server refused for good ({@link ExitCodes#API_REFUSED}) or
   *     kept failing for the whole patience ({@link ExitCodes#UNAVAILABLE})
   * @throws JobHandle.Closed when a signal arrived
   */
  Job create() throws LaunchFailure, JobHandle.Closed, InterruptedException {
    Deadline deadline = Deadline.in(patience);
    Duration backoff = retryDelay;
    boolean unknown = false; // an attempt got no answer: the Job may exist
    while (true) {
      Optional<Duration> asked = Optional.empty();
      boolean earlier = unknown;
      try {
        Job created = handle.request(() -> {
          handle.mark(JobHandle.Known.MAYBE);
          try {
            return api.post(jobsPath + "?fieldValidation=Strict", manifest, Job.class);
          } catch (IOException e) {
            // Before the request counts as ended: a signal waiting for it sees what it left.
            boolean maybe = earlier || mayHaveCreated(e);
            handle.mark(maybe ? JobHandle.Known.MAYBE : JobHandle.Known.NOTHING);
            throw e;
          }
        });
        handle.exists(created);
        status.println("pixiv-launch: created Job " + jobRef);
        return created;
      } catch (ApiException e) {
        if (e.status() == 409) {
          Optional<Job> existing = existing(unknown);
          if (existing.isPresent()) {
            return existing.get();
          }
          unknown = handle.known() == JobHandle.Known.MAYBE;
        } else if (e.isTransient()) {
          unknown |= mayHaveCreated(e);
          asked = e.retryAfter();
          problem = e.getMessage();
        } else {
          handle.mark(unknown ? JobHandle.Known.MAYBE : JobHandle.Known.NOTHING);
          throw new LaunchFailure(
              ExitCodes.API_REFUSED,
              "the API server refused to create Job " + jobRef + ": " + e.getMessage());
        }
      } catch (ApiConnectionException e) {
        unknown |= mayHaveCreated(e);
        problem = e.getMessage();
        if (!e.isTransient()) {
          handle.mark(unknown ? JobHandle.Known.MAYBE : JobHandle.Known.NOTHING);
          throw new LaunchFailure(
              ExitCodes.API_REFUSED, "cannot create Job " + jobRef + ": " + problem);
        }
      } catch (IOException e) {
        // Credentials that cannot be had (a failing exec plugin, an unreadable token file).
        handle.mark(unknown ? JobHandle.Known.MAYBE : JobHandle.Known.NOTHING);
        throw new LaunchFailure(
            ExitCodes.API_REFUSED, "cannot create Job " + jobRef + ": " + e.getMessage());
      }
      handle.mark(unknown ? JobHandle.Known.MAYBE : JobHandle.Known.NOTHING);
      if (handle.awaitClose(Duration.ZERO)) {
        throw new JobHandle.Closed(); // a signal ended the attempt: no "trying again"
      }
      Duration left = deadline.left();
      if (left.isZero()) {
        return giveUp(unknown);
      }
      Duration wait = asked.orElse(backoff);
      wait = wait.compareTo(left) > 0 ? left : wait;
      status.println(
          "pixiv-launch: cannot create Job "
              + jobRef
              + " yet ("
              + problem
              + "); trying again in "
              + seconds(wait));
      if (handle.awaitClose(wait)) {
        throw new JobHandle.Closed();
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /**
   * Whether a create that failed with {@code e} may have made the Job: it got no answer after it
   * was sent, or a 5xx (which may come after the Job was stored), or a 409 (a Job of the name,
   * maybe ours, exists).
   */
  private static boolean mayHaveCreated(IOException e) {
    if (e instanceof ApiException a) {
      return a.status() == 409 || (a.isTransient() && a.status() != 429);
    }
    return e instanceof ApiConnectionException c && c.mayHaveArrived();
  }

  /**
   * After a 409: reads the Job of our name. Ours and usable: re-attach. Ours and failed: delete
   * it so the next create starts afresh. Ours and being deleted, or gone meanwhile: empty, create
   * again. Not ours: a conflict the user must resolve.
   */
  private Optional<Job> existing(boolean unknown) throws LaunchFailure, JobHandle.Closed {
    Job existing;
    try {
      existing = handle.request(() -> api.get(jobPath, Job.class));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      if (!e.isTransient()) {
        throw new LaunchFailure(
            ExitCodes.API_REFUSED,
            "Job " + jobRef + " already exists and cannot be read: " + e.getMessage());
      }
      problem = "Job " + jobRef + " already exists and cannot be read: " + e.getMessage();
      handle.mark(JobHandle.Known.MAYBE);
      return Optional.empty();
    } catch (IOException e) {
      problem = "Job " + jobRef + " already exists and cannot be read: " + e.getMessage();
      handle.mark(JobHandle.Known.MAYBE);
      return Optional.empty();
    }
    if (!handle.ours(existing)) {
      handle.mark(JobHandle.Known.NOTHING);
      throw new LaunchFailure(ExitCodes.API_REFUSED, "a different Job named " + jobRef
          + " already exists (labels " + String.join(", ", handle.differingLabels(existing))
          + "); delete it or choose another --name");
    }
    boolean deleting = !existing.metadata().deletionTimestamp().isEmpty();
    boolean failed = failed(existing);
    if (!deleting && !failed) {
      handle.exists(existing);
      String uid = existing.metadata().uid();
      status.println(
          unknown
              ? "pixiv-launch: found Job "
                  + jobRef
                  + " (uid "
                  + uid
                  + "): an earlier create request made it"
                  + " though its answer was lost; following it"
              : "pixiv-launch: re-attached to existing Job "
                  + jobRef
                  + " (same launch, uid "
                  + uid
                  + ")");
      return Optional.of(existing);
    }
    problem = "Job " + jobRef + " from a previous attempt is still being deleted";
    if (!deleting) {
      status.println(
          "pixiv-launch: the previous attempt's Job "
              + jobRef
              + " failed; deleting it to start afresh");
      handle.exists(existing);
      try {
        // Only that Job, by its uid: a Job someone made under the name since the read stays.
        handle.request(() -> {
          api.deleteOnce(jobPath, existing.metadata().uid(), api.timeout());
          return null;
        });
        handle.mark(JobHandle.Known.NOTHING);
      } catch (ApiException e) {
        // 409: the uid precondition failed, another Job holds the name now; the next create
        // meets it and checks whose it is.
        boolean gone = e.isNotFound() || e.status() == 409;
        if (!gone && !e.isTransient()) {
          throw new LaunchFailure(
              ExitCodes.API_REFUSED,
              "cannot delete the failed Job " + jobRef + ": " + e.getMessage());
        }
        handle.mark(gone ? JobHandle.Known.NOTHING : JobHandle.Known.MAYBE);
      } catch (IOException e) {
        handle.mark(JobHandle.Known.MAYBE);
      }
    } else {
      handle.mark(JobHandle.Known.NOTHING); // someone is deleting it; nothing of ours to clean up
    }
    return Optional.empty();
  }

  /** Whether {@code job} failed; FailureTarget: failed, its pods still being stopped. */
  private static boolean failed(Job job) {
    return job.condition("Failed").isPresent() || job.condition("FailureTarget").isPresent();
  }

  /**
   * The patience is spent. When an attempt may have made the Job, look it up once more, with one
   * request within the request's time limit (so the launch ends near its patience), and follow
   * it when it is ours. Without an answer the handle stays at {@link JobHandle.Known#MAYBE}; when
   * ours has failed, the handle {@linkplain JobHandle.Known#EXISTS knows it}, for the run to
   * remove.
   */
  private Job giveUp(boolean unknown) throws LaunchFailure, JobHandle.Closed {
    String why =
        "gave up creating Job "
            + jobRef
            + " after "
            + seconds(patience)
            + " of transient failures;"
            + " last: "
            + problem;
    if (unknown) {
      try {
        Job job = handle.request(() -> api.once("GET", jobPath, null, api.timeout(), Job.class));
        boolean usable = handle.ours(job) && job.metadata().deletionTimestamp().isEmpty();
        if (usable && failed(job)) {
          // Made by a create whose answer was lost, or left by an earlier attempt: the run
          // removes it (or keeps it, --keep-on-failure) as it would any failed Job.
          handle.exists(job);
          throw new LaunchFailure(ExitCodes.UNAVAILABLE, why + "; Job " + jobRef + " (uid "
              + job.metadata().uid() + "), made by an earlier create request or attempt, has"
              + " failed");
        }
        if (usable) {
          handle.exists(job);
          status.println(
              "pixiv-launch: found Job "
                  + jobRef
                  + " (uid "
                  + job.metadata().uid()
                  + "): an earlier create request made it though its answer was lost; following"
                  + " it");
          return job;
        }
        handle.mark(JobHandle.Known.NOTHING);
      } catch (IOException e) {
        if (e instanceof ApiException a && a.isNotFound()) {
          handle.mark(JobHandle.Known.NOTHING);
        } else {
          why += "; looking the Job up once more (within " + seconds(api.timeout())
              + ") failed too: " + e.getMessage();
        }
      }
    }
    throw new LaunchFailure(ExitCodes.UNAVAILABLE, why);
  }

  /** {@code 20s} (rounded to the second) from a second up, {@code 250ms} below. */
  static String seconds(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : Math.round(d.toMillis() / 1000.0) + "s";
  }
}

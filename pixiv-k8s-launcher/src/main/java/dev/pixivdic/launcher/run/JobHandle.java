package dev.pixivdic.launcher.run;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.Daemons;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.manifest.ManifestBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the launcher knows about its Job, and the one way to remove it. Every way out of a run goes
 * through {@link #remove}: the Job is deleted (by name, with its uid as a precondition) when it
 * exists, looked up by name first when a create may have made it, and left alone when it was never
 * created or belongs to someone else.
 *
 * <p>Requests whose outcome changes what there is to remove (creates, lookups) run through
 * {@link #request}. Once {@link #close} is called (a signal) no new one starts, and {@code close}
 * waits, within a bound, for those in flight, so their outcome is known before the cleanup starts.
 * Thread-safe; one removal runs at a time and a second caller waits for it.
 */
final class JobHandle {
  /** What is known of the Job. */
  enum Known {
    /** No create was sent, or every one was refused. */
    NOTHING,
    /** A create got no answer (or a 5xx): the Job may exist. */
    MAYBE,
    /** The Job exists; its uid is known. */
    EXISTS,
    /** Deleted, by us or by someone else. */
    GONE,
    /** Finished and kept on purpose ({@code --keep-on-failure}). */
    KEPT
  }

  /** A request made through the handle. */
  interface Request<T> {
    T send() throws IOException;
  }

  /** The handle was closed by a signal: no new request starts. */
  static final class Closed extends Exception {
    private static final long serialVersionUID = 1L;

    Closed() {
      super("interrupted");
    }
  }

  private final KubeApi api;
  private final String jobPath;
  private final String jobRef;
  /** The launch's own labels, by key. */
  private final Map<String, String> labels;
  private final PrintStream status;
  private final Duration retryDelay;
  private final ReentrantLock removing = new ReentrantLock();
  private Known known = Known.NOTHING;
  private String uid = "";
  private int inFlight;
  /** Threads waiting for a {@link #lookup}'s answer, which {@link #close} interrupts. */
  private final Set<Thread> lookingUp = new HashSet<>();
  private boolean closed;
  private String lastProblem = "";

  /**
   * @param jobPath the Job's path, {@code /apis/batch/v1/namespaces/NS/jobs/NAME}
   * @param labels the labels the Job is sent with, which tell ours from another of its name
   * @param status where "deleted Job" goes
   */
  JobHandle(KubeApi api, String jobPath, String jobRef, Map<String, String> labels,
      PrintStream status, Duration retryDelay) {
    this.api = requireNonNull(api, "api");
    this.jobPath = requireNonNull(jobPath, "jobPath");
    this.jobRef = requireNonNull(jobRef, "jobRef");
    this.labels = Map.copyOf(labels);
    this.status = requireNonNull(status, "status");
    this.retryDelay = retryDelay.isZero() ? Duration.ofMillis(10) : retryDelay;
  }

  String jobRef() {
    return jobRef;
  }

  /**
   * Runs {@code r} unless the handle is closed, counting it in flight meanwhile.
   *
   * @throws Closed when a signal closed the handle before the request started
   */
  <T> T request(Request<T> r) throws IOException, Closed {
    synchronized (this) {
      if (closed) {
        throw new Closed();
      }
      inFlight++;
    }
    try {
      return r.send();
    } finally {
      synchronized (this) {
        inFlight--;
        notifyAll();
      }
    }
  }

  /**
   * Runs a read whose answer does not change what there is to remove (the Job's uid is known):
   * a read of the Job by name, of its pods or its events while it is followed. Unlike
   * {@link #request}, a signal does not wait for it: {@link #close} interrupts the thread waiting
   * for its answer, so the run reaches its signal handling at once instead of at the read's time
   * limit (a server that took the connection and never answers).
   *
   * @throws Closed when a signal closed the handle before the read started or while it ran
   */
  <T> T lookup(Request<T> r) throws IOException, Closed {
    Thread self = Thread.currentThread();
    synchronized (this) {
      if (closed) {
        throw new Closed();
      }
      lookingUp.add(self);
    }
    T answer;
    try {
      answer = r.send();
    } catch (IOException | RuntimeException e) {
      if (leave(self)) {
        throw new Closed();
      }
      throw e;
    }
    if (leave(self)) {
      throw new Closed();
    }
    return answer;
  }

  /**
   * Ends a lookup of {@code self}; whether the handle was closed meanwhile, when the interrupt
   * {@link #close} may have sent has been cleared (it was meant for the lookup alone).
   */
  private synchronized boolean leave(Thread self) {
    lookingUp.remove(self);
    if (closed) {
      Thread.interrupted();
    }
    return closed;
  }

  synchronized void exists(Job job) {
    known = Known.EXISTS;
    uid = job.metadata().uid();
  }

  synchronized void mark(Known k) {
    if (k == Known.EXISTS) {
      throw new IllegalArgumentException("use exists(job)");
    }
    known = k;
  }

  synchronized Known known() {
    return known;
  }

  /** Why the last removal could not finish, for messages. */
  synchronized String lastProblem() {
    return lastProblem;
  }

  /**
   * Whether {@code job} carries this launch's labels: a Job this launch (or a retry of it) created.
   */
  boolean ours(Job job) {
    return differingLabels(job).isEmpty();
  }

  /** The labels of {@code job} that differ from ours, for a conflict message. */
  List<String> differingLabels(Job job) {
    Map<String, String> have = job.metadata().labels();
    List<String> differ = new ArrayList<>();
    for (String key : List.of(ManifestBuilder.LABEL_MANAGED_BY, ManifestBuilder.LABEL_LAUNCH,
        ManifestBuilder.LABEL_SPEC_HASH)) {
      String expected = labels.getOrDefault(key, "");
      if (!expected.equals(have.getOrDefault(key, ""))) {
        differ.add(key + "=" + have.getOrDefault(key, "(none)") + " (expected " + expected + ")");
      }
    }
    return differ;
  }

  /**
   * Waits {@code d}, or less when the handle is closed meanwhile.
   *
   * @return whether the handle is closed
   */
  synchronized boolean awaitClose(Duration d) throws InterruptedException {
    Deadline deadline = Deadline.in(d);
    while (!closed && !deadline.passed()) {
      TimeUnit.NANOSECONDS.timedWait(this, deadline.left().toNanos());
    }
    return closed;
  }

  /**
   * Lets no new request start and waits until those in flight have ended or the deadline passed.
   * Lookups ({@link #lookup}) are not waited for: they are interrupted. A request still waiting
   * for its credentials (an exec plugin that runs) ends at once, unsent: its plugin is stopped; so
   * does a create still connecting (its body never sent).
   *
   * @return whether no request is in flight any more
   */
  synchronized boolean close(Deadline deadline) throws InterruptedException {
    closed = true;
    notifyAll();
    // A lookup's answer changes nothing to remove: it ends now instead of at its time limit.
    lookingUp.forEach(Thread::interrupt);
    api.cluster().credentials().stop();
    // A create still connecting was never sent: it ends now instead of at its connect timeout.
    api.abandonUnsentCreates();
    while (inFlight > 0) {
      if (deadline.passed()) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, deadline.left().toNanos());
    }
    return true;
  }

  /**
   * Makes sure the Job is gone: deletes it when it exists, looks it up first when a create may
   * have made it. Transient failures (no answer, 429, 5xx) are retried until {@code deadline}.
   * A caller arriving while another removal runs waits for it (until the deadline) and then sees
   * its result. An exec plugin still running for the removal's requests at the deadline is
   * stopped, so the removal ends then.
   *
   * @return true when the Job is gone, was never created, is not ours, or was kept on purpose;
   *     false when it may still exist ({@link #lastProblem()} says why)
   */
  boolean remove(Deadline deadline) throws InterruptedException {
    if (!removing.tryLock(deadline.left().toNanos(), TimeUnit.NANOSECONDS)) {
      return settled();
    }
    // The requests' own limits end within the deadline; a plugin fetching their token does not.
    Thread watchdog = Daemons.thread(() -> {
      try {
        Thread.sleep(deadline.left().toMillis());
        api.cluster().credentials().stop();
      } catch (InterruptedException e) {
        // The removal ended first.
      }
    }, "job-removal-deadline");
    watchdog.start();
    try {
      Duration delay = retryDelay;
      while (true) {
        Known k;
        String id;
        synchronized (this) {
          k = known;
          id = uid;
        }
        if (k != Known.MAYBE && k != Known.EXISTS) {
          return true;
        }
        Duration left = deadline.left();
        if (left.isZero()) {
          return false;
        }
        Duration limit = left.compareTo(api.timeout()) < 0 ? left : api.timeout();
        Duration wait = delay;
        try {
          if (k == Known.MAYBE) {
            Job job = api.once("GET", jobPath, null, limit, Job.class);
            if (ours(job)) {
              exists(job);
            } else {
              mark(Known.NOTHING); // another Job holds the name, so none of our creates made one
            }
            continue;
          }
          api.deleteOnce(jobPath, id, limit);
          status.println("pixiv-launch: deleted Job " + jobRef);
          mark(Known.GONE);
          return true;
        } catch (ApiException e) {
          if (e.isNotFound() || (e.status() == 409 && k == Known.EXISTS)) {
            // 404: already gone. 409 on delete: the uid precondition failed, the name is another
            // Job's now.
            mark(k == Known.MAYBE ? Known.NOTHING : Known.GONE);
            return true;
          }
          problem(e.getMessage());
          if (!e.isTransient()) {
            return false;
          }
          wait = e.retryAfter().orElse(delay);
        } catch (IOException e) {
          problem(e.getMessage());
          if (!KubeApi.isTransient(e)) {
            return false;
          }
        }
        Thread.sleep(Math.min(wait.toMillis(), deadline.left().toMillis()));
        delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
            : delay.multipliedBy(2);
      }
    } finally {
      watchdog.interrupt();
      removing.unlock();
    }
  }

  private synchronized boolean settled() {
    return known != Known.MAYBE && known != Known.EXISTS;
  }

  private synchronized void problem(String message) {
    lastProblem = message;
  }
}

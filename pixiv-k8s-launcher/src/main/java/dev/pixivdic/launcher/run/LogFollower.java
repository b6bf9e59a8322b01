package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.Daemons;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.Pod;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log of one pod's container until the container has finished and the stream has
 * ended, or the pod is gone. A dropped stream is reopened with {@code sinceTime} and replayed
 * lines are dropped; a stream silent for longer than the idle timeout is closed and reopened
 * (the runner's ticks check it). After an early end or "waiting to start", the follower waits for
 * the pod to change or for the next tick before asking again; after a 429, for at least its
 * {@code Retry-After} and a backoff that grows while the 429s last. A 401 or 403 ends following
 * (asking again would not change it). Each line printed is also handed,
 * with the pod's name, to a listener (the Job report looks for the final line). Thread-safe.
 */
final class LogFollower {
  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
  /** The first wait after a 429 that names none longer; doubled while the 429s last. */
  static final Duration THROTTLED_FIRST = Duration.ofSeconds(2);

  private final KubeApi api;
  private final String namespace;
  private final String pod;
  /** The pod's name as the log shows it: a server's control characters escaped. */
  private final String shown;
  private final String prefix;
  private final String container;
  private final LinePrinter printer;
  private final Clock clock;
  private final Duration idleTimeout;
  private final Supplier<Optional<Pod>> latest;
  private final BiConsumer<String, String> lines;
  private final Runnable ended;
  private final Consumer<IOException> broken;
  private final LogDedup dedup = new LogDedup();
  /** Follower thread only, as is {@link #warnedThrottled}. */
  private final Backoff throttled =
      new Backoff(THROTTLED_FIRST, KubeApi.MAX_RETRY_AFTER, Math::random);
  private boolean warnedThrottled;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean done;
  private volatile InputStream current;
  private volatile Instant lastActivity;
  private boolean wake;

  LogFollower(KubeApi api, String namespace, Pod pod, LinePrinter printer, Clock clock,
      Duration idleTimeout, Supplier<Optional<Pod>> latest, BiConsumer<String, String> lines,
      Runnable ended, Consumer<IOException> broken) {
    this.api = api;
    this.namespace = namespace;
    this.pod = Pods.name(pod);
    this.shown = Pods.shown(pod);
    this.prefix = "[" + LogText.escaped(Pods.index(pod)) + "/" + Pods.shown(pod) + "] ";
    this.container = Pods.containerName(pod);
    this.printer = printer;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.latest = latest;
    this.lines = lines;
    this.ended = ended;
    this.broken = broken;
    this.thread = Daemons.thread(this::follow, "logs-" + Pods.shown(pod));
  }

  void start() {
    thread.start();
  }

  /** Stops following now (the run is over); does not wait. */
  void stop() {
    stopped = true;
    closeCurrent();
    wake();
  }

  /** Lets a waiting follower try again (the pod changed, or a tick passed). */
  synchronized void wake() {
    wake = true;
    notifyAll();
  }

  /** Closes a stream that has been silent for longer than the idle timeout. */
  void checkIdle(Instant now) {
    Instant last = lastActivity;
    if (current != null && last != null && now.isAfter(last.plus(idleTimeout))) {
      LOG.warn("log stream of pod {} silent since {}; reconnecting", shown, last);
      lastActivity = null;
      closeCurrent();
    }
  }

  private void closeCurrent() {
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("closing the log stream of {}: {}", shown, e.toString());
      }
    }
  }

  private boolean podFinished() {
    return latest.get().map(Pods::finished).orElse(true);
  }

  private void follow() {
    try {
      Instant since = null;
      while (!stopped) {
        try {
          streamOnce(since);
          if (podFinished()) {
            return;
          }
          LOG.info("log stream of pod {} ended while the pod runs; reconnecting", shown);
          awaitWake();
        } catch (ApiException e) {
          if (e.status() == 404) {
            LOG.info("pod {} is gone; its log ends here", shown);
            return;
          }
          if (e.status() == 401 || e.status() == 403) {
            // A refusal that asking again every second will not change (a token that expired at
            // the wrong moment was already fetched afresh and sent again by KubeApi): said once,
            // and the Job is followed without this pod's log (its final line is missing from the
            // report).
            LOG.warn("cannot read the log of pod {}: {}; {}; following the Job without it",
                shown,
                e.getMessage(), e.status() == 401
                    ? "the API server refused the launcher's credentials, also fetched afresh"
                        + " (docs/launcher.md, Authentication)"
                    : "the launcher's account needs get on pods/log (docs/launcher.md, RBAC)");
            return;
          }
          Optional<Pod> now = latest.get();
          if (now.isEmpty() || (Pods.finished(now.get()) && !Pods.started(now.get()))) {
            // Gone, or finished without ever running (image pull failure): no log to wait for.
            return;
          }
          if (e.status() == 429) {
            awaitThrottle(e);
          } else {
            if (e.status() != 400) {
              LOG.warn("cannot read the log of pod {}: {}", shown, e.getMessage());
            }
            awaitWake();
          }
        } catch (IOException e) {
          if (stopped) {
            return;
          }
          LOG.info("log stream of pod {} dropped ({}); reconnecting", shown, e.getMessage());
          // At the next tick (or pod change) at the latest, so an unreachable API is not hammered;
          // the idle watchdog wakes us right after closing a stalled stream.
          awaitWake();
        }
        since = dedup.reconnecting();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // A bug (or out of memory): said, and reported as the run's failure, not lost with the
      // thread.
      LOG.error("following the log of pod {} failed", shown, e);
      if (!stopped) {
        broken.accept(ResourceWatcher.Bug.of("following the log of pod " + pod, e));
      }
    } finally {
      current = null;
      done = true; // before the listener hears of it, so that it finds this one ended
      if (!stopped) {
        ended.run();
      }
    }
  }

  private void streamOnce(Instant since) throws IOException {
    String path = "/api/v1/namespaces/" + namespace + "/pods/" + JobApi.segment(pod)
        + "/log?container=" + URLEncoder.encode(container, StandardCharsets.UTF_8)
        + "&follow=true&timestamps=true" + (since == null ? ""
            : "&sinceTime=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8));
    InputStream in = api.stream(path);
    current = in;
    throttled.reset();
    lastActivity = clock.instant();
    if (stopped) {
      in.close();
      return;
    }
    LineSplitter lines = new LineSplitter(this::line);
    try (in) {
      byte[] buffer = new byte[16 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        lastActivity = clock.instant();
        lines.feed(buffer, 0, n);
      }
      lines.flush();
    } finally {
      current = null;
    }
  }

  private void line(String raw) {
    Instant ts = null;
    String content = raw;
    int space = raw.indexOf(' ');
    if (space > 0) {
      try {
        ts = Instant.parse(raw.substring(0, space));
        content = raw.substring(space + 1);
      } catch (DateTimeParseException e) {
        ts = null; // a line the kubelet did not stamp: print it as is
      }
    } else if (raw.endsWith("Z")) {
      try {
        ts = Instant.parse(raw);
        content = "";
      } catch (DateTimeParseException e) {
        ts = null;
      }
    }
    if (dedup.accept(ts)) {
      printer.print(prefix, content);
      lines.accept(pod, content);
    }
  }

  /**
   * Waits after a 429 for the server's {@code Retry-After} and at least the next backoff, so a
   * throttled API server is not asked at every tick. Warned of once per pod.
   */
  private void awaitThrottle(ApiException e) throws InterruptedException {
    Duration backoff = throttled.next();
    Duration wait = e.retryAfter().filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff);
    Instant until = clock.instant().plus(wait);
    long seconds = (wait.toMillis() + 999) / 1000;
    if (!warnedThrottled) {
      warnedThrottled = true;
      LOG.warn("the API server is throttling log requests of pod {} ({}); asking again in {}s,"
          + " less often while it lasts (said once)", shown, e.getMessage(), seconds);
    } else {
      LOG.debug("log request of pod {} throttled again; asking again in {}s", shown, seconds);
    }
    do {
      awaitWake(); // a tick or a change of the pod: the clock is looked at again
    } while (!stopped && clock.instant().isBefore(until));
  }

  private synchronized void awaitWake() throws InterruptedException {
    while (!wake && !stopped) {
      wait();
    }
    wake = false;
  }

  /** Whether following has ended (the log read to its end, given up, or stopped). */
  boolean ended() {
    return done;
  }
}

package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.Daemons;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.ObjectList;
import dev.pixivdic.launcher.kube.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists then watches a collection: reconnects from the last resourceVersion when a watch ends or
 * drops, follows bookmarks, and lists again when the server answers 410 Gone (as a status or as
 * an in-stream ERROR event), when a watch ended early without an event, and after {@link
 * #RELIST_AFTER} failed watches in a row (as client-go's reflector does: a watch that keeps
 * failing says nothing of the state, a list does). Transient failures (no answer, 429, 5xx)
 * are retried until they have lasted the patience without a success in between (a list after
 * failed watches is none); a refusal (401, 403, 404) ends the watch at
 * once. A watch that ended early (at once, or with a few events) is reopened after a growing,
 * jittered wait ({@link Backoff}, at most {@link #MAX_WAIT}), which starts again from the first
 * delay after a watch that brought events or stayed open {@link #HEALTHY long enough}. Runs on its
 * own daemon thread; reports to a {@link Listener}.
 */
final class ResourceWatcher<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceWatcher.class);

  interface Listener<T> {
    /** A fresh list: the complete current state. */
    void synced(List<T> items);

    void changed(String type, T object);

    /**
     * The watch cannot continue: permission refused, or the API unreachable for the whole
     * patience; {@code e} is the last failure.
     */
    void failed(IOException e);

    /** A listener made of three callbacks, in the order of the methods above. */
    static <T> Listener<T> of(Consumer<List<T>> synced, BiConsumer<String, T> changed,
        Consumer<IOException> failed) {
      return new Listener<>() {
        @Override
        public void synced(List<T> items) {
          synced.accept(items);
        }

        @Override
        public void changed(String type, T object) {
          changed.accept(type, object);
        }

        @Override
        public void failed(IOException e) {
          failed.accept(e);
        }
      };
    }
  }

  /** The longest wait between two watches. */
  static final java.time.Duration MAX_WAIT = java.time.Duration.ofSeconds(30);
  /**
   * A watch that stayed open this long was healthy: the backoff starts again from its first delay
   * and the next watch opens at once (the server ends watches after their timeoutSeconds).
   */
  static final java.time.Duration HEALTHY = java.time.Duration.ofSeconds(10);
  /**
   * Failed watches in a row after which the collection is listed again before the next watch; a
   * list after failed watches is no success of the watch: the patience still runs.
   */
  static final int RELIST_AFTER = 3;
  /** How long the server is asked to keep a watch open. */
  static final java.time.Duration WATCH_LENGTH = java.time.Duration.ofMinutes(5);
  /**
   * A watch that brought nothing for this long (no event, no bookmark, no end from the server,
   * which ends it after {@link #WATCH_LENGTH}) is a dead connection, cut by a proxy or NAT
   * without a word: it is closed and opened again from the last resourceVersion.
   */
  static final java.time.Duration SILENCE = WATCH_LENGTH.plusSeconds(30);

  /** How the watcher waits and tells time; tests record the waits instead of sleeping. */
  interface Pacing {
    Pacing REAL = new Pacing() {};

    default void sleep(java.time.Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis());
    }

    default long nanoTime() {
      return System.nanoTime();
    }

    default java.util.function.DoubleSupplier random() {
      return Math::random;
    }

    /** Told each time a watch is open and held, so that it can be closed (tests wait for it). */
    default void opened() {}
  }

  private final KubeApi api;
  private final String listPath;
  private final Class<T> type;
  private final Listener<T> listener;
  private final Thread thread;
  private final java.time.Duration patience;
  private final Pacing pacing;
  private final Backoff backoff;
  private volatile boolean stopped;
  private volatile InputStream current;
  private volatile long heardAt;
  private String resourceVersion;
  /** Whether the next list follows failed watches (watcher thread only). */
  private boolean relisting;

  /**
   * @param listPath collection path with its selector query, e.g. {@code
   *     /api/v1/namespaces/x/pods?labelSelector=...}
   * @param patience how long transient failures may last before the watch gives up
   * @param pacing how it waits and tells time: {@link Pacing#REAL}, or a test's record
   */
  ResourceWatcher(
      KubeApi api,
      String listPath,
      Class<T> type,
      Listener<T> listener,
      String name,
      java.time.Duration retryDelay,
      java.time.Duration patience,
      Pacing pacing) {
    this.api = api;
    this.patience = patience;
    this.pacing = pacing;
    this.backoff = new Backoff(retryDelay, MAX_WAIT, pacing.random());
    this.listPath = listPath;
    this.type = type;
    this.listener = listener;
    this.thread = Daemons.thread(this::watch, "watch-" + name);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("closing watch: {}", e.toString());
      }
    }
  }

  /**
   * Closes the open watch when it has been silent for {@link #SILENCE}, so that the watcher opens
   * it again; called from the runner's ticks. Returns whether it closed one.
   */
  boolean closeIfSilent() {
    InputStream in = current;
    if (in == null || stopped || pacing.nanoTime() - heardAt < SILENCE.toNanos()) {
      return false;
    }
    LOG.info("the watch of {} brought nothing for {}; opening it again", listPath,
        SILENCE.toSeconds() + "s");
    try {
      in.close();
    } catch (IOException e) {
      LOG.debug("closing a silent watch: {}", e.toString());
    }
    return true;
  }

  /** A bug in a watcher, reported as its failure: an internal error, not the API's. */
  static final class Bug extends IOException {
    private static final long serialVersionUID = 1L;

    Bug(String message, Throwable cause) {
      super(message, cause);
    }

    /**
     * {@code what} (a watch, a log follower) stopped on {@code e}. Not the exception's message:
     * it is a bug's, and may quote what it was given.
     */
    static Bug of(String what, Throwable e) {
      return new Bug(what + " stopped on an unexpected " + e.getClass().getSimpleName()
          + " (the log has its stack trace)", e);
    }
  }

  /** The watcher's thread: the loop, and a bug in it reported as a failure, never a hang. */
  private void watch() {
    try {
      loop();
    } catch (RuntimeException | Error e) {
      // An Error too (out of memory, a stack overflow): the thread would die without a word and
      // the run wait for it forever.
      LOG.error("the watch of {} failed", listPath, e);
      if (!stopped) {
        listener.failed(Bug.of("the watch of " + listPath, e));
      }
    }
  }

  private void loop() {
    int failures = 0;
    Deadline giveUp = null; // set by the first failure after a success
    IOException last = null;
    while (!stopped) {
      long opened = pacing.nanoTime();
      try {
        if (resourceVersion == null) {
          list();
          failures = relisting ? failures : 0;
          relisting = false;
        }
        opened = pacing.nanoTime();
        boolean any = watchOnce();
        if (lived(opened)) {
          backoff.reset();
          failures = 0;
          continue; // a healthy watch the server ended: reopen at once
        }
        if (!any) {
          if (stopped) {
            return;
          }
          // Ended early with nothing in it: a failure, so a misbehaving server is not hammered,
          // and a reason to list again, as the watch may never tell what the list does.
          relistBeforeNextWatch();
          throw new IOException("the watch of " + listPath + " ended early without an event");
        }
        // Events, then an early end: progress, so the backoff starts again, but still a wait
        // before the next watch, as a server ending every watch at once is not hammered either.
        failures = 0;
        backoff.reset();
        pause(backoff.next());
      } catch (ApiException e) {
        if (e.status() == 410) {
          LOG.info("watch expired (410 Gone); listing again");
          resourceVersion = null;
          if (!lived(opened)) {
            pause(backoff.next()); // a server that expires every watch at once is not hammered
          }
          continue;
        }
        if (!e.isTransient()) {
          if (!stopped) {
            listener.failed(e);
          }
          return;
        }
        last = e;
        giveUp = failures == 0 ? Deadline.in(patience) : giveUp;
        failures = failed(failures, e, opened);
      } catch (IOException e) {
        if (!KubeApi.isTransient(e)) {
          if (!stopped) {
            listener.failed(e);
          }
          return;
        }
        last = e;
        giveUp = failures == 0 ? Deadline.in(patience) : giveUp;
        failures = failed(failures, e, opened);
      }
      if (failures > 0 && giveUp.passed()) {
        if (!stopped) {
          listener.failed(last);
        }
        return;
      }
    }
  }

  private boolean lived(long openedAt) {
    return pacing.nanoTime() - openedAt >= HEALTHY.toNanos();
  }

  /** Lists again before the next watch, without counting the list as the watch's success. */
  private void relistBeforeNextWatch() {
    if (resourceVersion != null) {
      resourceVersion = null;
      relisting = true;
    }
  }

  private int failed(int failures, IOException e, long openedAt) {
    if ((failures + 1) % RELIST_AFTER == 0) {
      relistBeforeNextWatch();
    }
    if (!stopped) {
      LOG.info("watch of {} dropped ({}); reconnecting", listPath, e.getMessage());
      if (lived(openedAt)) {
        backoff.reset(); // it had been healthy: the waits start again from the first delay
      }
      pause(backoff.next());
    }
    return failures + 1;
  }

  /** Waits before the next request, unless stopped; an interruption stops the watcher. */
  private void pause(java.time.Duration wait) {
    if (stopped || wait.isZero()) {
      return;
    }
    try {
      pacing.sleep(wait);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void list() throws IOException {
    ObjectList<T> list = api.list(listPath, type);
    resourceVersion = list.resourceVersion();
    listener.synced(list.items());
  }

  /** Returns whether at least one event arrived. */
  private boolean watchOnce() throws IOException {
    String sep = listPath.contains("?") ? "&" : "?";
    heardAt = pacing.nanoTime();
    InputStream in =
        api.stream(
            listPath
                + sep
                + "watch=true&allowWatchBookmarks=true&timeoutSeconds="
                + WATCH_LENGTH.toSeconds()
                + (resourceVersion.isEmpty() ? "" : "&resourceVersion=" + resourceVersion));
    current = in;
    pacing.opened();
    boolean any = false;
    try (in) {
      WatchLines lines = new WatchLines(in);
      for (String line = lines.next(); line != null && !stopped; line = lines.next()) {
        heardAt = pacing.nanoTime();
        if (line.isBlank()) {
          continue;
        }
        any = true;
        WatchEvent<T> event = api.watchLine(line, type, listPath);
        if (!event.resourceVersion().isEmpty()) {
          resourceVersion = event.resourceVersion();
        }
        if (!event.type().equals("BOOKMARK")) {
          listener.changed(event.type(), event.object());
        }
      }
    } catch (WatchLines.TooLong e) {
      LOG.warn("the watch of {} sent {}; listing again", listPath, e.getMessage());
      relistBeforeNextWatch();
      throw new IOException("the watch of " + listPath + " sent " + e.getMessage(), e);
    } finally {
      current = null;
    }
    return any;
  }
}

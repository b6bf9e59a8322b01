package dev.pixivdic.launcher.run;

import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.Daemons;
import dev.pixivdic.launcher.kube.KubeApi;
import dev.pixivdic.launcher.kube.KubeJson;
import dev.pixivdic.launcher.kube.ObjectList;
import dev.pixivdic.launcher.kube.WatchEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists then watches a collection: reconnects from the last resourceVersion when a watch ends or
 * drops, follows bookmarks, and lists again when the server answers 410 Gone (as a status or as
 * an in-stream ERROR event). Transient failures (no answer, 429, 5xx) are retried until they have
 * lasted the patience without a success in between; a refusal (401, 403, 404) ends the watch at
 * once. Runs on its own daemon thread; reports to a {@link Listener}.
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

  private final KubeApi api;
  private final String listPath;
  private final Class<T> type;
  private final Listener<T> listener;
  private final Thread thread;
  private final java.time.Duration retryDelay;
  private final java.time.Duration patience;
  private volatile boolean stopped;
  private volatile InputStream current;
  private String resourceVersion;

  /**
   * @param listPath collection path with its selector query, e.g. {@code
   *     /api/v1/namespaces/x/pods?labelSelector=...}
   * @param patience how long transient failures may last before the watch gives up
   */
  ResourceWatcher(
      KubeApi api,
      String listPath,
      Class<T> type,
      Listener<T> listener,
      String name,
      java.time.Duration retryDelay,
      java.time.Duration patience) {
    this.api = api;
    this.retryDelay = retryDelay;
    this.patience = patience;
    this.listPath = listPath;
    this.type = type;
    this.listener = listener;
    this.thread = Daemons.thread(this::loop, "watch-" + name);
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

  private void loop() {
    int failures = 0;
    Deadline giveUp = null; // set by the first failure after a success
    IOException last = null;
    while (!stopped) {
      try {
        if (resourceVersion == null) {
          list();
          failures = 0;
        }
        Deadline quick = Deadline.in(java.time.Duration.ofSeconds(1));
        if (watchOnce()) {
          failures = 0;
        } else if (!quick.passed() && !stopped) {
          // Ended at once with nothing in it: a failure, so a misbehaving server is not hammered.
          throw new IOException("the watch of " + listPath + " ended at once");
        }
      } catch (ApiException e) {
        if (e.status() == 410) {
          LOG.info("watch expired (410 Gone); listing again");
          resourceVersion = null;
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
        failures = failed(failures, e);
      } catch (IOException e) {
        if (!KubeApi.isTransient(e)) {
          if (!stopped) {
            listener.failed(e);
          }
          return;
        }
        last = e;
        giveUp = failures == 0 ? Deadline.in(patience) : giveUp;
        failures = failed(failures, e);
      }
      if (failures > 0 && giveUp.passed()) {
        if (!stopped) {
          listener.failed(last);
        }
        return;
      }
    }
  }

  private int failed(int failures, IOException e) {
    if (!stopped) {
      LOG.info("watch of {} dropped ({}); reconnecting", listPath, e.getMessage());
      try {
        Thread.sleep(retryDelay.multipliedBy(Math.min(failures + 1, 5)).toMillis());
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
    return failures + 1;
  }

  private void list() throws IOException {
    ObjectList<T> list = api.list(listPath, type);
    resourceVersion = list.resourceVersion();
    listener.synced(list.items());
  }

  /** Returns whether at least one event arrived. */
  private boolean watchOnce() throws IOException {
    String sep = listPath.contains("?") ? "&" : "?";
    InputStream in =
        api.stream(
            listPath
                + sep
                + "watch=true&allowWatchBookmarks=true&timeoutSeconds=300"
                + (resourceVersion.isEmpty() ? "" : "&resourceVersion=" + resourceVersion));
    current = in;
    boolean any = false;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null && !stopped; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        any = true;
        WatchEvent<T> event = KubeJson.watchLine(line, type, listPath);
        if (!event.resourceVersion().isEmpty()) {
          resourceVersion = event.resourceVersion();
        }
        if (!event.type().equals("BOOKMARK")) {
          listener.changed(event.type(), event.object());
        }
      }
    } finally {
      current = null;
    }
    return any;
  }
}

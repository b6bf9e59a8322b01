package dev.pixivdic.launcher.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.kube.ApiException;
import dev.pixivdic.launcher.kube.KubeApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists then watches a collection: reconnects from the last resourceVersion when a watch ends or
 * drops, follows bookmarks, and lists again when the server answers 410 Gone (as a status or as
 * an in-stream ERROR event). Runs on its own daemon thread; reports to a {@link Listener}.
 */
final class ResourceWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceWatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Consecutive failed connections after which the watch gives up. */
  static final int MAX_FAILURES = 10;

  interface Listener {
    /** A fresh list: the complete current state. */
    void synced(List<JsonNode> items);

    void changed(String type, JsonNode object);

    /** The watch cannot continue (permission refused, API unreachable). */
    void failed(IOException e);
  }

  private final KubeApi api;
  private final String listPath;
  private final Listener listener;
  private final Thread thread;
  private final java.time.Duration retryDelay;
  private volatile boolean stopped;
  private volatile InputStream current;
  private String resourceVersion;

  /** @param listPath collection path with its selector query, e.g. {@code /api/v1/namespaces/x/pods?labelSelector=...} */
  ResourceWatcher(KubeApi api, String listPath, Listener listener, String name, java.time.Duration retryDelay) {
    this.api = api;
    this.retryDelay = retryDelay;
    this.listPath = listPath;
    this.listener = listener;
    this.thread = new Thread(this::loop, "watch-" + name);
    thread.setDaemon(true);
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
    while (!stopped) {
      try {
        if (resourceVersion == null) {
          list();
        }
        long opened = System.nanoTime();
        if (watchOnce()) {
          failures = 0;
        } else if (System.nanoTime() - opened < 1_000_000_000L && !stopped) {
          // Ended at once with nothing in it: treat as a failure so a misbehaving server is not hammered.
          failures = failed(failures, new IOException("watch of " + listPath + " ended at once"));
        }
      } catch (ApiException e) {
        if (e.status() == 410) {
          LOG.info("watch expired (410 Gone); listing again");
          resourceVersion = null;
          continue;
        }
        if (e.status() < 500 && e.status() != 429) {
          if (!stopped) {
            listener.failed(e);
          }
          return;
        }
        failures = failed(failures, e);
      } catch (IOException e) {
        failures = failed(failures, e);
      }
      if (failures >= MAX_FAILURES) {
        if (!stopped) {
          listener.failed(new IOException("watch of " + listPath + " failed " + failures + " times in a row"));
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
    JsonNode list = api.get(listPath);
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    resourceVersion = list.path("metadata").path("resourceVersion").asText("");
    listener.synced(items);
  }

  /** Returns whether at least one event arrived. */
  private boolean watchOnce() throws IOException {
    String sep = listPath.contains("?") ? "&" : "?";
    InputStream in = api.stream(listPath + sep + "watch=true&allowWatchBookmarks=true&timeoutSeconds=300"
        + (resourceVersion.isEmpty() ? "" : "&resourceVersion=" + resourceVersion));
    current = in;
    boolean any = false;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null && !stopped; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        String type = event.path("type").asText();
        JsonNode object = event.path("object");
        any = true;
        if (type.equals("ERROR")) {
          int code = object.path("code").asInt(500);
          throw new ApiException(code, "WATCH", listPath, object.path("reason").asText(""),
              object.path("message").asText(""));
        }
        String rv = object.path("metadata").path("resourceVersion").asText("");
        if (!rv.isEmpty()) {
          resourceVersion = rv;
        }
        if (!type.equals("BOOKMARK")) {
          listener.changed(type, object);
        }
      }
    } finally {
      current = null;
    }
    return any;
  }
}

package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.custom.Quantity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the containers of pods as local processes: the image's entrypoint with the container's args,
 * in a scratch directory standing for the pod's {@code emptyDir} (the image's working directory),
 * with the image's, the node's and the container's environment. Output (stdout and stderr,
 * interleaved as they arrive) becomes the container's log. Deleting a pod sends SIGTERM, then
 * SIGKILL after the grace period, as the kubelet does.
 *
 * <p>No cgroups here: the container's CPU and memory limits are passed to the JVM as {@code
 * -XX:ActiveProcessorCount} and {@code -XX:MaxRAM} through {@code JAVA_TOOL_OPTIONS}, which is what
 * a JVM reads from the cgroup in a real container.
 */
final class Kubelet implements AutoCloseable {

  /** Told when a container's process has ended. */
  interface Exits {
    void exited(String namespace, String pod, int exitCode);
  }

  /** Why a container cannot be created; the kubelet's waiting reason and message. */
  record CannotStart(String reason, String message) {}

  /** One container process, for the cluster's bookkeeping and the test's inspection. */
  record Container(
      String namespace,
      String pod,
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Process process,
      PodLog log) {}

  private final java.util.Set<String> killedIndexes =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  private static final Pattern FIELD_KEY =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final Map<String, Image> images;
  private final Map<String, String> nodeEnv;
  private final Path scratch;
  private final Exits exits;
  private final Changes changes;
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  private final List<Container> started = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService killer =
      Executors.newSingleThreadScheduledExecutor(Meta.daemons("kubelet-killer-%d"));

  Kubelet(Map<String, Image> images, Map<String, String> nodeEnv, Path scratch, Exits exits,
      Changes changes) {
    this.changes = requireNonNull(changes, "changes");
    this.images = Map.copyOf(images);
    this.nodeEnv = Map.copyOf(nodeEnv);
    this.scratch = requireNonNull(scratch, "scratch");
    this.exits = requireNonNull(exits, "exits");
  }

  /** Why this pod's container cannot start (image pull, configuration), if it cannot. */
  Optional<CannotStart> problem(JsonNode pod) {
    JsonNode c = pod.path("spec").path("containers").path(0);
    String image = c.path("image").asText();
    if (!images.containsKey(image)) {
      return Optional.of(
          new CannotStart(
              "ErrImagePull", "failed to pull and unpack image \"" + image + "\": not found"));
    }
    if (c.has("envFrom")) {
      return Optional.of(
          new CannotStart(
              "CreateContainerConfigError",
              "envFrom: this cluster holds no secrets or config maps"));
    }
    for (JsonNode e : c.path("env")) {
      JsonNode from = e.path("valueFrom");
      if (!from.isMissingNode() && !from.has("fieldRef")) {
        return Optional.of(
            new CannotStart(
                "CreateContainerConfigError",
                "env "
                    + e.path("name").asText()
                    + ": this cluster holds no secrets or config maps"));
      }
    }
    if (pod.path("spec").path("containers").size() != 1 || pod.path("spec").has("initContainers")) {
      return Optional.of(
          new CannotStart(
              "CreateContainerConfigError", "this kubelet runs pods of exactly one container"));
    }
    return Optional.empty();
  }

  /** Starts the pod's container; {@link #problem} must have found nothing. */
  Container start(ObjectNode pod) throws IOException {
    String ns = Meta.namespace(pod);
    String name = Meta.name(pod);
    JsonNode c = pod.path("spec").path("containers").path(0);
    Image image = images.get(c.path("image").asText());
    Map<String, String> env = new LinkedHashMap<>(image.env());
    env.putAll(nodeEnv);
    env.put("HOSTNAME", pod.path("spec").path("hostname").asText(name));
    for (JsonNode e : c.path("env")) {
      String value =
          e.has("value")
              ? expand(e.path("value").asText(), env)
              : field(pod, e.path("valueFrom").path("fieldRef").path("fieldPath").asText());
      env.put(e.path("name").asText(), value);
    }
    String limits = limits(c.path("resources").path("limits"));
    if (!limits.isEmpty()) {
      env.merge("JAVA_TOOL_OPTIONS", limits, (a, b) -> a + " " + b);
    }
    List<String> command = new ArrayList<>();
    if (c.has("command")) {
      c.path("command").forEach(a -> command.add(expand(a.asText(), env)));
    } else {
      command.addAll(image.entrypoint());
    }
    c.path("args").forEach(a -> command.add(expand(a.asText(), env)));
    Path work = Files.createDirectories(scratch.resolve(ns).resolve(name));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    Process process = pb.start();
    if (killedIndexes.contains(env.getOrDefault("JOB_COMPLETION_INDEX", ""))) {
      process.destroyForcibly(); // SIGKILL, as the kernel's out-of-memory killer sends it
    }
    PodLog log = new PodLog(changes::changed);
    Container container =
        new Container(ns, name, List.copyOf(command), Map.copyOf(env), work, process, log);
    containers.put(ns + "/" + name, container);
    started.add(container);
    changes.changed();
    Thread reader = new Thread(() -> pump(container), "log-" + name);
    reader.setDaemon(true);
    reader.start();
    return container;
  }

  Optional<Container> container(String namespace, String pod) {
    return Optional.ofNullable(containers.get(namespace + "/" + pod));
  }

  /**
   * Kills every container of this completion index as soon as it starts, as an out-of-memory
   * kill would: the process ends without a word. Null stops it.
   */
  void killAtStart(Integer index) {
    killedIndexes.clear();
    if (index != null) {
      killedIndexes.add(Integer.toString(index));
    }
  }

  /** Every container started, in start order. */
  List<Container> containers() {
    return List.copyOf(started);
  }

  /** SIGTERM now, SIGKILL once the grace period has passed and the process still runs. */
  void terminate(String namespace, String pod, Duration grace) {
    Container c = containers.get(namespace + "/" + pod);
    if (c == null || !c.process().isAlive()) {
      return;
    }
    c.process().destroy();
    killer.schedule(
        () -> {
          c.process().descendants().forEach(ProcessHandle::destroyForcibly);
          c.process().destroyForcibly();
        },
        grace.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Kills every container process still running and waits for them. */
  @Override
  public void close() {
    killer.shutdownNow();
    for (Container c : containers.values()) {
      c.process().descendants().forEach(ProcessHandle::destroyForcibly);
      c.process().destroyForcibly();
    }
    for (Container c : containers.values()) {
      try {
        c.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void pump(Container c) {
    try (InputStream in = c.process().getInputStream()) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          c.log().append(line.toByteArray(), true);
          line.reset();
        } else {
          line.write(b);
        }
      }
      if (line.size() > 0) {
        c.log().append(line.toByteArray(), false);
      }
    } catch (IOException e) {
      c.log()
          .append(
              ("kubelet: log copy failed: " + e).getBytes(java.nio.charset.StandardCharsets.UTF_8),
              true);
    }
    int code;
    try {
      code = c.process().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    // The log is complete before anyone learns that the container ended.
    c.log().end();
    exits.exited(c.namespace(), c.pod(), code);
  }

  /** {@code $(VAR)} references in command, args and env values, as the kubelet expands them. */
  private static String expand(String s, Map<String, String> env) {
    Matcher m = VAR_REF.matcher(s.replace("$$", "\u0000"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
    }
    m.appendTail(out);
    return out.toString().replace("\u0000", "$");
  }

  /** The downward API's {@code fieldRef} values that a pod of a Job can ask for. */
  private static String field(JsonNode pod, String path) {
    Matcher m = FIELD_KEY.matcher(path);
    if (m.matches()) {
      return pod.path("metadata").path(m.group(1)).path(m.group(2)).asText("");
    }
    return switch (path) {
      case "metadata.name" -> Meta.name(pod);
      case "metadata.namespace" -> Meta.namespace(pod);
      case "metadata.uid" -> Meta.uid(pod);
      case "spec.nodeName" -> pod.path("spec").path("nodeName").asText();
      case "spec.serviceAccountName" ->
          pod.path("spec").path("serviceAccountName").asText("default");
      case "status.podIP", "status.hostIP" -> "127.0.0.1";
      default -> throw new UncheckedIOException(new IOException("unsupported fieldRef " + path));
    };
  }

  private static String limits(JsonNode limits) {
    List<String> opts = new ArrayList<>();
    if (limits.has("cpu")) {
      BigDecimal cpus = new Quantity(limits.path("cpu").asText()).getNumber();
      opts.add(
          "-XX:ActiveProcessorCount="
              + Math.max(1, cpus.setScale(0, RoundingMode.CEILING).intValue()));
    }
    if (limits.has("memory")) {
      opts.add(
          "-XX:MaxRAM=" + new Quantity(limits.path("memory").asText()).getNumber().toBigInteger());
    }
    return String.join(" ", opts);
  }
}

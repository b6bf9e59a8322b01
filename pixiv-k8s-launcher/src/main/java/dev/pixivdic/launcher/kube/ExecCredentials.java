package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.support.internal.LogText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a kubeconfig {@code exec} plugin (such as gke-gcloud-auth-plugin) and caches its token
 * until {@code expirationTimestamp}, or until a 401 to a request that sent it invalidates it.
 * Supports
 * {@code client.authentication.k8s.io/v1} and {@code v1beta1}. Thread-safe: one plugin run at a
 * time; {@link #stop()} ends it from another thread.
 */
final class ExecCredentials implements Credentials {
  static final List<String> API_VERSIONS =
      List.of("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a plugin may run, as kubectl has no bound and a hung launch is worse. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** The most a plugin may print; a credential is far smaller. */
  static final int MAX_OUTPUT = 1 << 20;
  /** How long the output may stay open after the plugin exited (a child it started holds it). */
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);

  private final List<String> command;
  private final Map<String, String> env;
  private final String apiVersion;
  private final Optional<String> installHint;
  private final Optional<ObjectNode> clusterInfo;
  private final Clock clock;
  private final Duration timeout;
  private String token;
  private Instant expiry;
  /** How often {@link #stop()} was called: a fetch asked for before the latest one ends. */
  private final AtomicLong stops = new AtomicLong();
  /** Guards {@link #running}; not the fetch's lock, which a running plugin holds. */
  private final Object runLock = new Object();
  private Process running;

  ExecCredentials(List<String> command, Map<String, String> env, String apiVersion,
      Optional<String> installHint, Optional<ObjectNode> clusterInfo, Clock clock) {
    this(command, env, apiVersion, installHint, clusterInfo, clock, TIMEOUT);
  }

  ExecCredentials(List<String> command, Map<String, String> env, String apiVersion,
      Optional<String> installHint, Optional<ObjectNode> clusterInfo, Clock clock,
      Duration timeout) {
    this.timeout = requireNonNull(timeout, "timeout");
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.apiVersion = requireNonNull(apiVersion, "apiVersion");
    this.installHint = installHint;
    this.clusterInfo = clusterInfo;
    this.clock = requireNonNull(clock, "clock");
    if (!API_VERSIONS.contains(apiVersion)) {
      throw new IllegalArgumentException(
          "exec plugin apiVersion must be one of " + API_VERSIONS + ", was '"
              + LogText.escaped(apiVersion) + "'");
    }
  }

  @Override
  public Optional<String> bearerToken() throws IOException {
    // Counted before waiting for another caller's plugin run: a stop meanwhile ends this one too.
    long stopsSeen = stops.get();
    synchronized (this) {
      if (token == null || (expiry != null && !clock.instant().isBefore(expiry))) {
        fetch(stopsSeen);
      }
      return Optional.of(token);
    }
  }

  @Override
  public void stop() {
    synchronized (runLock) {
      stops.incrementAndGet();
      if (running != null) {
        kill(running);
      }
    }
  }

  @Override
  public synchronized void invalidate(String refused) {
    // Requests refused together would otherwise each drop the token the first of them fetched,
    // and run the plugin one after another while every request waits on this lock.
    if (refused.equals(token)) {
      token = null;
      expiry = null;
    }
  }

  private void fetch(long stopsSeen) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("KUBERNETES_EXEC_INFO", execInfo());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process process;
    synchronized (runLock) {
      if (stops.get() != stopsSeen) {
        throw stopped();
      }
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new CredentialsException(
            "cannot run exec plugin " + command.get(0) + ": " + e.getMessage()
            + installHint.map(h -> "\n" + h).orElse(""), e);
      }
      running = process;
    }
    byte[] out;
    try {
      out = await(process);
    } finally {
      synchronized (runLock) {
        running = null;
      }
    }
    if (stops.get() != stopsSeen) {
      throw stopped();
    }
    if (process.exitValue() != 0) {
      throw new CredentialsException(
          "exec plugin " + command.get(0) + " exited with " + process.exitValue());
    }
    parse(out);
  }

  /**
   * The plugin's standard output once it has exited. The run is bounded by the timeout and the
   * output by {@link #MAX_OUTPUT}: a plugin that hangs (waiting for a browser login, say) or
   * prints without end is stopped, with its children, instead of holding the launch or its memory.
   * A process the plugin left behind holding its output open is not waited for.
   */
  private byte[] await(Process process) throws IOException {
    String plugin = command.get(0);
    Output output = new Output(process);
    Daemons.thread(output, "exec-plugin-output").start();
    boolean exited = false;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (!exited) {
        throw new CredentialsException("exec plugin " + plugin + " did not finish within "
            + timeout.toSeconds() + " s (does it wait for a login? it runs without a terminal);"
            + " it was stopped");
      }
      byte[] out = output.taken(OUTPUT_GRACE);
      if (output.exceeded) {
        throw new CredentialsException("exec plugin " + plugin + " printed more than "
            + MAX_OUTPUT + " bytes on standard output (an ExecCredential is a few hundred);"
            + " it was stopped");
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException stopped =
          new InterruptedIOException("interrupted while running exec plugin " + plugin);
      stopped.initCause(e);
      throw stopped;
    } finally {
      if (!exited) {
        kill(process);
      }
    }
  }

  private CredentialsException stopped() {
    return new CredentialsException("exec plugin " + command.get(0)
        + " was stopped: the launcher could wait for it no longer (a signal, or the deadline of"
        + " deleting the Job)");
  }

  /** Ends the plugin and every process it started, as a plugin that hangs may ignore SIGTERM. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Reads a plugin's standard output on its own thread, up to one byte past the bound, where it
   * stops the plugin. What was read is there to take once the plugin has exited, even when a
   * process it started keeps the pipe open so that the end never comes.
   */
  private static final class Output implements Runnable {
    private final Process process;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CountDownLatch ended = new CountDownLatch(1);
    volatile boolean exceeded;

    Output(Process process) {
      this.process = process;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          synchronized (bytes) {
            bytes.write(buffer, 0, n);
            exceeded = bytes.size() > MAX_OUTPUT;
          }
          if (exceeded) {
            kill(process);
            return;
          }
        }
      } catch (IOException e) {
        // The pipe broke: what was read is all there is, and the parse names what is missing.
      } finally {
        ended.countDown();
      }
    }

    /** What was read, once the end came or {@code grace} passed after the plugin exited. */
    byte[] taken(Duration grace) throws InterruptedException {
      ended.await(grace.toNanos(), TimeUnit.NANOSECONDS);
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }
  }

  private void parse(byte[] out) throws IOException {
    JsonNode cred;
    try {
      cred = JSON.readTree(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CredentialsException(
          "exec plugin " + command.get(0) + " printed no ExecCredential JSON", e);
    }
    if (!"ExecCredential".equals(cred.path("kind").asText())
        || !apiVersion.equals(cred.path("apiVersion").asText())) {
      throw new CredentialsException(
          "exec plugin "
              + command.get(0)
              + " returned "
              + cred.path("apiVersion").asText()
              + " "
              + cred.path("kind").asText()
              + ", expected "
              + apiVersion
              + " ExecCredential");
    }
    JsonNode status = cred.path("status");
    if (!status.hasNonNull("token")) {
      throw new CredentialsException("exec plugin " + command.get(0)
          + " returned no status.token (client certificates from exec plugins are not supported)");
    }
    String expiration = status.path("expirationTimestamp").asText("");
    try {
      expiry = expiration.isEmpty() ? null : Instant.parse(expiration);
    } catch (DateTimeParseException e) {
      throw new CredentialsException(
          "exec plugin "
              + command.get(0)
              + " returned a bad expirationTimestamp '"
              + expiration
              + "'",
          e);
    }
    token = status.get("token").asText();
  }

  private String execInfo() throws IOException {
    ObjectNode info = JSON.createObjectNode();
    info.put("apiVersion", apiVersion);
    info.put("kind", "ExecCredential");
    ObjectNode spec = info.putObject("spec");
    spec.put("interactive", false);
    clusterInfo.ifPresent(c -> spec.set("cluster", c));
    return JSON.writeValueAsString(info);
  }

  static List<String> commandLine(String command, List<String> args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(args);
    return all;
  }
}

package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;

/**
 * Runs a kubeconfig {@code exec} plugin (such as gke-gcloud-auth-plugin) and caches its token
 * until {@code expirationTimestamp}, or until a 401 invalidates it. Supports
 * {@code client.authentication.k8s.io/v1} and {@code v1beta1}. Thread-safe: one plugin run at a
 * time.
 */
final class ExecCredentials implements Credentials {
  static final List<String> API_VERSIONS =
      List.of("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final List<String> command;
  private final Map<String, String> env;
  private final String apiVersion;
  private final Optional<String> installHint;
  private final Optional<ObjectNode> clusterInfo;
  private final Clock clock;
  private String token;
  private Instant expiry;

  ExecCredentials(List<String> command, Map<String, String> env, String apiVersion,
      Optional<String> installHint, Optional<ObjectNode> clusterInfo, Clock clock) {
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.apiVersion = requireNonNull(apiVersion, "apiVersion");
    this.installHint = installHint;
    this.clusterInfo = clusterInfo;
    this.clock = requireNonNull(clock, "clock");
    if (!API_VERSIONS.contains(apiVersion)) {
      throw new IllegalArgumentException(
          "exec plugin apiVersion must be one of " + API_VERSIONS + ", was '" + apiVersion + "'");
    }
  }

  @Override
  public synchronized Optional<String> bearerToken() throws IOException {
    if (token == null || (expiry != null && !clock.instant().isBefore(expiry))) {
      fetch();
    }
    return Optional.of(token);
  }

  @Override
  public synchronized void invalidate() {
    token = null;
    expiry = null;
  }

  private void fetch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("KUBERNETES_EXEC_INFO", execInfo());
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot run exec plugin " + command.get(0) + ": " + e.getMessage()
          + installHint.map(h -> "\n" + h).orElse(""), e);
    }
    byte[] out;
    try (InputStream in = process.getInputStream()) {
      out = in.readAllBytes();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "exec plugin " + command.get(0) + " did not finish within " + TIMEOUT);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running exec plugin " + command.get(0), e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "exec plugin " + command.get(0) + " exited with " + process.exitValue());
    }
    parse(out);
  }

  private void parse(byte[] out) throws IOException {
    JsonNode cred;
    try {
      cred = JSON.readTree(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException("exec plugin " + command.get(0) + " printed no ExecCredential JSON", e);
    }
    if (!"ExecCredential".equals(cred.path("kind").asText())
        || !apiVersion.equals(cred.path("apiVersion").asText())) {
      throw new IOException(
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
      throw new IOException("exec plugin " + command.get(0)
          + " returned no status.token (client certificates from exec plugins are not supported)");
    }
    String expiration = status.path("expirationTimestamp").asText("");
    try {
      expiry = expiration.isEmpty() ? null : Instant.parse(expiration);
    } catch (DateTimeParseException e) {
      throw new IOException(
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

package dev.pixivdic.launcher.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exec plugins that misbehave as processes: they are stopped, and the message names them. */
class ExecCredentialsTest {
  private static final String V1 = "client.authentication.k8s.io/v1";
  private static final String CREDENTIAL =
      "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}";

  @TempDir Path dir;

  private Path plugin(String body) throws IOException {
    Path script = dir.resolve("auth-plugin.sh");
    Files.writeString(script, "#!/bin/sh\necho $$ > \"" + dir + "/pid\"\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private ExecCredentials credentials(Path script, Duration timeout) {
    return new ExecCredentials(List.of(script.toString()), Map.of(), V1, Optional.empty(),
        Optional.empty(), Clock.systemUTC(), timeout);
  }

  /** Waits until the process whose pid is in {@code file} has gone (bound: the test's timeout). */
  private void awaitGone(String file) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve(file)).trim());
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
  }

  @Test
  @Timeout(30)
  void aPluginThatNeverFinishesIsStoppedWithItsChildrenAfterTheTimeout() throws Exception {
    Path script = plugin("sleep 1000 & echo $! > \"" + dir + "/child\"\nwait");

    assertThatThrownBy(() -> credentials(script, Duration.ofSeconds(2)).bearerToken())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("exec plugin " + script)
        .hasMessageContaining("did not finish within 2 s")
        .hasMessageContaining("stopped");
    awaitGone("pid");
    awaitGone("child");
  }

  @Test
  @Timeout(30)
  void aPluginThatExitsWhileAChildItStartedHoldsItsOutputGivesItsTokenAtOnce() throws Exception {
    Path script =
        plugin("printf '%s' '" + CREDENTIAL + "'\nsleep 1000 &\necho $! > \"" + dir + "/child\"");

    try {
      assertThat(credentials(script, Duration.ofSeconds(20)).bearerToken()).contains("t");
    } finally {
      long child = Long.parseLong(Files.readString(dir.resolve("child")).trim());
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Timeout(30)
  void aPluginThatPrintsWithoutEndIsStoppedAtTheOutputBound() throws Exception {
    Path script = plugin("exec yes '" + CREDENTIAL + "'");
    ExecCredentials credentials = credentials(script, ExecCredentials.TIMEOUT);

    assertThatThrownBy(credentials::bearerToken)
        .hasMessageContaining("exec plugin " + script)
        .hasMessageContaining("printed more than " + ExecCredentials.MAX_OUTPUT + " bytes");
    awaitGone("pid");
  }

  @Test
  @Timeout(30)
  void aPluginStoppedWhileItRunsEndsAtOnceWithItsChildrenThoughItIgnoresSigterm()
      throws Exception {
    Path started = dir.resolve("started");
    assertThat(new ProcessBuilder("mkfifo", started.toString()).start().waitFor()).isZero();
    Path script = plugin("trap '' TERM\nsleep 1000 &\necho $! > \"" + started + "\"\nwait");
    ExecCredentials credentials = credentials(script, ExecCredentials.TIMEOUT);
    CompletableFuture<Optional<String>> token = CompletableFuture.supplyAsync(() -> {
      try {
        return credentials.bearerToken();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    long child = Long.parseLong(Files.readString(started).trim());

    credentials.stop();

    assertThatThrownBy(token::join)
        .hasRootCauseInstanceOf(CredentialsException.class)
        .hasMessageContaining("exec plugin " + script + " was stopped");
    awaitGone("pid");
    ProcessHandle.of(child).ifPresent(p -> p.onExit().join());
  }

  @Test
  void aPluginThatFinishesInTimeGivesItsToken() throws Exception {
    Path script = plugin("sleep 0.2\nprintf '%s' '" + CREDENTIAL + "'");

    assertThat(credentials(script, Duration.ofSeconds(20)).bearerToken()).contains("t");
  }
}

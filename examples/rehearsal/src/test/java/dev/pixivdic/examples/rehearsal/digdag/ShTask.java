package dev.pixivdic.examples.rehearsal.digdag;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A task's {@code sh>} command run as Digdag's sh operator runs it: {@code /bin/sh} in the project
 * directory with the command fed on standard input, the server's environment plus every task
 * parameter whose name is a valid variable name, standard error merged into standard output.
 * Killing the task signals that shell, which is why the workflows {@code exec} their command.
 */
public final class ShTask {

  private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*");

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;

  private ShTask(Process process, Consumer<String> lines) {
    this.process = process;
    this.reader = new Thread(() -> copy(lines), "sh-task-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the command.
   *
   * @param command the rendered command ({@link Session#render})
   * @param workspace the project directory the shell starts in
   * @param serverEnv the environment of the Digdag server (nothing else is inherited)
   * @param params the task's parameters; the valid names become environment variables too
   * @param lines gets each output line as it comes
   */
  public static ShTask start(
      String command,
      Path workspace,
      Map<String, String> serverEnv,
      Map<String, String> params,
      Consumer<String> lines)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/sh").directory(workspace.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.putAll(serverEnv);
    params.forEach(
        (k, v) -> {
          if (ENV_KEY.matcher(k).matches()) {
            env.put(k, v);
          }
        });
    Process p = pb.start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(command.getBytes(StandardCharsets.UTF_8));
    }
    return new ShTask(p, requireNonNull(lines, "lines"));
  }

  private void copy(Consumer<String> lines) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        output.append(line).append('\n');
        lines.accept(line);
      }
    } catch (IOException e) {
      output.append("(output lost: ").append(e).append(")\n");
    }
  }

  /** The shell's process; after {@code exec}, the command's own. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGTERM to the task's process, as Digdag sends when it kills a task. */
  public void terminate() {
    // Through the handle: Process.destroy() would also close our end of the output pipe.
    process.toHandle().destroy();
  }

  /** SIGKILL to the task's process: nothing in it can clean up (a crashed Digdag worker). */
  public void kill() {
    process.toHandle().destroyForcibly();
  }

  /**
   * Waits for the task to end and for its output to be read.
   *
   * @throws IllegalStateException when it did not end in time (it is killed then)
   */
  public int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException(
          "the task did not end within " + timeout + "; its output:\n" + output);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  /** Everything it printed so far. */
  public String output() {
    return output.toString();
  }
}

package dev.pixivdic.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.run.ExitCodes;
import dev.pixivdic.support.internal.TextFiles;
import dev.pixivdic.support.notify.Webhook;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pixiv-launch notify}: sends one notice to the webhook, with the Job report a
 * {@code run --report} left, if any. For a workflow's {@code _error:} task, which runs when the
 * launch failed in a way the launcher may not have reported itself (it was killed, or never
 * started).
 */
@Command(name = "notify", showDefaultValues = true,
    description = "Send a notice (for example a workflow's failure notice) to the webhook, with"
        + " the Job report that 'run --report' wrote, if there is one.")
final class NotifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Mixin WebhookOptions webhook;

  @Option(names = "--title", paramLabel = "TEXT", required = true,
      description = "The notice's first line, e.g. which workflow and session failed.")
  String title;

  @Option(names = "--job-report", paramLabel = "FILE",
      description = "A Job report written by 'pixiv-launch run --report', to include; a missing"
          + " file is said in the notice (the launcher ended before writing it).")
  Path jobReport;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Webhook hook = webhook.webhook(System::getenv).orElseThrow(
        () -> new IllegalArgumentException("--notify is required: the webhook to send to"));
    List<String> lines = new ArrayList<>();
    ObjectNode data = JSON.createObjectNode();
    Optional<JsonNode> report = read(lines);
    report.ifPresent(r -> data.set("job_report", r));
    if (!hook.send(Webhook.payload(webhook.format(), title, lines, data))) {
      spec.commandLine().getErr().println("pixiv-launch: the notice to " + hook.masked()
          + " was not delivered (see the log)");
      return ExitCodes.UNAVAILABLE;
    }
    return ExitCodes.SUCCESS;
  }

  /**
   * Reads the Job report into the notice's lines; a missing, bad or unreadable one (over
   * {@link JobOptions#SETTINGS_FILE_BYTES}, a device or a pipe that gives no end) is said there:
   * this command is the failure notice, so it posts whatever the file is.
   */
  private Optional<JsonNode> read(List<String> lines) {
    if (jobReport == null) {
      return Optional.empty();
    }
    try {
      JsonNode r = JSON.readTree(
          TextFiles.read(jobReport, JobOptions.SETTINGS_FILE_BYTES));
      if (r == null || !r.has("job")) {
        lines.add("(" + jobReport + " is not a Job report)");
        return Optional.empty();
      }
      r.path("verdict").forEach(v -> lines.add(v.asText()));
      r.path("lines").forEach(v -> lines.add(v.asText()));
      return Optional.of(r);
    } catch (NoSuchFileException e) {
      lines.add("(no Job report at " + jobReport + ": no Job ran, or the launcher ended before"
          + " writing it)");
    } catch (IOException e) {
      lines.add("(the Job report " + jobReport + " cannot be read: " + TextFiles.reason(e)
          + ")");
    }
    return Optional.empty();
  }
}

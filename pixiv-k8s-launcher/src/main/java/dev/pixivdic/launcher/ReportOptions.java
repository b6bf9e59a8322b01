package dev.pixivdic.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.launcher.report.JobReport;
import dev.pixivdic.support.cli.FileName;
import dev.pixivdic.support.internal.FileTargets;
import dev.pixivdic.support.internal.ReportFiles;
import dev.pixivdic.support.notify.Webhook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code pixiv-launch run} does with the Job report: write it as JSON, and post it to a
 * webhook (the alert). Both are checked before any Job is created, so a typo costs no run.
 */
final class ReportOptions {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--report", paramLabel = "FILE",
      converter = FileName.class,
      description = "Write the Job report (per shard outcome and counts, coverage, rate) here as"
          + " JSON.")
  Path report;

  @Mixin WebhookOptions webhook;

  @Option(names = "--notify-on", paramLabel = "failure|always", defaultValue = "failure",
      description = "When to post the Job report to --notify: only when the run fails (a"
          + " non-zero exit), or always.")
  String notifyOn;

  /** The webhook, if {@code --notify} was given, with the format and when to use it. */
  record Notice(Webhook webhook, Webhook.Format format, Webhook.When when) {}

  /**
   * Checks the options before the Job is created.
   *
   * @return the notice to send at the end, if any
   * @throws IllegalArgumentException naming the option (exit 2)
   */
  Optional<Notice> check(Function<String, String> env) {
    checkTarget(report);
    Webhook.When when = WebhookOptions.choice("--notify-on", notifyOn, Webhook.When.class);
    return webhook.webhook(env).map(w -> new Notice(w, webhook.format(), when));
  }

  /**
   * Refuses a {@code --report} that could not be written or that would destroy a file the
   * launcher did not write: a directory, a named pipe or a device, a symbolic link to nothing
   * in a directory that does not exist, a path under a file, an unwritable place, or an
   * existing file that is not a Job report.
   */
  static void checkTarget(Path report) {
    if (report == null) {
      return;
    }
    java.util.Optional<String> notAFile = FileName.notAFile(report);
    if (notAFile.isPresent()) {
      throw new IllegalArgumentException("--report " + report + " " + notAFile.get());
    }
    Optional<String> nowhere = FileTargets.linkToNothing(report);
    if (nowhere.isPresent()) {
      throw new IllegalArgumentException("--report " + report + ": " + report + " "
          + nowhere.get());
    }
    java.util.Optional<String> stream = FileName.standardStream(report);
    if (stream.isPresent()) {
      throw new IllegalArgumentException("--report " + report + " is this launcher's "
          + stream.get() + "; the report would replace what it writes there. Name a file of its"
          + " own");
    }
    for (Path p = report.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new IllegalArgumentException("--report " + report + ": " + p + " is a file,"
              + " where a directory is needed");
        }
        if (!Files.isWritable(p)) {
          throw new IllegalArgumentException("--report " + report + ": cannot write in " + p);
        }
        break;
      }
    }
    // Begins as JobReport#json() does, with "job".
    if (Files.exists(report) && !ReportFiles.isReport(report, "job")) {
      throw new IllegalArgumentException("--report " + report + " is not a Job report"
          + " pixiv-launch wrote; it was left unchanged. Name a new file, or an earlier report");
    }
  }

  /**
   * Writes the report (atomically, through a symbolic link to the file it names:
   * {@link ReportFiles#write}) and sends the notice. Neither changes the exit code: a failure is
   * a message on {@code status}.
   */
  void deliver(JobReport r, Optional<Notice> notice, java.io.PrintStream status) {
    if (report != null) {
      try {
        ReportFiles.write(report, JSON.writeValueAsBytes(r.json()));
      } catch (IOException e) {
        status.println("pixiv-launch: cannot write the Job report to " + report + ": " + e);
      }
    }
    if (notice.isEmpty() || !notice.get().when().fires(r.exitCode())) {
      return;
    }
    Notice n = notice.get();
    String title = "pixiv-launch: Job " + r.job() + (r.exitCode() == 0 ? " succeeded"
        : " failed (exit " + r.exitCode() + ")");
    java.util.List<String> lines = new java.util.ArrayList<>(r.verdict());
    lines.addAll(r.lines());
    ObjectNode body = Webhook.payload(n.format(), title, lines, r.json());
    if (!n.webhook().send(body)) {
      status.println("pixiv-launch: warning: the notice to " + n.webhook().masked()
          + " was not delivered (see the log); the exit code is the Job's");
    }
  }
}

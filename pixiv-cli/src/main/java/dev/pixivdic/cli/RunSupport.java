package dev.pixivdic.cli;

import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.file.internal.FileSource;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.internal.RunEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The end of every fetching command: run the engine with SIGINT/SIGTERM turned into a clean
 * stop, finish the progress display, pick the exit code, write the JSON report, print the
 * summary and the {@link FinalLine}, and send the notice.
 */
final class RunSupport {

  /** What a command does once the run is over, such as appending to the run ledger. */
  @FunctionalInterface
  interface AfterRun {
    AfterRun NONE = (report, context) -> Optional.empty();

    /** Records the run; returns why it could not, when it could not. */
    Optional<String> accept(RunReport report, ReportWriter.Context context);
  }

  private RunSupport() {}

  /**
   * Runs {@code engine} and reports on it.
   *
   * @param command the subcommand's name, for the report and summary
   * @param fetcher the fetcher, for its counters; null for commands that send no request
   * @param fileSource the file source read from (for its bad and duplicate line counts), or null
   * @param problems the source problems collected for the report
   * @param after run before the report is written, for example to append to the run ledger;
   *     when it fails after a run that would exit 0, the run exits
   *     {@link ExitCodes#NOT_RECORDED} and the summary and report say why
   * @param notice the webhook to post the summary to when the run ends, if any; it never changes
   *     the exit code
   * @return the exit code; when the report cannot be written, the code of that failure
   *     (the summary and the final line are printed all the same)
   */
  static int runAndReport(String command, RunEngine<?, ?> engine, Fetcher fetcher,
      ProgressPrinter progress, double qps, String sourceName, FileSource fileSource,
      List<String> problems, Path reportFile, PrintWriter err, AfterRun after,
      Optional<NotifyOptions.Notice> notice) {
    StopOnSignal signals = StopOnSignal.install(engine::stop);
    try {
      RunReport report = engine.run();
      progress.finish();
      FetchStats stats = fetcher == null ? null : fetcher.stats();
      int code = Outcomes.exitCode(report, stats == null ? 0 : stats.robotsDisallowed(),
          signals.signalCode());
      ReportWriter.Context ctx = new ReportWriter.Context(command, code, stats, qps,
          sourceName, fileSource == null ? 0 : fileSource.problemCount(),
          fileSource == null ? 0 : fileSource.duplicateCount(), List.copyOf(problems));
      Optional<String> unrecorded = after.accept(report, ctx);
      if (unrecorded.isPresent() && code == ExitCodes.OK) {
        code = ExitCodes.NOT_RECORDED;
        ctx = ctx.withExitCode(code);
      }
      com.fasterxml.jackson.databind.node.ObjectNode json = ReportWriter.json(report, ctx);
      unrecorded.ifPresent(why -> json.put("ledger_failure", why));
      if (reportFile != null) {
        try {
          ReportWriter.write(reportFile, json);
        } catch (IOException e) {
          // The run is over: its summary and final line still end the log, with the code of
          // the report's failure (the report was checked before the run, so this is rare).
          code = Outcomes.refused("pixiv " + command, e, err);
          ctx = ctx.withExitCode(code);
        }
      }
      StringWriter text = new StringWriter();
      PrintWriter summary = new PrintWriter(text);
      ReportWriter.summary(summary, report, ctx);
      unrecorded.ifPresent(why -> summary.printf("  LEDGER   %s (the rows are stored)%n", why));
      summary.flush();
      err.print(text);
      err.println(FinalLine.line(report, ctx));
      err.flush();
      int exit = code;
      notice.ifPresent(n -> n.send(command, exit, text.toString().lines()
          .filter(l -> !l.isBlank()).map(Secrets::mask).toList(), json, err));
      return code;
    } finally {
      signals.close();
    }
  }
}

package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.file.internal.FileSource;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.run.internal.Progress;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.run.internal.VmErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every fetching command: run the engine with SIGINT/SIGTERM turned into a clean
 * stop, finish the progress display, close what the run opened, pick the exit code, write the
 * JSON report, print the summary, send the notice, and print the {@link FinalLine} last.
 */
final class RunSupport {

  /** What a command does once the run is over, such as appending to the run ledger. */
  @FunctionalInterface
  interface AfterRun {
    AfterRun NONE = (report, context) -> Optional.empty();

    /** Records the run; returns why it could not, when it could not. */
    Optional<String> accept(RunReport report, ReportWriter.Context context);
  }

  private static final Logger log = LoggerFactory.getLogger(RunSupport.class);

  private RunSupport() {}

  /**
   * Runs {@code engine}, closes what the run opened, and reports on it. The final line is
   * printed once the outcome is final, and nothing follows it: its exit code is the one
   * returned. An unexpected exception on the way (a bug) makes the outcome
   * {@link StopReason#INTERNAL_ERROR}, exit 1, with the counts known so far.
   *
   * @param command the subcommand's name, for the report and summary
   * @param pending the command's pending line, told when the line is printed
   * @param opened what the run opened, closed once the engine has run: a sink that fails to
   *     close ends the run as {@link StopReason#SINK_FAILED}
   * @param fetcher the fetcher, for its counters; null for commands that send no request
   * @param faults what the command knows of its failed items beside the report: those whose
   *     stored input is damaged, settings that failed some item ({@link Faults})
   * @param counts the bad and repeated source lines or rows skipped, read once the run is over
   * @param problems the source's bad lines: those named go into the report, and the count of
   *     the others is logged before the summary
   * @param after run before the report is written, for example to append to the run ledger;
   *     when it fails after a run that would exit 0, the run exits
   *     {@link ExitCodes#NOT_RECORDED} and the summary and report say why
   * @param notice the webhook to post the summary to when the run ends, if any; it never changes
   *     the exit code
   * @return the exit code; when the report cannot be written, the code of that failure
   *     (the summary and the final line are printed all the same)
   */
  static int runAndReport(String command, FinalLine.Pending pending, RunEngine<?, ?> engine,
      RunResources opened, Fetcher fetcher, Faults faults,
      ProgressPrinter progress, double qps,
      String sourceName, SourceCounts counts, SourceProblems problems, Path reportFile,
      PrintWriter err, AfterRun after, Optional<NotifyOptions.Notice> notice) {
    pending.running(engine);
    if (fetcher != null) {
      pending.fetching(fetcher::stats);
    }
    NoticeWait noticeWait = new NoticeWait(Thread.currentThread());
    StopOnSignal signals = StopOnSignal.install(() -> {
      engine.stop();
      // A source read from a pipe that stays open would hold the stop until its next line.
      StandardInput.stopReading();
      noticeWait.signalled();
    }, code -> pending.interrupted(code, err));
    java.time.Instant started = java.time.Instant.now();
    try {
      RunReport report;
      try {
        report = engine.run();
      } catch (VirtualMachineError e) {
        // Out of memory (a shard too large for the heap): what held it is unreachable now, so
        // the run still ends with its summary, report and final line, as an internal error.
        report = stoppedBy(e, pending, engine, started);
      }
      progress.finish();
      problems.logUnnamed();
      report = close(report, opened);
      FetchStats stats = fetcher == null ? null : fetcher.stats();
      int code = Outcomes.exitCode(report, stats == null ? 0 : stats.robotsDisallowed(),
          faults.damaged().getAsLong(), signals.signalCode());
      Optional<String> misconfigured = report.stopReason() == StopReason.COMPLETED
          ? faults.misconfigured().get() : Optional.empty();
      if (misconfigured.isPresent()) {
        // No retry fixes the settings: the scheduler must not try again, nor call it done.
        log.error(misconfigured.get());
        List<String> first = new ArrayList<>(report.problems().size() + 1);
        first.add(misconfigured.get());
        first.addAll(report.problems());
        report = report.toBuilder().problems(first).build();
        code = ExitCodes.USAGE;
      }
      ReportWriter.Context ctx = new ReportWriter.Context(command, code, stats, qps,
          sourceName, counts.bad().getAsLong(), counts.duplicates().getAsLong(),
          problems.named());
      List<String> unrecorded = new ArrayList<>(1);
      ObjectNode json;
      try {
        after.accept(report, ctx).ifPresent(unrecorded::add);
        if (!unrecorded.isEmpty() && code == ExitCodes.OK) {
          ctx = ctx.withExitCode(ExitCodes.NOT_RECORDED);
        }
        json = report(report, ctx, unrecorded, reportFile, pending);
      } catch (ReportFailed e) {
        // The run is over: its summary and final line still end the log, with the code of
        // the report's failure (the report was checked before the run, so this is rare).
        err.println("pixiv " + command + ": " + Logging.escape("the report " + reportFile
            + " was not written: " + Outcomes.message(e.io)));
        ctx = ctx.withExitCode(Outcomes.forFailure(e.io));
        json = e.json;
      } catch (RuntimeException e) {
        report = internalError(report, "reporting the run", e);
        ctx = ctx.withExitCode(ExitCodes.INTERNAL);
        json = ReportWriter.json(report, ctx);
      }
      StringWriter text = new StringWriter();
      PrintWriter summary = new PrintWriter(text);
      ReportWriter.summary(summary, report, ctx);
      // What the run stored is in the sink whatever the ledger says; say so only when it did.
      String stored = report.rowsWritten() == 0 ? "no rows were stored"
          : report.rowsWritten() + " row" + (report.rowsWritten() == 1 ? " is" : "s are")
              + " stored";
      unrecorded.forEach(why -> summary.printf("  LEDGER   %s (%s)%n", why, stored));
      summary.flush();
      err.print(text);
      err.flush();
      int exit = ctx.exitCode();
      // A second signal from here on ends the process with the run's own line and code, which
      // the summary and the report say, not an INTERRUPTED line of the signal's code.
      pending.decided(FinalLine.line(report, ctx), exit);
      // Before the line: what the notice prints when it cannot be delivered must not follow it.
      ObjectNode sent = json;
      notice.ifPresent(n -> {
        noticeWait.begin();
        try {
          awaitNotice(() -> send(n, command, exit, text.toString(), sent, err), signals);
        } finally {
          noticeWait.end();
        }
      });
      // The line decided above, once: a second signal's forced exit may have printed it already,
      // and then the process ends with that line's code.
      return pending.printDecided(err);
    } finally {
      signals.close();
    }
  }

  /** A report that could not be written, with the JSON the run would have written. */
  private static final class ReportFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient IOException io;
    private final transient ObjectNode json;

    ReportFailed(IOException io, ObjectNode json) {
      super(io);
      this.io = io;
      this.json = json;
    }
  }

  private static ObjectNode report(RunReport report, ReportWriter.Context ctx,
      List<String> unrecorded, Path reportFile, FinalLine.Pending pending) throws ReportFailed {
    ObjectNode json = ReportWriter.json(report, ctx);
    unrecorded.forEach(why -> json.put("ledger_failure", why));
    if (reportFile != null) {
      try {
        pending.writeReport(reportFile, json);
      } catch (IOException e) {
        throw new ReportFailed(e, json);
      }
    }
    return json;
  }

  /**
   * Closes what the run opened. A sink that fails to close did not store (all) its rows, whatever
   * stopped the run: the run is {@link StopReason#SINK_FAILED}, with that failure. A source or
   * fetcher that fails to close changes nothing stored: a warning. A bug is
   * {@link StopReason#INTERNAL_ERROR}. A run that did not complete leaves no empty sink file it
   * made ({@link RunResources#closeStorage}).
   */
  private static RunReport close(RunReport report, RunResources opened) {
    RunReport r = report;
    try {
      opened.closeStorage(r.stopReason() != StopReason.COMPLETED);
    } catch (IOException e) {
      log.error("closing the sink failed: {}", e.getMessage());
      if (r.stopReason() != StopReason.INTERNAL_ERROR) {
        r = r.toBuilder().stopReason(StopReason.SINK_FAILED).failure(e).build();
      }
    } catch (RuntimeException e) {
      r = internalError(r, "closing the sink", e);
    }
    try {
      opened.closeOthers();
    } catch (IOException e) {
      log.warn("closing the source or the fetcher failed (nothing stored depends on it): {}",
          e.getMessage());
    } catch (RuntimeException e) {
      r = internalError(r, "closing the source", e);
    }
    return r;
  }

  /**
   * The report of a run that the JVM failed ({@link VmErrors}): the one the engine settled on
   * before it rethrew the error, so that the summary, the report and the final line count what
   * the engine counted (rows written and dropped, outcomes, problems); only when the error left
   * the engine before it settled, one made of the last progress, with the counts it reached.
   */
  private static RunReport stoppedBy(VirtualMachineError e, FinalLine.Pending pending,
      RunEngine<?, ?> engine, java.time.Instant started) {
    String problem = VmErrors.advice(e);
    log.error("internal error: {}", problem);
    Optional<RunReport> settled = engine.settledReport();
    if (settled.isPresent()) {
      return settled.get();
    }
    Progress p = engine.progress();
    return RunReport.builder().runId(pending.runId()).shard(pending.shard())
        .startedAt(started).finishedAt(java.time.Instant.now())
        .stopReason(StopReason.INTERNAL_ERROR).itemsRead(p.read()).skipped(p.skipped())
        .processed(p.processed()).failed(p.failed()).rowsWritten(p.rowsWritten())
        .problems(List.of(problem)).build();
  }

  private static RunReport internalError(RunReport r, String where, RuntimeException e) {
    log.error("internal error {}", where, e);
    List<String> problems = new ArrayList<>(r.problems());
    problems.add("internal error " + where + ": " + e);
    return r.toBuilder().stopReason(StopReason.INTERNAL_ERROR).problems(problems).build();
  }

  /**
   * Whether the command's thread waits for the notice, which a signal then interrupts
   * ({@link #awaitNotice}); never the run. The flag and the interrupt share one lock, so an
   * interrupt cannot reach the thread after its wait is over.
   */
  private static final class NoticeWait {
    private final Thread runner;
    private boolean waiting; // guarded by this

    NoticeWait(Thread runner) {
      this.runner = runner;
    }

    synchronized void begin() {
      waiting = true;
    }

    synchronized void signalled() {
      if (waiting) {
        runner.interrupt();
      }
    }

    synchronized void end() {
      waiting = false;
      Thread.interrupted(); // a signal's, for the notice alone
    }
  }

  /** How long the notice may still take once a signal asked the process to stop. */
  static final java.time.Duration NOTICE_AFTER_SIGNAL = java.time.Duration.ofSeconds(5);

  /**
   * Runs {@code delivery} (three attempts of up to 20 s each), waiting for it at most
   * {@link #NOTICE_AFTER_SIGNAL} once a signal came (before it or while it runs): the notice
   * then held the stop for half a minute, past a pod's grace period, and the final line was
   * never printed. A notice cut short is said in the log; it never changes the exit code.
   */
  private static void awaitNotice(Runnable delivery, StopOnSignal signals) {
    Thread sender = new Thread(delivery, "pixiv-notice");
    sender.setDaemon(true);
    sender.start();
    try {
      if (signals.signalCode() == 0) {
        sender.join();
        return;
      }
    } catch (InterruptedException signalled) {
      // a signal came while the notice was being sent
    }
    try {
      sender.join(NOTICE_AFTER_SIGNAL.toMillis());
    } catch (InterruptedException again) {
      // a further interrupt: stop waiting now
    }
    if (sender.isAlive()) {
      sender.interrupt();
      log.warn("stopped sending the notice: the process was asked to stop");
    }
  }

  private static void send(NotifyOptions.Notice n, String command, int exit, String summary,
      ObjectNode json, PrintWriter err) {
    try {
      n.send(command, exit, summary.lines().filter(l -> !l.isBlank()).map(Secrets::mask)
          .toList(), json, err);
    } catch (RuntimeException e) {
      // The notice never changes the exit code.
      log.warn("the notice could not be sent: {}", e.toString());
    }
  }
  /**
   * What a command knows of its failed items beside the report, read once the run is over.
   *
   * @param damaged the items that failed on damaged stored input ({@link Outcomes#exitCode})
   * @param misconfigured why the run's settings, not its items or the site, are at fault, when
   *     they failed some item: a completed run then exits 2, and the report's problems begin
   *     with this line
   */
  record Faults(java.util.function.LongSupplier damaged,
      java.util.function.Supplier<Optional<String>> misconfigured) {
    static final Faults NONE = new Faults(() -> 0, Optional::empty);

    /** Only {@code damaged} items. */
    static Faults damaged(java.util.function.LongSupplier damaged) {
      return new Faults(damaged, NONE.misconfigured);
    }

    /** Only settings that may be at fault. */
    static Faults misconfigured(java.util.function.Supplier<Optional<String>> misconfigured) {
      return new Faults(NONE.damaged, misconfigured);
    }
  }

  /**
   * What the source skipped, for the report's {@code source} section: bad lines or rows (not an
   * article URL, a line that cannot be read) and repeats. Read once the run is over.
   */
  record SourceCounts(java.util.function.LongSupplier bad,
      java.util.function.LongSupplier duplicates) {
    static final SourceCounts NONE = new SourceCounts(() -> 0, () -> 0);

    /** A file source's counts, or none when it is null. */
    static SourceCounts of(FileSource source) {
      return source == null ? NONE
          : new SourceCounts(source::problemCount, source::duplicateCount);
    }
  }
}

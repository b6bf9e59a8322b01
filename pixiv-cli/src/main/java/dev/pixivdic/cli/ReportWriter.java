package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.support.cli.FileName;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.ReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes the JSON run report and the one-screen summary. */
final class ReportWriter {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What a command adds to the engine's report. */
  record Context(String command, int exitCode, FetchStats fetch, double qpsBudget,
      String sourceName, long badSourceLines, long duplicateSourceLines,
      List<String> sourceProblems) {

    /** The same context with another exit code. */
    Context withExitCode(int code) {
      return new Context(command, code, fetch, qpsBudget, sourceName, badSourceLines,
          duplicateSourceLines, sourceProblems);
    }
  }

  private ReportWriter() {}

  static ObjectNode json(RunReport r, Context c) {
    ObjectNode root = JSON.createObjectNode();
    root.put("run_id", r.runId());
    root.put("command", c.command());
    root.put("scraper_version", dev.pixivdic.core.internal.ScraperVersion.get());
    root.put("shard", r.shard());
    root.put("started_at", r.startedAt().toString());
    root.put("finished_at", r.finishedAt().toString());
    root.put("duration_seconds", seconds(r.duration()));
    root.put("stop_reason", r.stopReason().name());
    root.put("exit_code", c.exitCode());
    ObjectNode items = root.putObject("items");
    items.put("read", r.itemsRead());
    items.put("skipped_already_stored", r.skipped());
    items.put("processed", r.processed());
    items.put("failed", r.failed());
    items.put("failed_for_good", r.failedForGood());
    items.put("redirected_temporarily", r.redirectedTemporarily());
    items.put("not_found_with_article", r.notFoundWithArticle());
    items.put("refused_by_robots", r.refusedByRobots());
    items.put("cancelled", r.cancelled());
    ObjectNode by = items.putObject("by_outcome");
    for (Outcome o : Outcome.values()) {
      by.put(o.name(), r.count(o));
    }
    ObjectNode rows = root.putObject("rows");
    rows.put("written", r.rowsWritten());
    rows.put("batches", r.batchesWritten());
    rows.put("dropped", r.rowsDropped());
    ObjectNode coverage = root.putObject("coverage");
    r.coverage().forEach((k, v) -> coverage.put(k, Math.round(v * 10000) / 10000.0));
    ObjectNode drift = root.putObject("drift");
    drift.put("verdict", r.drift().verdict());
    drift.put("pages_judged", r.drift().judged());
    drift.put("pages_broken", r.drift().broken());
    ObjectNode missing = drift.putObject("missing");
    r.drift().missing().forEach(missing::put);
    ObjectNode disagreements = root.putObject("disagreements");
    disagreements.put("pages", r.disagreeingPages());
    r.disagreements().forEach(disagreements.putObject("by_column")::put);
    ObjectNode source = root.putObject("source");
    source.put("name", c.sourceName());
    source.put("bad_lines", c.badSourceLines());
    source.put("duplicates", c.duplicateSourceLines());
    var sourceProblems = source.putArray("problems");
    c.sourceProblems().forEach(p -> sourceProblems.add(Secrets.mask(p)));
    if (c.fetch() != null) {
      FetchStats f = c.fetch();
      ObjectNode fetch = root.putObject("fetch");
      fetch.put("requests", f.requestsSent());
      fetch.put("retries", f.retries());
      fetch.put("bytes", f.bytesReceived());
      fetch.put("bytes_on_wire", f.bytesOnWire());
      ObjectNode status = fetch.putObject("responses_by_status");
      new TreeMap<>(f.responsesByStatus()).forEach((k, v) -> status.put(String.valueOf(k), v));
      fetch.put("robots_disallowed", f.robotsDisallowed());
      fetch.put("redirected", f.redirected());
      fetch.put("failures", f.failures());
      fetch.put("rate_limit_wait_seconds", seconds(f.rateLimitWait()));
      ObjectNode rate = root.putObject("rate");
      double secs = Math.max(1e-3, r.duration().toMillis() / 1000.0);
      rate.put("qps_budget", c.qpsBudget());
      rate.put("requests_per_second", round(f.requestsSent() / secs));
      rate.put("items_per_second", round(r.processed() / secs));
    }
    ObjectNode timings = root.putObject("timings");
    timings.put("item_seconds_total", seconds(r.itemTimeTotal()));
    timings.put("item_seconds_max", seconds(r.itemTimeMax()));
    timings.put("item_seconds_mean", r.processed() + r.failed() == 0 ? 0
        : round(seconds(r.itemTimeTotal()) / (r.processed() + r.failed())));
    var problems = root.putArray("problems");
    r.problems().forEach(p -> problems.add(Secrets.mask(p)));
    if (r.failure() != null) {
      root.put("failure", Secrets.mask(r.failure().toString()));
    }
    return root;
  }

  /**
   * Refuses, before the run, a {@code --report} that the report would destroy or could not
   * replace: the sink file, a directory, a place below a file or where the run may not write,
   * or a file that is not a report pixiv wrote (the source list, a CSV...). Reports are replaced
   * whole, so only one of ours may be.
   *
   * @throws ConfigException naming the option and the file
   */
  static void checkTarget(Path report, String sinkSpec) {
    if (report == null) {
      return;
    }
    if (!Targets.isBigQuery(sinkSpec) && Targets.sameFile(report, Path.of(sinkSpec))) {
      throw new ConfigException("--report " + report + " is the --sink file; the report would"
          + " replace the rows. Name a file of its own");
    }
    java.util.Optional<String> stream = FileName.standardStream(report);
    if (stream.isPresent()) {
      throw new ConfigException("--report " + report + " is this run's " + stream.get()
          + "; the report would replace what the run writes there. Name a file of its own");
    }
    Targets.refuseCompanion("--report " + report, report);
    Targets.checkPlace("--report " + report, report);
    java.util.Optional<String> notAFile = FileName.notAFile(report);
    if (notAFile.isPresent()) {
      throw new ConfigException("--report " + report + " " + notAFile.get());
    }
    if (Files.exists(report) && !ReportFiles.isReport(report, "run_id")) {
      throw new ConfigException("--report " + report + " is not a report pixiv wrote; it was"
          + " left unchanged. Name a new file, or an earlier report");
    }
    probeTemporary(report);
  }

  /**
   * Creates and deletes, in the nearest directory that exists, a file whose name is as long (in
   * bytes) as {@code FILE.tmp}, the name the report is first written under ({@link #write}): a
   * name that the file system finds too long once {@code .tmp} is added is refused now, not
   * after the whole run. The probe's name is its own (a run finishing meanwhile may be writing
   * {@code FILE.tmp}), made new or not at all.
   */
  private static void probeTemporary(Path report) {
    try {
      Path tmp = ReportFiles.temporary(ReportFiles.destination(report));
      Path dir = tmp.getParent();
      while (dir != null && !Files.isDirectory(dir)) {
        dir = dir.getParent();
      }
      if (dir == null) {
        return;
      }
      int length = tmp.getFileName().toString().getBytes(StandardCharsets.UTF_8).length;
      if (length <= 100) {
        return; // a length every file system takes (eCryptfs, the shortest, 143 bytes)
      }
      StringBuilder name = new StringBuilder(".pixiv-probe-");
      java.util.concurrent.ThreadLocalRandom random =
          java.util.concurrent.ThreadLocalRandom.current();
      while (name.length() < length) {
        name.append((char) ('a' + random.nextInt(26)));
      }
      Files.delete(Files.createFile(dir.resolve(name.toString())));
    } catch (FileAlreadyExistsException e) {
      return; // a name of that length is one the file system takes
    } catch (IOException e) {
      throw new ConfigException("--report " + report + ": the report, first written as "
          + report.getFileName() + ".tmp beside the file it names, could not be ("
          + Outcomes.message(e) + "); name a shorter path or a place the run may write", e);
    }
  }

  /**
   * Refuses a {@code --report} that names {@code other}, a file of the run that does not exist
   * yet (one that exists is no report, and {@link #checkTarget} refuses it).
   *
   * @throws ConfigException naming both
   */
  static void refuseSameFile(Path report, String what, Path other) {
    if (report != null && Targets.sameFile(report, other)) {
      throw new ConfigException("--report " + report + " is " + what + "; the report would"
          + " replace it. Name a file of its own");
    }
  }

  /**
   * Writes the report atomically ({@link ReportFiles#write}); a failure is thrown as it came
   * (its type says whether a retry may help: {@link Outcomes#forFailure}).
   */
  static void write(Path file, ObjectNode report) throws IOException {
    ReportFiles.write(file, JSON.writeValueAsBytes(report));
  }

  static void summary(PrintWriter err, RunReport r, Context c) {
    err.printf(Locale.ROOT, "%n%s %s, shard %s: %s in %s (exit %d)%n", c.command(), r.runId(),
        r.shard(), r.stopReason(), Durations.human(r.duration()), c.exitCode());
    err.printf(Locale.ROOT, "  items    read %d, skipped (already stored) %d, processed %d, "
        + "failed %d%s, cancelled %d%n",
        r.itemsRead(), r.skipped(), r.processed(), r.failed(), failedDetail(r), r.cancelled());
    StringBuilder outcomes = new StringBuilder();
    for (Map.Entry<Outcome, Long> e : r.byOutcome().entrySet()) {
      if (e.getValue() > 0) {
        outcomes.append(outcomes.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
            .append(e.getValue());
      }
    }
    if (r.redirectedTemporarily() > 0) {
      outcomes.append(outcomes.length() == 0 ? "" : ", ").append("redirected temporarily ")
          .append(r.redirectedTemporarily());
    }
    if (r.notFoundWithArticle() > 0) {
      outcomes.append(outcomes.length() == 0 ? "" : ", ")
          .append("404/410 with the article's own page (not judged, asked again) ")
          .append(r.notFoundWithArticle());
    }
    err.printf(Locale.ROOT, "  outcomes %s%n", outcomes.length() == 0 ? "none" : outcomes);
    err.printf(Locale.ROOT, "  rows     written %d in %d batches%s%n", r.rowsWritten(),
        r.batchesWritten(), r.rowsDropped() > 0 ? ", DROPPED " + r.rowsDropped() : "");
    if (c.fetch() != null) {
      FetchStats f = c.fetch();
      double secs = Math.max(1e-3, r.duration().toMillis() / 1000.0);
      err.printf(Locale.ROOT,
          "  fetch    %d requests, %d retries, %s, %.2f req/s (budget %.2f)%s%n",
          f.requestsSent(), f.retries(), bytes(f.bytesReceived()), f.requestsSent() / secs,
          c.qpsBudget(),
          (f.redirected() > 0 ? ", " + f.redirected() + " redirected" : "")
              + (f.robotsDisallowed() > 0 ? ", robots.txt refused " + f.robotsDisallowed()
                  : ""));
    }
    if (c.badSourceLines() > 0) {
      // A table's source logs the first 20 of its bad rows only.
      err.printf(Locale.ROOT, "  source   %d bad lines skipped (the log names %s)%n",
          c.badSourceLines(), Targets.isBigQuery(c.sourceName()) ? "the first 20"
              : c.badSourceLines() > SourceProblems.NAMED ? "the first " + SourceProblems.NAMED
              : "them");
    }
    if (!r.coverage().isEmpty()) {
      StringBuilder low = new StringBuilder();
      r.coverage().forEach((k, v) -> {
        if (v < 0.5) {
          low.append(low.length() == 0 ? "" : ", ").append(k)
              .append(String.format(Locale.ROOT, " %.0f%%", v * 100));
        }
      });
      if (low.length() > 0) {
        err.printf(Locale.ROOT, "  coverage below 50%%: %s%n", low);
      }
    }
    if (r.disagreeingPages() > 0) {
      err.printf(Locale.ROOT, "  disagree %d pages read a column two ways (left absent): %s%n",
          r.disagreeingPages(), r.disagreements());
    }
    int shown = 0;
    for (String p : r.problems()) {
      if (shown++ == 5) {
        err.printf(Locale.ROOT, "  ... %d more problems in the report%n", r.problems().size() - 5);
        break;
      }
      // A problem quotes a name or a page's text: a mark that reorders text stays a mark.
      err.printf(Locale.ROOT, "  problem  %s%n", Logging.escape(p));
    }
    if (r.failure() != null) {
      err.printf(Locale.ROOT, "  FAILURE  %s%n", Logging.escape(Outcomes.message(r.failure())));
    }
    err.flush();
  }

  private static double seconds(Duration d) {
    return round(d.toNanos() / 1e9);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** What the failed items were, where the report tells: for good, refused by robots.txt. */
  private static String failedDetail(RunReport r) {
    List<String> parts = new ArrayList<>(2);
    if (r.failedForGood() > 0) {
      parts.add(r.failedForGood() + " the same on every try: no retry asked");
    }
    if (r.refusedByRobots() > 0) {
      parts.add(r.refusedByRobots() + " refused by robots.txt");
    }
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  private static String bytes(long b) {
    if (b >= 1 << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
    }
    if (b >= 1 << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }
}

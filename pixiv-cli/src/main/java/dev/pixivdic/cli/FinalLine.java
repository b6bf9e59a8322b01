package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.run.RunReport;

/**
 * The one structured line a fetching command prints last, for machines: {@value #MARKER}
 * followed by a JSON object on the same line. {@code pixiv-launch} finds it in each pod's log
 * to build the Job report; docs/operations.md gives the schema. The line is printed in both log
 * formats, on stderr like the summary, and holds counts and ids only: no URL, no option value
 * that could carry a credential. It is kept short, well under the 16 KiB at which container
 * runtimes split a log line.
 */
final class FinalLine {

  /** What starts the line; followed by one space and the JSON object. */
  static final String MARKER = "PIXIV_RESULT";
  /** The schema's version: a reader ignores fields it does not know, and a newer version. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private FinalLine() {}

  /** The JSON object of the line, from the run's report and the command's context. */
  static ObjectNode json(RunReport r, ReportWriter.Context c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("command", c.command());
    o.put("run_id", r.runId());
    o.put("shard", r.shard());
    o.put("stop_reason", r.stopReason().name());
    o.put("exit_code", c.exitCode());
    o.put("items_read", r.itemsRead());
    o.put("items_skipped", r.skipped());
    o.put("items_processed", r.processed());
    o.put("items_failed", r.failed());
    o.put("rows_written", r.rowsWritten());
    o.put("rows_dropped", r.rowsDropped());
    FetchStats f = c.fetch();
    o.put("requests", f == null ? 0 : f.requestsSent());
    o.put("retries", f == null ? 0 : f.retries());
    o.put("elapsed_seconds", r.duration().toMillis() / 1000.0);
    o.put("qps", c.qpsBudget());
    o.put("drift", r.drift().verdict());
    return o;
  }

  /** The whole line, without a line end. */
  static String line(RunReport r, ReportWriter.Context c) {
    return MARKER + " " + json(r, c);
  }
}

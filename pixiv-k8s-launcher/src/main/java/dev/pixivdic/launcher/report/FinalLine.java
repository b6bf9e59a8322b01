package dev.pixivdic.launcher.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * What one {@code pixiv} run said in its final line ({@value #MARKER} and a JSON object), as the
 * launcher reads it from a pod's log. The launcher does not link {@code pixiv}, so this is its
 * own reading of the schema in docs/operations.md; a test in {@code pixiv-cli} feeds it a line
 * the real command printed. Fields the line lacks read as zero or empty.
 *
 * @param command the subcommand (scrape, resolve, replay)
 * @param runId the run's id
 * @param shard the shard as {@code i/n}
 * @param stopReason why the run stopped (COMPLETED, BLOCKED, PARSE_BREAKAGE, ...)
 * @param exitCode the exit code the command chose
 * @param itemsProcessed items fetched and classified
 * @param itemsFailed items that could not be had
 * @param rowsWritten rows stored
 * @param rowsDropped rows lost (a batch that could not be written)
 * @param requests requests sent to the site
 * @param retries of those, retries
 * @param elapsedSeconds the run's wall time
 * @param qps the run's own request budget
 */
public record FinalLine(String command, String runId, String shard, String stopReason,
    int exitCode, long itemsProcessed, long itemsFailed, long rowsWritten, long rowsDropped,
    long requests, long retries, double elapsedSeconds, double qps) {

  /** What starts the line. */
  public static final String MARKER = "PIXIV_RESULT";
  private static final ObjectMapper JSON = new ObjectMapper();

  public FinalLine {
    requireNonNull(command, "command");
    requireNonNull(runId, "runId");
    requireNonNull(shard, "shard");
    requireNonNull(stopReason, "stopReason");
  }

  /**
   * The final line in one line of a log, if it holds one. The marker may follow other text on
   * the same line (a progress bar redrawn with a carriage return); a line whose JSON does not
   * parse is not a final line.
   */
  public static Optional<FinalLine> find(String logLine) {
    int at = logLine.indexOf(MARKER + " {");
    if (at < 0) {
      return Optional.empty();
    }
    JsonNode o;
    try {
      o = JSON.readTree(logLine.substring(at + MARKER.length() + 1));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (o == null || !o.isObject() || !o.path("exit_code").isInt()) {
      return Optional.empty();
    }
    return Optional.of(new FinalLine(o.path("command").asText(""), o.path("run_id").asText(""),
        o.path("shard").asText(""), o.path("stop_reason").asText(""),
        o.path("exit_code").asInt(), o.path("items_processed").asLong(),
        o.path("items_failed").asLong(), o.path("rows_written").asLong(),
        o.path("rows_dropped").asLong(), o.path("requests").asLong(), o.path("retries").asLong(),
        o.path("elapsed_seconds").asDouble(), o.path("qps").asDouble()));
  }
}

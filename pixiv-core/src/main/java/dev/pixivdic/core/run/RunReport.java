package dev.pixivdic.core.run;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run did. Immutable.
 *
 * @param runId the run's id
 * @param shard the shard, as {@code i/n}
 * @param startedAt when the run started
 * @param finishedAt when it ended
 * @param stopReason why it ended
 * @param itemsRead items of the shard read from the source
 * @param skipped items skipped because the sink already held them, fresh
 * @param processed items processed (fetched and classified)
 * @param failed items that could not be processed (retried on the next run)
 * @param cancelled items abandoned in flight when the run stopped early
 * @param byOutcome processed items by outcome, every outcome present
 * @param rowsWritten rows the sink stored
 * @param batchesWritten batches the sink stored
 * @param rowsDropped rows parsed but not stored (the drift guard tripped, or the sink failed)
 * @param coverage for ARTICLE pages, the share of pages that had each column
 * @param problems a sample of what went wrong, one line each (at most 50)
 * @param itemTimeTotal summed processing time of all items
 * @param itemTimeMax the slowest item
 * @param failure the I/O error that stopped the run, for SOURCE_FAILED and SINK_FAILED
 * @param drift the drift guard's evidence
 * @param disagreeingPages processed pages whose parser strategies disagreed on some column
 * @param disagreements for those pages, how many disagreed on each column (left absent)
 */
public record RunReport(
    String runId,
    String shard,
    Instant startedAt,
    Instant finishedAt,
    StopReason stopReason,
    long itemsRead,
    long skipped,
    long processed,
    long failed,
    long cancelled,
    Map<Outcome, Long> byOutcome,
    long rowsWritten,
    long batchesWritten,
    long rowsDropped,
    Map<String, Double> coverage,
    List<String> problems,
    Duration itemTimeTotal,
    Duration itemTimeMax,
    IOException failure,
    Drift drift,
    long disagreeingPages,
    Map<String, Long> disagreements) {

  /**
   * The drift guard's evidence, for the report and for adding up across shards.
   *
   * @param verdict {@code TRIPPED}, {@code OK}, or {@code TOO_FEW_PAGES} when the shard ended
   *     before the guard had seen enough pages to judge by its share rule
   * @param judged ARTICLE and UNRECOGNIZED pages seen
   * @param broken pages without an essential column, not recognised, or whose parser
   *     strategies disagreed on a column
   * @param missing per watched column, the ARTICLE pages without it
   */
  public record Drift(String verdict, long judged, long broken, Map<String, Long> missing) {
    public Drift {
      requireNonNull(verdict, "verdict");
      missing = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(missing, "missing")));
    }
  }

  public RunReport {
    requireNonNull(runId, "runId");
    requireNonNull(shard, "shard");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(finishedAt, "finishedAt");
    requireNonNull(stopReason, "stopReason");
    EnumMap<Outcome, Long> all = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      all.put(o, requireNonNull(byOutcome, "byOutcome").getOrDefault(o, 0L));
    }
    byOutcome = Collections.unmodifiableMap(all);
    coverage = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(coverage, "coverage")));
    problems = List.copyOf(requireNonNull(problems, "problems"));
    requireNonNull(itemTimeTotal, "itemTimeTotal");
    requireNonNull(itemTimeMax, "itemTimeMax");
    requireNonNull(drift, "drift");
    disagreements = Collections.unmodifiableMap(
        new TreeMap<>(requireNonNull(disagreements, "disagreements")));
  }

  /** Items processed with this outcome. */
  public long count(Outcome outcome) {
    return byOutcome.get(outcome);
  }

  /** How long the run took. */
  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  /** The I/O error that stopped the run, if one did. */
  public Optional<IOException> failureCause() {
    return Optional.ofNullable(failure);
  }
}

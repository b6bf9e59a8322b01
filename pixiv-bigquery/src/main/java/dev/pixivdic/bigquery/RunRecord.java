package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the run ledger: what one shard of one run did. Counts are whole numbers, never
 * negative. Build with {@link #builder(String, String, int, int)}.
 *
 * @param runId the run
 * @param command the command run ({@code scrape}, ...)
 * @param shardIndex zero-based shard index
 * @param shardCount number of shards
 * @param startedAt when the shard started
 * @param finishedAt when it finished
 * @param exitCode the process exit code
 * @param itemsTotal items read from the source
 * @param itemsSkipped items skipped as already stored
 * @param itemsArticle pages that were articles
 * @param itemsNotFound pages that did not exist
 * @param itemsBlocked pages blocked by the site
 * @param itemsMaintenance pages announcing maintenance
 * @param itemsUnrecognized pages whose layout was not recognised
 * @param itemsFailed items that failed otherwise (network, retries exhausted)
 * @param itemsFailedForGood of {@code itemsFailed}, those that failed the same way on every try
 *     and asked no retry (see {@code RunReport.failedForGood()})
 * @param rowsWritten rows written to the sink
 * @param requests HTTP requests made
 * @param bytesFetched response bytes received
 * @param scraperVersion version of the software
 * @param source the source spec
 * @param sink the sink spec
 * @param message a short note (the error of a failed run); empty when none
 */
public record RunRecord(
    String runId,
    String command,
    int shardIndex,
    int shardCount,
    Instant startedAt,
    Instant finishedAt,
    int exitCode,
    long itemsTotal,
    long itemsSkipped,
    long itemsArticle,
    long itemsNotFound,
    long itemsBlocked,
    long itemsMaintenance,
    long itemsUnrecognized,
    long itemsFailed,
    long itemsFailedForGood,
    long rowsWritten,
    long requests,
    long bytesFetched,
    String scraperVersion,
    String source,
    String sink,
    Optional<String> message) {

  public RunRecord {
    requireNonNull(runId, "runId");
    requireNonNull(command, "command");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(finishedAt, "finishedAt");
    requireNonNull(scraperVersion, "scraperVersion");
    requireNonNull(source, "source");
    requireNonNull(sink, "sink");
    requireNonNull(message, "message");
    if (runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank");
    }
    if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
      throw new IllegalArgumentException(
          "shard must be 0 <= index < count, was " + shardIndex + "/" + shardCount);
    }
    long[] counts = {itemsTotal, itemsSkipped, itemsArticle, itemsNotFound, itemsBlocked,
        itemsMaintenance, itemsUnrecognized, itemsFailed, itemsFailedForGood, rowsWritten,
        requests, bytesFetched};
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("counts must be >= 0, was " + c);
      }
    }
  }

  /** A builder; times default to the epoch until set, counts to 0, exit code to 0. */
  public static Builder builder(String runId, String command, int shardIndex, int shardCount) {
    return new Builder(runId, command, shardIndex, shardCount);
  }

  /** Collects a record's values. Not thread-safe. */
  public static final class Builder {
    private final String runId;
    private final String command;
    private final int shardIndex;
    private final int shardCount;
    private Instant startedAt = Instant.EPOCH;
    private Instant finishedAt = Instant.EPOCH;
    private int exitCode;
    private long itemsTotal;
    private long itemsSkipped;
    private long itemsArticle;
    private long itemsNotFound;
    private long itemsBlocked;
    private long itemsMaintenance;
    private long itemsUnrecognized;
    private long itemsFailed;
    private long itemsFailedForGood;
    private long rowsWritten;
    private long requests;
    private long bytesFetched;
    private String scraperVersion = "unknown";
    private String source = "";
    private String sink = "";
    private Optional<String> message = Optional.empty();

    private Builder(String runId, String command, int shardIndex, int shardCount) {
      this.runId = requireNonNull(runId, "runId");
      this.command = requireNonNull(command, "command");
      this.shardIndex = shardIndex;
      this.shardCount = shardCount;
    }

    public Builder startedAt(Instant v) {
      this.startedAt = requireNonNull(v, "startedAt");
      return this;
    }

    public Builder finishedAt(Instant v) {
      this.finishedAt = requireNonNull(v, "finishedAt");
      return this;
    }

    public Builder exitCode(int v) { this.exitCode = v; return this; }
    public Builder itemsTotal(long v) { this.itemsTotal = v; return this; }
    public Builder itemsSkipped(long v) { this.itemsSkipped = v; return this; }
    public Builder itemsArticle(long v) { this.itemsArticle = v; return this; }
    public Builder itemsNotFound(long v) { this.itemsNotFound = v; return this; }
    public Builder itemsBlocked(long v) { this.itemsBlocked = v; return this; }
    public Builder itemsMaintenance(long v) { this.itemsMaintenance = v; return this; }
    public Builder itemsUnrecognized(long v) { this.itemsUnrecognized = v; return this; }
    public Builder itemsFailed(long v) { this.itemsFailed = v; return this; }
    public Builder itemsFailedForGood(long v) { this.itemsFailedForGood = v; return this; }
    public Builder rowsWritten(long v) { this.rowsWritten = v; return this; }
    public Builder requests(long v) { this.requests = v; return this; }
    public Builder bytesFetched(long v) { this.bytesFetched = v; return this; }
    public Builder scraperVersion(String v) {
      this.scraperVersion = requireNonNull(v, "scraperVersion");
      return this;
    }

    public Builder source(String v) { this.source = requireNonNull(v, "source"); return this; }
    public Builder sink(String v) { this.sink = requireNonNull(v, "sink"); return this; }
    public Builder message(String v) { this.message = Optional.ofNullable(v); return this; }

    /**
     * The record.
     *
     * @throws IllegalArgumentException on a bad shard or a negative count
     */
    public RunRecord build() {
      return new RunRecord(runId, command, shardIndex, shardCount, startedAt, finishedAt,
          exitCode, itemsTotal, itemsSkipped, itemsArticle, itemsNotFound, itemsBlocked,
          itemsMaintenance, itemsUnrecognized, itemsFailed, itemsFailedForGood, rowsWritten,
          requests, bytesFetched, scraperVersion, source, sink, message);
    }
  }
}

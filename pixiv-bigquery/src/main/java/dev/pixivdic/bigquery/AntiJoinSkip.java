package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import java.time.Instant;
import java.util.Objects;

/**
 * Spares a {@link BigQuerySink} its {@code stored()} query when the {@link BigQuerySource} of the
 * same run has already left out, with its anti-join, what the sink would skip. Give one instance
 * per run to both builders ({@link BigQuerySource.Builder#skipStoredIn(TableRef,
 * java.time.Duration, AntiJoinSkip)} and {@link BigQuerySink.Builder#antiJoinSkip}).
 *
 * <p>The sink's {@code stored(shard, since)} then answers a
 * {@link dev.pixivdic.core.StoredKeys#deferred deferred} set, and the source runs its anti-join
 * from the earlier of its own window's start and that {@code since}. The sink's query runs, once,
 * only when an item may be held although the source yielded it:
 * <ul>
 *   <li>the source's query of that shard had no anti-join (the destination did not exist when
 *       it looked), or it joined another table, another shard, or from a later time;
 *   <li>the source yielded an item whose stored URL is not canonical: the anti-join compares the
 *       stored strings, the sink the canonical URLs (from that item on, every item is looked
 *       up).
 * </ul>
 * Otherwise every item the source yields has no row at or after {@code since}, and the run skips
 * exactly what it skipped with the query. Thread-safe.
 */
public final class AntiJoinSkip {

  private TableRef askedTable;
  private Shard askedShard;
  private Instant askedSince;
  private TableRef joinedTable;
  private Shard joinedShard;
  private Instant joinedSince;
  private boolean nonCanonical;

  /** A skip for one run. */
  public AntiJoinSkip() {}

  /** The sink was asked what it holds of {@code shard} at or after {@code since}. */
  synchronized void asked(TableRef table, Shard shard, Instant since) {
    askedTable = requireNonNull(table, "table");
    askedShard = requireNonNull(shard, "shard");
    askedSince = requireNonNull(since, "since");
  }

  /**
   * Where the source's anti-join of {@code table} starts: {@code own}, or the earlier time the
   * sink was asked about for the same table and shard.
   */
  synchronized Instant since(TableRef table, Shard shard, Instant own) {
    if (table.equals(askedTable) && shard.equals(askedShard) && askedSince.isBefore(own)) {
      return askedSince;
    }
    return own;
  }

  /**
   * The source queried {@code shard} with the anti-join against {@code table} from
   * {@code since}; a null table when it queried without one.
   */
  synchronized void joined(TableRef table, Shard shard, Instant since) {
    joinedTable = table;
    joinedShard = shard;
    joinedSince = since;
  }

  /** The source yielded an item whose stored URL is not its canonical URL. */
  synchronized void yieldedNonCanonical() {
    nonCanonical = true;
  }

  /**
   * Whether an item of {@code shard} that the source yielded may have a row in {@code table} at
   * or after {@code since}.
   */
  synchronized boolean mayBeStored(TableRef table, Shard shard, Instant since) {
    return nonCanonical || joinedTable == null || !joinedTable.equals(table)
        || !Objects.equals(joinedShard, shard) || joinedSince.isAfter(since);
  }
}

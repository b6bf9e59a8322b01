package dev.pixivdic.core;

import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Stores rows: the only record of a run's progress. A re-run asks the sink what it already
 * holds and skips those items.
 *
 * <p>Contract: {@link #write} stores a batch whole or not at all, and writing the same batch
 * twice (a retry after a lost acknowledgement) stores it once. Implementations say whether they
 * are thread-safe; the run engine calls a sink from one thread at a time, never two calls at
 * once, each call seeing what the ones before it did: {@code stored} and {@code close} from the
 * thread that runs it, each {@code write} from a thread of its own, which an interrupt of the
 * run thread does not reach.
 *
 * <p>A run waits for each {@code write} to return, also once it is stopped or its thread is
 * interrupted: that is how a stopped run still stores what it parsed. Nothing interrupts a
 * write, so a write must end by itself: bound every wait it makes (a timeout on each call to a
 * server, a lock or a queue). A write that blocks for good keeps the run from ever returning,
 * whatever stops it.
 *
 * <p>The run's report trusts the contract: a batch whose {@code write} returned is counted as
 * written, one whose {@code write} threw as not stored (its rows dropped, its items fetched
 * again by the next run). A sink that stores part of a batch and then throws breaks it: the
 * report undercounts what the sink holds, and as a re-run skips every item the sink holds any
 * row of, an item with some of its rows stored loses the others for good.
 *
 * <p>One run at a time per sink. A run asks the sink what it holds once (at its start, or at the
 * first item that needs it for a {@link StoredKeys#deferred deferred} set) and skips only that:
 * two runs going on at once into the same sink each take the items the other has not stored
 * yet, and each stores its rows, so the sink gets every row twice (the batches differ, by their
 * run id and time, so the rule above does not make them one). Thread safety does not prevent
 * it. The project's file sinks hold a lock across processes for the whole run and refuse a
 * second writer; a sink of your own, or an {@code InMemorySink}, must be given to one run at a
 * time (or one sink per run, per shard), or refuse a second run itself.
 *
 * @param <R> the row type: {@link ArticleRow} for article scraping
 */
public interface Sink<R> extends Closeable {

  /**
   * The keys of {@code shard} that the sink holds rows for, made at or after {@code since}.
   *
   * @throws IOException when the sink cannot be read
   */
  StoredKeys stored(Shard shard, Instant since) throws IOException;

  /**
   * As {@link #stored(Shard, Instant)}, asked by a run whose clock ({@code RunConfig.clock})
   * reads {@code now}: the project's sinks count a row stamped more than a day ahead of
   * {@code now} as not stored, which they judge by this clock rather than the system's. The
   * default asks {@link #stored(Shard, Instant)}.
   *
   * @throws IOException when the sink cannot be read
   */
  default StoredKeys stored(Shard shard, Instant since, Instant now) throws IOException {
    return stored(shard, since);
  }

  /**
   * Stores a batch atomically. An empty batch does nothing. Must return or throw within a
   * bounded time: the run waits for it, and does not interrupt it (see above).
   *
   * @throws IOException when the batch could not be stored; then none of it is stored
   */
  void write(List<R> batch) throws IOException;

  /** Flushes and releases resources. */
  @Override
  default void close() throws IOException {}
}

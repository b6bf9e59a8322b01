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
   * Stores a batch atomically. An empty batch does nothing.
   *
   * @throws IOException when the batch could not be stored; then none of it is stored
   */
  void write(List<R> batch) throws IOException;

  /** Flushes and releases resources. */
  @Override
  default void close() throws IOException {}
}

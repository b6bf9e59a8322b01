package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.pixivdic.core.Sink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The rows waiting for the sink, written in whole batches: a batch is due when {@code flushRows}
 * rows wait or the oldest has waited {@code flushInterval}. A batch holds the rows of whole
 * items (one {@link #add} each), at most {@code flushRows} rows unless one item has more: the
 * rows of one item (a name's matches) are stored together or not at all, since a re-run skips
 * an item the sink holds any row of. Counts what was written and what was dropped. Owned by the
 * run thread; not thread-safe. Whether a due batch may be written (the drift guard, a failed
 * sink) is the caller's decision. Each batch is written on a thread of its own (see
 * {@link #write}).
 *
 * @param <R> row type
 */
final class Batcher<R> {

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  private final Sink<R> sink;
  private final Clock clock;
  private final int flushRows;
  private final Duration flushInterval;
  private final List<R> pending = new ArrayList<>();
  /** How many rows each item has in {@link #pending}, in order. */
  private final List<Integer> itemSizes = new ArrayList<>();
  /**
   * Whether a batch went to the sink and is not accounted for yet: a failure then may have
   * stored some or all of it, so it is never written again. A failure before (copying the batch,
   * starting its thread: out of memory) leaves every row pending, to be written once.
   */
  private boolean handedOver;
  private Instant pendingSince;
  private long rowsWritten;
  private long batchesWritten;
  private long rowsDropped;

  Batcher(Sink<R> sink, Clock clock, int flushRows, Duration flushInterval) {
    this.sink = requireNonNull(sink, "sink");
    this.clock = requireNonNull(clock, "clock");
    this.flushRows = flushRows;
    this.flushInterval = requireNonNull(flushInterval, "flushInterval");
  }

  /** Adds the rows of one item. */
  void add(List<R> rows) {
    if (rows.isEmpty()) {
      return;
    }
    if (pending.isEmpty()) {
      pendingSince = clock.instant();
    }
    pending.addAll(rows);
    itemSizes.add(rows.size());
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** Whether the pending rows fill a batch or have waited the flush interval. */
  private boolean due() {
    boolean full = pending.size() >= flushRows;
    boolean old = pendingSince != null
        && !clock.instant().isBefore(pendingSince.plus(flushInterval));
    return full || old;
  }

  /**
   * Writes the pending rows, in batches of whole items, while {@code last} or a batch is
   * {@linkplain #due due}.
   *
   * @return whether a batch was written
   * @throws IOException from the sink; the rows of that batch and after it stay pending
   */
  boolean flush(boolean last) throws IOException {
    boolean wrote = false;
    while (!pending.isEmpty() && (last || due())) {
      int items = 1; // at least one item, however many rows it has
      int rows = itemSizes.get(0);
      while (items < itemSizes.size() && rows + itemSizes.get(items) <= flushRows) {
        rows += itemSizes.get(items);
        items++;
      }
      List<R> first = pending.subList(0, rows);
      List<Integer> firstItems = itemSizes.subList(0, items);
      List<R> batch = List.copyOf(first);
      try {
        write(batch);
      } catch (IOException e) {
        log.error("the sink failed to store a batch of {} rows: {}", batch.size(),
            e.getMessage());
        throw e;
      }
      // Accounted for without allocating: an out-of-memory error here would leave a stored
      // batch pending, to be written twice or counted as dropped.
      rowsWritten += rows;
      batchesWritten++;
      first.clear();
      firstItems.clear();
      handedOver = false;
      log.debug("wrote a batch of {} rows", batch.size());
      wrote = true;
    }
    if (pending.isEmpty()) {
      pendingSince = null;
    }
    return wrote;
  }

  /**
   * Whether the last {@link #flush} failed with a batch in the sink's hands (the sink threw, or
   * the wait for it failed): whether the sink stored it is unknown. False when it failed before,
   * with every row still pending.
   */
  boolean failedInTheSink() {
    return handedOver;
  }

  /**
   * Writes a batch on a thread of its own and waits for it without heeding an interrupt, which
   * is set again after it: an interrupt of the run thread (an embedder's stop) is a stop, and
   * must not reach the sink's I/O mid-batch, where a {@code FileChannel} would close and an HTTP
   * call fail, losing a batch that was parsed. The start and end of the thread order the calls:
   * each sees what the calls before it did.
   */
  private void write(List<R> batch) throws IOException {
    Map<String, String> logContext = MDC.getCopyOfContextMap();
    FutureTask<Void> task = new FutureTask<>(() -> {
      if (logContext != null) {
        MDC.setContextMap(logContext);
      }
      sink.write(batch);
      return null;
    });
    Thread writer = new Thread(task, "pixiv-sink-write");
    writer.setDaemon(true);
    handedOver = true;
    try {
      writer.start();
    } catch (RuntimeException | Error e) {
      // No thread could be made (out of memory): the sink never saw the batch.
      handedOver = false;
      throw e;
    }
    try {
      Uninterruptibles.getUninterruptibly(task);
    } catch (ExecutionException e) {
      Throwables.throwIfInstanceOf(e.getCause(), IOException.class);
      Throwables.throwIfUnchecked(e.getCause());
      throw new IllegalStateException(e.getCause()); // write() throws nothing else
    }
  }

  /** Gives up the pending rows, counting them as dropped. */
  void drop() {
    rowsDropped += pending.size();
    pending.clear();
    itemSizes.clear();
    handedOver = false;
  }

  long rowsWritten() {
    return rowsWritten;
  }

  long batchesWritten() {
    return batchesWritten;
  }

  long rowsDropped() {
    return rowsDropped;
  }
}

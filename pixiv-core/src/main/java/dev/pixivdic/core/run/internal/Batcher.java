package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Sink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows waiting for the sink, written in whole batches of at most {@code flushRows} rows: a
 * batch is due when {@code flushRows} rows wait or the oldest has waited {@code flushInterval}
 * (rows added many at once, as the drift guard's held rows are, go in several batches). Counts
 * what was written and what was dropped. Owned by the run thread; not thread-safe. Whether a due
 * batch may be written (the drift guard, a failed sink) is the caller's decision.
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

  void add(List<R> rows) {
    if (rows.isEmpty()) {
      return;
    }
    if (pending.isEmpty()) {
      pendingSince = clock.instant();
    }
    pending.addAll(rows);
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
   * Writes the pending rows, in batches of at most {@code flushRows}, while {@code last} or a
   * batch is {@linkplain #due due}.
   *
   * @return whether a batch was written
   * @throws IOException from the sink; the rows of that batch and after it stay pending
   */
  boolean flush(boolean last) throws IOException {
    boolean wrote = false;
    while (!pending.isEmpty() && (last || due())) {
      List<R> first = pending.subList(0, Math.min(pending.size(), flushRows));
      List<R> batch = List.copyOf(first);
      try {
        sink.write(batch);
      } catch (IOException e) {
        log.error("the sink failed to store a batch of {} rows: {}", batch.size(),
            e.getMessage());
        throw e;
      }
      log.debug("wrote a batch of {} rows", batch.size());
      rowsWritten += batch.size();
      batchesWritten++;
      first.clear();
      wrote = true;
    }
    if (pending.isEmpty()) {
      pendingSince = null;
    }
    return wrote;
  }

  /** Gives up the pending rows, counting them as dropped. */
  void drop() {
    rowsDropped += pending.size();
    pending.clear();
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

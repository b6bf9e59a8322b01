package dev.pixivdic.core.testing;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A sink that keeps its batches in memory, for tests. Writes can be scripted to fail (the
 * {@code n}-th call throws and stores nothing), so that callers can test partial failures. As
 * the {@link Sink} contract asks, a batch equal to one stored before (a retry after a lost
 * acknowledgement) is not stored again. Thread-safe: every method is atomic with respect to the
 * others; but two runs at once into one sink each store every row (their batches differ), so give
 * it to one run at a time, as any {@link Sink}.
 *
 * @param <R> the row type
 */
public final class InMemorySink<R> implements Sink<R> {

  private final Function<? super R, String> key;
  private final Function<? super R, Instant> madeAt;
  private final List<List<R>> batches = new ArrayList<>();
  private final Set<List<R>> stored = new HashSet<>();
  private final Map<Integer, IOException> failures = new HashMap<>();
  private int writeCalls;
  private boolean closed;

  private InMemorySink(Function<? super R, String> key, Function<? super R, Instant> madeAt) {
    this.key = requireNonNull(key, "key");
    this.madeAt = requireNonNull(madeAt, "madeAt");
  }

  /** A sink of article rows, keyed by URL and dated by {@code loaded_at} (absent = too old). */
  public static InMemorySink<ArticleRow> forRows() {
    return new InMemorySink<>(ArticleRow::url, ArticleRow::loadedAt);
  }

  /**
   * A sink of any rows: {@code key} gives the key a row is stored under, {@code madeAt} when it
   * was made (null counts as too old for any {@code since}).
   */
  public static <R> InMemorySink<R> of(Function<? super R, String> key,
      Function<? super R, Instant> madeAt) {
    return new InMemorySink<>(key, madeAt);
  }

  /**
   * Makes the {@code n}-th call of {@link #write} (one-based, counting every call including
   * empty batches and failed ones) throw an {@link IOException} and store nothing.
   *
   * @return this sink
   */
  public InMemorySink<R> failWrite(int n) {
    return failWrite(n, new IOException("scripted failure of write #" + n));
  }

  /** Like {@link #failWrite(int)}, throwing {@code failure}. */
  public synchronized InMemorySink<R> failWrite(int n, IOException failure) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, was " + n);
    }
    failures.put(n, requireNonNull(failure, "failure"));
    return this;
  }

  @Override
  public synchronized StoredKeys stored(Shard shard, Instant since) {
    requireNonNull(shard, "shard");
    requireNonNull(since, "since");
    StoredKeys.Builder keys = StoredKeys.builder();
    for (List<R> batch : batches) {
      for (R row : batch) {
        Instant at = madeAt.apply(row);
        String k = key.apply(row);
        if (at != null && !at.isBefore(since) && shard.contains(k)) {
          keys.add(k);
        }
      }
    }
    return keys.build();
  }

  /**
   * Stores the batch, unless this call was scripted to fail or an equal batch is stored.
   *
   * @throws IOException the scripted failure
   * @throws IllegalStateException when the sink is closed
   * @throws NullPointerException when the batch or a row of it is null
   */
  @Override
  public synchronized void write(List<R> batch) throws IOException {
    requireNonNull(batch, "batch");
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) == null) {
        throw new NullPointerException("batch holds null at " + i);
      }
    }
    List<R> copy = List.copyOf(batch);
    if (closed) {
      throw new IllegalStateException("the sink is closed");
    }
    writeCalls++;
    IOException failure = failures.get(writeCalls);
    if (failure != null) {
      throw failure;
    }
    if (!copy.isEmpty() && stored.add(copy)) {
      batches.add(copy);
    }
  }

  /** The stored rows in write order. */
  public synchronized List<R> rows() {
    List<R> rows = new ArrayList<>();
    batches.forEach(rows::addAll);
    return List.copyOf(rows);
  }

  /** The stored batches in write order (empty batches are not recorded). */
  public synchronized List<List<R>> batches() {
    return List.copyOf(batches);
  }

  /** How many times {@link #write} was called, failed calls included. */
  public synchronized int writeCalls() {
    return writeCalls;
  }

  /** Whether {@link #close} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}

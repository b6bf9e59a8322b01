package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.run.internal.Workers.Done;
import java.time.Clock;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Decides what the workers process next: retries that are due first, then items from the
 * source that the sink does not hold, up to the limit, while a worker is free and at most
 * {@value #MAX_WAITING} items wait for a retry. Called from the run thread only.
 *
 * @param <I> item type
 * @param <R> row type
 */
final class Scheduler<I, R> {

  /** Items waiting for a retry at most; beyond it the run waits rather than take more. */
  static final int MAX_WAITING = 64;

  private final StoredKeys stored;
  private final Function<? super I, String> key;
  private final RunTally tally;
  private final long limit;
  private final Clock clock;
  private final Workers<I, R> workers;
  private final BooleanSupplier stopAsked;
  private final RetryQueue<I> waiting = new RetryQueue<>();
  private boolean inputEnded;

  /**
   * @param stored the keys to skip
   * @param tally counts every item read
   * @param limit items to take at most (after skipping)
   * @param stopAsked whether the run was asked to stop: then no new item is taken
   */
  Scheduler(StoredKeys stored, Function<? super I, String> key,
      RunTally tally, long limit, Clock clock, Workers<I, R> workers, BooleanSupplier stopAsked) {
    this.stored = requireNonNull(stored, "stored");
    this.key = requireNonNull(key, "key");
    this.tally = requireNonNull(tally, "tally");
    this.limit = limit;
    this.clock = requireNonNull(clock, "clock");
    this.workers = requireNonNull(workers, "workers");
    this.stopAsked = requireNonNull(stopAsked, "stopAsked");
  }

  /**
   * Hands work to every free worker: the retries that may go now, then new items from
   * {@code items}, the shard's items (the same iterator on every call).
   *
   * @throws java.io.UncheckedIOException if reading the source fails
   */
  void submit(Iterator<I> items) {
    submitRetries();
    submitItems(items);
    if (inputEnded) {
      // The source may just have run out: a retry that may go sooner need not wait a poll.
      submitRetries();
    }
  }

  /** Whether the source is read to its end (or the limit), nothing is in flight or waiting. */
  boolean finished() {
    return inputEnded && workers.inFlight() == 0 && waiting.isEmpty();
  }

  boolean inputEnded() {
    return inputEnded;
  }

  /**
   * The next item a worker finished, waiting at most until the next retry may go and at most
   * {@code maxMillis}; null if none finished.
   */
  Done<I, R> poll(long maxMillis) throws InterruptedException {
    return workers.poll(waiting.millisUntilNext(clock.instant(), inputEnded, maxMillis));
  }

  /** Puts an item that asked for a retry back, to go again after its delay. */
  void defer(I item, RetryLaterException later) {
    waiting.add(item, clock.instant(), later);
  }

  /** Drops every waiting retry; returns how many items were abandoned, waiting or in flight. */
  int abandon() {
    int n = workers.inFlight() + waiting.size();
    waiting.clear();
    return n;
  }

  private void submitRetries() {
    I item;
    while (workers.free() && (item = waiting.poll(clock.instant(), inputEnded)) != null) {
      workers.submit(item);
    }
  }

  private void submitItems(Iterator<I> items) {
    while (!inputEnded && workers.free() && waiting.size() < MAX_WAITING) {
      if (tally.taken() >= limit || !items.hasNext()) {
        inputEnded = true;
        return;
      }
      if (stopAsked.getAsBoolean()) {
        // Reading the source may take long: a stop asked meanwhile takes no item, and so starts
        // no deferred lookup of what the sink holds, which may take long too.
        return;
      }
      I item = items.next();
      boolean skip = stored.contains(key.apply(item));
      tally.read(skip);
      if (!skip) {
        workers.submit(item);
      }
    }
  }
}

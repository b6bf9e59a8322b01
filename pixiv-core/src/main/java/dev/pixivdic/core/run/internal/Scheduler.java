package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.internal.LongHashSet;
import dev.pixivdic.core.run.internal.Workers.Done;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the workers process next: retries that are due first, then items from the
 * source that the sink does not hold, up to the limit, while a worker is free and at most
 * {@value #MAX_WAITING} items wait for a retry. Called from the run thread only.
 *
 * <p>An item is taken once a run, and only if its key is in the run's shard, whatever the
 * source yields: a source that repeats an item or ignores the shard (an embedder's own, or
 * {@code Source.ofItems} given one URL twice) would otherwise have it fetched and stored twice,
 * or by every shard's pod. Such items are left out before they are counted as read (as the
 * file sources leave out repeats), with a warning; the keys taken are remembered as 64-bit
 * fingerprints, about 16 bytes each.
 *
 * @param <I> item type
 * @param <R> row type
 */
final class Scheduler<I, R> {

  /** Items waiting for a retry at most; beyond it the run waits rather than take more. */
  static final int MAX_WAITING = 64;

  /**
   * Items kept at most of those skipped as stored, and as many of those the limit left out:
   * {@link #originSample()}.
   */
  static final int SAMPLE_KEPT = 16;

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  private final Shard shard;
  private final StoredKeys stored;
  private final Function<? super I, String> key;
  private final RunTally tally;
  private final long limit;
  private final Clock clock;
  private final Workers<I, R> workers;
  private final BooleanSupplier stopAsked;
  /** The source and the sink as a problem names them ({@link Blamed#named}). */
  private final String sourceName;
  private final String sinkName;
  private final RetryQueue<I> waiting = new RetryQueue<>();
  private final LongHashSet taken = new LongHashSet();
  private final SpreadSample<I> skippedStored = new SpreadSample<>(SAMPLE_KEPT);
  private final SpreadSample<I> leftByLimit = new SpreadSample<>(SAMPLE_KEPT);
  private long repeated;
  private long otherShards;
  private boolean inputEnded;
  private boolean limitReached;

  /**
   * @param shard the run's shard: items of other shards are left out
   * @param stored the keys to skip
   * @param tally counts every item read
   * @param limit items to take at most (after skipping)
   * @param stopAsked whether the run was asked to stop: then no new item is taken
   * @param sourceName the source, as a problem names it
   * @param sinkName the sink, as a problem names it (its deferred {@code stored} may throw)
   */
  Scheduler(Shard shard, StoredKeys stored, Function<? super I, String> key,
      RunTally tally, long limit, Clock clock, Workers<I, R> workers, BooleanSupplier stopAsked,
      String sourceName, String sinkName) {
    this.shard = requireNonNull(shard, "shard");
    this.stored = requireNonNull(stored, "stored");
    this.key = requireNonNull(key, "key");
    this.tally = requireNonNull(tally, "tally");
    this.limit = limit;
    this.clock = requireNonNull(clock, "clock");
    this.workers = requireNonNull(workers, "workers");
    this.stopAsked = requireNonNull(stopAsked, "stopAsked");
    this.sourceName = requireNonNull(sourceName, "sourceName");
    this.sinkName = requireNonNull(sinkName, "sinkName");
  }

  /**
   * Hands work to every free worker: the retries that may go now, then new items from
   * {@code items}, the shard's items (the same iterator on every call).
   *
   * @throws java.io.UncheckedIOException if reading the source fails
   * @throws Blamed if the source throws another unchecked exception or an error, or yields
   *     null, or if the sink's deferred set of what it holds throws one (other than its
   *     {@link StoredKeys.LookupFailedException})
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

  /** An item of {@link #originSample}: skipped as stored, or left out by the limit. */
  record Probe<I>(I item, boolean stored) {}

  /** Whether the limit, not the source's end, ended the input (the source may hold more). */
  boolean limitReached() {
    return limitReached;
  }

  /** Whether {@link #sampleLeftByLimit} found items of the shard that the limit left out. */
  boolean leftOutByLimit() {
    return !leftByLimit.isEmpty();
  }

  /**
   * Items the run may read to learn whether its origin serves the site, in the order to read
   * them: up to {@value #SAMPLE_KEPT} of those skipped as stored (pages an earlier run had from
   * the site) and as many of those the limit left out ({@link #sampleLeftByLimit}), each spread
   * over all of its kind ({@link SpreadSample}), taken by turns.
   */
  List<Probe<I>> originSample() {
    List<I> a = skippedStored.spreadOrder();
    List<I> b = leftByLimit.spreadOrder();
    List<Probe<I>> order = new ArrayList<>(a.size() + b.size());
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      if (i < a.size()) {
        order.add(new Probe<>(a.get(i), true));
      }
      if (i < b.size()) {
        order.add(new Probe<>(b.get(i), false));
      }
    }
    return order;
  }

  /**
   * After the limit ended the input, reads on from {@code items} (the same iterator) without
   * taking them, to sample the items the limit left out for {@link #originSample}: at most
   * {@value #LEFT_OUT_READ} items, so that a large shard, or a pipe that stays open, is not read
   * to its end. Stops early when a stop is asked or the source fails, a bug of the source
   * included (the sample is then what was read: the items were not the run's own).
   */
  void sampleLeftByLimit(Iterator<I> items) {
    try {
      for (int read = 0; read < LEFT_OUT_READ && !stopAsked.getAsBoolean() && hasNext(items);
          read++) {
        I item = next(items);
        String k = key.apply(item);
        if (shard.contains(k) && taken.add(Shard.fingerprint(k))) {
          leftByLimit.offer(item);
        }
      }
    } catch (java.io.UncheckedIOException | Blamed e) {
      log.info("reading the items the limit left out failed, so fewer are sampled: {}",
          e.getCause() != null ? e.getCause().toString() : e.getMessage());
    }
  }

  /** The most items {@link #sampleLeftByLimit} reads past the limit. */
  static final int LEFT_OUT_READ = 4096;

  /** Items the source yielded again in this run, left out. */
  long repeated() {
    return repeated;
  }

  /** Items the source yielded whose key is in another shard, left out. */
  long otherShards() {
    return otherShards;
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

  /**
   * Drops every waiting retry, given up in the fetcher too; returns how many items were
   * abandoned, waiting or in flight.
   */
  int abandon() {
    int n = workers.inFlight() + waiting.size();
    waiting.clear();
    return n;
  }

  private void submitRetries() {
    RetryQueue.Waiting<I> due;
    while (workers.free() && (due = waiting.poll(clock.instant(), inputEnded)) != null) {
      workers.submit(due.item(), due.later());
    }
  }

  private void submitItems(Iterator<I> items) {
    while (!inputEnded && workers.free() && waiting.size() < MAX_WAITING) {
      if (tally.taken() >= limit) {
        // Whether the source holds more is not asked here: a pipe may make that wait.
        inputEnded = true;
        limitReached = true;
        return;
      }
      if (!hasNext(items)) {
        inputEnded = true;
        return;
      }
      if (stopAsked.getAsBoolean()) {
        // Reading the source may take long: a stop asked meanwhile takes no item, and so starts
        // no deferred lookup of what the sink holds, which may take long too.
        return;
      }
      I item = next(items);
      String k = key.apply(item);
      if (!shard.contains(k)) {
        if (otherShards++ == 0) {
          log.warn("the source yielded {}, which belongs to another shard than {}; items of"
              + " other shards are left out", k, shard);
        }
        continue;
      }
      if (!taken.add(Shard.fingerprint(k))) {
        if (repeated++ == 0) {
          log.warn("the source yielded {} again; an item is processed once a run, repeats are"
              + " left out", k);
        }
        continue;
      }
      boolean skip = storedContains(k);
      tally.read(skip);
      if (!skip) {
        workers.submit(item, null);
      } else {
        skippedStored.offer(item);
      }
    }
  }

  private boolean storedContains(String k) {
    try {
      return stored.contains(k);
    } catch (StoredKeys.LookupFailedException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      // A deferred set runs the sink's own lookup here: its bug is the sink's.
      throw new Blamed(sinkName, e);
    }
  }

  private boolean hasNext(Iterator<I> items) {
    try {
      return items.hasNext();
    } catch (java.io.UncheckedIOException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new Blamed(sourceName, e);
    }
  }

  private I next(Iterator<I> items) {
    I item;
    try {
      item = items.next();
    } catch (java.io.UncheckedIOException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new Blamed(sourceName, e);
    }
    if (item == null) {
      throw new Blamed(sourceName,
          new NullPointerException("the source yielded a null item"));
    }
    return item;
  }
}

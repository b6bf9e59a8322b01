package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.fetch.SiteUnreachableException;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.support.internal.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one shard: source → skip what the sink holds → process (fetch + parse) on worker threads
 * → sink in whole batches, with the drift guard and the blocked-page breaker in between.
 *
 * <p>Guarantees: memory stays bounded (the source is streamed; at most {@code workers} items
 * are in flight, at most {@value #MAX_WAITING} wait for a retry, and one batch is pending);
 * an item whose processor throws {@link RetryLaterException} goes back into the queue with a
 * not-before time and its worker takes the next item, so no worker sits out a backoff (once
 * the source is exhausted, at {@link RetryLaterException#soonest()}, so the end of a run does
 * not idle through a backoff); the sink is called from the thread that calls {@link #run()} only;
 * no batch is written before the drift guard has seen enough pages, and none after it tripped;
 * on {@link #stop()} no new item is taken, in-flight items are abandoned, and what was parsed
 * is written. Failures end the run with a {@link RunReport} rather than an exception, so a
 * report is always there to print.
 *
 * <p>An engine runs once. {@link #stop()} and {@link #progress()} may be called from any thread.
 *
 * @param <I> item type
 * @param <R> row type
 */
public final class RunEngine<I, R> {

  /** Receives progress after every processed item and every batch, on the run thread. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(Progress progress);
  }

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);
  private static final int MAX_PROBLEMS = 50;
  private static final long POLL_MILLIS = 200;
  private static final long DRAIN_SECONDS = 30;
  /** Items waiting for a retry at most; beyond it the engine waits rather than take more. */
  static final int MAX_WAITING = 64;

  private final Source<I> source;
  private final Function<? super I, String> key;
  private final ItemProcessor<I, R> processor;
  private final Sink<R> sink;
  private final RunConfig config;
  private final Listener listener;

  private volatile boolean stopRequested;
  private volatile Progress progress;
  private final AtomicInteger runs = new AtomicInteger();

  // Run state, owned by the run thread.
  private final DriftGuard guard;
  private final Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
  private final Map<String, Long> present = new HashMap<>();
  private final Map<String, Long> disagreed = new HashMap<>();
  private long disagreeingPages;
  private final List<String> problems = new ArrayList<>();
  private final List<R> pending = new ArrayList<>();
  private final PriorityQueue<Waiting<I>> waiting = new PriorityQueue<>();
  private long waitingSeq;
  private Instant pendingSince;
  private Instant startedAt;
  private long read;
  private long skipped;
  private long taken;
  private long processed;
  private long failed;
  private long cancelled;
  private long rowsWritten;
  private long batchesWritten;
  private long rowsDropped;
  private int blockedRun;
  private boolean inputEnded;
  private long itemNanosTotal;
  private long itemNanosMax;
  private StopReason stopReason;
  private IOException failure;

  private RunEngine(Source<I> source, Function<? super I, String> key, ItemProcessor<I, R> processor,
      Sink<R> sink, RunConfig config, Listener listener) {
    this.source = requireNonNull(source, "source");
    this.key = requireNonNull(key, "key");
    this.processor = requireNonNull(processor, "processor");
    this.sink = requireNonNull(sink, "sink");
    this.config = requireNonNull(config, "config");
    this.listener = requireNonNull(listener, "listener");
    this.guard = new DriftGuard(config.requiredColumns(), config.essentialColumns(),
        config.driftMinPages(), config.driftMinBroken(), config.driftThreshold());
  }

  /**
   * An engine for one run.
   *
   * @param key the item's shard and skip key (the canonical URL for articles)
   */
  public static <I, R> RunEngine<I, R> create(Source<I> source, Function<? super I, String> key,
      ItemProcessor<I, R> processor, Sink<R> sink, RunConfig config) {
    return new RunEngine<>(source, key, processor, sink, config, p -> {});
  }

  /** A copy of this (not yet run) engine that reports progress to {@code listener}. */
  public RunEngine<I, R> withListener(Listener listener) {
    return new RunEngine<>(source, key, processor, sink, config, listener);
  }

  /** Asks the run to stop: no new items; what was parsed is written. Idempotent, thread-safe. */
  public void stop() {
    stopRequested = true;
  }

  /** The latest progress snapshot; all zeros before the run starts. */
  public Progress progress() {
    Progress p = progress;
    return p != null ? p : new Progress(0, 0, 0, 0, 0, Duration.ZERO, false);
  }

  /**
   * Runs the shard to its end or until stopped.
   *
   * @throws IllegalStateException if the engine already ran
   */
  public RunReport run() {
    if (runs.getAndIncrement() > 0) {
      throw new IllegalStateException("a RunEngine runs once");
    }
    startedAt = config.clock().instant();
    StoredKeys stored;
    try {
      stored = sink.stored(config.shard(), startedAt.minus(config.refreshAfter()));
      log.info("run {} shard {}: the sink holds {} items fresher than {}", config.runId(),
          config.shard(), stored.size(), Durations.format(config.refreshAfter()));
    } catch (IOException e) {
      return fail(StopReason.SINK_FAILED, e, "reading what the sink holds");
    }
    ExecutorService pool = Executors.newFixedThreadPool(config.workers(),
        new ThreadFactoryBuilder().setNameFormat("pixiv-worker-%d").setDaemon(true).build());
    ExecutorCompletionService<Done<I, R>> done = new ExecutorCompletionService<>(pool);
    int inFlight = 0;
    try (Stream<I> items = source.items(config.shard())) {
      Iterator<I> it = items.iterator();
      while (stopReason == null) {
        if (stopRequested || Thread.currentThread().isInterrupted()) {
          stopReason = StopReason.INTERRUPTED;
          break;
        }
        inFlight = submitRetries(done, inFlight);
        while (!inputEnded && inFlight < config.workers() && waiting.size() < MAX_WAITING) {
          if (taken >= config.limit() || !it.hasNext()) {
            inputEnded = true;
            break;
          }
          I item = it.next();
          read++;
          if (stored.contains(key.apply(item))) {
            skipped++;
            continue;
          }
          taken++;
          done.submit(() -> work(item));
          inFlight++;
        }
        if (inputEnded) {
          // The source may just have run out: a retry that may go sooner need not wait a poll.
          inFlight = submitRetries(done, inFlight);
        }
        if (inFlight == 0 && inputEnded && waiting.isEmpty()) {
          break;
        }
        Future<Done<I, R>> f = done.poll(pollMillis(), TimeUnit.MILLISECONDS);
        if (f != null) {
          inFlight--;
          handle(f);
        }
        maybeFlush(false);
      }
    } catch (UncheckedIOException e) {
      stopIfUnset(StopReason.SOURCE_FAILED, e.getCause());
    } catch (IOException e) {
      stopIfUnset(StopReason.SOURCE_FAILED, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopIfUnset(StopReason.INTERRUPTED, null);
    } finally {
      pool.shutdownNow();
    }
    inFlight = drain(done, inFlight);
    cancelled += inFlight + waiting.size();
    waiting.clear();
    if (stopReason == null) {
      stopReason = StopReason.COMPLETED;
    }
    finish();
    return report();
  }

  /** Sends the retries that may go now, while a worker is free; returns the items in flight. */
  private int submitRetries(ExecutorCompletionService<Done<I, R>> done, int inFlight) {
    int n = inFlight;
    Waiting<I> next;
    while (n < config.workers() && (next = nextRetry(config.clock().instant())) != null) {
      waiting.remove(next);
      I item = next.item();
      done.submit(() -> work(item));
      n++;
    }
    return n;
  }

  /**
   * The waiting item to send now, or null: the earliest that is due; or, once the source is
   * exhausted, the earliest whose {@link RetryLaterException#soonest()} has passed. With
   * nothing left to take and a worker free, waiting out the whole backoff would only leave the
   * budget unused; the fetcher says how soon a retry may go then, and its rate limiter, its
   * bound on requests in flight and any {@code Retry-After} pause still hold the request.
   */
  private Waiting<I> nextRetry(Instant now) {
    Waiting<I> head = waiting.peek();
    if (head == null || !head.notBefore().isAfter(now)) {
      return head;
    }
    Waiting<I> soonest = inputEnded ? soonestWaiting() : null;
    return soonest != null && !soonest.soonestAt().isAfter(now) ? soonest : null;
  }

  /** The waiting item that may go soonest when the run has nothing else to send. */
  private Waiting<I> soonestWaiting() {
    Waiting<I> first = null;
    for (Waiting<I> w : waiting) {
      if (first == null || w.soonestAt().isBefore(first.soonestAt())) {
        first = w;
      }
    }
    return first;
  }

  /** How long to wait for a finished item: until the next retry may go, at most the poll. */
  private long pollMillis() {
    Waiting<I> next = inputEnded ? soonestWaiting() : waiting.peek();
    if (next == null) {
      return POLL_MILLIS;
    }
    Instant at = inputEnded ? next.soonestAt() : next.notBefore();
    long due = Duration.between(config.clock().instant(), at).toMillis();
    return Math.max(1, Math.min(POLL_MILLIS, due));
  }

  private Done<I, R> work(I item) {
    long t0 = System.nanoTime();
    try {
      Processed<R> p = processor.process(item);
      return new Done<>(item, p, null, false, System.nanoTime() - t0);
    } catch (IOException e) {
      return new Done<>(item, null, e, false, System.nanoTime() - t0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Done<>(item, null, null, true, System.nanoTime() - t0);
    }
  }

  private void handle(Future<Done<I, R>> f) throws InterruptedException {
    Done<I, R> d;
    try {
      d = f.get();
    } catch (CancellationException e) {
      cancelled++;
      return;
    } catch (ExecutionException e) {
      // A processor threw an unchecked exception: a bug, but one item must not sink the run.
      failed++;
      problem("internal error: " + e.getCause());
      log.error("processing failed unexpectedly", e.getCause());
      return;
    }
    itemNanosTotal += d.nanos();
    itemNanosMax = Math.max(itemNanosMax, d.nanos());
    if (d.interrupted()) {
      cancelled++;
      return;
    }
    String k = key.apply(d.item());
    if (d.error() instanceof RetryLaterException later) {
      if (stopReason != null) {
        cancelled++; // The run is ending: the retry is abandoned, like an item in flight.
        return;
      }
      // Not a failure yet: the item waits its delay in the queue, not in a worker.
      log.debug("{}: {}", k, later.getMessage());
      Instant failedAt = config.clock().instant();
      waiting.add(new Waiting<>(d.item(), failedAt.plus(later.delay()),
          failedAt.plus(later.soonest()), waitingSeq++));
      return;
    }
    if (d.error() != null) {
      failed++;
      if (d.error() instanceof SiteUnreachableException gone) {
        // Every further item would fail the same way: stop, keep what was parsed.
        if (stopReason == null) {
          log.error("{}", gone.getMessage());
        }
        stopIfUnset(StopReason.SITE_UNREACHABLE, gone);
        return;
      }
      problem(k + ": " + d.error().getMessage());
      log.warn("{}: {}", k, d.error().getMessage());
      return;
    }
    Processed<R> p = d.result();
    processed++;
    byOutcome.merge(p.outcome(), 1L, Long::sum);
    if (p.outcome() == Outcome.ARTICLE) {
      for (String c : p.presentColumns()) {
        present.merge(c, 1L, Long::sum);
      }
    }
    if (!p.disagreements().isEmpty()) {
      disagreeingPages++;
      p.disagreements().forEach(c -> disagreed.merge(c, 1L, Long::sum));
    }
    if (!p.outcome().isStored()) {
      problem(k + ": " + p.outcome() + " (" + p.detail() + ")");
    }
    guard.observe(p);
    if (p.outcome() == Outcome.BLOCKED) {
      blockedRun++;
      if (blockedRun >= config.blockedInARow()) {
        log.error("{} blocked pages in a row; stopping: the site is pushing back ({})",
            blockedRun, p.detail());
        stopIfUnset(StopReason.BLOCKED, null);
      }
    } else {
      blockedRun = 0;
    }
    if (!p.rows().isEmpty()) {
      if (pending.isEmpty()) {
        pendingSince = config.clock().instant();
      }
      pending.addAll(p.rows());
    }
    if (guard.tripped(false)) {
      tripDrift();
    }
    publish();
  }

  private void tripDrift() {
    if (stopReason == StopReason.PARSE_BREAKAGE) {
      return;
    }
    log.error("parse breakage: {}; stopping before writing", guard.why());
    stopReason = StopReason.PARSE_BREAKAGE;
  }

  private void maybeFlush(boolean last) {
    if (pending.isEmpty() || stopReason == StopReason.PARSE_BREAKAGE
        || stopReason == StopReason.SINK_FAILED) {
      return;
    }
    if (!guard.warmedUp() && !last) {
      return;
    }
    boolean full = pending.size() >= config.flushRows();
    boolean old = pendingSince != null && !config.clock().instant()
        .isBefore(pendingSince.plus(config.flushInterval()));
    if (last || full || old) {
      List<R> batch = List.copyOf(pending);
      try {
        sink.write(batch);
        rowsWritten += batch.size();
        batchesWritten++;
        pending.clear();
        pendingSince = null;
        log.debug("wrote a batch of {} rows", batch.size());
      } catch (IOException e) {
        // Whatever stopped the run before, lost rows are the news the operator needs.
        stopReason = StopReason.SINK_FAILED;
        failure = e;
        log.error("the sink failed to store a batch of {} rows: {}", batch.size(), e.getMessage());
      }
      publish();
    }
  }

  /** Handles what finished in flight after the loop ended; returns how many never did. */
  private int drain(ExecutorCompletionService<Done<I, R>> done, int inFlight) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    boolean wasInterrupted = Thread.interrupted();
    try {
      while (inFlight > 0 && System.nanoTime() < deadline) {
        Future<Done<I, R>> f = done.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (f != null) {
          inFlight--;
          handle(f);
        }
      }
    } catch (InterruptedException e) {
      wasInterrupted = true;
    } finally {
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return inFlight;
  }

  private void finish() {
    boolean endedNaturally = stopReason == StopReason.COMPLETED;
    if (guard.tripped(endedNaturally || stopReason == StopReason.INTERRUPTED)) {
      tripDrift();
    }
    maybeFlush(true);
    if (stopReason == StopReason.PARSE_BREAKAGE || stopReason == StopReason.SINK_FAILED) {
      rowsDropped += pending.size();
      pending.clear();
    }
    publish();
  }

  private void stopIfUnset(StopReason reason, IOException cause) {
    if (stopReason == null) {
      stopReason = reason;
      failure = cause;
    }
  }

  private RunReport fail(StopReason reason, IOException e, String what) {
    log.error("{} failed: {}", what, e.getMessage());
    stopReason = reason;
    failure = e;
    return report();
  }

  private void problem(String line) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(line);
    }
  }

  private void publish() {
    Progress p = new Progress(read, skipped, processed, failed, rowsWritten,
        Duration.between(startedAt, config.clock().instant()), inputEnded);
    progress = p;
    listener.onProgress(p);
  }

  private RunReport report() {
    long articles = byOutcome.getOrDefault(Outcome.ARTICLE, 0L);
    Map<String, Double> coverage = new HashMap<>();
    if (articles > 0) {
      for (String c : config.requiredColumns()) {
        present.putIfAbsent(c, 0L);
      }
      present.forEach((c, n) -> coverage.put(c, (double) n / articles));
    }
    return RunReport.builder().runId(config.runId()).shard(config.shard().toString())
        .startedAt(startedAt).finishedAt(config.clock().instant()).stopReason(stopReason)
        .itemsRead(read).skipped(skipped).processed(processed).failed(failed)
        .cancelled(cancelled).byOutcome(byOutcome).rowsWritten(rowsWritten)
        .batchesWritten(batchesWritten).rowsDropped(rowsDropped).coverage(coverage)
        .problems(problems)
        .itemTimes(Duration.ofNanos(itemNanosTotal), Duration.ofNanos(itemNanosMax))
        .failure(failure).drift(guard.evidence(stopReason == StopReason.PARSE_BREAKAGE))
        .disagreements(disagreeingPages, disagreed).build();
  }

  /** An item waiting for a retry; earliest first, then in the order they were deferred. */
  private record Waiting<I>(I item, Instant notBefore, Instant soonestAt, long seq)
      implements Comparable<Waiting<I>> {
    @Override
    public int compareTo(Waiting<I> o) {
      int c = notBefore.compareTo(o.notBefore);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private record Done<I, R>(I item, Processed<R> result, IOException error, boolean interrupted,
      long nanos) {}
}

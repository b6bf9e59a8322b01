package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.fetch.FetcherClosedException;
import dev.pixivdic.core.fetch.RetryAfterTooLongException;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.fetch.RobotsDisallowedException;
import dev.pixivdic.core.fetch.SiteUnreachableException;
import dev.pixivdic.core.internal.SiteChosenUrls;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.run.internal.Workers.Done;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * are in flight, at most {@value Scheduler#MAX_WAITING} wait for a retry, and one batch is
 * pending);
 * an item whose processor throws {@link RetryLaterException} goes back into the queue with a
 * not-before time and its worker takes the next item, so no worker sits out a backoff (once
 * the source is exhausted, at {@link RetryLaterException#soonest()}, so the end of a run does
 * not idle through a backoff); the sink is called from the thread that calls {@link #run()} only;
 * no row of a page the drift guard judges (an article or an unrecognised page) is written before
 * it has judged enough pages, and no batch after it tripped, while rows of the pages it does not
 * judge (not found) are written as they come, so a shard of mostly missing pages is not held
 * back to its end (with {@link RunConfig#notFoundAlone}, from the run's first article page on:
 * those before it wait for it, and a run with none stores none of them, unless one of a few
 * items it skipped as stored or its limit left out, read at the end, is an article); an item's
 * {@link Processed#onStored} is taken on the run thread as its rows go on to be stored (before
 * they are written), and never for rows that hold keeps out;
 * however the run ends, the rows still pending are written only after the guard judged every
 * page seen, as at the end of the input (so a run cut short by the source, the site or a block
 * never writes rows that the same pages would have kept out of a completed run);
 * on {@link #stop()} no new item is taken (nor a {@link StoredKeys#deferred deferred} lookup of
 * what the sink holds started), in-flight items are abandoned (their workers interrupted, but
 * one inside a {@link StopShield#write}, such as a page's copy to the archive, only once that
 * write is over: its item comes back as any finished one, and the run waits for it, at most
 * {@value #DRAIN_SECONDS} s), and what was parsed is written;
 * an interrupt of the run thread stops it the same way, and the thread's interrupt status is
 * cleared while that last write runs (a sink's interruptible I/O would fail on it) and set again
 * before {@link #run()} returns.
 * Before its first item, the run tells the processor that it starts
 * ({@link ItemProcessor#runStarting()}), so that a fetcher serving run after run tries afresh
 * what it kept only for the run before (a robots.txt that could not be had, an open circuit
 * breaker), and after its last, however it ended, that it ended ({@link ItemProcessor#runEnded()}):
 * the fetcher keeps what a run met while that run goes on, whoever starts beside it.
 * However the run ends, every retry it will not make is given up in the fetcher
 * ({@link RetryLaterException#abandon()}), so that a next run through the same fetcher makes
 * every attempt of a page afresh, not what this run left of them.
 * An item is taken once a run and only in the run's shard, whatever the source yields: repeats
 * of a key and keys of other shards are left out before they are counted as read, with a
 * warning.
 * A sink's deferred answer that cannot be looked up ends the run as
 * {@link StopReason#SINK_FAILED} with the lookup's failure, as a failure to read the sink up
 * front does; what was parsed before is written as on a stop (only a read failed), unless the
 * drift guard forbids it or that write fails too, which is then the failure reported.
 * An {@link UncheckedIOException} of the sink is its failure ({@link StopReason#SINK_FAILED}), as
 * an {@link IOException} is; of the source, the source's ({@link StopReason#SOURCE_FAILED}).
 * Failures end the run with a {@link RunReport} rather than an exception, so a
 * report is always there to print: also an unchecked exception or an {@link Error} of the source,
 * the sink, the key function or the listener (a bug; the report's problem names the source or
 * the sink, with its class, when one of them threw it, and the root cause; a source whose
 * {@code items} returns null and a deferred lookup that throws one or answers null are theirs
 * too), which ends the run as {@link StopReason#INTERNAL_ERROR}: no new item is taken, the items
 * in flight are abandoned, and the pending rows are written if the drift guard allows, unless
 * the sink itself threw, whose pending rows are then dropped (counted) rather than written again.
 * A processor's unchecked exception or {@link Error} fails its item only, but for a
 * {@link FetcherClosedException}, after which every item would fail alike: the run ends as
 * {@link StopReason#INTERNAL_ERROR} with one problem, the items turned away counted as cancelled.
 * A {@link VirtualMachineError} of any part ends the run the same way and is thrown from
 * {@link #run()} once the run is settled (rows written or counted, retries given up, the last
 * progress published), but for a processor's {@link StackOverflowError}, which is one item's (a
 * parse recursing too deep on one page) and fails that item only. A processor's {@link
 * InterruptedException} cancels its item only when the run is stopping; one nobody asked for
 * fails that item, saying so.
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
  private static final long POLL_MILLIS = 200;
  private static final long DRAIN_SECONDS = 30;
  /** Pages that answered, at most, of those {@link #proveOrigin} reads. */
  private static final int PROBES_ANSWERED = 3;
  /** Pages read at most by {@link #proveOrigin}, answered or not. */
  private static final int PROBES_READ = Scheduler.SAMPLE_KEPT;

  private final Source<I> source;
  private final Function<? super I, String> key;
  private final ItemProcessor<I, R> processor;
  private final Sink<R> sink;
  private final RunConfig config;
  private final Listener listener;
  /** The source and the sink as a problem names them, with their classes. */
  private final String sourceName;
  private final String sinkName;

  private volatile boolean stopRequested;
  private volatile Progress progress;
  private volatile RunReport settledReport;
  private final AtomicInteger runs = new AtomicInteger();

  // Run state, owned by the run thread.
  private final DriftGuard guard;
  private final RunTally tally;
  private final Batcher<R> batcher;
  /** Retry backoffs, flushes and the elapsed time: {@link Intervals}. */
  private final Clock intervals;
  /**
   * Rows of pages the guard judges, kept out of the batcher until it has judged enough; one
   * list per item, so that the batcher keeps an item's rows together.
   */
  private final List<List<R>> held = new ArrayList<>();
  /**
   * Rows of NOT_FOUND pages, kept out of the batcher until the run has had an ARTICLE page: a
   * wrong origin answers 404 for every page, and a NOT_FOUND row stored from it would be skipped
   * as fresh by the next run (and replace a good row in a merging sink). The first article hands
   * them all to the batcher, as does an article among the items skipped as stored (or left out
   * by the limit) that a run about to end without one reads ({@link #proveOrigin}); a run that ends
   * without one stores none ({@link #leaveNotFoundUnstored}), nor takes their
   * {@link Processed#onStored} (which archives the page). Only the end of the run judges:
   * a stop at the first many of them would stop every run of a shard that begins with that many
   * deleted articles before it reached its live ones.
   */
  private final List<Processed<R>> notFoundHeld = new ArrayList<>();
  private boolean articleSeen;
  private String lastNotFound;
  /** Pages that answered when {@link #proveOrigin} read them, none an article: stored before. */
  private int storedReadAgain;
  /** The same, of the items the limit left out. */
  private int leftOutReadAgain;
  /**
   * Pages that {@link #proveOrigin} read as BLOCKED or MAINTENANCE, which show nothing either
   * way, and the last of them.
   */
  private int pushedBack;
  private String lastPushedBack;
  /** Whether {@link #proveOrigin} began to read. */
  private boolean checkingOrigin;
  /**
   * The run thread while {@link #proveOrigin} reads, which {@link #stop()} then interrupts (the
   * reads run on it, not on a worker); guarded by itself being read and set under {@code this}.
   */
  private Thread proving;
  private boolean provingInterrupted;
  private Scheduler<I, R> scheduler;
  private Instant startedAt;
  private Instant startedTick;
  private StopReason stopReason;
  private IOException failure;
  private boolean driftTripped;
  private boolean writeFailed;
  private boolean fetcherClosed;
  /** Rethrown once the run is settled: the JVM is in trouble, not just the run. */
  private VirtualMachineError vmError;

  private RunEngine(Source<I> source, Function<? super I, String> key,
      ItemProcessor<I, R> processor, Sink<R> sink, RunConfig config, Listener listener) {
    this.source = requireNonNull(source, "source");
    this.key = requireNonNull(key, "key");
    this.processor = requireNonNull(processor, "processor");
    this.sink = requireNonNull(sink, "sink");
    this.config = requireNonNull(config, "config");
    this.listener = requireNonNull(listener, "listener");
    this.sourceName = Blamed.named("the source", source);
    this.sinkName = Blamed.named("the sink", sink);
    this.guard = new DriftGuard(config.requiredColumns(), config.essentialColumns(),
        config.driftMinPages(), config.driftMinBroken(), config.driftThreshold());
    this.tally = new RunTally(config.requiredColumns());
    this.intervals = Intervals.of(config.clock());
    this.batcher = new Batcher<>(sink, intervals, config.flushRows(), config.flushInterval());
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
    synchronized (this) {
      if (proving != null && !provingInterrupted) {
        provingInterrupted = true;
        StopShield.interrupt(proving);
      }
    }
  }

  /** The latest progress snapshot; all zeros before the run starts. */
  public Progress progress() {
    Progress p = progress;
    return p != null ? p : new Progress(0, 0, 0, 0, 0, Duration.ZERO, false);
  }

  /**
   * The report {@link #run()} settled on: the one it returned, or, when it threw a {@link
   * VirtualMachineError}, the one it had built and logged before (the rows written and dropped,
   * the problems); empty while the run goes on, and when the error left the run before it could
   * settle. A caller that catches the error reports the run with this, not with {@link
   * #progress()}, which lacks what only the report holds.
   */
  public Optional<RunReport> settledReport() {
    return Optional.ofNullable(settledReport);
  }

  /**
   * What of {@code shard} the run starting at {@code start} skips: what {@code sink} holds stored
   * within {@code refreshAfter} before it; nothing for a window of zero, though the sink is read
   * all the same (reading it is how a sink finds itself damaged before the run). A row stamped
   * in the future (a clock ahead, a row made by hand) was "fresher than 0s", and its item was
   * never refreshed. The run and its dry run ask this alike.
   *
   * @throws IOException as the sink's {@link Sink#stored} does
   */
  public static StoredKeys stored(Sink<?> sink, Shard shard, Instant start, Duration refreshAfter)
      throws IOException {
    StoredKeys stored = sink.stored(shard, start.minus(refreshAfter), start);
    return refreshAfter.isZero() ? StoredKeys.none() : stored;
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
    startedTick = intervals.instant();
    StoredKeys stored;
    try {
      stored = stored(sink, config.shard(), startedAt, config.refreshAfter());
      if (config.refreshAfter().isZero()) {
        log.info("run {} shard {}: every item is refreshed (a refresh window of 0s)",
            config.runId(), config.shard());
      } else if (stored.known()) {
        log.info("run {} shard {}: the sink holds {} items fresher than {}", config.runId(),
            config.shard(), stored.size(), Durations.format(config.refreshAfter()));
      } else {
        log.info("run {} shard {}: what the sink holds fresher than {} is read only if an item"
            + " may be among it", config.runId(), config.shard(),
            Durations.format(config.refreshAfter()));
      }
    } catch (IOException e) {
      return fail(StopReason.SINK_FAILED, e, "reading what the sink holds");
    } catch (UncheckedIOException e) {
      return fail(StopReason.SINK_FAILED, e.getCause(), "reading what the sink holds");
    } catch (RuntimeException | Error e) {
      internalError(e, sinkName + ", reading what it holds");
      return settled(report());
    }
    try {
      processor.runStarting();
    } catch (RuntimeException | Error e) {
      internalError(e, "the processor, as the run started");
      return settled(report());
    }
    try {
      return runStarted(stored);
    } finally {
      ended();
    }
  }

  /** The run from its first item on, after the processor was told it starts. */
  private RunReport runStarted(StoredKeys stored) {
    Workers<I, R> workers = new Workers<>(config.workers(), processor);
    scheduler = new Scheduler<>(config.shard(), stored, key, tally, config.limit(),
        intervals, workers, this::stopAsked, sourceName, sinkName);
    try (workers; Stream<I> items = openItems()) {
      Iterator<I> it = iterator(items);
      while (stopReason == null) {
        if (stopAsked()) {
          stopReason = StopReason.INTERRUPTED;
          break;
        }
        scheduler.submit(it);
        if (scheduler.finished()) {
          break;
        }
        Done<I, R> d = scheduler.poll(POLL_MILLIS);
        if (d != null) {
          handle(d);
        }
        maybeFlush(false);
      }
      if (stopReason == null && scheduler.limitReached() && originUnproven()) {
        // The limit ended the run before an article showed the origin: a sample of what it
        // left out may, as the items skipped as stored may.
        scheduler.sampleLeftByLimit(it);
      }
    } catch (Blamed e) {
      internalError(e.getCause(), e.part);
    } catch (StoredKeys.LookupFailedException e) {
      // A deferred reading of what the sink holds: a sink failure, as when read up front; but
      // only a read failed, so what was parsed is still written.
      log.error("reading what the sink holds failed: {}", e.getCause().getMessage());
      stopIfUnset(StopReason.SINK_FAILED, e.getCause());
    } catch (UncheckedIOException e) {
      sourceFailed(e.getCause());
    } catch (IOException e) {
      sourceFailed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopIfUnset(StopReason.INTERRUPTED, null);
    } catch (RuntimeException | Error e) {
      internalError(e, "the run");
    }
    if (stopReason != StopReason.INTERNAL_ERROR) {
      // After a bug nothing more is handled: the handling may be what throws.
      try {
        workers.drain(Duration.ofSeconds(DRAIN_SECONDS), this::handle);
      } catch (RuntimeException | Error e) {
        internalError(e, "the run");
      }
    }
    tally.cancelled(scheduler.abandon());
    workers.abandonRetries();
    leftOut();
    if (redirectsDominate(true)) {
      stopRedirected();
    }
    if (ownPagesDominate(true)) {
      stopOwnPagesNotFound();
    }
    if (robotsDominate(true)) {
      stopRefusedByRobots();
    }
    // Every page seen is judged before any is read again: a tripped guard stores nothing, so
    // showing the origin would be for nothing.
    if (guard.tripped(true)) {
      tripDrift();
    }
    if (stopReason == null) {
      try {
        proveOrigin();
      } catch (RuntimeException | Error e) {
        internalError(e, "the processor, reading an item to check the origin");
      }
    }
    if (stopReason == null) {
      stopReason = StopReason.COMPLETED;
    }
    // What was parsed is written however the run was stopped: an interrupt (an embedder's
    // stop) would make the sink's own I/O fail (a FileChannel closes, an HTTP call throws), so
    // the flag is cleared for the last write and set again after it.
    boolean interrupted = Thread.interrupted();
    try {
      finish();
    } catch (Blamed e) {
      internalError(e.getCause(), e.part);
      releaseHeld();
      batcher.drop();
    } catch (RuntimeException | Error e) {
      internalError(e, "the end of the run");
      releaseHeld();
      batcher.drop();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return settled(report());
  }

  /**
   * Tells the processor that the run ended, once its report is settled: a fetcher serving run
   * after run then lets the next run try afresh. A bug of the processor here is logged; the
   * report stands.
   */
  private void ended() {
    try {
      processor.runEnded();
    } catch (RuntimeException e) {
      log.error("run {} shard {}: the processor failed as the run ended: {}", config.runId(),
          config.shard(), e.toString(), e);
    }
  }

  /** The source's stream of the shard's items; a bug of the source is named as its. */
  private Stream<I> openItems() throws IOException {
    Stream<I> items;
    try {
      items = source.items(config.shard());
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new Blamed(sourceName, e);
    }
    if (items == null) {
      throw new Blamed(sourceName, new NullPointerException(
          "items(" + config.shard() + ") returned null instead of a stream"));
    }
    return items;
  }

  private Iterator<I> iterator(Stream<I> items) {
    try {
      return requireNonNull(items.iterator(), "the source's stream gave a null iterator");
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new Blamed(sourceName, e);
    }
  }

  /**
   * The report, or the {@link VirtualMachineError} (out of memory, a stack overflow) that ended
   * the run, thrown once the run is settled (the pending rows written or counted as dropped, the
   * retries given up, the last progress published): the JVM may be unfit to go on, which is
   * the caller's to decide.
   */
  private RunReport settled(RunReport report) {
    settledReport = report;
    if (vmError != null) {
      log.error("run {} shard {} ended ({}): {} read, {} rows written, {} dropped; rethrowing {}",
          config.runId(), config.shard(), report.stopReason(), report.itemsRead(),
          report.rowsWritten(), report.rowsDropped(), vmError.toString());
      throw vmError;
    }
    return report;
  }

  private void leftOut() {
    if (scheduler.repeated() > 0 || scheduler.otherShards() > 0) {
      log.warn("run {} shard {}: left out {} items the source yielded again and {} of other"
          + " shards", config.runId(), config.shard(), scheduler.repeated(),
          scheduler.otherShards());
    }
  }

  private void handle(Done<I, R> d) {
    if (d.bug() instanceof FetcherClosedException) {
      // Turned away: left for a next run.
      tally.cancelled(1);
    }
    if (d.bug() != null && stopsTheRun(d.bug())) {
      return;
    }
    if (d.bug() != null) {
      // A processor threw an unchecked exception: a bug, but one item must not sink the run.
      // Named, so that the page that sets it off can be looked at (parse, replay).
      String item = d.item() == null ? "an item" : key.apply(d.item());
      tally.failed("internal error processing " + item + ": " + d.bug());
      log.error("processing {} failed unexpectedly", item, d.bug());
      return;
    }
    tally.timed(d.nanos());
    if (d.cancelled()) {
      tally.cancelled(1);
      return;
    }
    if (d.error() instanceof RetryLaterException later) {
      if (stopReason != null) {
        // The run is ending: the retry is abandoned, like an item in flight, and the fetcher
        // forgets it (a next run with the same fetcher starts the page afresh).
        later.abandon();
        tally.cancelled(1);
        return;
      }
      // Not a failure yet: the item waits its delay in the queue, not in a worker.
      log.debug("{}", later.getMessage());
      scheduler.defer(d.item(), later);
      return;
    }
    String k = key.apply(d.item());
    if (d.error() instanceof NotJudgedException notJudged) {
      notJudged(LogText.escaped(k, 500), notJudged);
      return;
    }
    if (d.error() instanceof RobotsDisallowedException r) {
      refusedByRobots(LogText.escaped(k, 500), r);
      return;
    }
    if (d.error() != null) {
      if (stopsTheRun(d.error())) {
        tally.failedFatally();
        return;
      }
      // The key is text from outside (a name): quoted so that it cannot break the line.
      String key = LogText.escaped(k, 500);
      if (d.error() instanceof FailedForGoodException f) {
        tally.failedForGood(key + ": " + d.error().getMessage(), f.ofTheInput());
      } else {
        tally.failed(key + ": " + d.error().getMessage());
      }
      log.warn("{}: {}", key, d.error().getMessage());
      return;
    }
    Processed<R> p = d.result();
    // A "not found" answer that itself shows the site (resolve's NO_MATCH page) is not held: it
    // releases those held before it, and its rows go on as any page's.
    boolean showsTheSite = !articleSeen && processor.showsTheSite(p);
    boolean hold = p.outcome() == Outcome.NOT_FOUND && !articleSeen
        && config.notFoundAlone() > 0 && !showsTheSite;
    if (!hold && !stored(List.of(p))) {
      // The page's copy does not count: the item failed, as it would have in a worker.
      tally.failedFatally();
      log.debug("{}: not stored, the run stops", k);
      return;
    }
    int blockedRun = tally.processed(k, p);
    guard.observe(p);
    if (blockedRun >= config.blockedInARow()) {
      log.error("{} blocked pages in a row; stopping: the site is pushing back ({})",
          blockedRun, p.detail());
      stopIfUnset(StopReason.BLOCKED, null);
    }
    if (showsTheSite) {
      // The origin serves the site: the "not found" answers held so far are the site's too.
      releaseNotFound();
    }
    if (hold) {
      notFoundHeld.add(p);
      lastNotFound = p.detail();
    } else if (guard.warmedUp()) {
      releaseHeld();
      batcher.add(p.rows());
    } else if (DriftGuard.judges(p.outcome())) {
      held.add(p.rows());
    } else {
      // Only rows of pages the guard does not judge pass before it has judged enough.
      batcher.add(p.rows());
    }
    if (guard.tripped(false)) {
      tripDrift();
    }
    publish();
  }

  /**
   * Takes a processor's failure that every further item would meet, as a worker's or a read's
   * to check the origin ({@link #probe}) alike: a closed fetcher, a {@link VirtualMachineError}
   * (but a {@link StackOverflowError}, one page's: a parse recursing too deep on it), a
   * {@link #fatal} error. The run stops, what it parsed is still written, and a JVM's error is
   * rethrown once the run is settled. False, the run going on, when the failure is the item's.
   */
  private boolean stopsTheRun(Throwable error) {
    if (error instanceof FetcherClosedException closed) {
      fetcherClosed(closed);
      return true;
    }
    if (error instanceof VirtualMachineError vm && !(vm instanceof StackOverflowError)) {
      // Not the item's fault, and the next ones would fail the same way.
      log.error("{}; stopping", VmErrors.advice(vm), vm);
      if (vmError == null) {
        vmError = vm;
      }
      stopReason = StopReason.INTERNAL_ERROR;
      failure = null;
      tally.problem(VmErrors.advice(vm));
      return true;
    }
    StopReason fatal = fatal(error);
    if (fatal == null) {
      return false;
    }
    // Every further item would fail the same way (the site is gone, or each page's copy would
    // be lost): stop, keep what was parsed.
    if (stopReason == null) {
      log.error("{}", error.getMessage());
    }
    stopIfUnset(fatal, (IOException) error);
    return true;
  }

  /**
   * An item whose answer says nothing of it (sent elsewhere for now, its own page under a "not
   * found" status): no row, no page the drift guard judges, a warning naming it. When items sent
   * elsewhere for now dominate the pages as broken pages would trip the guard, the site is
   * redirecting (a notice, a login wall): the run stops, to be retried later.
   */
  private void notJudged(String key, NotJudgedException e) {
    tally.notJudged(key + ": " + e.getMessage(), e);
    log.warn("{}: {}", key, e.getMessage());
    if (e instanceof RedirectedForNowException && redirectsDominate(false)) {
      stopRedirected();
    } else if (e instanceof NotFoundWithArticleException && ownPagesDominate(false)) {
      stopOwnPagesNotFound();
    }
    publish();
  }

  /**
   * Whether the items redirected for now are as many, among them, the pages the drift guard
   * judged and those answered "not found", as broken pages that would trip it: at least
   * {@link RunConfig#driftMinBroken} and more than {@link RunConfig#driftThreshold} of them, once
   * {@link RunConfig#driftMinPages} were seen or at the end of the input.
   */
  private boolean redirectsDominate(boolean inputEnded) {
    return dominate(tally.redirectedForNow(), inputEnded);
  }

  /**
   * Whether the items answered 404 or 410 with their own article page dominate as
   * {@link #redirectsDominate} judges redirects: the site, or a CDN in front of it, serves its
   * pages under a wrong status.
   */
  private boolean ownPagesDominate(boolean inputEnded) {
    return dominate(tally.notFoundWithArticle(), inputEnded);
  }

  /**
   * Whether {@code n} items not judged are as many, among them, the other items not judged, the
   * pages the drift guard judged and those answered "not found", as broken pages that would trip
   * the guard.
   */
  private boolean dominate(long n, boolean inputEnded) {
    // Pages answered "not found" are answers of the site too: a few redirects among many
    // deleted articles are no site redirecting its pages.
    long seen = guard.judged() + tally.count(Outcome.NOT_FOUND) + tally.redirectedForNow()
        + tally.notFoundWithArticle();
    return n > 0 && (inputEnded || seen >= config.driftMinPages())
        && n >= config.driftMinBroken() && (double) n / seen > config.driftThreshold();
  }

  private void stopOwnPagesNotFound() {
    if (stopReason != null) {
      return;
    }
    String line = tally.notFoundWithArticle() + " pages answered 404 or 410 with their own"
        + " article page as the body: the site, or a CDN in front of it, serves its pages under a"
        + " wrong status; retry later (none of them was stored, a next run asks again)";
    log.error("{}", line);
    tally.problemFirst(line);
    stopIfUnset(StopReason.BLOCKED, new NotFoundWithArticleException(line));
  }

  private void stopRedirected() {
    if (stopReason != null) {
      return;
    }
    long n = tally.redirectedForNow();
    Map.Entry<URI, Long> target = tally.commonestRedirectTarget().orElseThrow();
    long elsewhere = n - target.getValue();
    String line = target.getValue() + " page" + (target.getValue() == 1 ? "" : "s")
        + " redirected temporarily to " + target.getKey()
        + (elsewhere == 0 ? "" : " (and " + elsewhere + " elsewhere)")
        + ": the site is redirecting; retry later (none of them was stored, a next run asks"
        + " again)";
    log.error("{}", line);
    tally.problemFirst(line);
    stopIfUnset(StopReason.BLOCKED, new RedirectedForNowException(line, target.getKey()));
  }

  /**
   * An item robots.txt of the site disallows: a failure, counted as such. When such items are
   * all the run met, or dominate it as broken pages would trip the drift guard, the site no
   * longer lets its pages be crawled: the run stops, to be looked at, not to end a success that
   * stores nothing.
   */
  private void refusedByRobots(String key, RobotsDisallowedException e) {
    tally.refusedByRobots(key + ": " + e.getMessage(), e.robotsUri(), e.uri());
    log.warn("{}: {}", key, e.getMessage());
    if (robotsDominate(false)) {
      stopRefusedByRobots();
    }
    publish();
  }

  /**
   * Whether the items robots.txt refused dominate the run: at the end of the input, when no
   * item was had (processed or skipped as stored); or as {@link #redirectsDominate} judges
   * redirects, among the pages judged, answered "not found", redirected for now and refused.
   */
  private boolean robotsDominate(boolean inputEnded) {
    long refused = tally.refusedByRobots();
    if (refused == 0) {
      return false;
    }
    if (inputEnded && !tally.hadAny()) {
      return true;
    }
    long seen = guard.judged() + tally.count(Outcome.NOT_FOUND) + tally.redirectedForNow()
        + refused;
    return (inputEnded || seen >= config.driftMinPages()) && refused >= config.driftMinBroken()
        && (double) refused / seen > config.driftThreshold();
  }

  private void stopRefusedByRobots() {
    if (stopReason != null) {
      return;
    }
    Map.Entry<URI, URI> first = tally.firstRefusedByRobots().orElseThrow();
    long n = tally.refusedByRobots();
    String line = "robots.txt of the site (" + first.getKey() + ") disallows these pages: " + n
        + " item" + (n == 1 ? "" : "s") + " refused, none fetched (the first: "
        + LogText.escaped(first.getValue().getRawPath(), 200) + "); the site does not let"
        + " them be crawled: check its robots.txt before the next run (nothing was stored for"
        + " them)";
    log.error("{}", line);
    tally.problemFirst(line);
    stopIfUnset(StopReason.BLOCKED, new RefusedByRobotsException(line, first.getKey()));
  }

  /**
   * Every item would fail the same way, each with its own stack trace: the run stops at the
   * first (an embedder's misuse, a bug, as {@link StopReason#INTERNAL_ERROR}) with one problem
   * (the items the closed fetcher turned away are counted as cancelled, left for a next run).
   */
  private void fetcherClosed(FetcherClosedException e) {
    if (fetcherClosed) {
      return;
    }
    fetcherClosed = true;
    log.error("{}; stopping the run: no item can be fetched", e.getMessage());
    stopReason = StopReason.INTERNAL_ERROR;
    failure = null;
    tally.problem("the fetcher is closed, so no item could be fetched; the run stopped ("
        + e.getMessage() + ")");
  }

  /**
   * Whether the run holds NOT_FOUND rows that no article showed to be the site's and that a
   * read of other items may show: at least {@link RunConfig#notFoundAlone} of them, or any when
   * the limit ended the input before an article came.
   */
  private boolean originUnproven() {
    return !articleSeen && config.notFoundAlone() > 0 && !notFoundHeld.isEmpty()
        && (notFoundHeld.size() >= config.notFoundAlone() || scheduler.limitReached());
  }

  /**
   * Before a run that went through its input ends as a wrong origin's ({@link
   * #leaveNotFoundUnstored}), reads, one at a time through the same processor (and so the same
   * fetcher, at the same rate), a sample of the items it skipped as stored and of those its
   * limit left out ({@link Scheduler#originSample}), until an article or {@value #PROBES_ANSWERED}
   * pages that answered, without writing their rows (the stored are fresh; the others are left
   * for a next run). An article shows that this origin serves the site, as an article of the
   * run would: the held rows are written, and the run completes. A page that does not answer
   * (a retry the run will not wait for, a failed download, a bug) shows nothing, and the next
   * is read (at most {@value #PROBES_READ} in all); a failure every item would meet ({@link
   * #stopsTheRun}) ends the run as in a worker. A BLOCKED or MAINTENANCE page shows nothing
   * either way: the next is read, blocked ones in a row stop the run as a worker's do, and
   * reads that met only such pages end it as {@link StopReason#BLOCKED}. Progress is published
   * after each read. A stop asked meanwhile interrupts the read (but not the writes it marks,
   * {@link StopShield}) and leaves the held rows unwritten, as any stop.
   */
  private void proveOrigin() {
    if (!originUnproven()) {
      return;
    }
    checkingOrigin = true;
    // A page that does not answer is passed over, but the reads stay few whatever happens.
    List<Scheduler.Probe<I>> sample = scheduler.originSample();
    for (Scheduler.Probe<I> probe : sample.subList(0, Math.min(sample.size(), PROBES_READ))) {
      if (storedReadAgain + leftOutReadAgain >= PROBES_ANSWERED) {
        break;
      }
      boolean more = probe(probe);
      // Each read may take a page's whole retry schedule: the run's progress shows it goes on.
      publish();
      if (!more) {
        break;
      }
    }
    if (stopReason == null && !articleSeen && storedReadAgain + leftOutReadAgain == 0
        && pushedBack > 0) {
      // As a worker's such pages end a run that completes: not the origin's fault, to retry.
      String line = pushedBack + " page" + (pushedBack == 1 ? "" : "s") + " read to check the"
          + " origin answered as the site pushing back, redirecting for now or down for"
          + " maintenance, and none"
          + " answered otherwise, which shows nothing either way (the last: " + lastPushedBack
          + "); retry later";
      log.error("{}", line);
      tally.problem(line);
      stopIfUnset(StopReason.BLOCKED, null);
    }
    if (stopAsked()) {
      // A stop that came while the held rows were released: they are written as any parsed
      // before a stop, and the run ends as a stopped one.
      stopIfUnset(StopReason.INTERRUPTED, null);
    }
  }

  /**
   * Reads one item for {@link #proveOrigin}, {@link #stop()} interrupting the read: only the
   * read, never what the run writes after it (a page archive's file, closed by an interrupt, would
   * fail as a full disk does).
   */
  private Processed<R> read(I item) throws IOException, InterruptedException {
    synchronized (this) {
      if (stopAsked()) {
        throw new InterruptedException("stop asked");
      }
      proving = Thread.currentThread();
    }
    try {
      return processor.process(item);
    } finally {
      synchronized (this) {
        proving = null;
        if (provingInterrupted) {
          // The stop's own interrupt, which stopped the read: the stop is noted, and no write
          // after it must meet it.
          Thread.interrupted();
        }
      }
    }
  }

  /** Reads one item of {@link #proveOrigin}; false when the reads are over. */
  private boolean probe(Scheduler.Probe<I> probe) {
    if (stopAsked()) {
      stopIfUnset(StopReason.INTERRUPTED, null);
      return false;
    }
    String k = LogText.escaped(key.apply(probe.item()), 500);
    String where = probe.stored() ? "stored before" : "left out by the limit";
    String what = k + " (" + where + ")";
    Processed<R> p;
    try {
      p = read(probe.item());
    } catch (InterruptedException e) {
      if (!stopAsked()) {
        // The embedder's own interrupt, not the stop's: it stays for the embedder to see.
        Thread.currentThread().interrupt();
      }
      stopIfUnset(StopReason.INTERRUPTED, null);
      return false;
    } catch (RetryLaterException e) {
      // No retry: the run is ending, and the fetcher forgets the page.
      e.abandon();
      if (stoppedWhileReading()) {
        return false;
      }
      log.info("{} read to check the origin: no answer yet ({})", what, e.getMessage());
      return true;
    } catch (IOException | RuntimeException | Error e) {
      if (!(e instanceof VirtualMachineError) && stoppedWhileReading()) {
        // What the stop's interrupt broke (a read under way) is no fault of the site, of the
        // storage or of the processor.
        return false;
      }
      if (stopsTheRun(e)) {
        // As in a worker: every further read would fail the same way.
        return false;
      }
      if (e instanceof RedirectedForNowException r) {
        // The site sending its pages elsewhere for a while (a notice, a login wall): its own
        // answer, which shows nothing of the origin either way, as a maintenance page.
        pushedBack++;
        lastPushedBack = what + ": redirected for now to " + SiteChosenUrls.shown(r.target());
        log.info("{} read to check the origin: {}, which shows nothing either way", what,
            e.getMessage());
        return true;
      }
      if (e instanceof NotFoundWithArticleException) {
        // Its own page under a wrong status: the site's answer, judged as in a worker, which
        // shows nothing of the origin either way.
        log.info("{} read to check the origin: {}, which shows nothing either way", what,
            e.getMessage());
        return true;
      }
      if (e instanceof IOException) {
        log.info("{} read to check the origin: {}", what, e.getMessage());
      } else {
        // A bug on one page, as in a worker: that page shows nothing, the next may.
        log.error("{} read to check the origin: failed unexpectedly", what, e);
      }
      return true;
    }
    if (stopAsked()) {
      stopIfUnset(StopReason.INTERRUPTED, null);
      return false;
    }
    int blockedRun = tally.readAside(p.outcome());
    if (p.outcome() == Outcome.BLOCKED || p.outcome() == Outcome.MAINTENANCE) {
      // The site pushing back, or down for a while (a maintenance page is the site's own): no
      // answer to whether the origin serves it, so another is read in its place.
      pushedBack++;
      lastPushedBack = what + ": " + p.outcome() + " (" + p.detail() + ")";
      log.info("{} read to check the origin: {} ({}), which shows nothing either way", what,
          p.outcome(), p.detail());
      if (blockedRun >= config.blockedInARow()) {
        // As in a worker.
        log.error("{} blocked pages in a row; stopping: the site is pushing back ({})",
            blockedRun, p.detail());
        stopIfUnset(StopReason.BLOCKED, null);
        return false;
      }
      return true;
    }
    if (!processor.showsTheSite(p)) {
      if (probe.stored()) {
        storedReadAgain++;
      } else {
        leftOutReadAgain++;
      }
      log.info("{} read to check the origin: {} ({})", what, p.outcome(), p.detail());
      return true;
    }
    int reads = storedReadAgain + leftOutReadAgain + 1;
    String line = notFoundHeld.size() + " pages answered 'not found' before any article; the"
        + " origin was confirmed by reading " + what + " as an article (" + reads + " page"
        + (reads == 1 ? "" : "s") + " read to check it, their rows not written), so they are"
        + " stored";
    log.info("run {} shard {}: {}", config.runId(), config.shard(), line);
    tally.problem(line);
    releaseNotFound();
    return false;
  }

  /** Whether a stop was asked, which ends the reads of {@link #proveOrigin} as a stopped run. */
  private boolean stoppedWhileReading() {
    if (!stopAsked()) {
      return false;
    }
    stopIfUnset(StopReason.INTERRUPTED, null);
    return true;
  }

  /**
   * The origin serves the site: the rows of the "not found" pages held so far go on to be
   * stored, each after its {@link Processed#onStored}, those that share a {@link
   * Processed.Joint} step (a page archive's index lines) taken together, one write for all. One
   * that fails stops the run (as a failed sink): the pages whose step it was, and those after
   * them, stay held, so that the end of the run counts them as not stored.
   */
  private void releaseNotFound() {
    articleSeen = true;
    List<List<Processed<R>>> steps = new ArrayList<>();
    Map<Processed.Joint<?>, List<Processed<R>>> joints = new IdentityHashMap<>();
    for (Processed<R> p : notFoundHeld) {
      if (p.onStored() instanceof Processed.Part<?> part) {
        List<Processed<R>> joint = joints.get(part.joint());
        if (joint == null) {
          joint = new ArrayList<>();
          joints.put(part.joint(), joint);
          steps.add(joint);
        }
        joint.add(p);
      } else {
        steps.add(List.of(p));
      }
    }
    List<Processed<R>> released = new ArrayList<>(notFoundHeld.size());
    for (List<Processed<R>> step : steps) {
      if (!stored(step)) {
        break;
      }
      released.addAll(step);
    }
    notFoundHeld.removeAll(released);
    released.forEach(p -> batcher.add(p.rows()));
  }

  /**
   * Takes the {@link Processed#onStored} of {@code items}, whose rows go on to be stored, as one
   * step when they share a {@link Processed.Joint}; false when it failed, which stops the run as
   * a failed copy of a page stops it in a worker: none of their rows is stored.
   */
  private boolean stored(List<Processed<R>> items) {
    try {
      if (items.size() > 1 && items.get(0).onStored() instanceof Processed.Part<?> first) {
        runAll(first.joint(), items);
      } else {
        items.get(0).onStored().run();
      }
      return true;
    } catch (IOException e) {
      if (stopReason == null) {
        log.error("{}", e.getMessage());
      }
      StopReason fatal = fatal(e);
      stopIfUnset(fatal != null ? fatal : StopReason.SINK_FAILED, e);
      return false;
    } catch (RuntimeException e) {
      // The archive closed, or a page's body gone from it: as when its disk fails, the rows
      // whose copies do not count are not stored.
      StorageFailedException failed = new StorageFailedException("the copies of " + items.size()
          + " page" + (items.size() == 1 ? "" : "s") + " could not be kept",
          new IOException(e.toString(), e));
      if (stopReason == null) {
        log.error("{}", failed.getMessage(), e);
      }
      stopIfUnset(StopReason.SINK_FAILED, failed);
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void runAll(Processed.Joint<T> joint, List<? extends Processed<?>> items)
      throws IOException {
    List<T> parts = new ArrayList<>(items.size());
    for (Processed<?> p : items) {
      parts.add(((Processed.Part<T>) p.onStored()).part());
    }
    joint.runAll(parts);
  }

  /**
   * At the end of a run that had no article page: its NOT_FOUND rows are not stored, as nothing
   * showed that the origin serves the site; a next run asks for those pages again. A run that
   * went through its input with at least {@link RunConfig#notFoundAlone} of them ends as the
   * site's failure (a wrong origin or path answers 404 for every page), asking a retry later;
   * a run stopped for another reason keeps that reason, and a shorter one warns.
   */
  private void leaveNotFoundUnstored() {
    int n = notFoundHeld.size();
    notFoundHeld.clear();
    if (n == 0) {
      return;
    }
    String pages = n + " page" + (n == 1 ? "" : "s") + " answered 'not found'";
    if (articleSeen) {
      // Their release failed: the run stopped as its storage failed.
      String line = pages + " before the first article and could not be archived when their"
          + " rows were to be stored: not stored, a next run asks again (the last: "
          + lastNotFound + ")";
      log.warn("{}", line);
      tally.problem(line);
      return;
    }
    // A run its limit cut short is judged only when a page it left out answered too: its first
    // items alone may all be deleted articles.
    boolean judged = !scheduler.leftOutByLimit() || leftOutReadAgain > 0;
    if (n >= config.notFoundAlone() && stopReason == StopReason.COMPLETED && judged) {
      String line = pages + " and none was an article: the origin does not seem to serve the"
          + " site's articles (a wrong origin or path?)" + readAgain()
          + "; none of them was stored, a next run asks again (the last: " + lastNotFound
          + ")";
      log.error("{}", line);
      tally.problemFirst(line);
      stopReason = StopReason.SITE_UNREACHABLE;
      failure = new NotTheSiteException(line);
      return;
    }
    if (stopReason == StopReason.INTERRUPTED) {
      // The stop is the news, not the articles the run had no time to read.
      String line = pages + " and the run was stopped (a signal, or its thread interrupted)"
          + (checkingOrigin ? " while it read pages it had skipped or left out to check the"
              + " origin," : "") + " before any page showed that the origin serves the site:"
          + " not stored, a next run asks again (the last: " + lastNotFound + ")";
      log.warn("{}", line);
      tally.problem(line);
      return;
    }
    String line = pages + " and no page of the run was an article" + (scheduler.limitReached()
        && stopReason == StopReason.COMPLETED ? " before its limit ended it" + readAgain() : "")
        + ", so nothing shows that the origin serves the site: not stored, a next run asks again"
        + " (the last: " + lastNotFound + ")";
    log.warn("{}", line);
    tally.problem(line);
  }

  private String readAgain() {
    int n = storedReadAgain + leftOutReadAgain;
    if (n == 0) {
      return "";
    }
    String pages = n == 1 ? "was the page" : "were the " + n + " pages";
    return leftOutReadAgain == 0 ? ", nor " + pages + " stored before that the run read again"
        : ", nor " + pages + " read to check it (" + storedReadAgain + " stored before, "
            + leftOutReadAgain + " left out by the limit)";
  }

  private void tripDrift() {
    if (driftTripped) {
      return;
    }
    log.error("parse breakage: {}; stopping without writing the rows of the pages it judged",
        guard.why());
    driftTripped = true;
    if (stopReason != StopReason.INTERNAL_ERROR) {
      stopReason = StopReason.PARSE_BREAKAGE;
    }
  }

  private void maybeFlush(boolean last) {
    if (driftTripped || writeFailed) {
      return;
    }
    boolean wrote;
    try {
      wrote = batcher.flush(last);
    } catch (IOException | UncheckedIOException e) {
      writeFailed = true;
      // Whatever stopped the run before, lost rows are the news the operator needs.
      stopReason = StopReason.SINK_FAILED;
      failure = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      publish();
      return;
    } catch (RuntimeException | Error e) {
      if (!batcher.failedInTheSink()) {
        // The run's own (out of memory before the sink had the batch): every row is still
        // pending, and the end of the run writes it once.
        throw e;
      }
      // Whether the sink stored any of the batch is unknown: it is not written again.
      writeFailed = true;
      throw new Blamed(sinkName, e);
    }
    // Outside the sink's call: a listener's failure is not the sink's.
    if (wrote) {
      publish();
    }
  }

  /**
   * Hands the rows held for the drift guard to the batcher: once it has judged enough pages, or
   * at the end of the run, when it has judged every page seen (the batcher is then written or
   * dropped as a whole).
   */
  private void releaseHeld() {
    held.forEach(batcher::add);
    held.clear();
  }

  private void finish() {
    // However the run ends (its input's end, a stop, a bug, a failure of the source, the sink's
    // lookup or the site, a block), it ends this shard's input: every page seen is judged, so
    // rows held back before the guard warmed up are never written unjudged.
    if (guard.tripped(true)) {
      tripDrift();
    }
    leaveNotFoundUnstored();
    releaseHeld();
    maybeFlush(true);
    if (driftTripped || writeFailed) {
      batcher.drop();
    }
    publish();
  }

  private boolean stopAsked() {
    return stopRequested || Thread.currentThread().isInterrupted();
  }

  /** Why the run stops on an item's error that every further item would meet, else null. */
  private static StopReason fatal(Throwable error) {
    return error instanceof SiteUnreachableException ? StopReason.SITE_UNREACHABLE
        : error instanceof RetryAfterTooLongException ? StopReason.BLOCKED
        : error instanceof StorageFailedException ? StopReason.SINK_FAILED : null;
  }

  /**
   * The source failed: a stop asked meanwhile explains it (a read the stop ended, as of a pipe
   * that stays open, fails so rather than yield half a line), else the source is at fault.
   */
  private void sourceFailed(IOException cause) {
    if (stopAsked()) {
      stopIfUnset(StopReason.INTERRUPTED, null);
    } else {
      stopIfUnset(StopReason.SOURCE_FAILED, cause);
    }
  }

  private void stopIfUnset(StopReason reason, IOException cause) {
    if (stopReason == null) {
      stopReason = reason;
      failure = cause;
    }
  }

  /**
   * Ends the run on an unchecked exception: a bug is the news, whatever stopped the run before
   * (the exit code asks for a retry, which re-does what was not stored).
   */
  private void internalError(Throwable e, String where) {
    log.error("internal error in {}; stopping", where, e);
    stopReason = StopReason.INTERNAL_ERROR;
    failure = null;
    tally.problem("internal error in " + where + ": " + withRootCause(e));
    if (e instanceof VirtualMachineError vm && vmError == null) {
      vmError = vm;
      // What to change, beside where it struck: a retry with the same settings fails alike.
      tally.problem(VmErrors.advice(vm));
    }
  }

  /** The exception and, when it has one, its root cause: often the news (an SQL error). */
  static String withRootCause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 32;
        depth++) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e + " (caused by " + root + ")";
  }


  private RunReport fail(StopReason reason, IOException e, String what) {
    log.error("{} failed: {}", what, e.getMessage());
    stopReason = reason;
    failure = e;
    return report();
  }

  private void publish() {
    Progress p = tally.progress(Duration.between(startedTick, intervals.instant()),
        batcher.rowsWritten(), scheduler != null && scheduler.inputEnded());
    progress = p;
    listener.onProgress(p);
  }

  private RunReport report() {
    long ofTheSite = tally.failedForGoodOfTheSite();
    if (ofTheSite > 0 && !tally.failedForGoodAreFew()) {
      String line = ofTheSite + " item" + (ofTheSite == 1 ? "" : "s")
          + " failed the same way on every try (a redirect off the site or in a loop, a client"
          + " error, an empty answer), " + (tally.hadAny()
              ? "too many to be the pages' own faults (at most " + RunTally.FOR_GOOD_FEW
                  + ", or " + Math.round(RunTally.FOR_GOOD_SHARE * 100) + "% of the shard's"
                  + " items, are)"
              : "and no page of the shard was had to show that the site works")
          + ", so they count as failures to retry later";
      log.error(line);
      tally.problemFirst(line);
    }
    return tally.report(RunReport.builder()).runId(config.runId())
        .shard(config.shard().toString()).startedAt(startedAt)
        .finishedAt(config.clock().instant()).stopReason(stopReason)
        .rowsWritten(batcher.rowsWritten()).batchesWritten(batcher.batchesWritten())
        .rowsDropped(batcher.rowsDropped()).failure(failure)
        .drift(guard.evidence(driftTripped)).build();
  }
}

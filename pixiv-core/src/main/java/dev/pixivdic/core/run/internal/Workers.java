package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.pixivdic.core.fetch.RetryLaterException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fixed pool of worker threads that process items with an {@link ItemProcessor}, and the
 * count of items in flight. {@link #submit} and {@link #poll} are called from the run thread
 * only; the caller keeps {@link #inFlight()} at most the pool's size. {@link #close} interrupts
 * the workers through {@link StopShield}: one inside a write its processor marks as a {@link
 * StopShield#write} (a page archive's copy, whose file an interrupt would close) is interrupted
 * only once that write is over, and its item comes back as any other.
 *
 * @param <I> item type
 * @param <R> row type
 */
final class Workers<I, R> implements AutoCloseable {

  private static final long DRAIN_POLL_MILLIS = 200;

  private final ItemProcessor<I, R> processor;
  private final int size;
  private final ThreadPoolExecutor pool;
  private final ExecutorCompletionService<Done<I, R>> done;
  private int inFlight;
  // Submitted items a close took out of the pool's queue before a worker started them: they
  // stay in flight for the count of abandoned items, but no worker will ever finish them.
  private int neverStarted;
  // Retries not made yet, given up with the run (abandonRetries): those the processor handed
  // back that the run thread has not polled (and those of items that finish after the run
  // stopped waiting), and those submitted again that no worker has started (a close may take
  // them out of the pool's queue unstarted). Both guarded by pendingRetries.
  private final Set<RetryLaterException> pendingRetries = new HashSet<>();
  private boolean retriesAbandoned;
  /** The threads inside {@link #work}; guarded by itself, as is {@link #closed}. */
  private final Set<Thread> working = new HashSet<>();
  private boolean closed;

  Workers(int size, ItemProcessor<I, R> processor) {
    this.processor = requireNonNull(processor, "processor");
    this.size = size;
    // newFixedThreadPool's own kind, for its queue: close takes the unstarted items out of it.
    this.pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(size,
        new ThreadFactoryBuilder().setNameFormat("pixiv-worker-%d").setDaemon(true).build());
    this.done = new ExecutorCompletionService<>(pool);
  }

  /** Whether a worker is free for one more item. */
  boolean free() {
    return inFlight < size;
  }

  /** Items submitted and not yet returned by {@link #poll}. */
  int inFlight() {
    return inFlight;
  }

  /**
   * Hands {@code item} to a worker; {@code resumes} is the retry it makes, or null for a first
   * try. Until a worker starts it, that retry is the run's to give up.
   */
  void submit(I item, RetryLaterException resumes) {
    if (resumes != null) {
      synchronized (pendingRetries) {
        pendingRetries.add(resumes);
      }
    }
    done.submit(() -> {
      if (!enter()) {
        // Taken from the queue as the close came: never started, its retry left to give up.
        return new Done<>(item, null, null, null, true, 0);
      }
      try {
        if (resumes != null) {
          synchronized (pendingRetries) {
            pendingRetries.remove(resumes);
          }
        }
        return work(item);
      } finally {
        leave();
      }
    });
    inFlight++;
  }

  /**
   * The next item a worker finished, waiting at most {@code millis}; null if none finished.
   *
   * @throws InterruptedException if the run thread was interrupted while waiting
   */
  Done<I, R> poll(long millis) throws InterruptedException {
    Future<Done<I, R>> f = done.poll(millis, TimeUnit.MILLISECONDS);
    if (f == null) {
      return null;
    }
    inFlight--;
    try {
      Done<I, R> d = f.get();
      if (d.error() instanceof RetryLaterException later) {
        synchronized (pendingRetries) {
          pendingRetries.remove(later);
        }
      }
      return d;
    } catch (CancellationException e) {
      return new Done<>(null, null, null, null, true, 0);
    } catch (ExecutionException e) {
      // The processor threw an unchecked exception: a bug, reported as the item's own failure.
      return new Done<>(null, null, null, e.getCause(), false, 0);
    }
  }

  /**
   * Hands what finishes in flight to {@code handler}, until nothing is in flight or
   * {@code timeout} has passed; keeps the thread's interrupt status, but not waiting for it.
   */
  void drain(Duration timeout, Consumer<Done<I, R>> handler) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean wasInterrupted = Thread.interrupted();
    try {
      while (inFlight > neverStarted && System.nanoTime() < deadline) {
        Done<I, R> d = poll(DRAIN_POLL_MILLIS);
        if (d != null) {
          handler.accept(d);
        }
      }
    } catch (InterruptedException e) {
      wasInterrupted = true;
    } finally {
      if (wasInterrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Interrupts the workers and takes no more items; what is in flight may still finish. A
   * worker waiting (for a request, a rate limit, a backoff) is interrupted at once; one inside a
   * {@link StopShield#write} once the write is over ({@link StopShield#interrupt}), so that no
   * stop cuts a copy in half or closes the file it goes to. An item submitted while its worker
   * was still returning from the last one waits in the pool's queue: the close takes it out
   * unstarted, and {@link #drain} no longer waits for it.
   */
  @Override
  public void close() {
    synchronized (working) {
      closed = true;
    }
    // Not shutdownNow: its interrupt would reach a worker inside a write all the same. The queue
    // is emptied before any worker is interrupted, which would free it to take the next item.
    pool.shutdown();
    List<Runnable> unstarted = new ArrayList<>();
    pool.getQueue().drainTo(unstarted);
    neverStarted += unstarted.size();
    synchronized (working) {
      working.forEach(StopShield::interrupt);
    }
  }

  /** Counts the calling worker in for {@link #close} to interrupt; false once closed. */
  private boolean enter() {
    synchronized (working) {
      if (closed) {
        return false;
      }
      working.add(Thread.currentThread());
      return true;
    }
  }

  private void leave() {
    synchronized (working) {
      working.remove(Thread.currentThread());
    }
  }

  private boolean closed() {
    synchronized (working) {
      return closed;
    }
  }

  /**
   * Gives up the retries ({@link RetryLaterException#abandon()}) of the items that finished but
   * were never polled, of those submitted again that no worker started, and of those that finish
   * from now on: the run that ends will not make them, and the fetcher must not keep them for
   * the next run. Called once the run is over.
   */
  void abandonRetries() {
    List<RetryLaterException> left;
    synchronized (pendingRetries) {
      retriesAbandoned = true;
      left = List.copyOf(pendingRetries);
      pendingRetries.clear();
    }
    left.forEach(RetryLaterException::abandon);
  }

  /** Notes a retry for the run thread; false when the run is over and will not poll it. */
  private boolean handedBack(RetryLaterException later) {
    synchronized (pendingRetries) {
      if (retriesAbandoned) {
        return false;
      }
      pendingRetries.add(later);
      return true;
    }
  }

  private Done<I, R> work(I item) {
    long t0 = System.nanoTime();
    try {
      Processed<R> p = processor.process(item);
      return new Done<>(item, p, null, null, false, System.nanoTime() - t0);
    } catch (IOException e) {
      if (e instanceof RetryLaterException later && !handedBack(later)) {
        later.abandon(); // The run is over: no one will bring the item back.
      }
      return new Done<>(item, null, e, null, false, System.nanoTime() - t0);
    } catch (InterruptedException e) {
      if (closed()) {
        // The run closed the pool (a stop, an interrupt, its end): the item is abandoned.
        Thread.currentThread().interrupt();
        return new Done<>(item, null, null, null, true, System.nanoTime() - t0);
      }
      // No one stopped the run: the processor (its fetcher) was interrupted by something of its
      // own, which is that item's failure, not a stop nobody asked for.
      IOException unprompted = new IOException("interrupted, though the run was not stopped ("
          + e + " thrown by the fetcher or the processor)", e);
      return new Done<>(item, null, unprompted, null, false, System.nanoTime() - t0);
    } catch (RuntimeException | Error e) {
      // A bug, with the item it happened on, for the report's problem and the log.
      return new Done<>(item, null, null, e, false, System.nanoTime() - t0);
    }
  }

  /**
   * One attempt at an item: its result, or the error it failed with, or the unchecked
   * exception the processor threw ({@code bug}), or its interruption or cancellation
   * ({@code cancelled}). The item is null for a cancellation.
   */
  record Done<I, R>(I item, Processed<R> result, IOException error, Throwable bug,
      boolean cancelled, long nanos) {}
}

package dev.pixivdic.core.run.internal;

import dev.pixivdic.core.fetch.RetryLaterException;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * Items that asked for a retry, each with the time before which it may not go
 * ({@link RetryLaterException#delay()}) and the time it may go at the soonest once the run has
 * nothing else to send ({@link RetryLaterException#soonest()}). Owned by the run thread; not
 * thread-safe.
 *
 * @param <I> item type
 */
final class RetryQueue<I> {

  private final PriorityQueue<Waiting<I>> waiting = new PriorityQueue<>();
  private long seq;

  /** Puts {@code item}, which failed at {@code failedAt} with {@code later}, in the queue. */
  void add(I item, Instant failedAt, RetryLaterException later) {
    waiting.add(new Waiting<>(item, later, failedAt.plus(later.delay()),
        failedAt.plus(later.soonest()), seq++));
  }

  int size() {
    return waiting.size();
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /**
   * Drops every waiting item, and gives its retry up ({@link RetryLaterException#abandon()}):
   * the fetcher keeps no retry state for a run that will not make it.
   */
  void clear() {
    waiting.forEach(w -> w.later().abandon());
    waiting.clear();
  }

  /**
   * Takes the item to send now out of the queue, or returns null: the earliest that is due;
   * or, once the source is exhausted ({@code inputEnded}), the earliest whose
   * {@link RetryLaterException#soonest()} has passed. With nothing left to take and a worker
   * free, waiting out the whole backoff would only leave the budget unused; the fetcher says
   * how soon a retry may go then, and its rate limiter, its bound on requests in flight and
   * any {@code Retry-After} pause still hold the request.
   */
  Waiting<I> poll(Instant now, boolean inputEnded) {
    Waiting<I> head = waiting.peek();
    Waiting<I> next = null;
    if (head != null && !head.notBefore().isAfter(now)) {
      next = head;
    } else if (head != null && inputEnded) {
      Waiting<I> soonest = soonest();
      next = !soonest.soonestAt().isAfter(now) ? soonest : null;
    }
    if (next == null) {
      return null;
    }
    waiting.remove(next);
    return next;
  }

  /** How long until {@link #poll} may return an item, at most {@code max}, at least 1 ms. */
  long millisUntilNext(Instant now, boolean inputEnded, long max) {
    Waiting<I> next = inputEnded ? soonest() : waiting.peek();
    if (next == null) {
      return max;
    }
    Instant at = inputEnded ? next.soonestAt() : next.notBefore();
    long due = Duration.between(now, at).toMillis();
    return Math.max(1, Math.min(max, due));
  }

  /** The waiting item that may go soonest when the run has nothing else to send. */
  private Waiting<I> soonest() {
    Waiting<I> first = null;
    for (Waiting<I> w : waiting) {
      if (first == null || w.soonestAt().isBefore(first.soonestAt())) {
        first = w;
      }
    }
    return first;
  }

  /**
   * An item waiting for a retry, with the retry it makes; earliest first, then in the order they
   * were deferred.
   */
  record Waiting<I>(I item, RetryLaterException later, Instant notBefore,
      Instant soonestAt, long seq)
      implements Comparable<Waiting<I>> {
    @Override
    public int compareTo(Waiting<I> o) {
      int c = notBefore.compareTo(o.notBefore);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}

package dev.pixivdic.launcher.kube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Time that passes only when a test moves it on: the waits of a {@link KubeApi} for its answers
 * run on it. A wait ends as no answer in time once time has been moved past its limit while its
 * answer was still incomplete. Thread-safe.
 */
final class DrivenTime implements KubeApi.AnswerWait {
  private long nanos;
  private int expired;
  private final List<Waiting> waits = new ArrayList<>();

  private record Waiting(long until, CompletableFuture<?> answer, CompletableFuture<Void> over) {}

  @Override
  public void await(CompletableFuture<?> answer, Duration limit)
      throws InterruptedException, ExecutionException, TimeoutException {
    Waiting w;
    synchronized (this) {
      w = new Waiting(nanos + limit.toNanos(), answer, new CompletableFuture<>());
      waits.add(w);
    }
    try {
      CompletableFuture.anyOf(answer, w.over()).get();
    } finally {
      synchronized (this) {
        waits.remove(w);
      }
    }
    if (w.over().isDone()) {
      throw new TimeoutException();
    }
  }

  /** Moves time on by {@code d}, ending the waits it takes past their limit. */
  synchronized void advance(Duration d) {
    nanos += d.toNanos();
    for (Waiting w : waits) {
      if (nanos >= w.until() && !w.answer().isDone() && w.over().complete(null)) {
        expired++;
      }
    }
  }

  /** The time moved on so far. */
  synchronized Duration elapsed() {
    return Duration.ofNanos(nanos);
  }

  /** How many waits have ended at their limit so far. */
  synchronized int expired() {
    return expired;
  }
}

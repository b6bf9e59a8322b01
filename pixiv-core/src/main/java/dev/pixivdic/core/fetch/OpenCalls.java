package dev.pixivdic.core.fetch;

import java.util.HashMap;
import java.util.Map;

/**
 * The threads inside a fetcher's {@code get}, so that closing the fetcher ends their calls: the
 * JDK's client completes no exchange once its executor refuses work (a call in flight would
 * wait for good, past its timeout), and a call may be waiting out a rate-limit pause or a
 * backoff of minutes. {@link #close} interrupts each of them once; {@link #leave} tells a call
 * whether that happened and clears that interrupt. Thread-safe.
 */
final class OpenCalls {

  // Each thread inside a call, with whether close() interrupted it.
  private final Map<Thread, Boolean> inside = new HashMap<>();
  private boolean closed;

  /** Counts the calling thread in; false, and not counted, once closed. */
  synchronized boolean enter() {
    if (closed) {
      return false;
    }
    inside.put(Thread.currentThread(), false);
    return true;
  }

  /**
   * Counts the calling thread out; true when {@link #close} interrupted it, whose interrupt is
   * then cleared (the call ends with a failure saying so instead).
   */
  synchronized boolean leave() {
    boolean interrupted = Boolean.TRUE.equals(inside.remove(Thread.currentThread()));
    if (interrupted) {
      Thread.interrupted();
    }
    return interrupted;
  }

  /** Refuses later calls and interrupts every thread inside one. */
  synchronized void close() {
    closed = true;
    inside.replaceAll((thread, interrupted) -> {
      if (!interrupted) {
        thread.interrupt();
      }
      return true;
    });
  }
}

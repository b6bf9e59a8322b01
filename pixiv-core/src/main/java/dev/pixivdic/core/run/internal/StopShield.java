package dev.pixivdic.core.run.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writes of an item's processing that a run's stop must not cut off: a page archive's copy
 * and its index line, whose file an interrupt closes (a {@link java.nio.channels.FileChannel}),
 * so that every later write of the run to it fails. A stop interrupts the threads that work for
 * the run (the workers, as it closes them, and the thread of {@link RunEngine}'s reads to check
 * the origin) through {@link #interrupt}: a thread inside {@link #write} is interrupted only
 * once its write is over, and an interrupt that came before the write waits for its end. A
 * thread waiting elsewhere (a request, a rate limit, a backoff) is interrupted at once.
 * Thread-safe.
 */
public final class StopShield {

  /** A write that a stop must not cut off. */
  @FunctionalInterface
  public interface Write<T> {
    T run() throws IOException;
  }

  /** The threads inside {@link #write}, each with whether an interrupt waits for its end. */
  private static final Map<Thread, Boolean> WRITING = new HashMap<>();

  private StopShield() {}

  /**
   * Runs {@code write} on the calling thread without the interrupt of a stop: one that was set
   * before, or that comes meanwhile through {@link #interrupt}, is set again once it is over.
   */
  public static <T> T write(Write<T> write) throws IOException {
    Thread self = Thread.currentThread();
    boolean outer;
    synchronized (WRITING) {
      outer = !WRITING.containsKey(self);
      if (outer) {
        WRITING.put(self, Thread.interrupted());
      }
    }
    try {
      return write.run();
    } finally {
      if (outer) {
        synchronized (WRITING) {
          if (WRITING.remove(self)) {
            self.interrupt();
          }
        }
      }
    }
  }

  /** Interrupts {@code thread}, at once, or once the write it is inside is over. */
  static void interrupt(Thread thread) {
    synchronized (WRITING) {
      if (WRITING.containsKey(thread)) {
        WRITING.put(thread, true);
      } else {
        thread.interrupt();
      }
    }
  }
}

package dev.pixivdic.launcher.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A buffer that wakes those waiting on it (synchronized on the buffer) at every write; it may be
 * told to throw, once, when a write holds a given text ({@link #failOn}).
 */
public final class NotifyingBuffer extends ByteArrayOutputStream {
  private String trap;
  private Supplier<? extends Error> error;

  /** The next write that holds {@code text} throws {@code error}'s Error instead. */
  public synchronized void failOn(String text, Supplier<? extends Error> error) {
    this.trap = text;
    this.error = error;
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    if (trap != null && new String(b, off, len, StandardCharsets.UTF_8).contains(trap)) {
      trap = null;
      throw error.get();
    }
    super.write(b, off, len);
    notifyAll();
  }

  @Override
  public synchronized void write(int b) {
    super.write(b);
    notifyAll();
  }
}

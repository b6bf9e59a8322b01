package dev.pixivdic.launcher.fake;

import java.io.ByteArrayOutputStream;

/** A buffer that wakes those waiting on it (synchronized on the buffer) at every write. */
public final class NotifyingBuffer extends ByteArrayOutputStream {
  @Override
  public synchronized void write(byte[] b, int off, int len) {
    super.write(b, off, len);
    notifyAll();
  }

  @Override
  public synchronized void write(int b) {
    super.write(b);
    notifyAll();
  }
}

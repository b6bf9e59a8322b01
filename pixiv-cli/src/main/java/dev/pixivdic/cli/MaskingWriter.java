package dev.pixivdic.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that passes text through {@link Secrets#mask} a line at a time, for the command's
 * stderr: error messages quoting a server's answer or a URL cannot leak a credential either.
 * Text without a line end yet (a progress bar redrawn with {@code \r}) is masked and passed on
 * at {@link #flush}. Thread-safe: writes are serialised on the writer's lock.
 */
final class MaskingWriter extends Writer {

  private final Writer out;
  private final StringBuilder pending = new StringBuilder();

  MaskingWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    synchronized (lock) {
      for (int i = off; i < off + len; i++) {
        pending.append(buf[i]);
        if (buf[i] == '\n') {
          drain();
        }
      }
    }
  }

  @Override
  public void flush() throws IOException {
    synchronized (lock) {
      drain();
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      drain();
      out.close();
    }
  }

  private void drain() throws IOException {
    if (pending.length() > 0) {
      out.write(Secrets.mask(pending.toString()));
      pending.setLength(0);
    }
  }
}

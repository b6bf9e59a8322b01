package dev.pixivdic.launcher.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines at {@code \n}. Bytes are kept raw until a line is complete, so a
 * multi-byte character split across reads is decoded whole; invalid UTF-8 becomes U+FFFD.
 * A line longer than the cap is truncated with a marker rather than held in memory. Not
 * thread-safe.
 */
final class LineSplitter {
  static final int MAX_LINE = 1 << 20;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Consumer<String> sink;
  private long dropped;

  LineSplitter(Consumer<String> sink) {
    this.sink = sink;
  }

  void feed(byte[] bytes, int off, int len) {
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(bytes, start, off + len - start);
  }

  /** Emits a last line that had no newline (the stream ended). */
  void flush() {
    if (line.size() > 0 || dropped > 0) {
      emit();
    }
  }

  private void append(byte[] bytes, int off, int len) {
    int room = MAX_LINE - line.size();
    int keep = Math.min(room, len);
    line.write(bytes, off, keep);
    dropped += len - keep;
  }

  private void emit() {
    String text = line.toString(StandardCharsets.UTF_8);
    if (dropped > 0) {
      text = text + " [... " + dropped + " more bytes dropped]";
    }
    line.reset();
    dropped = 0;
    sink.accept(text);
  }
}

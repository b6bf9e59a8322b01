package dev.pixivdic.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a torn last line off an append-only line file: the trace a crash leaves when it stops
 * an append half-way. Everything before the last complete, valid line is kept.
 */
final class TailRepair {
  private static final Logger LOG = LoggerFactory.getLogger(TailRepair.class);
  private static final int CHUNK = 8192;

  private TailRepair() {}

  /**
   * Truncates the file after its last newline when the bytes after it are not empty, and drops
   * the last complete line too when {@code valid} rejects it. Forces the change to disk.
   *
   * @return the file's size afterwards
   */
  static long repair(FileChannel ch, Path file, Predicate<String> valid) throws IOException {
    long size = ch.size();
    if (size == 0) {
      return 0;
    }
    long end = size;
    long lastNewline = lastNewlineBefore(ch, end);
    if (lastNewline != end - 1) {
      // The last line has no line break: an append was cut short.
      end = lastNewline + 1;
    } else {
      long start = lastNewlineBefore(ch, end - 1) + 1;
      String line = read(ch, start, end - 1 - start);
      if (!line.isBlank() && !valid.test(line)) {
        end = start;
      }
    }
    if (end != size) {
      LOG.warn("{}: repaired a torn last line left by an interrupted write: truncated {} to {} bytes"
          + " ({} bytes removed)", file, size, end, size - end);
      ch.truncate(end);
      ch.force(true);
    }
    return end;
  }

  /** The length of the file's complete lines: up to and including its last newline. */
  static long completeLength(FileChannel ch) throws IOException {
    return lastNewlineBefore(ch, ch.size()) + 1;
  }

  /** The position of the last '\n' before {@code end}, or -1. */
  private static long lastNewlineBefore(FileChannel ch, long end) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    long pos = end;
    while (pos > 0) {
      int n = (int) Math.min(CHUNK, pos);
      pos -= n;
      buf.clear().limit(n);
      readFully(ch, buf, pos);
      for (int i = n - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return pos + i;
        }
      }
    }
    return -1;
  }

  private static String read(FileChannel ch, long pos, long length) throws IOException {
    if (length > Integer.MAX_VALUE - 8) {
      return "";
    }
    ByteBuffer buf = ByteBuffer.allocate((int) length);
    readFully(ch, buf, pos);
    return new String(buf.array(), 0, (int) length, StandardCharsets.UTF_8);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long at = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }
}

package dev.pixivdic.launcher.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a watch stream, each at most {@link #MAX_LINE} characters: a server that sends an
 * endless line fails the watch instead of filling the heap. Not thread-safe.
 */
final class WatchLines {
  /** Far above any object the API server stores (etcd's limit is 1.5 MiB by default). */
  static final int MAX_LINE = 16 << 20;

  /** A line longer than {@link #MAX_LINE}: the watch cannot go on. */
  static final class TooLong extends IOException {
    private static final long serialVersionUID = 1L;

    TooLong(String message) {
      super(message);
    }
  }

  private final Reader in;
  private final int max;
  private final char[] buffer = new char[8192];
  private int pos;
  private int end;

  WatchLines(InputStream in) {
    this(in, MAX_LINE);
  }

  WatchLines(InputStream in, int max) {
    this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
    this.max = max;
  }

  /** The next line without its end ({@code \n} or {@code \r\n}), or null at the stream's end. */
  String next() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (pos == end) {
        int n = in.read(buffer);
        if (n < 0) {
          return line.length() > 0 ? line.toString() : null;
        }
        pos = 0;
        end = n;
      }
      int start = pos;
      while (pos < end && buffer[pos] != '\n') {
        pos++;
      }
      line.append(buffer, start, pos - start);
      if (line.length() > max) {
        throw new TooLong("a line of more than " + (max >> 20) + " MiB without an end");
      }
      if (pos < end) {
        pos++; // the '\n'
        int last = line.length() - 1;
        return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
      }
    }
  }
}

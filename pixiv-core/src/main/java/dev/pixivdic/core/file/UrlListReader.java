package dev.pixivdic.core.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Map;

/** One URL a line; blank lines and lines starting with {@code #} are ignored. */
final class UrlListReader implements RecordReader {
  /** What undecodable bytes turn into. */
  static final char NOT_UTF8 = '\uFFFD';
  static final String NOT_UTF8_MESSAGE = "not UTF-8 text";

  private final LineCountingReader in;

  UrlListReader(LineCountingReader in) {
    this.in = in;
  }

  @Override
  public Raw next() throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        if (s.indexOf(NOT_UTF8) >= 0) {
          return Raw.bad(in.lineNumber(), NOT_UTF8_MESSAGE);
        }
        return Raw.ok(in.lineNumber(), s, Map.of());
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** A line reader that knows the number of the line it returned last. */
  static final class LineCountingReader implements java.io.Closeable {
    private final BufferedReader reader;
    private long line;

    LineCountingReader(BufferedReader reader) {
      this.reader = reader;
    }

    String readLine() throws IOException {
      String s = reader.readLine();
      if (s != null) {
        line++;
      }
      return s;
    }

    long lineNumber() {
      return line;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}

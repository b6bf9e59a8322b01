package dev.pixivdic.core.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Map;

/** One URL a line; blank lines and lines starting with {@code #} are ignored. */
final class UrlListReader implements RecordReader {
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
    private final String source;
    private long line;

    LineCountingReader(BufferedReader reader, String source) {
      this.reader = reader;
      this.source = source;
    }

    String readLine() throws IOException {
      String s;
      try {
        s = reader.readLine();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new BadSourceLineException(source, line + 1, "not UTF-8 text", e);
      }
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

package dev.pixivdic.core.file.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A reader that keeps the last lines read through it (each up to {@link UrlListReader#MAX_LINE}
 * characters, {@link #KEEP} characters in all), numbered from 1 as the CSV parser numbers them:
 * {@code \r\n}, {@code \r} and {@code \n} each end a line. The CSV reader looks back at them when
 * a quoted cell that ran over line ends breaks off, and its text never reaches a token. Not
 * thread-safe.
 */
final class LineTail extends Reader {
  /** Characters kept: the row bound and the parser's read-ahead, with room to spare. */
  static final int KEEP = 64 * 1024;

  private record Line(long number, String text) {}

  private final Reader in;
  private final Deque<Line> kept = new ArrayDeque<>();
  private final StringBuilder current = new StringBuilder();
  private long keptChars;
  private long number = 1;
  private boolean afterCr;

  LineTail(Reader in) {
    this.in = in;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    for (int i = offset; i < offset + n; i++) {
      char c = buffer[i];
      if (c == '\n' && afterCr) {
        afterCr = false;
        continue;
      }
      afterCr = c == '\r';
      if (c == '\r' || c == '\n') {
        endLine();
      } else if (current.length() < UrlListReader.MAX_LINE) {
        current.append(c);
      }
    }
    return n;
  }

  private void endLine() {
    kept.addLast(new Line(number++, current.toString()));
    keptChars += current.length() + 1;
    current.setLength(0);
    while (keptChars > KEEP && kept.size() > 1) {
      keptChars -= kept.removeFirst().text().length() + 1;
    }
  }

  /**
   * The text of line {@code n} (cut to {@link UrlListReader#MAX_LINE} characters), if it is still
   * kept; the line being read counts too.
   */
  Optional<String> line(long n) {
    if (n == number) {
      return Optional.of(current.toString());
    }
    for (Line line : kept) {
      if (line.number() == n) {
        return Optional.of(line.text());
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

package dev.pixivdic.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of UTF-8 text, each decoded on its own, so that bytes that are not UTF-8 spoil
 * their line only and the lines after it still read. A line ends at LF; a CR before the LF is
 * dropped, and the last line needs no LF. A line longer than the limit is read past, not held,
 * and reported as {@link TooLongException}. Not thread-safe.
 */
final class Utf8Lines implements Closeable {

  /** The longest line held by default, in bytes: far above any row pixiv writes. */
  static final int MAX_LINE = 16 * 1024 * 1024;

  /** A line over the limit: it was skipped unread; the next call reads the line after it. */
  static final class TooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLongException(long length, int max) {
      super("the line is " + length + " bytes long, over the limit of " + max
          + "; skipped unread");
    }
  }

  private final InputStream in;
  private final int maxLine;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[64 * 1024];
  private int pos;
  private int end;
  private byte[] line = new byte[1024];
  private long number;

  Utf8Lines(InputStream in) {
    this(in, MAX_LINE);
  }

  Utf8Lines(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /** The number of the line {@link #next} gave last, from 1. */
  long number() {
    return number;
  }

  /**
   * The next line, or null at the end.
   *
   * @throws CharacterCodingException when the line is not UTF-8; the next call reads the line
   *     after it
   * @throws TooLongException when the line is longer than the limit; the next call reads the
   *     line after it
   */
  String next() throws IOException {
    if (!fill()) {
      return null;
    }
    long length = 0;
    byte last = 0;
    do {
      int lf = pos;
      while (lf < end && chunk[lf] != '\n') {
        lf++;
      }
      int n = lf - pos;
      if (length + n <= maxLine + 1L) {
        int held = (int) length;
        if (held + n > line.length) {
          line = Arrays.copyOf(line, Math.max(held + n, 2 * line.length));
        }
        System.arraycopy(chunk, pos, line, held, n);
      }
      if (n > 0) {
        last = chunk[lf - 1];
      }
      length += n;
      pos = lf;
      if (lf < end) {
        pos++;
        break;
      }
    } while (fill());
    number++;
    if (last == '\r') {
      length--;
    }
    if (length > maxLine) {
      throw new TooLongException(length, maxLine);
    }
    return decoder.reset().decode(ByteBuffer.wrap(line, 0, (int) length)).toString();
  }

  /** Whether bytes are left to read, reading the next chunk once the last is used up. */
  private boolean fill() throws IOException {
    if (pos < end) {
      return true;
    }
    pos = 0;
    end = Math.max(0, in.read(chunk, 0, chunk.length));
    return end > 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

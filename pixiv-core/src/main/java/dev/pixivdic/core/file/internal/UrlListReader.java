package dev.pixivdic.core.file.internal;

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
      if (line == TOO_LONG) {
        return Raw.bad(in.lineNumber(), in.tooLongMessage());
      }
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

  /** The longest source line accepted, in characters; a longer one is a bad line. */
  static final int MAX_LINE = 8 * 1024;

  /**
   * A line longer than this, 16 MiB, means the input is no list of lines at all; a line of a few
   * megabytes is still one bad line.
   */
  static final long NOT_A_LIST = 16L * 1024 * 1024;

  /** What a line that is too long turns into: a marker the readers report as a bad line. */
  static final String TOO_LONG = "\u0000too long";

  /**
   * A line reader that knows the number of the line it returned last, and holds at most
   * {@code max} characters of a line ({@link #MAX_LINE} unless told): the rest of a longer one
   * is skipped and the line comes back as {@link #TOO_LONG}, with its length in
   * {@link #lastLength()}.
   *
   * <p>Its loop is the one of {@code ArchiveHistory.Lines}, which reads the archive's index as
   * bytes, kept apart on purpose: a source may be UTF-16 or UTF-32 (told by its first bytes in
   * {@code SourceInput}), where a line end is more than one byte and a byte 0x0A may be half of
   * another character, so lines are split after decoding, and its limits, messages and
   * {@link #notAListAfter} count characters; a line over the limit is one bad line, and the
   * reading goes on. A changed file is caught below it ({@code SourceInput.UnchangedFile}, at
   * each read from the file), whatever reads the characters. {@code BufferedReader.readLine}
   * would hold a line of any length (an endless one from {@code /dev/zero} until memory runs
   * out) and end one at a lone CR too.
   */
  static final class LineCountingReader implements java.io.Closeable {
    private final BufferedReader reader;
    private final int max;
    private final char[] buf = new char[8192];
    private int pos;
    private int end;
    private long line;
    private long lastLength;
    private long notAList = Long.MAX_VALUE;
    private String name;
    private String said;

    LineCountingReader(BufferedReader reader) {
      this(reader, MAX_LINE);
    }

    LineCountingReader(BufferedReader reader, int max) {
      this.reader = reader;
      this.max = max;
    }

    /**
     * Makes a line without a line end in its first {@code chars} characters fail the reading
     * (an endless stream such as {@code /dev/zero} on standard input would else be read
     * forever, a line at a time that never ends), naming the input {@code name} (as a bad
     * line's source) and {@code said} (in the message's words).
     */
    LineCountingReader notAListAfter(long chars, String name, String said) {
      this.notAList = chars;
      this.name = name;
      this.said = said;
      return this;
    }

    String readLine() throws IOException {
      StringBuilder out = new StringBuilder();
      long length = 0;
      boolean any = false;
      while (true) {
        if (pos == end) {
          end = reader.read(buf, 0, buf.length);
          pos = 0;
          if (end <= 0) {
            end = 0;
            if (!any) {
              return null;
            }
            break;
          }
        }
        any = true;
        char c = buf[pos++];
        if (c == '\n') {
          break;
        }
        length++;
        if (length > notAList) {
          throw new BadSourceLineException(name, line + 1, "no line end in the first " + notAList
              + " characters: " + said + " is not a text list");
        }
        if (length <= max + 1L) {
          out.append(c);
        }
      }
      line++;
      int n = out.length();
      if (n > 0 && out.charAt(n - 1) == '\r' && length <= max + 1L) {
        out.setLength(n - 1);
        length--;
      }
      lastLength = length;
      return length > max ? TOO_LONG : out.toString();
    }

    /** The length in characters of the line returned last. */
    long lastLength() {
      return lastLength;
    }

    /** The message for a source line over the limit, which the source skips. */
    String tooLongMessage() {
      return tooLong() + "; skipped unread";
    }

    /** What is wrong with a line over the limit. */
    String tooLong() {
      return "the line is " + lastLength + " characters long, over the limit of " + max;
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

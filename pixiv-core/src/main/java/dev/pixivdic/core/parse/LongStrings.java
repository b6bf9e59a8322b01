package dev.pixivdic.core.parse;

import java.io.InputStream;
import java.util.Arrays;

/**
 * The long string values of a JSON text in a page's bytes, found without decoding them, and
 * the JSON with their contents left out for Jackson to read: the site embeds the article's
 * body as one long string that no reader looks at, and Jackson would otherwise walk through it
 * byte by byte (checking its UTF-8) only to skip it.
 *
 * <p>Why Jackson reads the same JSON, apart from those strings' texts. The scan pairs quotes
 * as Jackson does up to the first byte Jackson would refuse (outside a string a quote opens
 * one; inside, a backslash takes the next byte with it, a quote closes it). A string is left
 * out only when Jackson would accept it as it is (every escape one of JSON's, no control
 * character) and it is a value, not a key (keys are what the entry rules look at), so the
 * JSON with {@code ""} in its place is valid exactly when the whole is, with the same keys,
 * numbers and other strings. A quote or backslash byte is never part of a UTF-8 sequence,
 * and jsoup's decoder never takes an ASCII byte into a malformed one, so the full path's
 * string ends at the same place whatever the bytes inside.
 */
final class LongStrings {

  /** Shorter strings are left to Jackson: leaving them out would save little. */
  static final int MIN_LENGTH = 512;

  private static final long QUOTES = Skeleton.ONES * '"';
  private static final long BACKSLASHES = Skeleton.ONES * '\\';
  private static final long SPACES = Skeleton.ONES * 0x20;

  private final int from;
  private final int to;
  /** Page positions of the opening and closing quotes of each string left out, in order. */
  private final int[] quotes;
  private final int count;

  private LongStrings(int from, int to, int[] quotes, int count) {
    this.from = from;
    this.to = to;
    this.quotes = quotes;
    this.count = count;
  }

  /** The long string values of the JSON in {@code b[from, to)}. */
  static LongStrings of(byte[] b, int from, int to) {
    int[] quotes = new int[8];
    int count = 0;
    int i = from;
    while (true) {
      while (i < to && b[i] != '"') {
        i++;
      }
      if (i >= to) {
        break;
      }
      int open = i;
      boolean acceptable = true;
      int j = open + 1;
      while (true) {
        j = nextSpecial(b, j, to);
        if (j >= to) {
          // The string does not end: Jackson refuses the JSON.
          return new LongStrings(from, to, quotes, count);
        }
        byte c = b[j];
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          acceptable &= isEscape(b, j + 1, to);
          j += 2;
        } else {
          acceptable = false;
          j++;
        }
      }
      if (acceptable && j - open - 1 >= MIN_LENGTH && !isKey(b, j + 1, to)) {
        if (count == quotes.length) {
          quotes = Arrays.copyOf(quotes, count * 2);
        }
        quotes[count++] = open;
        quotes[count++] = j;
      }
      i = j + 1;
    }
    return new LongStrings(from, to, quotes, count);
  }

  /** The index of the next quote, backslash or control character from {@code i}, or more. */
  private static int nextSpecial(byte[] b, int i, int to) {
    int k = i;
    for (; k + 8 <= to; k += 8) {
      long x = (long) Skeleton.LONGS.get(b, k);
      if ((Skeleton.zeroBytes(x ^ QUOTES) | Skeleton.zeroBytes(x ^ BACKSLASHES)
          | Skeleton.bytesBelow(x, SPACES)) != 0) {
        break;
      }
    }
    for (; k < to; k++) {
      byte c = b[k];
      if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
        return k;
      }
    }
    return to;
  }

  /** Whether the escape after a backslash, at {@code i}, is one Jackson accepts. */
  private static boolean isEscape(byte[] b, int i, int to) {
    if (i >= to) {
      return false;
    }
    switch (b[i]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
        return true;
      case 'u':
        if (i + 4 >= to) {
          return false;
        }
        for (int k = i + 1; k <= i + 4; k++) {
          if (Character.digit(b[k], 16) < 0) {
            return false;
          }
        }
        return true;
      default:
        return false;
    }
  }

  /** Whether the string closed before {@code i} is a key: a colon follows after white space. */
  private static boolean isKey(byte[] b, int i, int to) {
    int k = i;
    while (k < to && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r')) {
      k++;
    }
    return k < to && b[k] == ':';
  }

  /** How many strings are left out. */
  int count() {
    return count / 2;
  }

  /** The page position of the opening quote of the {@code k}th string left out. */
  int open(int k) {
    return quotes[2 * k];
  }

  /** The page position of the closing quote of the {@code k}th string left out. */
  int close(int k) {
    return quotes[2 * k + 1];
  }

  /**
   * The JSON with the contents of the strings left out, each now {@code ""}; position
   * {@code p} of it is page position {@code from + p + } the lengths left out before.
   */
  InputStream json(byte[] page) {
    return new InputStream() {
      private int at = from;
      private int next;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (at >= to) {
          return -1;
        }
        int end = next < count ? quotes[next] + 1 : to;
        int n = Math.min(len, end - at);
        System.arraycopy(page, at, buf, off, n);
        at += n;
        if (at == end && next < count) {
          at = quotes[next + 1];
          next += 2;
        }
        return n;
      }
    };
  }
}

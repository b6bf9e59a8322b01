package dev.pixivdic.core.parse;

import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The characters of UTF-8 bytes, as {@code new String(bytes, UTF_8)} holds them, decoded
 * straight into the caller's array: neither the whole decoded text nor a copy of the bytes is
 * ever allocated.
 *
 * <p>Well-formed UTF-8 (no overlong form, surrogate, code point above U+10FFFF, stray or
 * missing continuation byte) is decoded here. From the first byte that does not start a
 * well-formed sequence on, the rest goes to the JDK's decoder with {@link
 * CodingErrorAction#REPLACE}, so malformed bytes become the same U+FFFD as in the JDK's (and
 * jsoup's) decoding: up to that byte both decoders have read the same whole sequences, and
 * UTF-8 carries no state across them. Not thread-safe; {@link #close} frees nothing.
 */
final class Utf8Reader extends Reader {

  private final byte[] bytes;
  private int end;
  private int at;
  /**
   * The char that did not fit in the caller's array (the low half of a surrogate pair, or the
   * second of two chars the JDK's decoder gave for one char of room), or -1.
   */
  private int pending = -1;
  /** Set from the first malformed byte on: the JDK's decoder over the rest of the bytes. */
  private CharsetDecoder decoder;
  private ByteBuffer rest;
  private boolean flushed;

  Utf8Reader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  /** The characters of {@code bytes[from, to)}. */
  Utf8Reader(byte[] bytes, int from, int to) {
    Objects.checkFromToIndex(from, to, bytes.length);
    this.bytes = bytes;
    this.at = from;
    this.end = to;
  }

  /**
   * Reads {@code bytes[from, to)} next, once everything read so far has been given (a read
   * returned -1): for a text made of ranges of the bytes, each of them well-formed UTF-8 on its
   * own (a malformed byte would be replaced as in the range alone, not as in the whole).
   */
  void range(int from, int to) {
    Objects.checkFromToIndex(from, to, bytes.length);
    if (pending >= 0 || at < end || decoder != null) {
      throw new IllegalStateException("the range before is not read to its end");
    }
    at = from;
    end = to;
  }

  @Override
  public int read(char[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len == 0) {
      return 0;
    }
    int n = 0;
    if (pending >= 0) {
      buf[off] = (char) pending;
      pending = -1;
      n = 1;
    }
    if (decoder == null) {
      n = decode(buf, off + n, off + len) - off;
    }
    if (decoder != null && n < len) {
      n += decodeRest(buf, off + n, len - n);
    }
    return n == 0 ? -1 : n;
  }

  /**
   * Decodes well-formed sequences into {@code buf[from, to)} until it is full, the bytes end, or
   * a byte starts no well-formed sequence (then the JDK's decoder takes over at that byte).
   *
   * @return the index after the last character written
   */
  private int decode(char[] buf, int from, int to) {
    byte[] b = bytes;
    int i = at;
    int o = from;
    while (o < to && i < end) {
      int c = b[i];
      if (c >= 0) {
        // Runs of ASCII (markup) are most of a page's bytes.
        int stop = Math.min(end, i + to - o);
        do {
          buf[o++] = (char) c;
          i++;
        } while (i < stop && (c = b[i]) >= 0);
        continue;
      }
      int cp = sequence(b, i, c & 0xFF);
      if (cp < 0) {
        handOver(i);
        break;
      }
      if (cp < 0x10000) {
        buf[o++] = (char) cp;
        i += cp < 0x800 ? 2 : 3;
      } else {
        buf[o++] = Character.highSurrogate(cp);
        if (o < to) {
          buf[o++] = Character.lowSurrogate(cp);
        } else {
          pending = Character.lowSurrogate(cp);
        }
        i += 4;
      }
    }
    at = i;
    return o;
  }

  /**
   * The code point of the well-formed sequence of two to four bytes at {@code i} whose first
   * byte is {@code c} (at least 0x80), or -1 when there is none (a truncated sequence too).
   */
  private int sequence(byte[] b, int i, int c) {
    if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 < end && (b[i + 1] & 0xC0) == 0x80) {
        return (c & 0x1F) << 6 | b[i + 1] & 0x3F;
      }
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 < end && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
        int cp = (c & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F;
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
          return cp;
        }
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 < end && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80
          && (b[i + 3] & 0xC0) == 0x80) {
        int cp = (c & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6
            | b[i + 3] & 0x3F;
        if (cp >= 0x10000 && cp <= 0x10FFFF) {
          return cp;
        }
      }
    }
    return -1;
  }

  private void handOver(int from) {
    decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    rest = ByteBuffer.wrap(bytes, from, end - from);
  }

  /** Decodes the bytes after the first malformed one into {@code buf[off, off + len)}. */
  private int decodeRest(char[] buf, int off, int len) {
    if (flushed) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(buf, off, len);
    decoder.decode(rest, out, true);
    if (out.position() == off && rest.hasRemaining()) {
      // One char of room and two chars next, which the decoder writes together or not at all:
      // a surrogate pair, or the U+FFFD of a cut-short four-byte sequence and what follows it.
      CharBuffer pair = CharBuffer.allocate(2);
      decoder.decode(rest, pair, true);
      buf[off] = pair.get(0);
      if (pair.position() > 1) {
        pending = pair.get(1);
      }
      return 1;
    }
    if (!rest.hasRemaining() && decoder.flush(out).isUnderflow()) {
      flushed = true;
    }
    return out.position() - off;
  }

  /**
   * Whether every byte is well-formed UTF-8, as {@link Skeleton#isWellFormedUtf8} says, known
   * from the decoding: true when no byte was handed to the JDK's decoder and the bytes not read
   * yet (none, once the caller read to the end) are well-formed. So a page is checked while it
   * is decoded, not in a pass of its own.
   */
  boolean wellFormed() {
    return decoder == null && Skeleton.isWellFormedUtf8(bytes, at, end);
  }

  @Override
  public void close() {
    // Nothing to free: the bytes are the caller's.
  }
}

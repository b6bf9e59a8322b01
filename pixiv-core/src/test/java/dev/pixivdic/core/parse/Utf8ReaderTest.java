package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8Reader} gives the characters of {@code new String(bytes, UTF_8)}, U+FFFD for
 * U+FFFD, whatever the bytes and however the caller sizes its reads, and knows once it has read
 * them whether they were well-formed, as {@link Skeleton#isWellFormedUtf8} tells.
 */
class Utf8ReaderTest {

  /** What the caller's array holds outside the range it asks for. */
  private static final char GUARD = '\uabcd';
  private static final byte[] CONTINUATIONS = range(0x80, 0xBF);
  /** Bytes around every boundary a decoder must tell apart, and ASCII. */
  private static final byte[] EDGES = bytes(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
      0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF);

  /**
   * Everything the reader gives, read {@code chunk} chars at a time into a used array; the chars
   * either side of the range asked for stay as they were.
   */
  static String read(byte[] b, int chunk) {
    Utf8Reader reader = new Utf8Reader(b);
    char[] buf = new char[chunk + 2];
    Arrays.fill(buf, GUARD);
    StringBuilder out = new StringBuilder();
    for (int n; (n = reader.read(buf, 1, chunk)) != -1; ) {
      assertThat(n).as("a read of %d chars", chunk).isBetween(1, chunk);
      if (buf[0] != GUARD || buf[chunk + 1] != GUARD) {
        assertThat(new char[] {buf[0], buf[chunk + 1]}).as("chars outside the range asked for")
            .containsExactly(GUARD, GUARD);
      }
      out.append(buf, 1, n);
    }
    assertThat(reader.read(buf, 1, chunk)).isEqualTo(-1);
    assertThat(reader.read(buf, 1, 0)).as("a read of no chars at the end").isZero();
    // Well-formed exactly when the JDK's decoding put no U+FFFD in place of bytes.
    boolean wellFormed = Arrays.equals(out.toString().getBytes(StandardCharsets.UTF_8), b);
    if (reader.wellFormed() != wellFormed
        || Skeleton.isWellFormedUtf8(b, 0, b.length) != wellFormed) {
      assertThat(new boolean[] {reader.wellFormed(), Skeleton.isWellFormedUtf8(b, 0, b.length)})
          .as("whether %s is well-formed, by the reader once read and by the check",
              HexFormat.of().formatHex(b)).containsExactly(wellFormed, wellFormed);
    }
    return out.toString();
  }

  private static void assertDecodes(byte[] b, int chunk) {
    String expected = new String(b, StandardCharsets.UTF_8);
    String actual = read(b, chunk);
    if (!actual.equals(expected)) {
      // Built only on failure: the exhaustive tests compare millions of inputs.
      assertThat(actual).as("%s read %d at a time", HexFormat.of().formatHex(b), chunk)
          .isEqualTo(expected);
    }
  }

  private static byte[] range(int from, int to) {
    byte[] b = new byte[to - from + 1];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void everyInputOfOneAndTwoBytes() {
    assertDecodes(new byte[0], 1);
    for (int a = 0; a < 256; a++) {
      assertDecodes(bytes(a), 1);
      for (int b = 0; b < 256; b++) {
        assertDecodes(bytes(a, b), 2);
        assertDecodes(bytes(a, b), 1);
      }
    }
  }

  @Test
  void everyThreeByteSequenceAndEveryLeadBeforeTwoEdges() {
    for (int a = 0xE0; a <= 0xEF; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c = 0; c < 256; c++) {
          assertDecodes(bytes(a, b, c), 3);
        }
      }
    }
    for (int a = 0; a < 256; a++) {
      for (byte b : EDGES) {
        for (byte c : EDGES) {
          assertDecodes(bytes(a, b, c), 3);
          assertDecodes(bytes(a, b, c), 1);
        }
      }
    }
  }

  @Test
  void everyFourByteSequenceOfALeadThatCanStartOneAndItsNearMisses() {
    // Every well-formed and ill-formed continuation of F0-F4, each read whole and one char at a
    // time (a surrogate pair split between two reads).
    for (int a = 0xF0; a <= 0xF4; a++) {
      for (int b = 0; b < 256; b++) {
        for (byte c : CONTINUATIONS) {
          for (byte d : CONTINUATIONS) {
            assertDecodes(bytes(a, b, c, d), 4);
            assertDecodes(bytes(a, b, c, d), 1);
          }
        }
        for (byte c : EDGES) {
          for (byte d : EDGES) {
            assertDecodes(bytes(a, b, c, d), 4);
          }
        }
      }
    }
    for (int a = 0xF5; a < 256; a++) {
      for (byte b : EDGES) {
        assertDecodes(concat(bytes(a, b), bytes(0x80, 0x80)), 4);
      }
    }
  }

  @Test
  void malformedBytesAtEveryEdgeOfTheCallersBufferAndEveryReadSize() {
    byte[] text = "ab初😀é音c😀😀xyz".getBytes(StandardCharsets.UTF_8);
    byte[][] bad = {bytes(0xFF), bytes(0x80), bytes(0xC0, 0x80), bytes(0xE3, 0x81),
        bytes(0xED, 0xA0, 0x80), bytes(0xF0, 0x9F, 0x98), bytes(0xF4, 0x90, 0x80, 0x80),
        bytes(0xE0, 0x80, 0xAF), bytes(0xF8, 0x88, 0x80, 0x80, 0x80)};
    for (byte[] seq : bad) {
      for (int at = 0; at <= text.length; at++) {
        byte[] b = concat(Arrays.copyOfRange(text, 0, at), seq,
            Arrays.copyOfRange(text, at, text.length));
        for (int chunk = 1; chunk <= b.length + 1; chunk++) {
          assertDecodes(b, chunk);
          assertDecodes(concat(b, seq), chunk);
        }
      }
    }
  }

  @Test
  void randomMixturesReadInPiecesOfEverySize() {
    Random random = new Random(7);
    byte[][] pieces = {"<p class=a>".getBytes(StandardCharsets.UTF_8),
        "初音ミク".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
        "😀".getBytes(StandardCharsets.UTF_8), bytes(0x80), bytes(0xE3), bytes(0xF0, 0x9F),
        bytes(0xED, 0xBF), bytes(0xFF), bytes(0x00)};
    for (int n = 0; n < 200; n++) {
      ByteArrayOutputStream page = new ByteArrayOutputStream();
      int count = random.nextInt(60);
      for (int i = 0; i < count; i++) {
        page.writeBytes(pieces[random.nextInt(pieces.length)]);
      }
      byte[] b = page.toByteArray();
      for (int chunk = 1; chunk <= b.length + 1; chunk++) {
        assertDecodes(b, chunk);
      }
    }
  }

  @Test
  void aReaderReadInPartTellsWhetherAllItsBytesAreWellFormed() {
    byte[] good = "<p>初音ミク</p>".getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at <= good.length; at++) {
      byte[] bad = concat(Arrays.copyOf(good, at), bytes(0xFF),
          Arrays.copyOfRange(good, at, good.length));
      for (int chars = 0; chars <= good.length + 1; chars++) {
        Utf8Reader okReader = new Utf8Reader(good);
        Utf8Reader badReader = new Utf8Reader(bad);
        if (chars > 0) {
          okReader.read(new char[chars], 0, chars);
          badReader.read(new char[chars], 0, chars);
        }
        assertThat(okReader.wellFormed()).as("after %d chars", chars).isTrue();
        assertThat(badReader.wellFormed()).as("0xFF at %d, after %d chars", at, chars)
            .isFalse();
      }
    }
  }

  @Test
  void aReadOfNothingReadsNothing() {
    Utf8Reader reader = new Utf8Reader("ab".getBytes(StandardCharsets.UTF_8));
    assertThat(reader.read(new char[4], 0, 0)).isZero();
    assertThat(read("ab".getBytes(StandardCharsets.UTF_8), 4)).isEqualTo("ab");
  }
}

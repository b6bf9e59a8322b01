package dev.pixivdic.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.core.internal.DocumentEnd;
import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The page the fast path builds its DOM from: the page's bytes with the long texts of the
 * article's prose replaced by one placeholder character and the {@code __NEXT_DATA__} script's
 * JSON left out (it is read from the page's own bytes with Jackson instead).
 *
 * <p>Why this gives the full path's result. Only text between tags is replaced, and only a
 * run that has a character other than white space, so jsoup's tree builder sees a text token of
 * the same kind at the same place: the skeleton's DOM has the same elements, attributes and
 * other texts as the page's. Whatever a strategy reads from a text goes through
 * {@link Html#text}, which throws {@link Unsure} when the text holds a placeholder of a
 * skeleton; the caller then parses the whole page. So a strategy either reads what it would
 * read from the whole page, or the fast path is abandoned.
 *
 * <p>The scan follows jsoup's tokenizer only as far as it needs to, and gives up (returns null)
 * on whatever it does not follow exactly: {@code <![CDATA[}, {@code <?}, a stray {@code <},
 * unterminated comments and tags, {@code <plaintext>}, a self-closing raw-text element, a
 * {@code <!--} inside a script, a {@code __NEXT_DATA__} script inside SVG or MathML, an id
 * with a character reference. Comments, raw texts (scripts, styles, titles, text areas) and
 * attribute values are never changed, so a decoy {@code __NEXT_DATA__} in a comment or in
 * another script's text stays what it is.
 */
final class Skeleton {

  /** Stands for a text left out; a private-use character. */
  static final char PRUNED = '\uE000';
  /** What the emptied {@code __NEXT_DATA__} script holds in the skeleton. */
  static final String NEXT_DATA_MARK = "{\"pixiv-skeleton\":true}";

  private static final String PRUNED_TEXT = String.valueOf(PRUNED);
  static final byte[] PRUNED_UTF8 = PRUNED_TEXT.getBytes(StandardCharsets.UTF_8);
  static final byte[] MARK_UTF8 = NEXT_DATA_MARK.getBytes(StandardCharsets.UTF_8);
  /** Marks a skeleton's document, so that text reads can tell it from a whole page's. */
  private static final String DOC_MARK = "data-pixiv-skeleton";
  /** Shorter runs are kept: replacing them would not make the DOM smaller. */
  static final int MIN_RUN = 8;

  private final byte[] page;
  /** The ranges of the page left out, in page order: start, end, kind (see {@link #with}). */
  private final int[] edits;
  private final int editCount;
  private final int nextDataScripts;
  private final int jsonStart;
  private final int jsonEnd;
  /** Whether the page's bytes are known to be well-formed UTF-8 (checked by the caller). */
  private final boolean wellFormedUtf8;

  Skeleton(byte[] page, int[] edits, int editCount, int nextDataScripts, int jsonStart,
      int jsonEnd, boolean wellFormedUtf8) {
    this.wellFormedUtf8 = wellFormedUtf8;
    this.page = page;
    this.edits = edits;
    this.editCount = editCount;
    this.nextDataScripts = nextDataScripts;
    this.jsonStart = jsonStart;
    this.jsonEnd = jsonEnd;
  }

  /** The page gave up on: the fast path does not apply, parse the whole page. */
  static final class Unsure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsure(String why) {
      super(why, null, false, false);
    }
  }

  /** Whether anything was left out: else the skeleton is the page itself. */
  boolean changed() {
    return editCount > 0;
  }

  /**
   * The DOM of the skeleton, marked as a skeleton's ({@link #mark}), for a page whose content
   * type declares UTF-8: jsoup reads the skeleton through its decoder from {@link #stream()},
   * as {@code Html.parse(html(), contentType, baseUri, false)} reads the same bytes from an
   * array, so the skeleton is never a copy of the page.
   */
  Document parse(String baseUri) {
    if (wellFormedUtf8) {
      // Decoded straight into jsoup's buffers, as Html.parse reads a whole UTF-8 page: the
      // ranges of the page the skeleton keeps begin and end next to markup (ASCII), so each is
      // well-formed UTF-8 on its own and decodes to the characters it holds in the page.
      return mark(DocumentEnd.parser().parseInput(new Chars(), baseUri));
    }
    try {
      return mark(Jsoup.parse(stream(), StandardCharsets.UTF_8.name(), baseUri,
          DocumentEnd.parser()));
    } catch (IOException e) {
      // The stream reads an array: it cannot fail; keep the cause if it ever does.
      throw new UncheckedIOException("reading a skeleton failed", e);
    }
  }

  /** The skeleton's bytes (UTF-8, as the page's), written out: for tests. */
  byte[] html() {
    try {
      return stream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The skeleton's bytes: the page's, with every range left out replaced. */
  InputStream stream() {
    return new Stream();
  }

  private static byte[] with(int kind) {
    return kind == 0 ? PRUNED_UTF8 : MARK_UTF8;
  }

  /**
   * Reads the page's bytes up to the next range left out, then what stands for the range, then
   * on after it.
   */
  private final class Stream extends InputStream {
    /** The next byte of the page to read, when not inside a replacement. */
    private int at;
    /** The next range, by its index in {@link #edits}. */
    private int edit;
    /** The replacement being read and the next byte of it; null between replacements. */
    private byte[] with;
    private int withAt;
    private final byte[] one = new byte[1];

    @Override
    public int read() {
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
      Objects.checkFromIndexSize(off, len, buf.length);
      if (len == 0) {
        return 0;
      }
      int done = 0;
      while (done < len) {
        if (with != null) {
          int k = Math.min(len - done, with.length - withAt);
          System.arraycopy(with, withAt, buf, off + done, k);
          done += k;
          withAt += k;
          if (withAt == with.length) {
            with = null;
          }
          continue;
        }
        int until = edit < editCount ? edits[edit] : page.length;
        if (at == until) {
          if (edit >= editCount) {
            break;
          }
          with = with(edits[edit + 2]);
          withAt = 0;
          at = edits[edit + 1];
          edit += 3;
          continue;
        }
        int k = Math.min(len - done, until - at);
        System.arraycopy(page, at, buf, off + done, k);
        done += k;
        at += k;
      }
      return done == 0 ? -1 : done;
    }
  }

  /** The skeleton's characters, for a page known to be well-formed UTF-8: for tests. */
  Reader chars() {
    if (!wellFormedUtf8) {
      throw new IllegalStateException("the page's bytes are not known to be well-formed");
    }
    return new Chars();
  }

  /**
   * The skeleton's characters, decoded from the page's bytes up to the next range left out,
   * then what stands for the range, then on after it, as jsoup decodes {@link #stream()}: a
   * UTF-8 byte order mark is dropped.
   */
  private final class Chars extends Reader {
    private final Utf8Reader utf8;
    /** The next range, by its index in {@link #edits}. */
    private int edit;
    /** The replacement being read and the next char of it; null between replacements. */
    private String with;
    private int withAt;

    Chars() {
      utf8 = new Utf8Reader(page, TextFiles.encoding(page).mark(),
          editCount > 0 ? edits[0] : page.length);
    }

    @Override
    public int read(char[] buf, int off, int len) {
      Objects.checkFromIndexSize(off, len, buf.length);
      if (len == 0) {
        return 0;
      }
      int done = 0;
      while (done < len) {
        if (with != null) {
          int k = Math.min(len - done, with.length() - withAt);
          with.getChars(withAt, withAt + k, buf, off + done);
          done += k;
          withAt += k;
          if (withAt == with.length()) {
            with = null;
          }
          continue;
        }
        int n = utf8.read(buf, off + done, len - done);
        if (n > 0) {
          done += n;
          continue;
        }
        if (edit >= editCount) {
          break;
        }
        with = edits[edit + 2] == 0 ? PRUNED_TEXT : NEXT_DATA_MARK;
        withAt = 0;
        int next = edit + 3 < editCount ? edits[edit + 3] : page.length;
        utf8.range(edits[edit + 1], next);
        edit += 3;
      }
      return done == 0 ? -1 : done;
    }

    @Override
    public void close() {
      // Nothing to free: the bytes are the page's.
    }
  }

  /** Marks the DOM parsed from {@link #html()} as a skeleton's. */
  static Document mark(Document doc) {
    doc.attr(DOC_MARK, "");
    return doc;
  }

  /**
   * Throws {@link Unsure} when {@code e} is in a skeleton's DOM: called when a text read there
   * holds a placeholder, or before a read that would miss what the placeholders hide.
   */
  static void requireWhole(Element e) {
    Document doc = e.ownerDocument();
    if (doc != null && doc.hasAttr(DOC_MARK)) {
      throw new Unsure("a text of the article's prose is read");
    }
  }

  /**
   * The JSON of the skeleton's one {@code __NEXT_DATA__} script, read from the page's bytes.
   *
   * @throws Unsure when the script is not the one the scan emptied, or its JSON is not
   *     well-formed UTF-8 JSON (the whole page's parse then says why)
   */
  JsonNode nextData(Element script) {
    if (nextDataScripts != 1 || !script.data().equals(NEXT_DATA_MARK)) {
      throw new Unsure("the __NEXT_DATA__ script is not the one the scan found");
    }
    return PrunedJson.read(page, jsonStart, jsonEnd, wellFormedUtf8);
  }

  /**
   * Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or stray
   * continuation bytes): then Jackson reads the same text from them as jsoup decodes.
   */
  static boolean isWellFormedUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (b[i] >= 0) {
        if (i + 8 <= to && ((long) LONGS.get(b, i) & HIGHS) == 0) {
          i += 8;
        } else {
          i++;
        }
        continue;
      }
      int len = utf8Sequence(b, i, to);
      if (len == 0) {
        return false;
      }
      i += len;
    }
    return true;
  }

  /**
   * The length of the well-formed sequence of two to four bytes that starts at {@code i}
   * (a byte that is not ASCII) and ends by {@code to}, or 0 when there is none.
   */
  static int utf8Sequence(byte[] b, int i, int to) {
    // Bytes compared as Java's signed bytes: ASCII is 0..127, continuation bytes (0x80-0xBF)
    // -128..-65, leads 0xC2-0xF4 -62..-12. Each lead's second byte has the range the Unicode
    // Standard's table of well-formed sequences gives it (E0: A0-BF against overlong forms,
    // ED: 80-9F against surrogates, F0: 90-BF, F4: 80-8F against code points above U+10FFFF).
    int c = b[i];
    if (c >= (byte) 0xE0 && c <= (byte) 0xEF) {
      // Three bytes: the prose of a Japanese page, so tested first.
      if (i + 2 >= to) {
        return 0;
      }
      int d = b[i + 1];
      int lo = c == (byte) 0xE0 ? (byte) 0xA0 : (byte) 0x80;
      int hi = c == (byte) 0xED ? (byte) 0x9F : (byte) 0xBF;
      return d < lo || d > hi || b[i + 2] > (byte) 0xBF ? 0 : 3;
    }
    if (c >= (byte) 0xC2 && c <= (byte) 0xDF) {
      return i + 1 >= to || b[i + 1] > (byte) 0xBF ? 0 : 2;
    }
    if (c >= (byte) 0xF0 && c <= (byte) 0xF4) {
      if (i + 3 >= to) {
        return 0;
      }
      int d = b[i + 1];
      int lo = c == (byte) 0xF0 ? (byte) 0x90 : (byte) 0x80;
      int hi = c == (byte) 0xF4 ? (byte) 0x8F : (byte) 0xBF;
      return d < lo || d > hi || b[i + 2] > (byte) 0xBF || b[i + 3] > (byte) 0xBF ? 0 : 4;
    }
    // 0x80-0xC1 (a stray continuation byte, an overlong lead) and 0xF5-0xFF.
    return 0;
  }

  /**
   * Whether the bytes hold {@code __NEXT_DATA__} anywhere: a quick look that spares pages
   * without embedded JSON the scan, as their skeleton would save little (their prose is mostly
   * elements, which the skeleton keeps).
   */
  static boolean mentionsNextData(byte[] b) {
    // Every occurrence of the 13-byte word covers exactly one of the positions 12, 25, 38, ...
    // so only those are read: a byte that is not in the word (most bytes of a page: prose,
    // lower-case markup) rules out every occurrence over it. Unlike Horspool's search, where
    // the next position depends on the byte just read, the positions are known in advance, so
    // the reads do not wait on each other.
    int n = NEXT_DATA_WORD.length;
    for (int i = n - 1; i < b.length; i += n) {
      int at = NEXT_DATA_AT[b[i] & 0xFF];
      while (at != 0) {
        int k = Integer.numberOfTrailingZeros(at);
        at &= at - 1;
        if (matchesWord(b, i - k)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matchesWord(byte[] b, int start) {
    if (start < 0 || start + NEXT_DATA_WORD.length > b.length) {
      return false;
    }
    for (int k = 0; k < NEXT_DATA_WORD.length; k++) {
      if (b[start + k] != NEXT_DATA_WORD[k]) {
        return false;
      }
    }
    return true;
  }

  private static final byte[] NEXT_DATA_WORD =
      "__NEXT_DATA__".getBytes(StandardCharsets.US_ASCII);
  /** For each byte, the positions of the word that hold it, one bit each. */
  private static final int[] NEXT_DATA_AT = new int[256];

  static {
    for (int k = 0; k < NEXT_DATA_WORD.length; k++) {
      NEXT_DATA_AT[NEXT_DATA_WORD[k]] |= 1 << k;
    }
  }

  /** The skeleton of a UTF-8 page, or null when the scan cannot follow the page exactly. */
  static Skeleton of(byte[] page) {
    return of(page, false);
  }

  /**
   * As {@link #of(byte[])}; {@code wellFormedUtf8} true says the caller has checked that the
   * page's bytes are well-formed UTF-8, so reading its JSON does not check them again.
   */
  static Skeleton of(byte[] page, boolean wellFormedUtf8) {
    return new SkeletonScan(page, wellFormedUtf8).run();
  }

  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long ONES = 0x0101010101010101L;
  static final long HIGHS = 0x8080808080808080L;
  static final long LTS = ONES * '<';

  /**
   * The high bit of each byte of {@code word} below the byte that {@code spread} repeats
   * ({@code ONES * n}, {@code n <= 0x80}): zero exactly when no byte is below it (bits above
   * the first such byte may be set wrongly, so it tells whether, not where).
   */
  static long bytesBelow(long word, long spread) {
    return (word - spread) & ~word & HIGHS;
  }

  /** As {@link #bytesBelow}, for bytes that are zero. */
  static long zeroBytes(long word) {
    return bytesBelow(word, ONES);
  }

}

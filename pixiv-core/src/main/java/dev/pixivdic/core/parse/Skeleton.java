package dev.pixivdic.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
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

  private static final byte[] PRUNED_UTF8 = String.valueOf(PRUNED)
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] MARK_UTF8 = NEXT_DATA_MARK.getBytes(StandardCharsets.UTF_8);
  /** Marks a skeleton's document, so that text reads can tell it from a whole page's. */
  private static final String DOC_MARK = "data-pixiv-skeleton";
  /** Shorter runs are kept: replacing them would not make the DOM smaller. */
  private static final int MIN_RUN = 8;

  private final byte[] page;
  private final byte[] html;
  private final int htmlLength;
  private final int nextDataScripts;
  private final int jsonStart;
  private final int jsonEnd;

  private Skeleton(byte[] page, byte[] html, int htmlLength, int nextDataScripts,
      int jsonStart, int jsonEnd) {
    this.page = page;
    this.html = html;
    this.htmlLength = htmlLength;
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
    return html != page;
  }

  /** The skeleton's bytes (UTF-8, as the page's). */
  byte[] html() {
    return htmlLength == html.length ? html : Arrays.copyOf(html, htmlLength);
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
    if (!isWellFormedUtf8(page, jsonStart, jsonEnd)) {
      throw new Unsure("__NEXT_DATA__ is not well-formed UTF-8");
    }
    try {
      return JsonShapes.read(page, jsonStart, jsonEnd - jsonStart);
    } catch (JsonShapes.MalformedJsonException e) {
      throw new Unsure("__NEXT_DATA__ is not readable JSON");
    }
  }

  /**
   * Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or stray
   * continuation bytes): then Jackson reads the same text from them as jsoup decodes.
   */
  static boolean isWellFormedUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (i + 8 <= to && ((long) LONGS.get(b, i) & HIGHS) == 0) {
        i += 8;
        continue;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + len > to) {
        return false;
      }
      int cp = c & (0xFF >> (len + 1));
      for (int k = 1; k < len; k++) {
        int d = b[i + k] & 0xFF;
        if ((d & 0xC0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (d & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return false;
      }
      i += len;
    }
    return true;
  }

  /**
   * Whether the bytes hold {@code __NEXT_DATA__} anywhere: a quick look that spares pages
   * without embedded JSON the scan, as their skeleton would save little (their prose is mostly
   * elements, which the skeleton keeps).
   */
  static boolean mentionsNextData(byte[] b) {
    // Horspool's search: most bytes of a page (prose, lower-case markup) are not in the word,
    // so it looks at about one byte in thirteen.
    int last = NEXT_DATA_WORD.length - 1;
    for (int i = last; i < b.length; i += NEXT_DATA_SHIFT[b[i] & 0xFF]) {
      int k = 0;
      while (k <= last && b[i - last + k] == NEXT_DATA_WORD[k]) {
        k++;
      }
      if (k > last) {
        return true;
      }
    }
    return false;
  }

  private static final byte[] NEXT_DATA_WORD =
      "__NEXT_DATA__".getBytes(StandardCharsets.US_ASCII);
  /** How far the search may move on when the word's last position holds a byte. */
  private static final int[] NEXT_DATA_SHIFT = new int[256];

  static {
    Arrays.fill(NEXT_DATA_SHIFT, NEXT_DATA_WORD.length);
    for (int k = 0; k < NEXT_DATA_WORD.length - 1; k++) {
      NEXT_DATA_SHIFT[NEXT_DATA_WORD[k]] = NEXT_DATA_WORD.length - 1 - k;
    }
  }

  /** The skeleton of a UTF-8 page, or null when the scan cannot follow the page exactly. */
  static Skeleton of(byte[] page) {
    return new Scan(page).run();
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LTS = ONES * '<';

  /** One pass over the page's bytes. */
  private static final class Scan {
    private final byte[] b;
    private final int n;
    private byte[] out;
    private int outLength;
    private int copied;
    private int nextDataScripts;
    private int jsonStart = -1;
    private int jsonEnd = -1;
    /** The prose block being passed, by the range of its tag name in the page. */
    private int proseNameStart = -1;
    private int proseNameEnd = -1;
    private int proseDepth;
    /** Open elements whose text is always kept inside prose: links and headings. */
    private int keep;
    /** Open {@code svg} and {@code math} elements. */
    private int foreign;

    // The tag being read.
    private int nameStart;
    private int nameEnd;
    private boolean selfClosing;
    private boolean proseAttr;
    private boolean nextDataId;
    private boolean idWithReference;

    Scan(byte[] page) {
      this.b = page;
      this.n = page.length;
    }

    Skeleton run() {
      if (n >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF)
          || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))) {
        return null;
      }
      int i = 0;
      while (i < n) {
        if (b[i] != '<') {
          int j = indexOf((byte) '<', i);
          text(i, j);
          i = j;
          continue;
        }
        i = markup(i);
        if (i < 0) {
          return null;
        }
      }
      if (out == null) {
        return new Skeleton(b, b, n, nextDataScripts, jsonStart, jsonEnd);
      }
      append(copied, n);
      return new Skeleton(b, out, outLength, nextDataScripts, jsonStart, jsonEnd);
    }

    /** Reads the markup at {@code i} (a {@code <}); the index after it, or -1 to give up. */
    private int markup(int i) {
      if (i + 2 >= n) {
        return -1;
      }
      byte d = b[i + 1];
      if (d == '!') {
        if (b[i + 2] == '-' && i + 3 < n && b[i + 3] == '-') {
          return commentEnd(i + 4);
        }
        if (startsWithIgnoreCase(i + 2, "doctype")) {
          int gt = indexOf((byte) '>', i);
          return gt < n ? gt + 1 : -1;
        }
        return -1;
      }
      if (d == '/') {
        if (!isLetter(b[i + 2])) {
          return -1;
        }
        int end = tag(i + 2);
        if (end >= 0) {
          endTag();
        }
        return end;
      }
      if (!isLetter(d)) {
        return -1;
      }
      int end = tag(i + 1);
      return end < 0 ? -1 : startTag(end);
    }

    /** After {@code <!--}: the index after the comment, as jsoup ends it, or -1. */
    private int commentEnd(int i) {
      if (i < n && b[i] == '>') {
        return i + 1;
      }
      if (i + 1 < n && b[i] == '-' && b[i + 1] == '>') {
        return i + 2;
      }
      for (int j = i; j + 2 < n; j++) {
        if (b[j] == '-' && b[j + 1] == '-') {
          if (b[j + 2] == '>') {
            return j + 3;
          }
          if (b[j + 2] == '!' && j + 3 < n && b[j + 3] == '>') {
            return j + 4;
          }
        }
      }
      return -1;
    }

    /**
     * Reads a tag's name and attributes from {@code i} (its name's first letter); the index
     * after its {@code >}, or -1 when it is not a tag the scan follows exactly.
     */
    private int tag(int i) {
      nameStart = i;
      selfClosing = false;
      proseAttr = false;
      nextDataId = false;
      idWithReference = false;
      int p = i;
      while (p < n && !isSpace(b[p]) && b[p] != '/' && b[p] != '>') {
        if (b[p] == '<' || b[p] == 0) {
          return -1;
        }
        p++;
      }
      nameEnd = p;
      while (true) {
        while (p < n && isSpace(b[p])) {
          p++;
        }
        if (p >= n) {
          return -1;
        }
        if (b[p] == '>') {
          return p + 1;
        }
        if (b[p] == '/') {
          if (p + 1 < n && b[p + 1] == '>') {
            selfClosing = true;
            return p + 2;
          }
          p++;
          continue;
        }
        if (b[p] == '=') {
          return -1;
        }
        int as = p;
        while (p < n && !isSpace(b[p]) && b[p] != '/' && b[p] != '>' && b[p] != '=') {
          if (b[p] == '"' || b[p] == '\'' || b[p] == '<' || b[p] == 0) {
            return -1;
          }
          p++;
        }
        int ae = p;
        while (p < n && isSpace(b[p])) {
          p++;
        }
        int vs = -1;
        int ve = -1;
        if (p < n && b[p] == '=') {
          p++;
          while (p < n && isSpace(b[p])) {
            p++;
          }
          if (p >= n || b[p] == '>') {
            return -1;
          }
          byte q = b[p];
          if (q == '"' || q == '\'') {
            int e = indexOf(q, p + 1);
            if (e >= n) {
              return -1;
            }
            vs = p + 1;
            ve = e;
            p = e + 1;
          } else {
            vs = p;
            while (p < n && !isSpace(b[p]) && b[p] != '>') {
              byte c = b[p];
              if (c == '"' || c == '\'' || c == '<' || c == '=' || c == '`' || c == 0) {
                return -1;
              }
              p++;
            }
            ve = p;
          }
        }
        attribute(as, ae, vs, ve);
      }
    }

    private void attribute(int as, int ae, int vs, int ve) {
      if (equalsIgnoreCase(as, ae, "data-header-id")) {
        proseAttr = true;
      } else if (equalsIgnoreCase(as, ae, "id") && vs >= 0) {
        for (int k = vs; k < ve; k++) {
          idWithReference |= b[k] == '&';
        }
        if (containsIgnoreCase(vs, ve, "__next_data__")) {
          nextDataId = true;
        }
      }
    }

    /** Handles the start tag just read, which ends at {@code end}; the index to go on from. */
    private int startTag(int end) {
      if (nameIs("script") || nameIs("style") || nameIs("xmp") || nameIs("iframe")
          || nameIs("noembed") || nameIs("noframes") || nameIs("textarea")
          || nameIs("title")) {
        return rawText(end);
      }
      if (nameIs("plaintext")) {
        return -1;
      }
      if (selfClosing) {
        return end;
      }
      if (nameIs("svg") || nameIs("math")) {
        foreign++;
      }
      if (proseDepth == 0) {
        if (proseAttr && !isVoid()) {
          proseNameStart = nameStart;
          proseNameEnd = nameEnd;
          proseDepth = 1;
          keep = 0;
        }
      } else {
        if (sameAsProse()) {
          proseDepth++;
        }
        if (isKept()) {
          keep++;
        }
      }
      return end;
    }

    private void endTag() {
      if (nameIs("svg") || nameIs("math")) {
        foreign = Math.max(0, foreign - 1);
      }
      if (proseDepth > 0) {
        if (isKept()) {
          keep = Math.max(0, keep - 1);
        }
        if (sameAsProse()) {
          proseDepth--;
        }
      }
    }

    /**
     * A raw-text element from {@code start} (after its start tag) to its end tag; the index
     * after the end tag, or -1. The {@code __NEXT_DATA__} script's content is left out.
     */
    private int rawText(int start) {
      if (selfClosing || idWithReference && nameIs("script")) {
        return -1;
      }
      boolean script = nameIs("script");
      boolean nextData = script && nextDataId;
      String name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1)
          .toLowerCase(Locale.ROOT);
      int close = start;
      while (true) {
        close = indexOf((byte) '<', close);
        if (close + 2 + name.length() >= n) {
          return -1;
        }
        if (b[close + 1] == '/' && regionMatchesIgnoreCase(close + 2, name)
            && isTagEnd(b[close + 2 + name.length()])) {
          break;
        }
        if (script && b[close + 1] == '!' && close + 3 < n && b[close + 2] == '-'
            && b[close + 3] == '-') {
          // jsoup's escaped script states: a </script> after <!-- may not end it.
          return -1;
        }
        close++;
      }
      if (nextData) {
        if (foreign > 0) {
          return -1;
        }
        nextDataScripts++;
        jsonStart = start;
        jsonEnd = close;
        replace(start, close, MARK_UTF8);
      }
      return tag(close + 2);
    }

    /** A text run: replaced by a placeholder when it is prose the strategies never read. */
    private void text(int from, int to) {
      if (proseDepth == 0 || keep > 0 || foreign > 0 || to - from < MIN_RUN) {
        return;
      }
      boolean visible = false;
      for (int k = from; k < to; k++) {
        byte c = b[k];
        if (c == '&' || c == 0) {
          // A reference may stand for white space, and jsoup drops NULs: keep such runs.
          return;
        }
        if (!visible && !isSpace(c) && c != (byte) 0xC2 && c != (byte) 0xA0) {
          visible = true;
        }
      }
      if (visible) {
        replace(from, to, PRUNED_UTF8);
      }
    }

    private void replace(int from, int to, byte[] with) {
      if (out == null) {
        out = new byte[n / 2 + 64];
      }
      append(copied, from);
      ensure(with.length);
      System.arraycopy(with, 0, out, outLength, with.length);
      outLength += with.length;
      copied = to;
    }

    private void append(int from, int to) {
      ensure(to - from);
      System.arraycopy(b, from, out, outLength, to - from);
      outLength += to - from;
    }

    private void ensure(int more) {
      if (outLength + more > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + more));
      }
    }

    private boolean isKept() {
      int len = nameEnd - nameStart;
      if (len == 1) {
        return (b[nameStart] | 0x20) == 'a';
      }
      return len == 2 && (b[nameStart] | 0x20) == 'h' && b[nameStart + 1] >= '1'
          && b[nameStart + 1] <= '6';
    }

    private boolean isVoid() {
      for (String v : new String[] {"area", "base", "br", "col", "embed", "hr", "img", "input",
          "link", "meta", "param", "source", "track", "wbr"}) {
        if (nameIs(v)) {
          return true;
        }
      }
      return false;
    }

    private boolean sameAsProse() {
      int len = nameEnd - nameStart;
      if (len != proseNameEnd - proseNameStart) {
        return false;
      }
      for (int k = 0; k < len; k++) {
        if ((b[nameStart + k] | 0x20) != (b[proseNameStart + k] | 0x20)) {
          return false;
        }
      }
      return true;
    }

    private boolean nameIs(String lower) {
      return equalsIgnoreCase(nameStart, nameEnd, lower);
    }

    private boolean equalsIgnoreCase(int from, int to, String lower) {
      return to - from == lower.length() && regionMatchesIgnoreCase(from, lower);
    }

    private boolean regionMatchesIgnoreCase(int from, String lower) {
      if (from + lower.length() > n) {
        return false;
      }
      for (int k = 0; k < lower.length(); k++) {
        byte c = b[from + k];
        if (c >= 'A' && c <= 'Z') {
          c += 32;
        }
        if (c != lower.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    private boolean startsWithIgnoreCase(int from, String lower) {
      return regionMatchesIgnoreCase(from, lower);
    }

    private boolean containsIgnoreCase(int from, int to, String lower) {
      for (int k = from; k + lower.length() <= to; k++) {
        if (regionMatchesIgnoreCase(k, lower)) {
          return true;
        }
      }
      return false;
    }

    /** The index of {@code c} from {@code from}, or {@code n}. */
    private int indexOf(byte c, int from) {
      int k = from;
      if (c == '<') {
        // Eight bytes at a time: most of a page is text and JSON between two '<'.
        for (; k + 8 <= n; k += 8) {
          long x = (long) LONGS.get(b, k) ^ LTS;
          if (((x - ONES) & ~x & HIGHS) != 0) {
            break;
          }
        }
      }
      for (; k < n; k++) {
        if (b[k] == c) {
          return k;
        }
      }
      return n;
    }

    private static boolean isLetter(byte c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSpace(byte c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    private static boolean isTagEnd(byte c) {
      return isSpace(c) || c == '/' || c == '>';
    }
  }
}

package dev.pixivdic.core.parse;

import dev.pixivdic.support.internal.TextFiles;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one pass over a page's bytes that finds its {@link Skeleton}: it follows jsoup's
 * tokenizer as far as the skeleton needs (see {@link Skeleton} for what it gives up on).
 *
 * <p>One piece although long: it is one state machine (tags, attributes, raw texts, comments,
 * prose blocks) over one cursor, and its parts are only correct together.
 */
final class SkeletonScan {
  private final byte[] b;
  private final int n;
  /**
   * The replaced ranges, in page order: start, end and which bytes stand for it (0: the
   * placeholder, 1: the JSON's mark). The skeleton is never written out: jsoup reads it
   * through a stream over the page that leaves these ranges out ({@link Skeleton#stream()}).
   */
  private int[] edits;
  private int editCount;
  private int nextDataScripts;
  private int jsonStart = -1;
  private int jsonEnd = -1;
  private boolean wellFormedUtf8;
  /** Whether the scan checks that the page's bytes are well-formed UTF-8 as it passes them. */
  private boolean checking;
  /** A checking scan found a malformed byte: it stops there. */
  private boolean malformed;
  /**
   * While checking, the bytes before this index are known to be well-formed UTF-8, and it is
   * the start of a sequence: the scan stops only next to ASCII bytes, which are sequences alone.
   */
  private int checked;
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

  /**
   * A scan of a page; {@code wellFormedUtf8} true says the caller has checked that the page's
   * bytes are well-formed UTF-8, false that nothing is known of them.
   */
  SkeletonScan(byte[] page, boolean wellFormedUtf8) {
    this.wellFormedUtf8 = wellFormedUtf8;
    this.b = page;
    this.n = page.length;
    // About one replaced run per 256 bytes of a real page: rarely grown.
    this.edits = new int[3 * (n >> 8) + 48];
  }

  /**
   * A scan of a page whose bytes are not known to be well-formed UTF-8, that checks them as it
   * passes them, so that the page's bytes are read once: after {@link #run()},
   * {@link #wellFormedUtf8()} says whether every byte was well-formed, whether or not the scan
   * could follow the page. It gives no skeleton for a page that is not well-formed.
   */
  static SkeletonScan checking(byte[] page) {
    SkeletonScan scan = new SkeletonScan(page, false);
    scan.checking = true;
    return scan;
  }

  /** The skeleton, or null when the scan cannot follow the page exactly. */
  Skeleton run() {
    boolean followed = follow();
    if (checking) {
      // Given up on part-way (or never started): the rest is checked on its own.
      check(n);
      wellFormedUtf8 = !malformed;
    }
    return followed && !malformed ? new Skeleton(b, edits, editCount, nextDataScripts,
        jsonStart, jsonEnd, wellFormedUtf8) : null;
  }

  /**
   * Whether the page's bytes are well-formed UTF-8: as given to the constructor, or, for a
   * {@link #checking} scan, as the scan found.
   */
  boolean wellFormedUtf8() {
    return wellFormedUtf8;
  }

  /** Follows the page to its end; false when it cannot. */
  private boolean follow() {
    TextFiles.Encoding bom = TextFiles.encoding(b);
    if (bom.mark() > 0 && !bom.charset().equals(StandardCharsets.UTF_8)) {
      // jsoup decodes the page in the charset its mark names (UTF-16, UTF-32): the bytes this
      // scan follows are not the page's characters. A UTF-8 mark is skipped by both readers.
      return false;
    }
    int i = 0;
    while (i < n && !malformed) {
      if (b[i] != '<') {
        int j = nextLt(i);
        text(i, j);
        i = j;
        continue;
      }
      i = markup(i);
      if (i < 0) {
        return false;
      }
    }
    return true;
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
      close = nextLt(close);
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
      replace(start, close, 1);
    }
    return tag(close + 2);
  }

  /** A text run: replaced by a placeholder when it is prose the strategies never read. */
  private void text(int from, int to) {
    if (proseDepth == 0 || keep > 0 || foreign > 0 || to - from < Skeleton.MIN_RUN) {
      return;
    }
    boolean visible = false;
    int k = from;
    while (k < to) {
      if (visible && k + 8 <= to) {
        // Eight bytes at a time once a visible character is known: only '&' and NUL matter.
        long x = (long) Skeleton.LONGS.get(b, k);
        if ((Skeleton.zeroBytes(x ^ AMPERSANDS) | Skeleton.zeroBytes(x)) == 0) {
          k += 8;
          continue;
        }
      }
      byte c = b[k++];
      if (c == '&' || c == 0) {
        // A reference may stand for white space, and jsoup drops NULs: keep such runs.
        return;
      }
      if (!visible && !isSpace(c) && c != (byte) 0xC2 && c != (byte) 0xA0) {
        visible = true;
      }
    }
    if (visible) {
      replace(from, to, 0);
    }
  }

  private static final long AMPERSANDS = Skeleton.ONES * '&';

  private void replace(int from, int to, int kind) {
    if (editCount == edits.length) {
      edits = Arrays.copyOf(edits, editCount * 2);
    }
    edits[editCount++] = from;
    edits[editCount++] = to;
    edits[editCount++] = kind;
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

  /**
   * The index of the next {@code <} from {@code from}, or {@code n}; while {@link #checking},
   * every byte before it is checked to be well-formed UTF-8 on the way (the bytes from
   * {@link #checked} to {@code from}, which the scan read byte by byte, first).
   */
  private int nextLt(int from) {
    if (!checking) {
      return indexOf((byte) '<', from);
    }
    check(from);
    if (malformed) {
      return n;
    }
    if (from != checked) {
      // Inside bytes checked already: the scan never searches there, but it would be exact.
      return indexOf((byte) '<', from);
    }
    // As Skeleton.isWellFormedUtf8, with a search for '<' among the ASCII bytes: a '<' is never
    // part of a longer sequence, so the check has passed the bytes before it.
    int k = from;
    while (k < n) {
      int c = b[k];
      if (c >= 0) {
        if (k + 8 <= n) {
          long x = (long) Skeleton.LONGS.get(b, k);
          if ((x & Skeleton.HIGHS) == 0 && Skeleton.zeroBytes(x ^ Skeleton.LTS) == 0) {
            k += 8;
            continue;
          }
        }
        if (c == '<') {
          checked = k;
          return k;
        }
        k++;
        continue;
      }
      int len = Skeleton.utf8Sequence(b, k, n);
      if (len == 0) {
        malformed = true;
        return n;
      }
      k += len;
    }
    checked = n;
    return n;
  }

  /** Checks the bytes from {@link #checked} to {@code to}, when none was malformed yet. */
  private void check(int to) {
    if (!malformed && to > checked) {
      malformed = !Skeleton.isWellFormedUtf8(b, checked, to);
      checked = to;
    }
  }

  /** The index of {@code c} from {@code from}, or {@code n}. */
  private int indexOf(byte c, int from) {
    int k = from;
    if (c == '<') {
      // Eight bytes at a time: most of a page is text and JSON between two '<'.
      for (; k + 8 <= n; k += 8) {
        if (Skeleton.zeroBytes((long) Skeleton.LONGS.get(b, k) ^ Skeleton.LTS) != 0) {
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

package dev.pixivdic.core.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Whether an HTML body ends before its document does: it opens the document (its markup begins
 * with {@code <html}, after a doctype, comments or whitespace) and holds no {@code </html>}
 * followed by nothing but whitespace and comments. Every page of the
 * site is a whole document, so such a body was cut short on its way (a connection closed early
 * that the HTTP client could not tell from the body's end, a page saved while still
 * downloading), and whatever it holds may be cut in the middle of a value: a counter cut inside
 * its digits reads as a smaller, well-formed number. A body that never opens the document (a
 * fragment, JSON, text) says nothing either way and is not called cut. Pure; thread-safe.
 */
public final class DocumentEnd {

  /** What the parser, the resolver and the fetcher say of such a body. */
  public static final String CUT = "the page ends before its document does (no </html> at its"
      + " end): cut short?";

  /** Elements whose text is not markup, where an end tag of the page would not be one. */
  private static final String[] RAW_TEXT = {"script", "style"};

  private DocumentEnd() {}

  /**
   * Whether {@code body} opens an HTML document and ends before the document does. The
   * {@code </html>} end tag counts only outside comments, scripts and styles; after it only
   * whitespace and comments may follow (an unclosed comment too: the document had ended). The
   * body is read as ASCII unless a byte order mark or the content type's charset says UTF-16 or
   * UTF-32 (in every other charset a page may declare, these ASCII characters are themselves).
   *
   * @param contentType the {@code Content-Type}, or null
   */
  public static boolean cutShort(byte[] body, String contentType) {
    CharSequence text = text(body, contentType);
    int open = prologueEnd(text);
    if (open + "<html".length() > text.length() || !matches(text, open, "<html")
        || !nameEnds(text, open + "<html".length())) {
      return false;
    }
    int end = text.length();
    while (true) {
      int close = lastIndexOf(text, "</html", end - 1);
      if (close <= open) {
        return true;
      }
      if (!inert(text, close)) {
        int gt = skipSpace(text, close + "</html".length());
        return gt >= text.length() || text.charAt(gt) != '>' || !onlyComments(text, gt + 1);
      }
      end = close;
    }
  }

  /** The body as characters: bytes as ISO-8859-1, or decoded when the body is UTF-16/32. */
  private static CharSequence text(byte[] body, String contentType) {
    Charset wide = wideCharset(body, contentType);
    return wide != null ? new String(body, wide) : new Latin1(body);
  }

  /** The bytes as ISO-8859-1 characters, without a copy. */
  private record Latin1(byte[] bytes) implements CharSequence {
    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public char charAt(int index) {
      return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static Charset wideCharset(byte[] body, String contentType) {
    int n = body.length;
    if (n >= 4 && (body[0] == 0 && body[1] == 0 && (body[2] & 0xff) == 0xfe
        && (body[3] & 0xff) == 0xff
        || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe && body[2] == 0
        && body[3] == 0)) {
      return Charset.forName("UTF-32");
    }
    if (n >= 2 && ((body[0] & 0xff) == 0xfe && (body[1] & 0xff) == 0xff
        || (body[0] & 0xff) == 0xff && (body[1] & 0xff) == 0xfe)) {
      return StandardCharsets.UTF_16;
    }
    if (n >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb
        && (body[2] & 0xff) == 0xbf) {
      return null; // a UTF-8 mark overrides the content type, as jsoup reads it
    }
    String charset = charsetOf(contentType);
    if (charset != null && (charset.startsWith("utf-16") || charset.startsWith("utf-32"))) {
      try {
        return Charset.forName(charset);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  private static String charsetOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String p : contentType.split(";")) {
      String s = p.strip().toLowerCase(Locale.ROOT);
      if (s.startsWith("charset=")) {
        return s.substring("charset=".length()).replace("\"", "").replace("'", "").strip();
      }
    }
    return null;
  }

  /**
   * Where the markup begins after what may come before a document's {@code <html}: a byte order
   * mark, whitespace, comments, a doctype, an XML declaration.
   */
  private static int prologueEnd(CharSequence text) {
    int i = 0;
    if (text.length() >= 3 && text.charAt(0) == 0xef && text.charAt(1) == 0xbb
        && text.charAt(2) == 0xbf) {
      i = 3; // a UTF-8 mark, read as ISO-8859-1
    } else if (text.length() >= 1 && text.charAt(0) == '\ufeff') {
      i = 1;
    }
    while (true) {
      i = skipSpace(text, i);
      String close = i + 4 <= text.length() && matches(text, i, "<!--") ? "-->"
          : i + 2 <= text.length() && (text.charAt(i + 1) == '!' || text.charAt(i + 1) == '?')
              && text.charAt(i) == '<' ? ">" : null;
      if (close == null) {
        return i;
      }
      int end = indexOf(text, close, i + 2);
      if (end < 0) {
        return text.length();
      }
      i = end + close.length();
    }
  }

  /** The last {@code tag} whose name ends there, starting at or before {@code from}. */
  private static int lastIndexOf(CharSequence text, String tag, int from) {
    for (int i = Math.min(from, text.length() - tag.length()); i >= 0; i--) {
      if (matches(text, i, tag) && nameEnds(text, i + tag.length())) {
        return i;
      }
    }
    return -1;
  }

  private static boolean nameEnds(CharSequence text, int i) {
    if (i >= text.length()) {
      return true;
    }
    char c = text.charAt(i);
    return c == '>' || c == '/' || Character.isWhitespace(c);
  }

  /** Whether {@code text} at {@code i} is {@code lower}, ASCII case aside. */
  private static boolean matches(CharSequence text, int i, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      char c = text.charAt(i + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code at} is inside a comment, a script or a style: the nearest of their openings
   * and endings before it is an opening.
   */
  private static boolean inert(CharSequence text, int at) {
    for (int i = at - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == '>' && i >= 2 && text.charAt(i - 1) == '-' && text.charAt(i - 2) == '-') {
        return false; // "-->"
      }
      if (c != '<' || i + 2 > text.length()) {
        continue;
      }
      if (i + 4 <= text.length() && matches(text, i, "<!--")) {
        return true;
      }
      for (String name : RAW_TEXT) {
        if (i + name.length() + 1 <= text.length() && matches(text, i + 1, name)
            && nameEnds(text, i + 1 + name.length())) {
          return true;
        }
        if (i + name.length() + 2 <= text.length() && text.charAt(i + 1) == '/'
            && matches(text, i + 2, name) && nameEnds(text, i + 2 + name.length())) {
          return false;
        }
      }
    }
    return false;
  }

  private static int skipSpace(CharSequence text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Whether nothing but whitespace and comments (the last maybe unclosed) follows {@code i}. */
  private static boolean onlyComments(CharSequence text, int i) {
    while (true) {
      i = skipSpace(text, i);
      if (i >= text.length()) {
        return true;
      }
      if (i + 4 > text.length() || !matches(text, i, "<!--")) {
        return false;
      }
      int end = indexOf(text, "-->", i + 4);
      if (end < 0) {
        return true;
      }
      i = end + 3;
    }
  }

  private static int indexOf(CharSequence text, String s, int from) {
    for (int i = from; i + s.length() <= text.length(); i++) {
      if (matches(text, i, s)) {
        return i;
      }
    }
    return -1;
  }
}

package dev.pixivdic.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Range;
import org.jsoup.parser.ParseError;
import org.jsoup.parser.Parser;

/**
 * Whether an HTML body ends before its document does, as the HTML5 tree builder (jsoup) reads
 * it. Every page of the site is a whole document, so such a body was cut short on its way (a
 * connection closed early that the HTTP client could not tell from the body's end, a page saved
 * while still downloading), and whatever it holds may be cut in the middle of a value: a
 * counter cut inside its digits reads as a smaller, well-formed number.
 *
 * <p>A body whose markup begins with {@code <} (after a byte order mark and white space), or
 * whose text before its first tag is followed by a doctype (a stray byte, a leaked chunk size, a
 * server's notice), is whole when both hold:
 *
 * <ul>
 *   <li>if it opens the document with an {@code <html} start tag (after a doctype, comments or
 *       white space; after such text, the first start tag after the doctype, which the tree
 *       builder merges into the document's element it opened for the text), the tree builder
 *       took an {@code </html>} end tag as the document's end (one inside an attribute value,
 *       a comment, a script, a {@code <textarea>} or any other text is no end tag); whatever
 *       follows it is accepted (a script or text a CDN appends, {@code </html foo="1">});
 *   <li>its input does not end inside a tag, an attribute, a comment or a doctype, nor where
 *       the tree builder takes the end of input for an error: with an element open that HTML
 *       does not let the end of input close (in the body, all but {@code p}, {@code li},
 *       {@code td} and the like: a {@code div}, an {@code svg}, a {@code noscript}), inside a
 *       script, a style, a {@code title}, a {@code textarea} or another raw text, or inside a
 *       {@code template}.
 * </ul>
 *
 * <p>A body that does not begin with markup and meets no doctype (JSON, text, even quoting
 * {@code <html>}) says nothing either way and is not called cut, nor is text then {@code <html}
 * without a doctype between. What no rule can see: a page without {@code <html} (a doctype then
 * {@code <head>}, a fragment) cut between two tags where nothing but such elements is open; a
 * page cut right after a stray {@code </html>} in its middle, before anything opens an element
 * again (the tree builder reads it as it reads a whole page whose {@code </body>} or
 * {@code </html>} closes elements left open, as the HTML standard lets it). Pure; thread-safe.
 */
public final class DocumentEnd {

  /** What the parser, the resolver and the fetcher say of such a body. */
  public static final String CUT = "the page ends before its document does (no </html>, or"
      + " inside a tag, a comment or an open element): cut short?";

  /**
   * How many parse errors a parse keeps. The end of input's come last; a page with more errors
   * than this (no page of the site has any) is judged without them, by its elements alone: a
   * tag or comment the input ends in is dropped whole, so that costs no value.
   */
  static final int MAX_ERRORS = 10_000;

  /**
   * The elements the end of input may close without a parse error (the HTML standard's "in
   * body" end-of-file rule, and a {@code head} left open).
   */
  static final Set<String> CLOSED_BY_END = Set.of("html", "head", "body", "dd", "dt", "li",
      "optgroup", "option", "p", "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th",
      "thead", "tr");

  /**
   * How many parsers {@link #parser()} has made, one a parse of a page: the count a test reads
   * to see a page parsed once on its way from the fetcher to the parser.
   */
  static final LongAdder PARSERS = new LongAdder();

  /** How jsoup's tree builder begins the error for an {@code <html} start tag it merges. */
  private static final String HTML_START_ERROR = "Unexpected StartTag token [<html";

  /** How jsoup's tree builder begins the error for a doctype after the document's start. */
  private static final String DOCTYPE_ERROR = "Unexpected Doctype token";

  /** How jsoup's tokenizer names the end of input in an error it meets there. */
  private static final String EOF_CHARACTER = "'" + (char) 0xffff + "'";

  private DocumentEnd() {}

  /**
   * A new HTML parser that records what {@link #cutShort(byte[], String, Document)} needs: the
   * source positions of the elements and the parse errors. Not thread-safe: one a parse.
   */
  public static Parser parser() {
    PARSERS.increment();
    return Parser.htmlParser().setTrackPosition(true).setTrackErrors(MAX_ERRORS);
  }

  /**
   * Whether {@code body} ends before its document does: parses it unless its bytes already
   * tell (it opens the document and holds no {@code </html} at all, or it is text that names no
   * doctype), as the fetcher asks of a page that no parser has read yet. The charset is the
   * content type's, else the body's byte order mark or {@code <meta charset>}, else UTF-8: only
   * markup, ASCII in each, decides.
   *
   * @param contentType the {@code Content-Type}, or null
   */
  public static boolean cutShort(byte[] body, String contentType) {
    CharSequence text = text(body, contentType);
    if (lacksEndTag(text)) {
      return true;
    }
    if (!beginsWithMarkup(text) && indexOf(text, "<!doctype", 0) < 0) {
      return false; // no parse can meet a doctype
    }
    Document doc;
    try {
      doc = Jsoup.parse(new ByteArrayInputStream(body), supportedCharset(contentType), "",
          parser());
    } catch (IOException e) {
      // A byte array cannot fail to read; keep the cause if it ever does.
      throw new UncheckedIOException("reading an in-memory page failed", e);
    }
    return ended(doc);
  }

  /**
   * Whether {@code body}, which {@code doc} was parsed from by a {@link #parser()}, ends before
   * its document does: the verdict of the parse already made, without another.
   *
   * @throws IllegalArgumentException if {@code doc}'s parser tracked no positions or errors
   */
  public static boolean cutShort(byte[] body, String contentType, Document doc) {
    Parser p = doc.parser();
    if (p == null || !p.isTrackPosition() || !p.isTrackErrors()) {
      throw new IllegalArgumentException("the document was not parsed by DocumentEnd.parser()");
    }
    return (beginsWithMarkup(text(body, contentType)) || doctypeAfterText(doc)) && ended(doc);
  }

  /**
   * Whether the bytes alone show {@code body} cut: it opens the document and holds no
   * {@code </html} anywhere, so no parse can find the document's end. False says nothing: only
   * a parse tells a whole page. Cheap (a scan of the bytes), for a caller that would skip a
   * faster way of reading a page that is cut.
   */
  public static boolean surelyCut(byte[] body, String contentType) {
    return lacksEndTag(text(body, contentType));
  }

  /** The verdict on a parsed document: true when it ends before its end. */
  private static boolean ended(Document doc) {
    Element html = doc.firstElementChild();
    boolean isHtml = html != null && html.nameIs("html");
    // An </html> end tag the tree builder met in a table or caption left open, where it ignores
    // it: still the document's end when no element begins after it (a finished page whose
    // table has no end tag; the end of input there is no cut).
    boolean endInTable = isHtml && !explicit(html.endSourceRange()) && endIgnoredLast(doc);
    if (isHtml && !explicit(html.endSourceRange()) && !endInTable && htmlTagSeen(doc)) {
      return true; // an <html start tag, never closed by </html>
    }
    for (Element template : doc.getElementsByTag("template")) {
      if (!explicit(template.endSourceRange())) {
        // The end of input inside a template's content, where an </html> is no end tag (jsoup
        // records it as the document's end all the same, and reports no error at the end).
        return true;
      }
    }
    List<ParseError> errors = doc.parser().getErrors();
    if (errors.size() >= MAX_ERRORS) {
      return openAtEnd(doc); // the errors at the end of input may be the ones not kept
    }
    for (ParseError e : errors) {
      String m = e.getErrorMessage();
      if (m.startsWith("Unexpected EOF token") && !endInTable
          || m.contains("end of file (EOF)") || m.contains(EOF_CHARACTER)) {
        // The tree builder met the end of input with an element open that it may not close
        // there (in body, in a table, in a raw text such as a script, a title or a textarea),
        // or the tokenizer inside a tag, an attribute, a comment or a doctype.
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an {@code <html} start tag opened the document: the first start tag, or the first
   * after a doctype when text came first (a stray byte, a leaked chunk size, a server's notice
   * before the doctype opens the body, and the tree builder merges the tag into the document's
   * element, an error there). An {@code <html} inside a comment, an attribute value or a raw
   * text is no start tag; one after other elements and no doctype is a fragment's stray tag.
   * An error's position is where its token ends.
   */
  private static boolean htmlTagSeen(Document doc) {
    Element html = doc.firstElementChild();
    if (html == null || !html.nameIs("html")) {
      return false;
    }
    if (explicit(html.sourceRange())) {
      return true;
    }
    int doctype = -1;
    for (ParseError e : doc.parser().getErrors()) {
      String m = e.getErrorMessage();
      if (m.startsWith(DOCTYPE_ERROR)) {
        doctype = e.getPosition();
      } else if (doctype >= 0 && m.startsWith(HTML_START_ERROR)
          && nameEnds(m, HTML_START_ERROR.length())
          && !elementBegins(doc, doctype, e.getPosition())) {
        return true;
      }
    }
    return false;
  }

  /** Whether an element's start tag begins at or after {@code from} and before {@code to}. */
  private static boolean elementBegins(Document doc, int from, int to) {
    for (Element e : doc.getAllElements()) {
      Range start = e.sourceRange();
      if (e != doc && explicit(start) && start.startPos() >= from && start.startPos() < to) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the tree builder met a doctype after the document's start: text before it (a stray
   * byte, a leaked chunk size, a server's notice) opened the body, and the page is markup all
   * the same.
   */
  private static boolean doctypeAfterText(Document doc) {
    for (ParseError e : doc.parser().getErrors()) {
      if (e.getErrorMessage().startsWith(DOCTYPE_ERROR)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the tree builder ignored an {@code </html>} end tag in a table, a row, a cell or a
   * caption it met open and no element begins after the last such tag (an error's position is
   * where its tag ends).
   */
  private static boolean endIgnoredLast(Document doc) {
    int end = -1;
    for (ParseError e : doc.parser().getErrors()) {
      String m = e.getErrorMessage();
      if (m.startsWith("Unexpected EndTag token [</html>]") && (m.contains("[InTable")
          || m.contains("[InCaption") || m.contains("[InRow") || m.contains("[InCell"))) {
        end = Math.max(end, e.getPosition());
      }
    }
    if (end < 0) {
      return false;
    }
    for (Element e : doc.getAllElements()) {
      Range start = e.sourceRange();
      if (e != doc && start.isTracked() && start.startPos() >= end) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the end of input closed an element it may not close, for a page with more parse
   * errors than are kept: stricter than the tree builder, which lets the end of input close
   * whatever an {@code </html>} or {@code </body>} left open. jsoup gives an element the end of
   * input closed an implicit end at the input's end, after every other element's end, and an
   * element an end or start tag closed an implicit end where that tag begins.
   */
  private static boolean openAtEnd(Document doc) {
    int last = -1;
    List<Element> candidates = new ArrayList<>();
    for (Element e : doc.getAllElements()) {
      if (e == doc) {
        continue;
      }
      Range end = e.endSourceRange();
      if (!end.isTracked()) {
        continue;
      }
      last = Math.max(last, end.endPos());
      if (end.isImplicit() && !CLOSED_BY_END.contains(e.normalName())) {
        candidates.add(e);
      }
    }
    for (Element e : candidates) {
      if (e.endSourceRange().endPos() == last) {
        return true;
      }
    }
    return false;
  }

  private static boolean explicit(Range r) {
    return r.isTracked() && !r.isImplicit();
  }

  /** Whether the markup begins with {@code <}, after a byte order mark and white space. */
  private static boolean beginsWithMarkup(CharSequence text) {
    int i = skipSpace(text, bomLength(text));
    return i < text.length() && text.charAt(i) == '<';
  }

  /**
   * Whether the text opens the document with {@code <html}, after whatever may come before it,
   * and holds no {@code </html}.
   */
  private static boolean lacksEndTag(CharSequence text) {
    int open = prologueEnd(text);
    return open >= 0 && open + "<html".length() <= text.length() && matches(text, open, "<html")
        && nameEnds(text, open + "<html".length())
        && indexOf(text, "</html", open) < 0;
  }

  private static String supportedCharset(String contentType) {
    String name = charsetOf(contentType);
    try {
      return name != null && Charset.isSupported(name) ? name : null;
    } catch (IllegalArgumentException e) {
      return null;
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
   * mark, whitespace, comments, a doctype, an XML declaration; or text without a {@code <} (a
   * stray byte, a leaked chunk size: no tag hides in it) and such a prologue with a doctype. -1
   * for text not followed by a doctype.
   */
  private static int prologueEnd(CharSequence text) {
    int i = skipSpace(text, bomLength(text));
    boolean junkFirst = i < text.length() && text.charAt(i) != '<';
    while (i < text.length() && text.charAt(i) != '<') {
      i++;
    }
    boolean doctype = false;
    while (true) {
      i = skipSpace(text, i);
      doctype |= i + "<!doctype".length() <= text.length() && matches(text, i, "<!doctype");
      String close = i + 4 <= text.length() && matches(text, i, "<!--") ? "-->"
          : i + 2 <= text.length() && (text.charAt(i + 1) == '!' || text.charAt(i + 1) == '?')
              && text.charAt(i) == '<' ? ">" : null;
      if (close == null) {
        return junkFirst && !doctype ? -1 : i;
      }
      int end = indexOf(text, close, i + 2);
      if (end < 0) {
        return text.length();
      }
      i = end + close.length();
    }
  }

  /** The length of the text's byte order mark, 0 without one. */
  private static int bomLength(CharSequence text) {
    if (text.length() >= 3 && text.charAt(0) == 0xef && text.charAt(1) == 0xbb
        && text.charAt(2) == 0xbf) {
      return 3; // a UTF-8 mark, read as ISO-8859-1
    }
    return text.length() >= 1 && text.charAt(0) == '\ufeff' ? 1 : 0;
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

  private static int skipSpace(CharSequence text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
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

package dev.pixivdic.core.parse;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.DocumentEnd;
import dev.pixivdic.support.internal.TextFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.QueryParser;

/** Decoding and small DOM helpers shared by the HTML strategies. */
final class Html {

  private static final Map<String, Evaluator> SELECTORS = new ConcurrentHashMap<>();
  private static final String ELSEWHERE_KEY = "dev.pixivdic.elsewhere";

  private Html() {}

  /**
   * Parses a body as HTML. The charset comes from the content type, else a BOM or
   * {@code <meta charset>}, else UTF-8; undecodable bytes become U+FFFD. jsoup's tree builder
   * caps element depth (deeper elements are attached at the cap), so pathological nesting
   * yields a shallow tree.
   */
  static Document parse(byte[] body, String contentType, String baseUri) {
    return parse(body, contentType, baseUri, true);
  }

  /**
   * As {@link #parse(byte[], String, String)}; {@code inOnePiece} false always streams the
   * bytes through jsoup's decoder, as the fast path's skeleton is read (tests compare the
   * two). True decodes a UTF-8 page that does not start with a byte order mark with a {@link
   * Utf8Reader} over the whole array instead: the same DOM, built faster, and neither way
   * allocates the whole decoded text.
   */
  static Document parse(byte[] body, String contentType, String baseUri, boolean inOnePiece) {
    String charset = charset(contentType);
    if (inOnePiece && isUtf8Name(charset) && !startsWithBom(body)) {
      // The same DOM as below, built faster: jsoup decodes a stream through a CharsetDecoder
      // (a quarter of a parse on pages of realistic size), Utf8Reader decodes well-formed
      // bytes straight into jsoup's pooled buffers, allocating neither the decoded text nor a
      // copy, and leaves malformed ones to the JDK's decoder, so U+FFFD falls where it falls
      // in jsoup's stream (HtmlTest, Utf8ReaderTest). A declared charset makes jsoup ignore
      // <meta charset>, but a BOM would override it, so a page that starts with one goes
      // the stream's way.
      return DocumentEnd.parser().parseInput(new Utf8Reader(body), baseUri);
    }
    try {
      return Jsoup.parse(new ByteArrayInputStream(body), charset, baseUri, DocumentEnd.parser());
    } catch (IOException e) {
      // A byte array cannot fail to read; keep the cause if it ever does.
      throw new UncheckedIOException("reading an in-memory page failed", e);
    }
  }

  /** A page's DOM, and why its text cannot be trusted (null when it can). */
  record Decoded(Document doc, String malformed) {}

  /**
   * Parses an article page so that its text is never misread. The site serves UTF-8: bytes
   * that are well-formed UTF-8 are read as UTF-8 whatever the content type or
   * {@code <meta charset>} says (a Shift_JIS or Latin-1 text of any length is almost never
   * well-formed UTF-8, while UTF-8 read as Latin-1 is mojibake). Other bytes are read as
   * {@link #parse(byte[], String, String)} reads them, and when they are not well-formed in the
   * charset used (Shift_JIS bytes labelled UTF-8), {@code malformed} says so: decoding put
   * U+FFFD or other characters in place of what the page says. A declared Shift_JIS or EUC-JP
   * is read in a wider charset, see {@link #superset}.
   */
  static Decoded decode(byte[] body, String contentType, String baseUri) {
    return decode(body, contentType, baseUri, false);
  }

  /**
   * As {@link #decode(byte[], String, String)}; {@code wellFormedUtf8} true says the caller has
   * checked that the bytes are well-formed UTF-8, so they are not checked again. Otherwise they
   * are checked while they are decoded: a page that does not start with a byte order mark is
   * first read as UTF-8 by a {@link Utf8Reader}, which knows at the end whether every byte was
   * well-formed; only when one was not is the page read again in the charset it declares (and
   * not even then when that is UTF-8, which gives the same DOM).
   */
  static Decoded decode(byte[] body, String contentType, String baseUri,
      boolean wellFormedUtf8) {
    if (wellFormedUtf8) {
      return new Decoded(parse(body, UTF8_TYPE, baseUri), null);
    }
    Document doc;
    if (startsWithBom(body)) {
      if (Skeleton.isWellFormedUtf8(body, 0, body.length)) {
        return new Decoded(parse(body, UTF8_TYPE, baseUri), null);
      }
      doc = parse(body, contentType, baseUri);
    } else {
      // parse(body, UTF8_TYPE, baseUri), as it reads a page without a byte order mark.
      Utf8Reader utf8 = new Utf8Reader(body);
      Document asUtf8 = DocumentEnd.parser().parseInput(utf8, baseUri);
      if (utf8.wellFormed()) {
        return new Decoded(asUtf8, null);
      }
      doc = isUtf8(contentType) ? asUtf8 : parse(body, contentType, baseUri);
    }
    Charset declared = doc.charset();
    Charset used = superset(declared);
    if (!used.equals(declared)) {
      // Only pages declaring Shift_JIS or EUC-JP (by their content type or <meta charset>,
      // which only the parse finds) are parsed twice; the site serves none.
      doc = parse(body, "text/html; charset=" + used.name(), baseUri);
    }
    try {
      used.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
      return new Decoded(doc, null);
    } catch (CharacterCodingException e) {
      return new Decoded(doc, "the page's bytes are not well-formed UTF-8"
          + (used.equals(StandardCharsets.UTF_8) ? "" : " nor " + declared.name() + " (the"
          + " charset it declares)") + ": its text cannot be read right");
    }
  }

  /**
   * The charset a page declaring {@code declared} is read in. Java's Shift_JIS and EUC-JP lack
   * the NEC and IBM extensions (①, ㈱, Ⅰ) that pages so labelled hold, so such pages are read
   * in Windows-31J and eucJP-open, as browsers read them (the WHATWG Encoding Standard).
   * eucJP-open reads every byte sequence EUC-JP reads as EUC-JP does; Windows-31J reads seven
   * of Shift_JIS's differently, as browsers do (0x8160 is U+FF5E, not U+301C).
   */
  private static Charset superset(Charset declared) {
    String name = declared.name();
    String wider = name.equals("Shift_JIS") ? "windows-31j"
        : name.equals("EUC-JP") ? "x-eucJP-Open" : null;
    return wider != null && Charset.isSupported(wider) ? Charset.forName(wider) : declared;
  }

  private static final String UTF8_TYPE = "text/html; charset=utf-8";

  /** Whether the content type declares UTF-8. */
  static boolean isUtf8(String contentType) {
    return isUtf8Name(charset(contentType));
  }

  private static boolean isUtf8Name(String charset) {
    return charset != null && (charset.equalsIgnoreCase("utf-8")
        || charset.equalsIgnoreCase("utf8"));
  }

  /**
   * Whether the body starts with a byte order mark (UTF-8, UTF-16, UTF-32, {@link
   * TextFiles#encoding}): jsoup decodes such a page in the mark's charset whatever the content
   * type says, and drops the mark.
   */
  private static boolean startsWithBom(byte[] body) {
    return TextFiles.encoding(body).mark() > 0;
  }

  private static String charset(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        String name = p.substring(8).replace("\"", "").replace("'", "").strip();
        try {
          return Charset.isSupported(name) ? name : null;
        } catch (IllegalCharsetNameException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The compiled CSS query. Compiling costs about as much as a small select, and the parser's
   * queries are a fixed set, so each is compiled once; jsoup's evaluators may be shared between
   * threads.
   */
  static Evaluator css(String query) {
    return SELECTORS.computeIfAbsent(query, QueryParser::parse);
  }

  /** The document's {@code <title>}, whitespace-normalised, or "" when absent. */
  static String title(Document doc) {
    String t = Text.norm(doc.title());
    return t == null ? "" : t;
  }

  /**
   * The element's text, as {@link Element#text()}. Every strategy reads texts through this, so
   * that a read of a text the fast path left out abandons the fast path.
   *
   * @throws Skeleton.Unsure when the text holds a placeholder of a {@link Skeleton}
   */
  static String text(Element e) {
    String t = e.text();
    if (t.indexOf(Skeleton.PRUNED) >= 0) {
      Skeleton.requireWhole(e);
    }
    return t;
  }

  /** The element's own text, as {@link Element#ownText()}; see {@link #text(Element)}. */
  static String ownText(Element e) {
    String t = e.ownText();
    if (t.indexOf(Skeleton.PRUNED) >= 0) {
      Skeleton.requireWhole(e);
    }
    return t;
  }

  /**
   * The texts of a counter: its non-blank text nodes, anywhere inside it, but those a
   * {@code label} matches (normalised). A counter's number is read from one of these, never
   * from text joined across them: see {@link #digitsSplit}.
   */
  static List<TextNode> counterTexts(Element counter, Predicate<String> label) {
    List<TextNode> texts = new ArrayList<>();
    NodeTraversor.traverse((node, depth) -> {
      if (node instanceof TextNode t) {
        String s = Text.norm(t.getWholeText());
        if (s != null && !label.test(s)) {
          texts.add(t);
        }
      }
    }, counter);
    return texts;
  }

  /**
   * Whether a number of a counter has its digits in more than one text
   * ({@code 6<sup>2</sup>}, a hidden {@code 6<span>0</span>}, {@code 1,2<b>34</b>}): its joined
   * text is then no number it shows, as the number is split across elements or another number
   * is nested in it. Digits of two texts are one number when only grouping characters
   * ({@code ,} and {@code .}, NFKC) or element boundaries lie between them in document order;
   * any other text, spaces included, separates numbers, as in {@code 1,234<span>+12</span>} or
   * {@code 閲覧数<span>1,234</span>（前日比<span>+12</span>）}. Digits with an invisible
   * character between them ({@code 6&#8203;0}, {@link Text#invisible}) are split too, in one text
   * or across elements: jsoup's text drops a zero-width space, and would show them as one number.
   */
  static boolean digitsSplit(Element counter) {
    // The text holding the digits of the number read so far (-1: none), the texts seen, and
    // whether an invisible character came after the number's last digit.
    int[] number = {-1, 0};
    boolean[] split = {false};
    boolean[] hidden = {false};
    NodeTraversor.traverse((node, depth) -> {
      if (node instanceof TextNode t) {
        String s = Normalizer.normalize(t.getWholeText(), Normalizer.Form.NFKC);
        for (int i = 0; i < s.length(); ) {
          int c = s.codePointAt(i);
          i += Character.charCount(c);
          if (Character.isDigit(c)) {
            split[0] |= number[0] >= 0 && (number[0] != number[1] || hidden[0]);
            number[0] = number[1];
            hidden[0] = false;
          } else if (Text.invisible(c)) {
            hidden[0] = number[0] >= 0;
          } else if (c != ',' && c != '.') {
            number[0] = -1;
            hidden[0] = false;
          }
        }
        number[1]++;
      }
    }, counter);
    return split[0];
  }

  /** The normalised text of the first match, or null. */
  static String firstText(Element root, String cssQuery) {
    Element e = root.selectFirst(css(cssQuery));
    return e == null ? null : Text.norm(text(e));
  }

  /**
   * The attribute as an absolute URL, resolved against the page URL, with characters a URI
   * cannot hold (non-ASCII, spaces, quotes) percent-encoded as UTF-8; null when absent.
   */
  static String absUrl(Element e, String attr) {
    String abs = LinkUrl.of(e, attr);
    if (abs.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder(abs.length() + 16);
    for (int i = 0; i < abs.length(); ) {
      int cp = abs.codePointAt(i);
      i += Character.charCount(cp);
      if (cp > 0x7e || cp <= 0x20 || "\"<>\\^`{|}".indexOf(cp) >= 0) {
        out.append(ArticleUrl.percentEncode(new String(Character.toChars(cp))));
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /**
   * For each label, the URL of the links whose visible text contains it and that its test
   * accepts (the page's own link for that label), wherever they are on the page: null when
   * there is none, or when such links disagree. A link naming another tag (a card's, a prose
   * link) is never this article's. Each link's text is built once, whatever the number of
   * labels.
   */
  static Map<String, String> linksByText(Element root, Map<String, Predicate<String>> labels) {
    Map<String, List<String>> urls = new LinkedHashMap<>();
    labels.keySet().forEach(l -> urls.put(l, new ArrayList<>()));
    char common = commonChar(List.copyOf(labels.keySet()));
    for (Element a : Anchors.select(root, "a[href]")) {
      if (common != 0 && !mayContain(a, common)) {
        continue;
      }
      String text = Text.norm(text(a));
      if (text == null) {
        continue;
      }
      String url = null;
      for (Map.Entry<String, Predicate<String>> label : labels.entrySet()) {
        if (text.contains(label.getKey())) {
          url = url != null ? url : absUrl(a, "href");
          if (url != null && label.getValue().test(url)) {
            urls.get(label.getKey()).add(url);
          }
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    urls.forEach((label, found) -> out.put(label, Fields.agreed(found)));
    return out;
  }

  /** A character every label holds, or 0 when there is none. */
  private static char commonChar(List<String> labels) {
    if (labels.isEmpty()) {
      return 0;
    }
    for (char c : labels.get(0).toCharArray()) {
      if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)
          && Character.getType(c) != Character.CONTROL
          && labels.stream().allMatch(l -> l.indexOf(c) >= 0)) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Whether the element's text can hold {@code c}, without building the text: some text node
   * in it holds {@code c}, or a skeleton's placeholder (a text left out, which only a read of
   * the text may judge). {@link Element#text()} is made of its text nodes' characters, spaces
   * aside, and normalising drops or merges only spaces and control characters, so a label
   * holding {@code c} (neither) is never in the normalised text of an element this says no to.
   */
  static boolean mayContain(Element e, char c) {
    if (e.childNodeSize() == 1 && e.childNode(0) instanceof TextNode only) {
      // Most links: one text, no need for a traversal.
      return holds(only, c);
    }
    boolean[] found = {false};
    NodeTraversor.filter(new NodeFilter() {
      @Override
      public FilterResult head(Node node, int depth) {
        if (node instanceof TextNode t) {
          if (holds(t, c)) {
            found[0] = true;
            return FilterResult.STOP;
          }
        }
        return FilterResult.CONTINUE;
      }

      @Override
      public FilterResult tail(Node node, int depth) {
        return FilterResult.CONTINUE;
      }
    }, e);
    return found[0];
  }

  private static boolean holds(TextNode t, char c) {
    String s = t.getWholeText();
    return s.indexOf(c) >= 0 || s.indexOf(Skeleton.PRUNED) >= 0;
  }

  /**
   * The titles of the article links ({@code /a/<title>}) among {@code links}, without the page's
   * own title: links to anything else (searches, "more" links, anchors) are not relations.
   */
  static List<String> linkedTitles(List<Element> links, PageIdentity page) {
    List<String> out = new ArrayList<>();
    for (Element a : links) {
      PageIdentity.linkedArticle(LinkUrl.of(a, "href"))
          .filter(t -> !page.names(t))
          .ifPresent(out::add);
    }
    return out;
  }

  /**
   * Whether {@code e} sits in a block that belongs to another article: some element from
   * {@code e} upwards holds a link to another article or to another article's tag, below the
   * first element that holds the article's title {@code anchor} (that one is the article's page
   * itself) and below {@code root}. Cards, teasers and lists of other articles are such blocks.
   *
   * @param root where to stop at the latest; an ancestor of {@code e}
   * @param anchor the element naming the article (its h1), or null when there is none
   */
  static boolean foreign(Element e, Element root, Element anchor, PageIdentity page) {
    Map<Element, Boolean> known = linksElsewhere(e, page);
    for (Element x = e; x != null && x != root && !holds(x, anchor); x = x.parent()) {
      Boolean elsewhere = known.get(x);
      if (elsewhere == null) {
        elsewhere = false;
        for (Element a : x.select(css("a[href]"))) {
          String url = absUrl(a, "href");
          if (url != null && page.linksElsewhere(url)) {
            elsewhere = true;
            break;
          }
        }
        known.put(x, elsewhere);
      }
      if (elsewhere) {
        return true;
      }
    }
    return false;
  }

  /**
   * Per document and page, whether an element holds a link to another article or its tag: a
   * function of the element's subtree and the page, asked again for the same blocks by every
   * column read in them, so each is answered once.
   */
  private static Map<Element, Boolean> linksElsewhere(Element e, PageIdentity page) {
    Document doc = e.ownerDocument();
    if (doc == null) {
      return new IdentityHashMap<>();
    }
    Object memo = doc.attributes().userData(ELSEWHERE_KEY);
    if (memo instanceof ElsewhereMemo m && m.page().equals(page)) {
      return m.known();
    }
    ElsewhereMemo m = new ElsewhereMemo(page, new IdentityHashMap<>());
    doc.attributes().userData(ELSEWHERE_KEY, m);
    return m.known();
  }

  private record ElsewhereMemo(PageIdentity page, Map<Element, Boolean> known) {}

  /** Whether {@code x} is {@code e} or one of its ancestors. */
  private static boolean holds(Element x, Element e) {
    for (Element y = e; y != null; y = y.parent()) {
      if (y == x) {
        return true;
      }
    }
    return false;
  }

  /** The matches in {@code root} that are not in a block of another article (see foreign). */
  static List<Element> own(Element root, String cssQuery, Element anchor, PageIdentity page) {
    List<Element> out = new ArrayList<>();
    for (Element e : Anchors.within(root, cssQuery)) {
      if (!foreign(e, root, anchor, page)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * {@code e}, or, when elements inside it are values of their own ({@code apart}: a tooltip
   * titled as the same counter), a detached copy of it without them, so that its text is its
   * own. A text the fast path left out abandons the fast path here.
   */
  static Element without(Element e, Predicate<Element> apart) {
    text(e);
    if (e.getAllElements().stream().noneMatch(x -> x != e && apart.test(x))) {
      return e;
    }
    Element copy = e.clone();
    for (Element x : copy.getAllElements()) {
      if (x != copy && apart.test(x)) {
        x.remove();
      }
    }
    return copy;
  }

  /** The {@code content} of {@code <meta property|name=...>}, or null. */
  static String meta(Document doc, String name) {
    Element m = doc.selectFirst(css("meta[property=" + name + "], meta[name=" + name + "]"));
    return m == null ? null : Text.norm(m.attr("content"));
  }
}

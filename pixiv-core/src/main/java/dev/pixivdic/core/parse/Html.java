package dev.pixivdic.core.parse;

import dev.pixivdic.core.ArticleUrl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** Decoding and small DOM helpers shared by the HTML strategies. */
final class Html {

  private Html() {}

  /**
   * Parses a body as HTML. The charset comes from the content type, else a BOM or
   * {@code <meta charset>}, else UTF-8; undecodable bytes become U+FFFD. jsoup's tree builder
   * caps element depth (deeper elements are attached at the cap), so pathological nesting
   * yields a shallow tree.
   */
  static Document parse(byte[] body, String contentType, String baseUri) {
    try {
      return Jsoup.parse(new ByteArrayInputStream(body), charset(contentType), baseUri);
    } catch (IOException e) {
      // A byte array cannot fail to read; keep the cause if it ever does.
      throw new UncheckedIOException("reading an in-memory page failed", e);
    }
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

  /** The document's {@code <title>}, whitespace-normalised, or "" when absent. */
  static String title(Document doc) {
    String t = Text.norm(doc.title());
    return t == null ? "" : t;
  }

  /** The normalised text of the first match, or null. */
  static String firstText(Element root, String cssQuery) {
    Element e = root.selectFirst(cssQuery);
    return e == null ? null : Text.norm(e.text());
  }

  /**
   * The attribute as an absolute URL, resolved against the page URL, with characters a URI
   * cannot hold (non-ASCII, spaces, quotes) percent-encoded as UTF-8; null when absent.
   */
  static String absUrl(Element e, String attr) {
    String abs = e.absUrl(attr);
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

  /** The absolute URL of the first link whose visible text contains {@code label}, or null. */
  static String linkByText(Element root, String label) {
    for (Element a : root.select("a[href]")) {
      String text = Text.norm(a.text());
      if (text != null && text.contains(label)) {
        return absUrl(a, "href");
      }
    }
    return null;
  }

  /**
   * The article title a link points at: decoded from an {@code /a/<title>} href when it is one,
   * else the link's text.
   */
  static String linkedTitle(Element a) {
    Optional<ArticleUrl> url = ArticleUrl.tryParse(a.absUrl("href"));
    return url.map(ArticleUrl::title).orElseGet(() -> Text.norm(a.text()));
  }

  /** The titles of the links under {@code root}. */
  static List<String> linkedTitles(List<Element> links) {
    List<String> out = new ArrayList<>();
    for (Element a : links) {
      String t = linkedTitle(a);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** The {@code content} of {@code <meta property|name=...>}, or null. */
  static String meta(Document doc, String name) {
    Element m = doc.selectFirst("meta[property=" + name + "], meta[name=" + name + "]");
    return m == null ? null : Text.norm(m.attr("content"));
  }
}

package dev.pixivdic.core.parse;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.concurrent.atomic.AtomicReference;
import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Tag;

/**
 * {@link Element#absUrl(String)}, the same string for every element and attribute, without its
 * cost: jsoup strips control characters from the base and the link with a regular expression
 * that matches the empty string, so every call copies both through a new builder (a fifth of
 * what the fast path allocated on pages of realistic size), and it parses the base URL again
 * for every link.
 *
 * <p>Why the same string: jsoup resolves {@code strip(base)} against {@code strip(link)}; when
 * neither holds a control character (U+0000 to U+001F) stripping changes nothing, so resolving
 * the link against the parsed base with jsoup's own {@link StringUtil#resolve(URL, String)}
 * gives the same URL. Anything else (a control character, a base or link that does not parse)
 * goes to jsoup's whole function.
 *
 * <p>The usual links need no {@link URL} at all. Against an http(s) base, a path from the
 * site's root ({@code /a/...}) resolves to the base's root (what jsoup makes of {@code /},
 * without its slash) followed by the path unchanged, and an http(s) URL of a lower-case host
 * name without port or user to itself, when the path holds nothing {@link URL} or jsoup would
 * rewrite: no character up to a space, no query or fragment, no dot segment ({@code /.}), no
 * backslash, and no {@code //} at its start (a host). {@code LinkUrlTest} and
 * {@code HtmlTest} compare every route with jsoup's {@code absUrl}.
 */
final class LinkUrl {

  /** The last base seen: a page's links share one base. */
  private static final AtomicReference<Base> LAST = new AtomicReference<>();

  /**
   * A base with what its links need, worked out once: {@code root} is what jsoup resolves
   * {@code /} to, without the final slash, when that is an http(s) URL with nothing after its
   * root (else null); {@code url} is the base parsed, null when it does not parse. Immutable.
   */
  private record Base(String spec, String root, URL url) {}

  private LinkUrl() {}

  /** As {@code e.absUrl(key)}: the attribute resolved against the element's base, or "". */
  static String of(Element e, String key) {
    if (e.attributesSize() == 0 || !e.attributes().hasKeyIgnoreCase(key)) {
      return "";
    }
    Base base = base(e.baseUri());
    String link = e.attributes().getIgnoreCase(key);
    boolean rootPath = isPlainPath(link, 0);
    if (base.root() != null && (rootPath || isPlainAbsolute(link))) {
      return rootPath ? base.root().concat(link) : link;
    }
    if (base.url() == null || hasControl(base.spec()) || hasControl(link)) {
      return StringUtil.resolve(base.spec(), link);
    }
    try {
      return StringUtil.resolve(base.url(), link).toExternalForm();
    } catch (MalformedURLException ex) {
      return StringUtil.resolve(base.spec(), link);
    }
  }

  private static Base base(String spec) {
    Base last = LAST.get();
    if (last != null && last.spec().equals(spec)) {
      return last;
    }
    String slash = new Element(Tag.valueOf("a"), spec).attr("href", "/").absUrl("href");
    boolean plain = (slash.startsWith("https://") || slash.startsWith("http://"))
        && slash.indexOf('/', slash.indexOf("//") + 2) == slash.length() - 1;
    URL url;
    try {
      url = new URL(spec);
    } catch (MalformedURLException ex) {
      url = null;
    }
    Base base = new Base(spec, plain ? slash.substring(0, slash.length() - 1) : null, url);
    LAST.set(base);
    return base;
  }

  /** Whether {@code s} from {@code from} on is a plain path from the root (see the class). */
  private static boolean isPlainPath(String s, int from) {
    int n = s.length();
    if (n < from + 2 || s.charAt(from) != '/' || s.charAt(from + 1) == '/') {
      return false;
    }
    char prev = 0;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '?' || c == '#' || c == '\\' || c == 0x7f
          || (c == '.' && prev == '/')) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  /** Whether {@code s} is an http(s) URL of a plain host name and a plain path. */
  private static boolean isPlainAbsolute(String s) {
    int host = s.startsWith("https://") ? 8 : s.startsWith("http://") ? 7 : -1;
    if (host < 0) {
      return false;
    }
    int i = host;
    for (; i < s.length() && s.charAt(i) != '/'; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
        return false;
      }
    }
    return i > host && isPlainPath(s, i);
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < 0x20) {
        return true;
      }
    }
    return false;
  }
}

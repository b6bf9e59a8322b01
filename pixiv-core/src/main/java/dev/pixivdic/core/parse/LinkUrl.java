package dev.pixivdic.core.parse;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.concurrent.atomic.AtomicReference;
import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.Element;

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
 */
final class LinkUrl {

  /** The last base parsed: a page's links share one base, and {@link URL} is immutable. */
  private static final AtomicReference<Base> LAST = new AtomicReference<>();

  private record Base(String spec, URL url) {}

  private LinkUrl() {}

  /** As {@code e.absUrl(key)}: the attribute resolved against the element's base, or "". */
  static String of(Element e, String key) {
    if (e.attributesSize() == 0 || !e.attributes().hasKeyIgnoreCase(key)) {
      return "";
    }
    String base = e.baseUri();
    String link = e.attributes().getIgnoreCase(key);
    if (hasControl(base) || hasControl(link)) {
      return StringUtil.resolve(base, link);
    }
    try {
      return StringUtil.resolve(base(base), link).toExternalForm();
    } catch (MalformedURLException ex) {
      return StringUtil.resolve(base, link);
    }
  }

  private static URL base(String spec) throws MalformedURLException {
    Base last = LAST.get();
    if (last != null && last.spec().equals(spec)) {
      return last.url();
    }
    URL url = new URL(spec);
    LAST.set(new Base(spec, url));
    return url;
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

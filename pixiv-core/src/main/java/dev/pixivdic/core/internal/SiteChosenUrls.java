package dev.pixivdic.core.internal;

import java.net.URI;

/**
 * How a message or a log line names a URL the site chose (where a redirect led, the final URI of
 * an answer): its scheme, host, port and path, the path as sent (percent-encoded:
 * {@code /a/%E5%88%9D}). Its query and fragment are left out, and any user information: a login
 * wall sends every page to {@code /login?return_to=<the page>&token=...}, and what the site puts
 * there may be a credential that no log or report is to hold. URLs the user gave are shown as
 * they are, not through here.
 */
public final class SiteChosenUrls {

  private SiteChosenUrls() {}

  /** {@code uri} without its user information, query and fragment; the rest as it was sent. */
  public static URI shown(URI uri) {
    StringBuilder where = new StringBuilder();
    if (uri.getScheme() != null) {
      where.append(uri.getScheme()).append(':');
    }
    String authority = uri.getRawAuthority();
    if (authority != null) {
      where.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
    }
    if (uri.getRawPath() != null) {
      where.append(uri.getRawPath());
    } else if (uri.getRawSchemeSpecificPart() != null && authority == null) {
      // An opaque URI (mailto:...): all of it may be the site's secret.
      return URI.create(where.toString() + "...");
    }
    return URI.create(where.toString());
  }

  /**
   * {@code text} (a {@code Location} as the site sent it, which need not be a URI) by the same
   * rule: what follows its first {@code ?} or {@code #} is left out, and the user information
   * of its authority (up to the last {@code @} before the path).
   */
  public static String shown(String text) {
    int cut = indexOfAny(text, '?', '#');
    String rest = cut < 0 ? text : text.substring(0, cut);
    int scheme = rest.indexOf("//");
    if (scheme < 0) {
      return rest;
    }
    int start = scheme + 2;
    int slash = rest.indexOf('/', start);
    int end = slash < 0 ? rest.length() : slash;
    int at = rest.lastIndexOf('@', end - 1);
    return at < start ? rest : rest.substring(0, start) + rest.substring(at + 1);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}

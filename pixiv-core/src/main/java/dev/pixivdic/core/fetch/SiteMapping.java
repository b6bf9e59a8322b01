package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.SiteSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps site URIs ({@code https://dic.pixiv.net/...}) to the origin actually contacted, and back.
 * Callers and results always speak of the site form, whatever the origin.
 */
final class SiteMapping {

  static final String SITE_HOST = "dic.pixiv.net";
  static final URI SITE = URI.create("https://" + SITE_HOST);

  private final URI origin;
  private final String originPrefix;

  SiteMapping(URI origin) {
    this.origin = requireNonNull(origin, "origin");
    String path = origin.getRawPath() == null ? "" : origin.getRawPath();
    this.originPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** Fails fast on an origin that cannot be used; the message names it. */
  static URI validateOrigin(URI origin) {
    requireNonNull(origin, "origin");
    SiteSettings.originProblem(origin).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    return origin;
  }

  URI origin() {
    return origin;
  }

  /** Rejects anything that is not {@code https://dic.pixiv.net/...}. */
  static void requireSite(URI siteUri) {
    requireNonNull(siteUri, "siteUri");
    if (!isSiteHost(siteUri) || !"https".equalsIgnoreCase(siteUri.getScheme())
        || !(siteUri.getPort() == -1 || siteUri.getPort() == 443)) {
      throw new IllegalArgumentException(
          "not a URL of https://" + SITE_HOST + ": '" + siteUri + "'");
    }
  }

  /** The URI to request for a site URI. */
  URI toOrigin(URI siteUri) {
    return URI.create(origin.getScheme() + "://" + origin.getRawAuthority() + originPrefix
        + pathAndQuery(siteUri));
  }

  /**
   * The site form of an absolute URI (a redirect target) when it belongs to the site: the host
   * {@code dic.pixiv.net} itself, or the configured origin. Empty when it is off-site.
   */
  Optional<URI> toSite(URI absolute) {
    String scheme =
        absolute.getScheme() == null ? "" : absolute.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.empty();
    }
    if (isSiteHost(absolute) && absolute.getRawUserInfo() == null
        && (absolute.getPort() == -1 || absolute.getPort() == 443 || absolute.getPort() == 80)) {
      return Optional.of(URI.create(SITE + pathAndQuery(absolute)));
    }
    boolean sameOrigin = scheme.equalsIgnoreCase(origin.getScheme())
        && absolute.getHost() != null && absolute.getHost().equalsIgnoreCase(origin.getHost())
        && effectivePort(absolute) == effectivePort(origin);
    String path = absolute.getRawPath() == null ? "" : absolute.getRawPath();
    if (sameOrigin && (originPrefix.isEmpty() || path.equals(originPrefix)
        || path.startsWith(originPrefix + "/"))) {
      String rest = path.substring(originPrefix.length());
      String query = absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery();
      return Optional.of(URI.create(SITE + (rest.isEmpty() ? "/" : rest) + query));
    }
    return Optional.empty();
  }

  /**
   * {@code target} (an absolute redirect target) with its {@code .} and {@code ..} path segments
   * removed as RFC 3986 (5.2.4) says, as the server that receives it would: {@code /mirror/../x}
   * is {@code /x}, which is off a {@code /mirror} origin, and {@code /b/../a/} is matched against
   * robots.txt as {@code /a/}.
   *
   * @throws IllegalArgumentException when a segment is a dot spelled with {@code %2e}, which some
   *     servers decode into a step up and others do not: where it leads cannot be known
   */
  static URI withoutDotSegments(URI target) {
    String path = target.getRawPath();
    if (path == null || path.isEmpty()) {
      return target;
    }
    requireNoEncodedDots(path);
    String kept = removeDotSegments(path);
    if (kept.equals(path)) {
      return target;
    }
    String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
    String fragment = target.getRawFragment() == null ? "" : "#" + target.getRawFragment();
    return URI.create(target.getScheme() + "://" + target.getRawAuthority() + kept + query
        + fragment);
  }

  /**
   * Refuses a path (or a reference: what follows its first {@code ?} or {@code #} is not
   * looked at) with a segment that is a dot spelled with {@code %2e}.
   *
   * @throws IllegalArgumentException naming the segment
   */
  static void requireNoEncodedDots(String pathOrReference) {
    String path = pathOrReference;
    for (char c : new char[] {'?', '#'}) {
      int at = path.indexOf(c);
      path = at < 0 ? path : path.substring(0, at);
    }
    for (String segment : path.split("/", -1)) {
      String plain = segment.replace("%2e", ".").replace("%2E", ".");
      if (!plain.equals(segment) && (plain.equals(".") || plain.equals(".."))) {
        throw new IllegalArgumentException("a path segment '" + segment + "' spells a dot"
            + " segment with %2e");
      }
    }
  }

  /**
   * RFC 3986's remove_dot_segments (5.2.4) of an absolute path; unlike
   * {@link URI#normalize()}, it keeps empty segments ({@code /a//b} is another path).
   */
  static String removeDotSegments(String absolutePath) {
    String[] segments = absolutePath.split("/", -1);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      if (s.equals(".") || s.equals("..")) {
        if (s.equals("..") && !out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add(""); // "/a/b/.." is "/a/"
        }
      } else {
        out.add(s);
      }
    }
    return "/" + String.join("/", out);
  }

  /** The raw path (at least {@code /}) and query, as used for requests and robots matching. */
  static String pathAndQuery(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  private static boolean isSiteHost(URI uri) {
    return uri.getHost() != null && uri.getHost().equalsIgnoreCase(SITE_HOST);
  }

  private static int effectivePort(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}

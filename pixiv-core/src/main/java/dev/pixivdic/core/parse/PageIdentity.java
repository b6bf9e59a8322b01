package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Which article a page is: the title it was fetched for, and the title its canonical link
 * names when that differs (a page served for an alias). Everything on a page that names an
 * article (a JSON entry's {@code tagName}, the header's {@code h1}, a tag link, the route of
 * {@code __NEXT_DATA__}) is this article's only if it names one of these titles, compared as
 * {@link Text#key} does. Immutable; needs no DOM, so a reader of raw JSON can build one from the
 * URL and the canonical link's {@code href}.
 *
 * @param url the URL the page was fetched for
 * @param titles the titles that name this article: the URL's, then the canonical link's
 */
record PageIdentity(ArticleUrl url, List<String> titles) {

  PageIdentity {
    requireNonNull(url, "url");
    titles = List.copyOf(requireNonNull(titles, "titles"));
  }

  /**
   * The identity of a page fetched for {@code url} whose canonical link (or {@code og:url})
   * reads {@code canonicalHrefs}. Hrefs that are not article URLs are ignored; when they name
   * different articles, none is trusted.
   */
  static PageIdentity of(ArticleUrl url, List<String> canonicalHrefs) {
    Set<String> canonical = new LinkedHashSet<>();
    for (String href : canonicalHrefs) {
      ArticleUrl.tryParse(href).ifPresent(u -> canonical.add(u.title()));
    }
    List<String> titles = new ArrayList<>();
    titles.add(url.title());
    if (canonical.size() == 1
        && !Text.key(canonical.iterator().next()).equals(Text.key(url.title()))) {
      titles.add(canonical.iterator().next());
    }
    return new PageIdentity(url, titles);
  }

  /** The identity of a parsed page, from the canonical link and {@code og:url} in its head. */
  static PageIdentity of(ArticleUrl url, Document doc) {
    List<String> hrefs = new ArrayList<>();
    for (Element e : doc.head().select(Html.css("link[rel=canonical][href]"))) {
      hrefs.add(LinkUrl.of(e, "href"));
    }
    for (Element e : doc.head().select(Html.css("meta[property=og:url][content]"))) {
      hrefs.add(e.attr("content"));
    }
    return of(url, hrefs);
  }

  /** Whether {@code title} names this article. */
  boolean names(String title) {
    if (title == null) {
      return false;
    }
    String k = Text.key(title);
    return !k.isEmpty() && titles.stream().anyMatch(t -> Text.key(t).equals(k));
  }

  /**
   * The article a link of the site points at, from an {@code /a/<title>} href: empty when the
   * link points elsewhere.
   */
  static Optional<String> linkedArticle(String absoluteHref) {
    return ArticleUrl.tryParse(absoluteHref).map(ArticleUrl::title);
  }

  /**
   * The pixiv tag a link names: the segment after {@code /tags/} of its path, or its
   * {@code tag} or {@code word} query parameter; null when it names none.
   */
  static String linkedTag(String absoluteHref) {
    URI uri;
    try {
      uri = new URI(absoluteHref);
    } catch (URISyntaxException e) {
      return null;
    }
    String path = uri.getRawPath();
    if (path != null) {
      int at = path.indexOf("/tags/");
      if (at >= 0) {
        String seg = path.substring(at + 6);
        int end = seg.indexOf('/');
        return Text.percentDecode(end < 0 ? seg : seg.substring(0, end), false);
      }
    }
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (eq > 0 && Set.of("tag", "word").contains(name.toLowerCase(Locale.ROOT))) {
          return Text.percentDecode(pair.substring(eq + 1), false);
        }
      }
    }
    return null;
  }

  /** Whether a link points at another article, or names another article's tag. */
  boolean linksElsewhere(String absoluteHref) {
    Optional<String> article = linkedArticle(absoluteHref);
    if (article.isPresent()) {
      return !names(article.get());
    }
    String tag = linkedTag(absoluteHref);
    return tag != null && !names(tag) && !names(tag.replace('+', ' '));
  }

  /**
   * Whether a link is one of pixiv's pages for this article's tag: {@code www.pixiv.net} (or
   * {@code pixiv.net}) with a path {@code /tags/<tag>...} (maybe after a language, {@code /en}),
   * or an upload, search or tag page ({@code upload.php}, {@code search.php}, {@code tags.php},
   * also under {@code /novel}) whose {@code tag} or {@code word} names it. A shop's or an ad's
   * link may name the tag too, and so may another article, an artwork, a user's tag page or a
   * redirect ({@code jump.php}) through a {@code tag} parameter: none of them is the article's.
   */
  boolean namesTag(String absoluteHref) {
    URI uri = httpUri(absoluteHref);
    if (uri == null || !TAG_HOSTS.contains(host(uri)) || uri.getRawPath() == null
        || !TAG_PAGE.matcher(uri.getRawPath()).matches()) {
      return false;
    }
    String tag = linkedTag(absoluteHref);
    return tag != null && (names(tag) || names(tag.replace('+', ' ')));
  }

  private static final Set<String> TAG_HOSTS = Set.of("www.pixiv.net", "pixiv.net");
  private static final Pattern TAG_PAGE = Pattern.compile(
      "(?:/[a-z]{2})?(?:/tags/[^/]+(?:/[a-z]+)?/?|(?:/novel)?/(?:upload|search|tags)\\.php)");

  /**
   * Whether a link on pixiv points at a user's profile ({@code /users/123},
   * {@code /member.php?id=123}, {@code /u/123}): an author's or editor's block, whose counters
   * are the user's.
   */
  static boolean linksUser(String absoluteHref) {
    if (!onPixiv(absoluteHref)) {
      return false;
    }
    String path = httpUri(absoluteHref).getRawPath();
    return path != null && USER_PATH.matcher(path).matches();
  }

  private static final Pattern USER_PATH =
      Pattern.compile("(?:/[a-z]{2})?/(?:users|u)/[^/]+(?:/.*)?|/member\\.php");

  /**
   * Whether a link points at something with counters, images or dates of its own that is not an
   * article of this encyclopedia: a pixiv user ({@link #linksUser}), a work ({@code /artworks/},
   * {@code /novel/show.php}, a series), a category or search page of the encyclopedia, an
   * article of the encyclopedia in another language ({@code en-dic.pixiv.net/a/...}), pixiv
   * Sketch or FANBOX. A block of the header holding such a link is that thing's block.
   */
  static boolean linksOtherEntity(String absoluteHref) {
    URI uri = httpUri(absoluteHref);
    if (uri == null) {
      return false;
    }
    String host = host(uri);
    if (host.equals("fanbox.cc") || host.endsWith(".fanbox.cc")
        || host.equals("sketch.pixiv.net")) {
      return true;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!onPixiv(uri)) {
      return false;
    }
    if (host.equals(DIC_HOST)) {
      return DIC_LISTING.matcher(path).matches() || USER_PATH.matcher(path).matches();
    }
    return ARTICLE_PATH.matcher(path).matches() || USER_PATH.matcher(path).matches()
        || WORK_PATH.matcher(path).matches();
  }

  private static final String DIC_HOST = URI.create(ArticleUrl.ORIGIN).getHost();
  private static final Pattern DIC_LISTING =
      Pattern.compile("(?:/[a-z]{2})?/(?:category|search)(?:/.*)?");
  private static final Pattern ARTICLE_PATH = Pattern.compile("(?:/[a-z]{2})?/a/.+");
  private static final Pattern WORK_PATH = Pattern.compile("(?:/[a-z]{2})?/(?:artworks/.+"
      + "|novel/(?:show\\.php|series/.+)|member_illust\\.php|manga/.+)");

  /**
   * Whether a URL is an image of pixiv's image servers ({@code i.pximg.net} and other hosts
   * under {@code pximg.net}), where the site serves every illustration from; an ad's image or a
   * placeholder is served from elsewhere.
   */
  static boolean isPixivImage(String absoluteUrl) {
    URI uri = httpUri(absoluteUrl);
    return uri != null && (host(uri).equals("pximg.net") || host(uri).endsWith(".pximg.net"));
  }

  private static boolean onPixiv(String absoluteHref) {
    URI uri = httpUri(absoluteHref);
    return uri != null && onPixiv(uri);
  }

  private static boolean onPixiv(URI uri) {
    String host = host(uri);
    return host.equals("pixiv.net") || host.endsWith(".pixiv.net");
  }

  /** The URL as a URI when it is an http(s) URL with a host, else null. */
  private static URI httpUri(String absoluteUrl) {
    if (absoluteUrl == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(absoluteUrl);
    } catch (URISyntaxException e) {
      return null;
    }
    boolean http = "https".equalsIgnoreCase(uri.getScheme())
        || "http".equalsIgnoreCase(uri.getScheme());
    return http && uri.getHost() != null ? uri : null;
  }

  private static String host(URI uri) {
    return uri.getHost().toLowerCase(Locale.ROOT);
  }

  /** The titles for a message, e.g. {@code '初音ミク'}. */
  String describe() {
    return "'" + String.join("' or '", titles) + "'";
  }
}

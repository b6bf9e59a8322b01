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
   * Whether a link on pixiv (an http(s) URL of {@code pixiv.net} or a host under it) names this
   * article's tag. A shop's or an ad's link may name the tag too, and is not the article's.
   */
  boolean namesTag(String absoluteHref) {
    if (!onPixiv(absoluteHref)) {
      return false;
    }
    String tag = linkedTag(absoluteHref);
    return tag != null && (names(tag) || names(tag.replace('+', ' ')));
  }

  /**
   * Whether a link on pixiv points at a user's profile ({@code /users/123},
   * {@code /member.php?id=123}, {@code /u/123}): an author's or editor's block, whose counters
   * are the user's.
   */
  static boolean linksUser(String absoluteHref) {
    if (!onPixiv(absoluteHref)) {
      return false;
    }
    String path = URI.create(absoluteHref).getRawPath();
    return path != null && USER_PATH.matcher(path).matches();
  }

  private static final Pattern USER_PATH =
      Pattern.compile("(?:/[a-z]{2})?/(?:users|u)/[^/]+(?:/.*)?|/member\\.php");

  private static boolean onPixiv(String absoluteHref) {
    URI uri;
    try {
      uri = new URI(absoluteHref);
    } catch (URISyntaxException e) {
      return false;
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
        && (host.equals("pixiv.net") || host.endsWith(".pixiv.net"));
  }

  /** The titles for a message, e.g. {@code '初音ミク'}. */
  String describe() {
    return "'" + String.join("' or '", titles) + "'";
  }
}

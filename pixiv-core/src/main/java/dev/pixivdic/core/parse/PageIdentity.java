package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Which article a page is: the title it was fetched for, and the title its canonical link
 * names when that differs (a page served for an alias). Everything on a page that names an
 * article (a JSON entry's {@code tagName}, the header's {@code h1}, a tag link, the route of
 * {@code __NEXT_DATA__}) is this article's only if it names one of these titles, compared as
 * {@link Text#key} does; the link columns' tag pages must name one exactly ({@link #tagPage}).
 * Immutable; needs no DOM, so a reader of raw JSON can build one from the URL and the canonical
 * link's {@code href}.
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
    if (canonical.size() == 1 && !canonical.iterator().next().equals(url.title())) {
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
   * Whether {@code title} is one of this article's titles as written, whitespace aside: a
   * spelling that differs in width or case ({@code 初音ﾐｸ}, {@code 東方project}) may be another
   * article's, as it may be another tag's.
   */
  boolean namesExactly(String title) {
    String n = Text.norm(title);
    return n != null && titles.stream().anyMatch(t -> n.equals(Text.norm(t)));
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
        if (eq > 0 && TAG_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
          return Text.percentDecode(pair.substring(eq + 1), false);
        }
      }
    }
    return null;
  }

  private static final Set<String> TAG_PARAMS = Set.of("tag", "word");

  /** Whether a link points at another article, or names another article's tag. */
  boolean linksElsewhere(String absoluteHref) {
    Optional<String> article = linkedArticle(absoluteHref);
    if (article.isPresent()) {
      return !names(article.get());
    }
    String tag = linkedTag(absoluteHref);
    return tag != null && !names(tag) && !names(tag.replace('+', ' '));
  }

  /** Which of pixiv's pages for the article's tag a link is. */
  enum TagPage {
    /** The tag's illustrations ({@code /tags/<tag>/artworks}), or its search. */
    ILLUSTRATIONS,
    /** The tag's novels ({@code /tags/<tag>/novels}), or the novel search. */
    NOVELS,
    /** Posting an illustration with the tag ({@code /upload.php?tag=<tag>}). */
    ILLUSTRATION_UPLOAD,
    /** Posting a novel with the tag ({@code /novel/upload.php?tag=<tag>}). */
    NOVEL_UPLOAD
  }

  /**
   * Which of pixiv's pages for this article's tag a link is, or null when it is none of them.
   * Such a page is on {@code www.pixiv.net} (or {@code pixiv.net}) on the default port, maybe
   * under a language ({@code /en}): {@code /tags/<tag>} with {@code /artworks},
   * {@code /illustrations}, {@code /manga} or {@code /novels} after it and no query but the
   * search's options ({@code s_mode}, {@code order}, ...), or {@code upload.php},
   * {@code search.php} or {@code tags.php} (also under {@code /novel}) with one {@code tag} or
   * {@code word} parameter. The tag must be the article's title exactly: {@code 東方project}
   * is another tag's page than {@code 東方Project}'s on pixiv. A shop's or an ad's link may name
   * the tag too, and so may another article, an artwork, a user's tag page, the tag's users or
   * a redirect ({@code jump.php}, {@code ?url=}): none of them is the article's.
   */
  TagPage tagPage(String absoluteHref) {
    URI uri = httpUri(absoluteHref);
    if (uri == null || !TAG_HOSTS.contains(host(uri)) || !defaultPort(uri)
        || uri.getRawPath() == null || uri.getRawFragment() != null) {
      return null;
    }
    String path = LANGUAGE.matcher(uri.getRawPath()).replaceFirst("");
    Map<String, List<String>> params = params(uri.getRawQuery());
    if (params == null || !SEARCH_MODES.containsAll(params.getOrDefault("s_mode", List.of()))) {
      return null;
    }
    Matcher tags = TAG_PATH.matcher(path);
    TagPage kind;
    String tag;
    if (tags.matches()) {
      kind = TAG_LISTS.get(tags.group(2) == null ? "" : tags.group(2));
      tag = SEARCH_OPTIONS.containsAll(params.keySet())
          ? Text.percentDecode(tags.group(1), false) : null;
    } else {
      kind = TAG_SCRIPTS.get(path);
      List<String> named = new ArrayList<>(params.getOrDefault("tag", List.of()));
      named.addAll(params.getOrDefault("word", List.of()));
      Set<String> allowed = kind == TagPage.ILLUSTRATION_UPLOAD || kind == TagPage.NOVEL_UPLOAD
          ? Set.of("tag") : SEARCH_PARAMS;
      tag = named.size() == 1 && allowed.containsAll(params.keySet()) ? named.get(0) : null;
    }
    return kind != null && tag != null && titles.contains(tag) ? kind : null;
  }

  private static final Set<String> TAG_HOSTS = Set.of("www.pixiv.net", "pixiv.net");
  private static final Pattern LANGUAGE = Pattern.compile("^/[a-z]{2}(?=/)");
  private static final Pattern TAG_PATH = Pattern.compile("/tags/([^/]+)(?:/([a-z]+))?/?");
  private static final Map<String, TagPage> TAG_LISTS = Map.of("", TagPage.ILLUSTRATIONS,
      "artworks", TagPage.ILLUSTRATIONS, "illustrations", TagPage.ILLUSTRATIONS,
      "manga", TagPage.ILLUSTRATIONS, "novels", TagPage.NOVELS);
  private static final Map<String, TagPage> TAG_SCRIPTS = Map.of(
      "/upload.php", TagPage.ILLUSTRATION_UPLOAD, "/novel/upload.php", TagPage.NOVEL_UPLOAD,
      "/search.php", TagPage.ILLUSTRATIONS, "/tags.php", TagPage.ILLUSTRATIONS,
      "/novel/search.php", TagPage.NOVELS, "/novel/tags.php", TagPage.NOVELS);
  /** The options of pixiv's tag search, which its tag pages' links may carry. */
  private static final Set<String> SEARCH_OPTIONS = Set.of("s_mode", "mode", "order", "p",
      "type", "ratio", "scd", "ecd", "wlt", "wgt", "hlt", "hgt", "blt", "bgt", "tool");
  private static final Set<String> SEARCH_PARAMS;
  /** The searches of a tag; {@code s_usr} searches users. */
  private static final Set<String> SEARCH_MODES = Set.of("s_tag", "s_tag_full", "s_tc");

  static {
    Set<String> search = new java.util.HashSet<>(SEARCH_OPTIONS);
    search.addAll(TAG_PARAMS);
    SEARCH_PARAMS = Set.copyOf(search);
  }

  /**
   * The query's parameters, each name (lower case, an array's {@code []} left out, as PHP
   * reads {@code tag[]=x} as {@code tag}) with its values in order, percent-decoded ({@code +}
   * a space); an empty map for no query, null for one that does not decode.
   */
  private static Map<String, List<String>> params(String rawQuery) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (rawQuery == null) {
      return out;
    }
    for (String pair : rawQuery.split("[&;]", -1)) {
      int eq = pair.indexOf('=');
      String name = Text.percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
      String value = eq < 0 ? "" : Text.percentDecode(pair.substring(eq + 1), true);
      if (name == null || value == null) {
        return null;
      }
      int bracket = name.indexOf('[');
      name = (bracket < 0 ? name : name.substring(0, bracket)).strip().toLowerCase(Locale.ROOT);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /**
   * Whether a link leads away from the article to something that may have counters, images or
   * dates of its own. Every http(s) link does but the article's own: its pages on the
   * encyclopedia ({@code /a/<title>}, its history, a place on the page, named exactly), pixiv's
   * pages for its tag ({@link #tagPage}), and a share or log-in link that carries this article's
   * URL ({@code twitter.com/intent/tweet?url=...}). A user (on pixiv, {@code pixiv.me}, FANBOX,
   * Sketch), a work, a request, a category or search page, an article in another language, the
   * encyclopedia's list of edits, a shop or any other site leads away, and so does an http(s)
   * link without a host that a browser would still follow ({@code https:///example.com/}); a
   * script or a mail address does not. A block of the header holding such a link is that
   * thing's block.
   */
  boolean linksAway(String absoluteHref) {
    URI uri = httpUri(absoluteHref);
    if (uri == null) {
      return isHttp(absoluteHref);
    }
    if (host(uri).equals(DIC_HOST) && defaultPort(uri) && uri.getRawPath() != null) {
      Matcher own = ARTICLE_PAGE.matcher(uri.getRawPath());
      if (own.matches() && titles.contains(Text.percentDecode(own.group(1), false))) {
        return false;
      }
    }
    return tagPage(absoluteHref) == null && !sharesThisPage(uri);
  }

  /** Whether a link shares this article's page or logs in to come back to it. */
  private boolean sharesThisPage(URI uri) {
    if (!SHARE.matcher(host(uri) + uri.getRawPath()).matches()) {
      return false;
    }
    Map<String, List<String>> params = params(uri.getRawQuery());
    return params != null && params.values().stream().flatMap(List::stream).anyMatch(v ->
        ArticleUrl.tryParse(v).map(u -> titles.contains(u.title())).orElse(false));
  }

  private static final Pattern SHARE = Pattern.compile("(?:www\\.)?(?:twitter|x)\\.com/"
      + "(?:intent/(?:tweet|post)|share)|www\\.facebook\\.com/sharer(?:/sharer)?\\.php"
      + "|social-plugins\\.line\\.me/lineit/share|accounts\\.pixiv\\.net/(?:login|signup)");

  private static final String DIC_HOST = URI.create(ArticleUrl.ORIGIN).getHost();
  private static final Pattern ARTICLE_PAGE = Pattern.compile("/a/([^/]+)(?:/.*)?");

  /**
   * Whether a URL can be an illustration: an image of pixiv's illustration server
   * ({@code i.pximg.net}, on its default port) that is not a user's profile image. Icons,
   * emoji and placeholders ({@code s.pximg.net}), ads ({@code ads.pximg.net}) and images of
   * other sites are not.
   */
  static boolean isIllustration(String absoluteUrl) {
    URI uri = httpUri(absoluteUrl);
    return uri != null && host(uri).equals("i.pximg.net") && defaultPort(uri)
        && uri.getPath() != null
        && !uri.getPath().toLowerCase(Locale.ROOT).contains("/user-profile/");
  }

  private static boolean defaultPort(URI uri) {
    int port = uri.getPort();
    return port == -1 || port == ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
  }

  private static boolean isHttp(String url) {
    return url != null && HTTP.matcher(url).lookingAt();
  }

  private static final Pattern HTTP = Pattern.compile("(?i)\\s*https?:");

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

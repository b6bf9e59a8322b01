package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.DocumentEnd;
import dev.pixivdic.core.parse.SearchResult.Kind;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads a search result page ({@code /search?query=...}): its hits, the announced total and
 * the page number. A zero-hit page (which the site answers with HTTP 404) is a valid empty
 * result. Pure and thread-safe.
 *
 * <p>Right or absent: a hit is an {@code article} of {@code div#main.search} with a title link,
 * not inside an {@code aside}, the sidebar ({@code #sub-contents}, {@code .spotlight}), a
 * {@code template} or {@code noscript}, nor inside another hit, and not hidden (neither the link
 * nor an element around it has a {@code hidden} attribute or an inline style setting
 * {@code display: none} or {@code visibility: hidden}, nor, below {@code div#main.search},
 * {@code aria-hidden="true"} or a hiding class); a page with the header but without
 * {@code div#main.search} is not recognised (the results could not be told from the other
 * cards). A page that announces zero hits ({@code 検索結果：0件}) has none: a card on it is a
 * recommendation, whatever its markup, and is ignored (counted in the detail). A hit whose
 * link's text is not the title its address names (another article's address, an extra path
 * segment, a character the text drops) is left out, counted in the detail: its address may not
 * be the article its title names. A search page that ends before its document does (cut
 * short on its way, as the HTML tree builder reads it: {@link DocumentEnd}) is not
 * recognised, unless it is the site's zero-hit answer (HTTP 404 and no hits). A hit's count
 * whose digits are in more than one element or split by an invisible character is null, with a
 * note in the detail, as an article's counter is.
 */
public final class SearchPageParser {

  // The marker after 検索結果, the last in the title ("Q の検索結果(2ページ目) - ..."): the query
  // before it may hold one of its own. Digits full-width too (Text.count reads them).
  private static final Pattern PAGE_IN_TITLE =
      Pattern.compile("検索結果\\s*[(（]\\s*([0-9０-９]+)\\s*ページ目\\s*[)）]");
  private static final Pattern PAGE_PARAM = Pattern.compile("(?:^|&)page=(\\d+)");
  private static final Pattern TOTAL =
      Pattern.compile("検索結果\\s*[:：]?\\s*([0-9０-９][0-9０-９,，]*)\\s*件");
  // An inline style that hides the element: display none, or visibility hidden or collapse.
  private static final Pattern HIDING_STYLE = Pattern.compile(
      "(?:^|;)\\s*(?:display\\s*:\\s*none|visibility\\s*:\\s*(?:hidden|collapse))"
          + "\\s*(?:!\\s*important\\s*)?(?:;|$)", Pattern.CASE_INSENSITIVE);
  private static final Set<String> HIDING_CLASSES =
      Set.of("hidden", "is-hidden", "d-none", "hide", "invisible");
  // A class that shows the element from some width on: Tailwind's "md:block", Bootstrap's
  // "d-md-flex".
  private static final Pattern SHOWING_CLASS = Pattern.compile(
      "[a-z0-9-]+:(?:block|inline|inline-block|flex|inline-flex|grid|inline-grid|table|contents"
          + "|visible|flow-root|list-item)|d-(?:sm|md|lg|xl|xxl)-(?!none)[a-z-]+");
  private static final SearchPageParser INSTANCE = new SearchPageParser();

  private SearchPageParser() {}

  /** The parser; stateless, so every call returns the same instance. */
  public static SearchPageParser create() {
    return INSTANCE;
  }

  /**
   * Parses a page held in a {@link Page}; its URL only serves as the base of relative links.
   *
   * @throws PageTooLargeException if the body is longer than {@link ArticleParser#MAX_BODY_BYTES}
   */
  public SearchResult parse(Page page) {
    requireNonNull(page, "page");
    return parse(page.url().uri(), page.httpStatus(), page.contentType(), page.body());
  }

  /**
   * Parses a search page fetched from {@code pageUrl} (whose {@code page=} parameter gives the
   * page number when the title does not).
   *
   * @param httpStatus the HTTP status, 0 when unknown
   * @param contentType the {@code Content-Type} header, or null
   * @throws PageTooLargeException if the body is longer than {@link ArticleParser#MAX_BODY_BYTES}
   */
  public SearchResult parse(URI pageUrl, int httpStatus, String contentType, byte[] body) {
    requireNonNull(pageUrl, "pageUrl");
    requireNonNull(body, "body");
    if (body.length > ArticleParser.MAX_BODY_BYTES) {
      throw new PageTooLargeException(pageUrl.toString(), body.length,
          ArticleParser.MAX_BODY_BYTES);
    }
    int pageFromUrl = pageFromUrl(pageUrl);
    if (httpStatus == 429 || httpStatus == 403) {
      return new SearchResult(Kind.BLOCKED, List.of(), null, pageFromUrl, "HTTP " + httpStatus);
    }
    Document doc = Html.parse(body, contentType, pageUrl.toString());
    Element header = doc.selectFirst("#search-title");
    Element main = doc.selectFirst("#main.search");
    if (header == null && main == null) {
      String challenge = PageClassifier.challenge(doc);
      if (challenge != null) {
        return new SearchResult(Kind.BLOCKED, List.of(), null, pageFromUrl, challenge);
      }
      String maintenance = PageClassifier.maintenance(doc);
      if (maintenance != null) {
        return new SearchResult(Kind.MAINTENANCE, List.of(), null, pageFromUrl, maintenance);
      }
      return new SearchResult(Kind.UNRECOGNIZED, List.of(), null, pageFromUrl,
          SearchResult.NO_SEARCH_PAGE + ": neither header#search-title nor div#main.search;"
              + " page title '" + Html.title(doc) + "'");
    }
    if (main == null) {
      return new SearchResult(Kind.UNRECOGNIZED, List.of(), null, pageFromUrl,
          "header#search-title without div#main.search: the results cannot be told from other"
              + " cards; page title '" + Html.title(doc) + "'");
    }
    List<SearchHit> hits = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int skipped = 0;
    int mismatched = 0;
    int hidden = 0;
    for (Element article : main.select("article")) {
      if (!aResult(article, main)) {
        continue;
      }
      Element link = article.selectFirst("div.info h2 a[href], h2 a[href]");
      if (link == null) {
        continue;
      }
      if (hidden(link, main)) {
        hidden++;
        continue;
      }
      Optional<ArticleUrl> url = ArticleUrl.tryParse(link.absUrl("href"));
      if (url.isPresent() && !url.get().title().equals(link.wholeText().strip())) {
        mismatched++;
        continue;
      }
      SearchHit hit = hit(article, link, url, notes);
      if (hit == null) {
        skipped++;
      } else {
        hits.add(hit);
      }
    }
    String shown = shownTotal(header != null ? header : main);
    Long total = shown == null ? null : Text.count(shown);
    String unreadable = shown != null && total == null ? shown : null;
    if (total == null && hits.isEmpty() && httpStatus == 404) {
      total = 0L; // the site's zero-hit answer
      unreadable = null;
    } else if (DocumentEnd.cutShort(body, contentType, doc)) {
      // Hits, the total and the page number may be cut off or cut short: a name whose match was
      // in the part lost would be stored as having none.
      return new SearchResult(Kind.UNRECOGNIZED, List.of(), null, pageFromUrl,
          DocumentEnd.CUT + "; page title '" + Html.title(doc) + "'");
    }
    int ignored = 0;
    if (total != null && total == 0) {
      // The page's own total says there is nothing: a card on it (a recommendation) is no hit.
      ignored = hits.size() + skipped + mismatched;
      hits.clear();
      notes.clear();
      skipped = 0;
      mismatched = 0;
    }
    int page = pageNumber(Html.title(doc), pageFromUrl);
    String detail = hits.size() + " hits on page " + page
        + (total == null ? "" : " of " + total + " in all")
        + (unreadable == null ? "" : "; the total '" + unreadable + "' could not be read")
        + (skipped == 0 ? "" : "; " + skipped + " results without an article link skipped")
        + (mismatched == 0 ? "" : "; " + mismatched + " results whose link text is not the title"
            + " of its address skipped")
        + (ignored == 0 ? "" : "; " + ignored + " cards on a page announcing no hits ignored")
        + (hidden == 0 ? "" : "; " + hidden + " hidden cards ignored")
        + notes.stream().map(n -> "; " + n).collect(Collectors.joining());
    return new SearchResult(Kind.RESULTS, hits, total, page, detail, skipped + mismatched,
        unreadable);
  }

  /**
   * Whether {@code link} is hidden: it or an element around it has the {@code hidden} attribute
   * or an inline style that hides it, or, below {@code main}, has {@code aria-hidden="true"} or
   * a hiding class ({@link #hidingClass}). A hidden card (a template, a placeholder, a copy for
   * a carousel) is no result the page shows. Above the results block, {@code aria-hidden} and
   * classes say nothing of the results: a page with a dialog open marks all else
   * {@code aria-hidden}, and a script may show a block that a class hides until it has loaded.
   */
  private static boolean hidden(Element link, Element main) {
    boolean belowMain = true;
    for (Element e = link; e != null; e = e.parent()) {
      belowMain &= e != main;
      if (e.hasAttr("hidden") || HIDING_STYLE.matcher(e.attr("style")).find()
          || belowMain && (e.attr("aria-hidden").strip().equalsIgnoreCase("true")
              || hidingClass(e))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the element's classes hide it on every screen: one of {@code hidden},
   * {@code is-hidden}, {@code d-none}, {@code hide} or {@code invisible} (Tailwind's and
   * Bootstrap's names, and the common ones), and no class that shows it from some width on
   * ({@code md:block}, {@code d-md-flex}).
   */
  private static boolean hidingClass(Element e) {
    boolean hiding = false;
    for (String c : e.classNames()) {
      if (HIDING_CLASSES.contains(c)) {
        hiding = true;
      } else if (SHOWING_CLASS.matcher(c).matches()) {
        return false;
      }
    }
    return hiding;
  }

  /** Whether an article of {@code main} is a result: not a sidebar card, template or nested. */
  private static boolean aResult(Element article, Element main) {
    boolean belowMain = true;
    for (Element e = article.parent(); e != null; e = e.parent()) {
      belowMain &= e != main;
      if (e.nameIs("aside") || e.nameIs("template") || e.nameIs("noscript")
          || e.id().equals("sub-contents") || e.hasClass("spotlight")
          || (belowMain && e.nameIs("article"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The hit of a card. A count whose digits are in more than one element or split by an
   * invisible character ({@code 閲覧数: 6&#8203;0}, see {@link Html#digitsSplit}) is none, with a
   * note, as for an article's counters: jsoup's text would show it as another number.
   */
  private static SearchHit hit(Element article, Element link, Optional<ArticleUrl> url,
      List<String> notes) {
    if (url.isEmpty()) {
      return null;
    }
    // The title its address names, which the link's text was checked to be, as it is: jsoup's
    // text() drops a soft hyphen or a zero-width space, which would make two titles one, and
    // collapsing an ideographic space would hide that a title is the name as written.
    String title = url.get().title();
    Long views = null;
    Long works = null;
    Long checklist = null;
    Instant updated = null;
    for (Element li : article.select("ul.data li")) {
      String t = Text.norm(li.text());
      if (t == null) {
        continue;
      }
      String value = t.replaceFirst("^[^:：]*[:：]\\s*", "");
      String counter = COUNTERS.stream().filter(t::startsWith).findFirst().orElse(null);
      if (counter != null && Html.digitsSplit(li)) {
        notes.add("the " + counter + " of '" + title + "' skipped: '" + t + "' has digits in more"
            + " than one element, or split by an invisible character");
        continue;
      }
      if (t.startsWith("更新")) {
        updated = ApiJsonReader.time(value);
      } else if (t.startsWith("閲覧数")) {
        views = Text.count(value);
      } else if (t.startsWith("作品数")) {
        works = Text.count(value);
      } else if (t.startsWith("チェックリスト数")) {
        checklist = Text.count(value);
      }
    }
    List<String> related = DomStrategy.texts(article.select("div.relation ul li a"));
    return new SearchHit(title, url.get(), Html.firstText(article, "p.summary"), views, works,
        checklist, updated, related);
  }

  /** The labels of a hit's counts. */
  private static final List<String> COUNTERS = List.of("閲覧数", "作品数", "チェックリスト数");

  /** The total as the header shows it ({@code 検索結果：N件}'s N), read or not; null if none. */
  private static String shownTotal(Element header) {
    String info = Html.firstText(header, "div.info");
    Matcher m = TOTAL.matcher(info != null ? info : "");
    return m.find() ? m.group(1) : null;
  }

  /**
   * The page number the title gives ({@code の検索結果(2ページ目)}, the last such marker: the
   * query the title repeats before it may hold one), else {@code fallback}.
   */
  private static int pageNumber(String title, int fallback) {
    Matcher m = PAGE_IN_TITLE.matcher(title);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    if (last != null && last.length() < 9) {
      Long n = Text.count(last);
      return n == null ? fallback : (int) Math.max(1, n);
    }
    return fallback;
  }

  private static int pageFromUrl(URI url) {
    String query = url.getRawQuery();
    if (query != null) {
      Matcher m = PAGE_PARAM.matcher(query);
      if (m.find() && m.group(1).length() < 9) {
        return Math.max(1, Integer.parseInt(m.group(1)));
      }
    }
    return 1;
  }
}

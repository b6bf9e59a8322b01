package dev.pixivdic.core.parse;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.DocumentEnd;
import dev.pixivdic.core.parse.Fields.Col;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * Turns an article page, or the {@code _api} JSON pair behind it, into a {@link ParseResult}.
 *
 * <p>Pure: no I/O, no clock, no state; the same bytes always give the same result. Instances
 * are stateless and thread-safe; share one.
 *
 * <p>Right or absent, never wrong: every strategy reads only what belongs to the page's article
 * (its own JSON entries, its own header region, the structures that state its relations; see
 * {@link PageIdentity}). For an HTML page every strategy is read, in the order
 * {@link Strategy#NEXT_DATA}, {@link Strategy#DOM}, {@link Strategy#LEGACY_DOM}; a column takes
 * the value the strategies that read it agree on, and the provenance records the first of them.
 * When they read different values the column is absent and the result lists the
 * {@link Disagreement}. Unreadable embedded JSON (malformed, or nested deeper than
 * {@value JsonShapes#MAX_NESTING} levels) is skipped and the DOM strategies serve the page; the
 * detail says so.
 *
 * <p>Speed: on a page with {@code __NEXT_DATA__}, {@link #parse} first tries a fast path that
 * builds the DOM of the page without the article's prose text and without the JSON (read from
 * the bytes by Jackson instead), and falls back to the whole page whenever a strategy would
 * read what was left out; the result is the same either way. The system property
 * {@code pixiv.parse.full} set to {@code true} turns the fast path off (docs/parsing.md).
 *
 * <p>Classification, in order: HTTP 429 or 403 → BLOCKED; HTTP 503 with a challenge →
 * BLOCKED, with a maintenance notice → MAINTENANCE; HTTP 404 or 410 → NOT_FOUND; a page with
 * an article title → ARTICLE (even when other columns are missing), but UNRECOGNIZED when its
 * text cannot be read right or it ends before its document does (as the HTML tree builder
 * reads it, {@link DocumentEnd}: cut short, so any value may be cut); otherwise a
 * challenge → BLOCKED, a maintenance notice → MAINTENANCE, the not-found page (status unknown) →
 * NOT_FOUND, and anything else → UNRECOGNIZED with a detail naming the missing anchors.
 */
// One piece although over 300 lines: the public entry points and the one order in which
// every path (full, fast, API) classifies a page and merges the strategies.
public final class ArticleParser {

  /** The largest body accepted, 16 MiB; real pages are well under 1 MiB. */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final Set<String> REQUIRED = Collections.unmodifiableSet(
      new LinkedHashSet<>(List.of("title", "view_count", "comment_count", "works_count")));
  private static final ArticleParser INSTANCE = new ArticleParser();
  /** The columns the info object gives beside its time. */
  private static final List<Col> INFO_COUNTS = List.of(Col.VIEW_COUNT, Col.COMMENT_COUNT,
      Col.WORKS_COUNT, Col.CHECKLIST_COUNT);
  /**
   * The system property that turns the fast path off when {@code true}, for debugging: every
   * page is then parsed into a DOM of the whole page. Read on every parse.
   */
  static final String FULL_PATH_PROPERTY = "pixiv.parse.full";

  private ArticleParser() {}

  /** The parser; stateless, so every call returns the same instance. */
  public static ArticleParser create() {
    return INSTANCE;
  }

  /**
   * The columns a run's drift guard should watch, in column order: every real article page has
   * them, so a growing share of ARTICLE pages without them means the markup changed.
   */
  public static Set<String> requiredColumns() {
    return REQUIRED;
  }

  /**
   * Parses one page. Never throws for any body content.
   *
   * @throws PageTooLargeException if the body is longer than {@link #MAX_BODY_BYTES}
   */
  public ParseResult parse(Page page) {
    return parseJudged(page).result();
  }

  /**
   * What {@link #parse} made of a page, and whether the page ends before its document does.
   *
   * @param result the result, as {@link #parse} gives it
   * @param cutShort whether the page ends before its document does, as the parse that read it
   *     saw it (docs/parsing.md, "A page cut short"); false for a page its status alone
   *     classifies (403, 429, 404, 410, a 503 challenge or maintenance notice), which is not
   *     asked
   */
  public record Judged(ParseResult result, boolean cutShort) {
    public Judged {
      requireNonNull(result, "result");
    }
  }

  /**
   * As {@link #parse}, also telling whether the page was cut short, from the same parse: for a
   * caller that takes a page cut short for a failed attempt and asks the site again (a run's
   * fetcher, {@link dev.pixivdic.core.fetch.Fetcher#get(java.net.URI,
   * java.util.function.Predicate)}) rather than parse the page twice. Never throws for any
   * body content.
   *
   * @throws PageTooLargeException if the body is longer than {@link #MAX_BODY_BYTES}
   */
  public Judged parseJudged(Page page) {
    requireNonNull(page, "page");
    checkSize(page.url(), page.body().length);
    boolean wellFormedUtf8 = false;
    if (!Boolean.getBoolean(FULL_PATH_PROPERTY) && mayTakeFastPath(page)
        && !DocumentEnd.surelyCut(page.body(), page.contentType())) {
      // The scan checks the bytes as it passes them, once: a page the fast path gives up on is
      // not checked again by the full path.
      SkeletonScan scan = SkeletonScan.checking(page.body());
      Skeleton skeleton = scan.run();
      wellFormedUtf8 = scan.wellFormedUtf8();
      ParseResult fast = wellFormedUtf8 ? parseSkeleton(page, skeleton) : null;
      if (fast != null) {
        return new Judged(fast, false); // the fast path gives only a whole page's article
      }
    }
    return parseWhole(page, wellFormedUtf8);
  }

  /** The full path: the DOM of the whole page. */
  ParseResult parseWhole(Page page) {
    return parseWhole(page, false).result();
  }

  /**
   * As {@link #parseWhole(Page)}; {@code wellFormedUtf8} true says the page's bytes are known to
   * be well-formed UTF-8 (the fast path checked them), so decoding does not check them again.
   * Whether the page ends before its document does ({@link DocumentEnd}) is read from the same
   * parse.
   */
  private Judged parseWhole(Page page, boolean wellFormedUtf8) {
    ArticleUrl url = page.url();
    int status = page.httpStatus();
    if (status == 429 || status == 403) {
      return new Judged(ParseResult.other(Outcome.BLOCKED, "HTTP " + status), false);
    }
    Html.Decoded decoded = Html.decode(page.body(), page.contentType(), url.canonical(),
        wellFormedUtf8);
    Document doc = decoded.doc();
    if (status == 503) {
      String challenge = PageClassifier.challenge(doc);
      if (challenge != null) {
        return new Judged(ParseResult.other(Outcome.BLOCKED, challenge + " (HTTP 503)"), false);
      }
      String maintenance = PageClassifier.maintenance(doc);
      if (maintenance != null) {
        return new Judged(
            ParseResult.other(Outcome.MAINTENANCE, maintenance + " (HTTP 503)"), false);
      }
    }
    if (status == 404 || status == 410) {
      return new Judged(notFound(url, "HTTP " + status), false);
    }
    boolean cut = DocumentEnd.cutShort(page.body(), page.contentType(), doc);
    return new Judged(read(url, status, doc, script -> JsonShapes.read(script.data()),
        decoded.malformed(), cut), cut);
  }

  /**
   * The fast path: the DOM of the page's {@link Skeleton}, the embedded JSON read from the
   * page's bytes. Null when it does not apply (not a page declared UTF-8 whose bytes are
   * well-formed UTF-8, of status 2xx or unknown, no {@code __NEXT_DATA__} in the bytes, a page
   * the scan cannot follow, nothing left out, a strategy reading a text left out, not an
   * article, a page cut short), and the caller parses the whole page;
   * else the same result as the full path.
   */
  ParseResult parseSkeleton(Page page) {
    if (!mayTakeFastPath(page) || DocumentEnd.surelyCut(page.body(), page.contentType())) {
      return null;
    }
    SkeletonScan scan = SkeletonScan.checking(page.body());
    Skeleton skeleton = scan.run();
    return scan.wellFormedUtf8() ? parseSkeleton(page, skeleton) : null;
  }

  /**
   * Whether the fast path may apply as far as the status, the content type and the look-up of
   * {@code __NEXT_DATA__} tell, before the bytes are checked to be well-formed UTF-8.
   */
  private static boolean mayTakeFastPath(Page page) {
    int status = page.httpStatus();
    return (status == 0 || (status >= 200 && status <= 299)) && Html.isUtf8(page.contentType())
        && Skeleton.mentionsNextData(page.body());
  }

  /**
   * As {@link #parseSkeleton(Page)} for a page {@link #mayTakeFastPath} accepts, whose bytes
   * its scan found well-formed UTF-8, so the JSON's bytes are not checked again; the scan's
   * skeleton, null when the scan could not follow the page.
   */
  private ParseResult parseSkeleton(Page page, Skeleton skeleton) {
    int status = page.httpStatus();
    if (skeleton == null || !skeleton.changed()) {
      return null;
    }
    ArticleUrl url = page.url();
    // Streamed from the page's bytes: the skeleton's text is left out, so decoding it in one
    // piece saves little time and would allocate the whole decoded skeleton again.
    Document doc = skeleton.parse(url.canonical());
    if (DocumentEnd.cutShort(page.body(), page.contentType(), doc)) {
      // The skeleton ends as the page does (the same tags, comments and raw texts, only text
      // between tags left out): a page cut short gets its verdict from the full path.
      return null;
    }
    try {
      ParseResult r = read(url, status, doc, skeleton::nextData, null, false);
      return r.outcome() == Outcome.ARTICLE ? r : null;
    } catch (Skeleton.Unsure e) {
      return null;
    }
  }

  /** How a strategy gets the JSON of the page's one {@code __NEXT_DATA__} script. */
  @FunctionalInterface
  private interface NextDataSource {
    JsonNode read(Element script);
  }

  private static ParseResult read(ArticleUrl url, int status, Document doc,
      NextDataSource nextData, String malformed, boolean cut) {
    List<String> notes = new ArrayList<>();
    PageIdentity identity = PageIdentity.of(url, doc);
    Fields f = new Fields();
    boolean infoTime = readNextData(doc, nextData, identity, f, notes);
    f.using(Strategy.DOM);
    DomStrategy.read(doc, identity, f, notes);
    f.using(Strategy.LEGACY_DOM);
    LegacyDomStrategy.read(doc, identity, f, notes);
    if (infoTime && INFO_COUNTS.stream().anyMatch(f::disputed)) {
      // The header contradicts the info object's counts, so the info may be another
      // article's: its time, which nothing else checks, is not taken either.
      f.withdraw(Col.UPDATED_AT, Strategy.NEXT_DATA);
      notes.add("__NEXT_DATA__: the info object's lastUpdatedAt left out, as the header"
          + " contradicts its counts");
    }
    List<Disagreement> disagreements = f.disagreements();
    if (!disagreements.isEmpty()) {
      notes.add("strategies disagree, left absent: " + disagreements.stream()
          .map(Disagreement::toString).collect(Collectors.joining("; ")));
    }
    if (cut) {
      notes.add(0, DocumentEnd.CUT);
    }
    if (malformed != null) {
      notes.add(0, malformed);
    }
    if ((malformed != null || cut) && f.has(Col.TITLE)) {
      // Every text of the page may be misread (U+FFFD, mojibake), or cut in the middle (a
      // counter's digits, a list): no row rather than a wrong one.
      return ParseResult.other(Outcome.UNRECOGNIZED, String.join("; ", notes), disagreements);
    }
    if (f.has(Col.TITLE)) {
      return article(url, f, notes);
    }
    String challenge = PageClassifier.challenge(doc);
    if (challenge != null) {
      return ParseResult.other(Outcome.BLOCKED, challenge + statusSuffix(status));
    }
    String maintenance = PageClassifier.maintenance(doc);
    if (maintenance != null) {
      return ParseResult.other(Outcome.MAINTENANCE, maintenance + statusSuffix(status));
    }
    if (status == 0) {
      String notFound = PageClassifier.notFound(doc);
      if (notFound != null) {
        return notFound(url, notFound);
      }
    }
    notes.add(0, "no article title: none of " + DomStrategy.TITLE
        + ", #article-content-header h1, an article object in __NEXT_DATA__, or "
        + LegacyDomStrategy.BODY + " with an h1 naming " + identity.describe()
        + " was found; page title '" + Html.title(doc) + "'" + statusSuffix(status));
    return ParseResult.other(Outcome.UNRECOGNIZED, String.join("; ", notes), disagreements);
  }

  /**
   * Parses the {@code _api/get_article} and {@code _api/get_article_info} responses of one
   * article, status unknown. See {@link #parseApi(ArticleUrl, int, byte[], byte[])}.
   */
  public ParseResult parseApi(ArticleUrl url, byte[] getArticleJson, byte[] getArticleInfoJson) {
    return parseApi(url, 0, getArticleJson, getArticleInfoJson);
  }

  /**
   * Parses the {@code _api/get_article} and {@code _api/get_article_info} responses of one
   * article into the same row as its page (without the page's links, which the JSON does not
   * carry). The objects are found by shape, so wrapped responses ({@code {"body": ...}}) work.
   * An unreadable or absent info response leaves the counts null and says so in the detail.
   *
   * @param getArticleStatus the HTTP status of {@code get_article}, 0 if unknown: 404 or 410
   *     gives NOT_FOUND, 403 or 429 BLOCKED
   * @param getArticleInfoJson may be null
   * @throws PageTooLargeException if either body is longer than {@link #MAX_BODY_BYTES}
   */
  public ParseResult parseApi(ArticleUrl url, int getArticleStatus, byte[] getArticleJson,
      byte[] getArticleInfoJson) {
    requireNonNull(url, "url");
    requireNonNull(getArticleJson, "getArticleJson");
    checkSize(url, getArticleJson.length);
    if (getArticleInfoJson != null) {
      checkSize(url, getArticleInfoJson.length);
    }
    if (getArticleStatus == 429 || getArticleStatus == 403) {
      return ParseResult.other(Outcome.BLOCKED, "get_article: HTTP " + getArticleStatus);
    }
    if (getArticleStatus == 404 || getArticleStatus == 410) {
      return notFound(url, "get_article: HTTP " + getArticleStatus);
    }
    JsonNode articleRoot;
    try {
      articleRoot = JsonShapes.read(getArticleJson);
    } catch (JsonShapes.MalformedJsonException e) {
      return ParseResult.other(Outcome.UNRECOGNIZED, "get_article is not readable JSON: "
          + e.getMessage());
    }
    PageIdentity identity = PageIdentity.of(url, List.of());
    JsonEntries.Selection found = JsonEntries.forResponse(articleRoot, identity);
    JsonNode article = found.article();
    if (article == null) {
      return ParseResult.other(Outcome.UNRECOGNIZED,
          "get_article has no article-shaped object (tagName with yomigana or abstract)");
    }
    List<String> notes = new ArrayList<>();
    Fields f = new Fields();
    f.using(Strategy.API_JSON);
    ApiJsonReader.readArticle(article, f);
    ApiJsonReader.readBreadcrumbs(found.breadcrumbs(), article, f);
    if (getArticleInfoJson == null) {
      notes.add("no get_article_info given");
    } else {
      try {
        JsonNode info = JsonEntries.forResponse(JsonShapes.read(getArticleInfoJson), identity)
            .info();
        if (info == null) {
          notes.add("get_article_info has no info object of this article (articleViewCount)");
        } else {
          ApiJsonReader.readInfo(info, f);
        }
      } catch (JsonShapes.MalformedJsonException e) {
        notes.add("get_article_info is not readable JSON: " + e.getMessage());
      }
    }
    if (!f.has(Col.TITLE)) {
      return ParseResult.other(Outcome.UNRECOGNIZED, "get_article has an empty tagName");
    }
    return article(url, f, notes);
  }

  /**
   * Reads the page's {@code __NEXT_DATA__} into {@code f}; true when the JSON's
   * {@code updated_at} came from the info object (the entry had none).
   */
  private static boolean readNextData(Document doc, NextDataSource source,
      PageIdentity identity, Fields f, List<String> notes) {
    Elements scripts = Anchors.select(doc, "script#__NEXT_DATA__");
    if (scripts.size() != 1) {
      if (scripts.size() > 1) {
        notes.add("__NEXT_DATA__ skipped: " + scripts.size() + " such scripts");
      }
      return false;
    }
    JsonNode root;
    try {
      root = source.read(scripts.first());
    } catch (JsonShapes.MalformedJsonException e) {
      notes.add("__NEXT_DATA__ skipped: " + e.getMessage());
      return false;
    }
    f.using(Strategy.NEXT_DATA);
    JsonEntries.Selection own = JsonEntries.forPage(root, identity);
    own.notes().forEach(n -> notes.add("__NEXT_DATA__: " + n));
    if (own.article() != null) {
      ApiJsonReader.readArticle(own.article(), f);
    }
    boolean infoTime = false;
    if (own.info() != null) {
      boolean entryTime = f.offered(Col.UPDATED_AT) != null;
      ApiJsonReader.readInfo(own.info(), f);
      infoTime = !entryTime && f.offered(Col.UPDATED_AT) != null;
    }
    ApiJsonReader.readBreadcrumbs(own.breadcrumbs(), own.article(), f);
    if (own.isEmpty() && own.notes().isEmpty()) {
      notes.add("__NEXT_DATA__ holds no article or info object");
    }
    return infoTime;
  }

  private static ParseResult article(ArticleUrl url, Fields f, List<String> notes) {
    ArticleRow row = f.toRow(url);
    List<String> missing = new ArrayList<>();
    for (Col c : Col.values()) {
      if (!f.has(c)) {
        missing.add(c.column);
      }
    }
    StringBuilder detail = new StringBuilder("article '").append(row.title()).append('\'');
    if (!missing.isEmpty()) {
      detail.append("; missing ").append(String.join(", ", missing));
    }
    for (String n : notes) {
      detail.append("; ").append(n);
    }
    return ParseResult.article(row, f.provenance(), detail.toString(), f.disagreements());
  }

  private static ParseResult notFound(ArticleUrl url, String detail) {
    return ParseResult.notFound(ArticleRow.builder(url).status(Outcome.NOT_FOUND).build(),
        "not found: " + detail);
  }

  private static void checkSize(ArticleUrl url, long size) {
    if (size > MAX_BODY_BYTES) {
      throw new PageTooLargeException(url.canonical(), size, MAX_BODY_BYTES);
    }
  }

  private static String statusSuffix(int status) {
    return status == 0 ? "" : " (HTTP " + status + ")";
  }
}

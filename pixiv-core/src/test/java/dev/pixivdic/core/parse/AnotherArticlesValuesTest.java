package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Values of other articles that sit where the parser looks (counts of a related article, a
 * graph's points, recommended cards, a parent's breadcrumbs, a card's abstract, an ad's link):
 * each is left absent, never written as this article's, and the fast path agrees with the full
 * path on every page.
 */
class AnotherArticlesValuesTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final String UTF8 = "text/html; charset=utf-8";
  private static final GoldenCorpus.Case NEXT = corpus("article/current-nextdata-full");
  private static final GoldenCorpus.Case DOM = corpus("article/current-dom-summary-in-header");
  private static final String INFO = "{\"articleViewCount\": 2052836, \"commentCount\": 345,"
      + " \"pixivWorkCount\": 1234567, \"checklistCount\": 8901, \"lastUpdatedAt\": null}";
  private static final String CHILD = "{\"tagName\": \"初音ミクV4X\", \"abstract\": \"子の概要\"}";

  static GoldenCorpus.Case corpus(String name) {
    return GoldenCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow();
  }

  private static String html(GoldenCorpus.Case c) {
    return new String(c.body(), StandardCharsets.UTF_8);
  }

  /** The page with each {@code (target, replacement)} pair replaced; each target must be there. */
  static String edited(GoldenCorpus.Case c, String... pairs) {
    String html = html(c);
    for (int i = 0; i < pairs.length; i += 2) {
      assertThat(html).contains(pairs[i]);
      html = html.replace(pairs[i], pairs[i + 1]);
    }
    return html;
  }

  /** The row of the page, after checking that the fast path (if it serves it) agrees. */
  static ArticleRow row(GoldenCorpus.Case c, String html) {
    Page page = new Page(ArticleUrl.parse(c.url()), 200, UTF8,
        html.getBytes(StandardCharsets.UTF_8));
    ParseResult whole = PARSER.parseWhole(page);
    ParseResult fast = PARSER.parseSkeleton(page);
    if (fast != null) {
      assertThat(fast).as("the fast path").isEqualTo(whole);
    }
    assertThat(whole.row()).as(whole.detail()).isPresent();
    return whole.row().orElseThrow();
  }

  @Test
  void aChildArticlesCountsAreNeverThisArticles() {
    ArticleRow r = row(NEXT, edited(NEXT, INFO, "{\"lastUpdatedAt\": null}", CHILD,
        "{\"tagName\": \"初音ミクV4X\", \"abstract\": \"子の概要\", \"articleViewCount\": 99,"
            + " \"commentCount\": 1, \"pixivWorkCount\": 2, \"checklistCount\": 3}"));

    assertThat(r.viewCount()).isNotEqualTo(99L);
    assertThat(r.commentCount()).isNotEqualTo(1L);
    assertThat(r.checklistCount()).isNotEqualTo(3L);
  }

  @Test
  void aParentArticlesBreadcrumbsAreNeverThisArticles() {
    ArticleRow r = row(NEXT, edited(NEXT, "\"yomigana\": \"おや\"}",
        "\"yomigana\": \"おや\", \"breadcrumbs\": [{\"tagName\": \"親のカテゴリ\"}]}",
        "get_breadcrumbs", "get_crumbs"));

    assertThat(r.breadcrumbs()).doesNotContain("親のカテゴリ");
  }

  @Test
  void aGraphsPointIsNeverTheArticlesTotal() {
    ArticleRow r = row(NEXT, edited(NEXT, INFO, "{\"lastUpdatedAt\": null}",
        "\"graph\": [1, 2, 3]", "\"graph\": [{\"date\": \"2024-06-01\", \"articleViewCount\": 777,"
            + " \"commentCount\": 1, \"pixivWorkCount\": 1}]"));

    assertThat(r.viewCount()).isNotEqualTo(777L);
    assertThat(r.worksCount()).isNotEqualTo(1L);
  }

  @Test
  void aRecommendedArticlesCountsAreNeverThisArticles() {
    ArticleRow r = row(NEXT, edited(NEXT, INFO, "{\"lastUpdatedAt\": null}",
        "\"swrFallback\":", "\"recommend\": {\"items\": [{\"title\": \"巡音ルカ\","
            + " \"articleViewCount\": 5555, \"commentCount\": 3}], \"card\": {\"title\": \"巡音ルカ\","
            + " \"articleViewCount\": 5556, \"commentCount\": 4}}, \"swrFallback\":"));

    assertThat(r.viewCount()).isNotIn(5555L, 5556L);
    assertThat(r.commentCount()).isNotIn(3L, 4L);
  }

  @Test
  void aBomBeforeTheEmbeddedJsonReadsTheSameOnBothPaths() {
    String html = html(NEXT);
    int at = html.indexOf('>', html.indexOf("id=\"__NEXT_DATA__\"")) + 1;
    ArticleRow r = row(NEXT, html.substring(0, at) + "\uFEFF" + html.substring(at));

    assertThat(r.viewCount()).isEqualTo(2052836L);
  }

  @Test
  void anAbstractInAnotherArticlesCardATemplateOrNoscriptIsNotTheSummary() {
    String decoy = "<div id=\"article-abstract\"><p>巡音ルカの概要文。</p></div>";
    for (String wrapped : new String[] {
        "<aside><section><a href=\"/a/%E5%B7%A1%E9%9F%B3%E3%83%AB%E3%82%AB\">巡音ルカ</a>" + decoy
            + "</section></aside>",
        "<template>" + decoy + "</template>",
        "<noscript>" + decoy + "</noscript>"}) {
      ArticleRow r = row(DOM, edited(DOM, "</main>", wrapped + "</main>"));

      assertThat(r.summary()).as(wrapped).isEqualTo("ヘッダー内の概要文。");
    }
  }

  @Test
  void anAbstractThatLinksToTheArticlesItSpeaksOfIsStillTheSummary() {
    ArticleRow r = row(DOM, edited(DOM, "<div data-header-id=\"h2_0\">",
        "<div id=\"article-abstract\"><p>概要は<a href=\"/a/VOCALOID\">VOCALOID</a>の話。</p></div>"
            + "<div data-header-id=\"h2_0\">"));

    assertThat(r.summary()).isEqualTo("概要はVOCALOIDの話。");
  }

  /**
   * A preview of another article's relations, tracked as the page's own are, gave this
   * article's children when it had none of its own.
   */
  @Test
  void anotherArticlesRelationsUnderItsOwnHeadingAreNeverThisArticles() {
    GoldenCorpus.Case acdc = corpus("article/current-dom-title-ac-dc");
    String preview = "<aside><div><h3>@の子記事</h3><div><a href=\"/a/KAITO\""
        + " data-gtm-class=\"article-bottom_child-article\">KAITO</a></div></div></aside>";

    ArticleRow other = row(acdc, edited(acdc, "</main>",
        preview.replace("@", "VOCALOID") + "</main>"));
    ArticleRow own = row(acdc, edited(acdc, "</main>", preview.replace("@", "AC/DC") + "</main>"));

    assertThat(other.childArticles()).doesNotContain("KAITO");
    assertThat(own.childArticles()).containsExactly("KAITO");
  }

  /** An author's block in the header with the author's views gave them as the article's. */
  @Test
  void aUsersCounterInTheHeaderIsNeverTheArticles() {
    String html = html(DOM);
    int at = html.indexOf("<li title=\"閲覧数\"");
    String counter = html.substring(at, html.indexOf("</li>", at) + 5);
    ArticleRow r = row(DOM, edited(DOM, counter, "", "</header>",
        "<div class=\"author\"><a href=\"https://www.pixiv.net/users/11\">作者</a>"
            + "<span title=\"閲覧数\"><div class=\"typography-14\">42</div></span></div>"
            + "</header>"));

    assertThat(r.viewCount()).isNull();
    assertThat(r.commentCount()).isNotNull();
  }

  @Test
  void aLinkColumnOffPixivIsNeverTheArticles() {
    String html = html(DOM);
    String links = html.substring(html.indexOf("<a href=\"https://www.pixiv.net/tags/"),
        html.indexOf("</div></header>"));
    String tag = "%E3%83%98%E3%83%83%E3%83%80%E3%83%BC%E6%A6%82%E8%A6%81";
    ArticleRow r = row(DOM, edited(DOM, links, "", "</main>",
        "<div class=\"ad\"><a href=\"https://booth.pm/ja/search?tag=" + tag
            + "\">BOOTHでグッズのイラストを見る</a><a href=\"https://evil.example/tags/" + tag
            + "/x\">小説を読む</a></div></main>"));

    assertThat(r.illustViewUrl()).isNull();
    assertThat(r.novelViewUrl()).isNull();
  }

  @Test
  void theApisRelatedArticleIsNeverTheEntryItself() {
    ParseResult r = PARSER.parseApi(ArticleUrl.ofTitle("ボーカロイド曲"),
        ("{\"id\": 777, \"tagName\": \"ボーカロイド曲\", \"relatedArticles\": {\"parent_article\":"
            + " {\"tagName\": \"VOCALOID\", \"abstract\": \"親記事の概要\", \"yomigana\": \"おや\"},"
            + " \"child_articles\": [{\"tagName\": \"子\", \"abstract\": \"子の概要\","
            + " \"articleViewCount\": 99, \"commentCount\": 1}]}}")
            .getBytes(StandardCharsets.UTF_8), null);

    r.row().ifPresent(row -> {
      assertThat(row.title()).isNotEqualTo("VOCALOID");
      assertThat(row.subTitle()).isNull();
      assertThat(row.summary()).isNull();
      assertThat(row.viewCount()).isNull();
    });
  }

  @Test
  void theApisCountsWrittenAsTextAreCountsOnlyWhenTheyAreTheNumberAlone() {
    ParseResult r = PARSER.parseApi(ArticleUrl.ofTitle("初音ミク"),
        "{\"tagName\": \"初音ミク\", \"yomigana\": \"はつねみく\"}".getBytes(StandardCharsets.UTF_8),
        ("{\"articleViewCount\": \"1e9\", \"commentCount\": \"3位\", \"pixivWorkCount\": \"12/100\","
            + " \"checklistCount\": \"1_000\", \"lastUpdatedAt\": \"20240601\"}")
            .getBytes(StandardCharsets.UTF_8));

    ArticleRow row = r.row().orElseThrow();
    assertThat(row.viewCount()).isNull();
    assertThat(row.commentCount()).isNull();
    assertThat(row.worksCount()).isNull();
    assertThat(row.checklistCount()).isNull();
    assertThat(row.updatedAt()).as("a date of digits is no unix time").isNull();
  }

  @Test
  void theApisRelationsNeverHoldTheArticleItself() {
    ParseResult r = PARSER.parseApi(ArticleUrl.ofTitle("初音ミク"),
        ("{\"tagName\": \"初音ミク\", \"yomigana\": \"はつねみく\", \"relatedArticles\":"
            + " {\"parent_article\": {\"tagName\": \"初音ミク\"}, \"child_articles\":"
            + " [{\"tagName\": \"雪ミク\"}, {\"tagName\": \"初音ミク\"}], \"sibling_articles\":"
            + " [{\"tagName\": \"ＩＮＩＴＩＡＬ初音ミク\"}, {\"tagName\": \"初音ミク\"}]}}")
            .getBytes(StandardCharsets.UTF_8), null);

    ArticleRow row = r.row().orElseThrow();
    assertThat(row.parentArticle()).isNull();
    assertThat(row.childArticles()).containsExactly("雪ミク");
    assertThat(row.siblingArticles()).containsExactly("ＩＮＩＴＩＡＬ初音ミク");
  }
}

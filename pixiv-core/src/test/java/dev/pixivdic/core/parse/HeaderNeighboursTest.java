package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What sits in or beside the article's header and is not the article's: a user's block, a
 * category, a work, a search, an article in another language, pixiv Sketch or FANBOX, an ad, a
 * grey line that is not a reading, a date labelled as the creation, a number whose unit is in
 * another element, a link that names the tag but is not the tag's page. Each is left absent
 * (or the article's own value is kept), never written as the article's; the fast path agrees.
 */
class HeaderNeighboursTest {

  private static final GoldenCorpus.Case DOM = corpus("article/current-dom-full");
  private static final GoldenCorpus.Case SUMMARY = corpus("article/current-dom-summary-in-header");
  private static final GoldenCorpus.Case NEXT = corpus("article/current-nextdata-full");
  private static final GoldenCorpus.Case LEGACY = corpus("article/legacy-full");
  private static final String HEADER =
      "<header id=\"article-content-header\" class=\"sc-362d9791-0 jobEfL\">";
  private static final String IMAGE = "<img src=\"https://i.pximg.net/c/600x600/img-master/img/"
      + "2024/01/02/03/04/05/100_p0_master1200.jpg\" alt=\"東方Project\" "
      + "class=\"sc-362d9791-0 jobEfL\">";
  private static final String READING = "<p class=\"my-4 text-text3 typography-12\">"
      + "とうほうぷろじぇくと</p>";
  private static final String VIEWS = "<div class=\"typography-14\" data-x=\"n\">98,765,432</div>";
  private static final String ILLUST_VIEW =
      "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/artworks";
  /** Links to things that are not this encyclopedia's articles, with counters of their own. */
  private static final String[] ENTITIES = {
    "https://www.pixiv.net/users/11", "https://www.pixiv.net/en/users/11/artworks",
    "https://www.pixiv.net/artworks/123", "https://www.pixiv.net/novel/show.php?id=5",
    "/category/%E3%82%B2%E3%83%BC%E3%83%A0", "/search?query=%E6%9D%B1%E6%96%B9",
    "https://en-dic.pixiv.net/a/Touhou_Project", "https://sketch.pixiv.net/@someone",
    "https://someone.fanbox.cc/", "https://www.fanbox.cc/@someone"};

  private static String inHeader(String block) {
    return edited(DOM, HEADER, HEADER + block);
  }

  private static String block(String href, String inside) {
    return "<div><a href=\"" + href + "\"><span>名前</span></a>" + inside + "</div>";
  }

  @Test
  void aCounterInABlockOfAnotherThingLeavesTheArticlesOwn() {
    for (String href : ENTITIES) {
      ArticleRow r = row(DOM, inHeader(block(href, "<ul><li title=\"閲覧数\">"
          + "<div class=\"typography-14\">5</div></li><li title=\"コメント数\">"
          + "<div class=\"typography-14\">6</div></li></ul>")));

      assertThat(r.viewCount()).as(href).isEqualTo(98_765_432L);
      assertThat(r.commentCount()).as(href).isEqualTo(1_234L);
    }
  }

  @Test
  void anImageInABlockOfAnotherThingIsNeverTheMainIllustration() {
    for (String href : ENTITIES) {
      ArticleRow r = row(DOM, edited(DOM, IMAGE, "", HEADER, HEADER + block(href,
          "<img src=\"https://i.pximg.net/user-profile/img/1.jpg\">")));

      assertThat(r.mainIllustUrl()).as(href).isNull();
    }
    ArticleRow inLink = row(DOM, edited(DOM, IMAGE, "", HEADER, HEADER
        + "<a href=\"https://www.pixiv.net/users/11\"><img src=\"https://i.pximg.net/u/1.jpg\">"
        + "</a>"));
    assertThat(inLink.mainIllustUrl()).isNull();
  }

  @Test
  void anImageNotServedByPixivIsNeverTheMainIllustration() {
    ArticleRow ad = row(DOM, edited(DOM, IMAGE, "<div class=\"ad\">"
        + "<img src=\"https://ads.example.com/banner.jpg\"></div>"));
    ArticleRow named = row(DOM, edited(DOM, "https://i.pximg.net/c/600x600",
        "https://cdn.example.com/c/600x600"));

    assertThat(ad.mainIllustUrl()).isNull();
    assertThat(named.mainIllustUrl()).isNull();
    assertThat(row(DOM, inHeader("")).mainIllustUrl()).startsWith("https://i.pximg.net/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Updated June 13, 2024", "3 days ago", "ID: 12345", "ー", "2024"})
  void aGreyLineWithoutKanaIsNoReading(String line) {
    ArticleRow r = row(DOM, edited(DOM, "とうほうぷろじぇくと", line));

    assertThat(r.subTitle()).isNull();
  }

  @Test
  void aGreyLineInABlockOfAnotherThingIsNoReading() {
    for (String href : ENTITIES) {
      ArticleRow r = row(DOM, edited(DOM, READING, "", HEADER, HEADER + block(href,
          "<p class=\"my-4 text-text3 typography-12\">ゆーざーめい</p>")));

      assertThat(r.subTitle()).as(href).isNull();
    }
    assertThat(row(DOM, inHeader("")).subTitle()).isEqualTo("とうほうぷろじぇくと");
  }

  @Test
  void aNumberWhoseUnitOrExponentIsInAnotherElementIsNoCount() {
    ArticleRow unit = row(DOM, edited(DOM, VIEWS,
        "<div class=\"typography-14\">12</div><div>万</div>"));
    ArticleRow exponent = row(DOM, edited(DOM, VIEWS,
        "<div class=\"typography-14\">10<sup>9</sup></div>"));
    ArticleRow beside = row(DOM, edited(DOM, VIEWS,
        "<div class=\"typography-14\">12</div><span>3</span>"));

    assertThat(unit.viewCount()).isNull();
    assertThat(exponent.viewCount()).isNull();
    assertThat(beside.viewCount()).isNull();
    assertThat(unit.commentCount()).isEqualTo(1_234L);
  }

  @Test
  void aCounterWithoutANumberElementIsReadFromItsOneText() {
    ArticleRow r = row(DOM, edited(DOM, VIEWS, "<span>98,765,432</span>"));

    assertThat(r.viewCount()).isEqualTo(98_765_432L);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "https://dic.pixiv.net/a/%E5%88%A5?tag=%E6%9D%B1%E6%96%B9Project",
    "https://www.pixiv.net/artworks/1?tag=%E6%9D%B1%E6%96%B9Project",
    "https://www.pixiv.net/jump.php?url=https%3A%2F%2Fexample.com&tag=%E6%9D%B1%E6%96%B9Project",
    "https://en-dic.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/artworks",
    "https://www.pixiv.net/users/1/tags/%E6%9D%B1%E6%96%B9Project/artworks",
    "https://sketch.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/artworks/extra/more"})
  void aLinkNamingTheTagThatIsNotItsPageIsNoLinkColumn(String href) {
    ArticleRow r = row(DOM, edited(DOM, "href=\"" + ILLUST_VIEW + "\"", "href=\"" + href + "\""));

    assertThat(r.illustViewUrl()).isNull();
    assertThat(r.novelViewUrl()).isNotNull();
  }

  @Test
  void theTagsPagesInAnyOfPixivsLanguagesAreLinkColumns() {
    String en = "https://www.pixiv.net/en/tags/%E6%9D%B1%E6%96%B9Project/artworks";
    ArticleRow r = row(DOM, edited(DOM, ILLUST_VIEW, en));

    assertThat(r.illustViewUrl()).isEqualTo(en);
  }

  @Test
  void aTimeIsTheUpdateOnlyWhenItsLabelSaysSo() {
    String time = "<time datetime=\"2024-06-13T00:00:00Z\">2024/06/13</time>";
    Instant june = Instant.parse("2024-06-13T00:00:00Z");

    assertThat(row(DOM, inHeader("<div>更新日 " + time + "</div>")).updatedAt()).isEqualTo(june);
    assertThat(row(DOM, inHeader("<div><span>Last updated</span>" + time + "</div>"))
        .updatedAt()).isEqualTo(june);
    assertThat(row(DOM, inHeader("<div>作成日 " + time + "</div>")).updatedAt()).isNull();
    assertThat(row(DOM, inHeader("<div>" + time + "</div>")).updatedAt()).isNull();
    assertThat(row(DOM, inHeader("<div>作成日 " + time + " 更新日 "
        + time.replace("13", "14") + "</div>")).updatedAt()).isNull();
    for (String href : ENTITIES) {
      assertThat(row(DOM, inHeader(block(href, "<span>更新日 " + time + "</span>")))
          .updatedAt()).as(href).isNull();
    }
  }

  @Test
  void aLegacyDateUnderAnotherLabelThanTheUpdateIsNotTheUpdate() {
    String update = "<dt>更新日</dt><dd>2023-05-01 12:00</dd>";
    ArticleRow both = row(LEGACY, edited(LEGACY, update,
        "<dt>作成日</dt><dd>2011-01-01 00:00</dd>" + update));
    ArticleRow createdOnly = row(LEGACY, edited(LEGACY, update,
        "<dt>作成日</dt><dd>2011-01-01 00:00</dd><dt>更新日</dt><dd>3日前</dd>"));

    assertThat(both.updatedAt()).isEqualTo(Instant.parse("2023-05-01T03:00:00Z"));
    assertThat(createdOnly.updatedAt()).isNull();
  }

  @Test
  void theHeadersGreyTextIsTheSummaryOnlyWhenThePagesDescriptionSaysSo() {
    String summary = "<div class=\"mt-8 text-text2 typography-14\">ヘッダー内の概要文。</div>";
    String description = "<meta property=\"og:description\" content=\"ヘッダー内の概要文。\">";

    assertThat(row(SUMMARY, html(SUMMARY)).summary()).isEqualTo("ヘッダー内の概要文。");
    assertThat(row(SUMMARY, edited(SUMMARY, summary,
        "<div class=\"text-text2\">デイリーランキング 3位</div>")).summary()).isNull();
    assertThat(row(SUMMARY, edited(SUMMARY, description, "")).summary()).isNull();
    assertThat(row(SUMMARY, edited(SUMMARY, description, "<meta name=\"description\" "
        + "content=\"ヘッダー概要とは、ヘッダー内の概要文。\">")).summary())
        .isEqualTo("ヘッダー内の概要文。");
    assertThat(row(SUMMARY, edited(SUMMARY, description, description.replace("。\"",
        "。続きの文章…\""), summary, summary.replace("。<", "。続きの文章があります<")))
        .summary()).isEqualTo("ヘッダー内の概要文。続きの文章があります");
    assertThat(row(SUMMARY, edited(SUMMARY, summary, "<div class=\"text-text2\">"
        + "この記事は編集中です</div>" + summary)).summary()).isEqualTo("ヘッダー内の概要文。");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4391.7", "-4391", "\"4391abc\"", "0", "\"04391\"", "true"})
  void anIdThatIsNoPositiveWholeNumberIsNoArticleId(String id) {
    ArticleRow r = row(NEXT, edited(NEXT, "\"id\": 4391", "\"id\": " + id));

    assertThat(r.articleId()).isNull();
    assertThat(row(NEXT, edited(NEXT, "\"id\": 4391", "\"id\": \"4391\"")).articleId())
        .isEqualTo("4391");
  }

  private static String html(GoldenCorpus.Case c) {
    return edited(c);
  }
}

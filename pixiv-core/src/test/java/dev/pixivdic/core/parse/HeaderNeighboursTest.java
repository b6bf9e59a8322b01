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
    "https://someone.fanbox.cc/", "https://www.fanbox.cc/@someone", "https://pixiv.me/someone",
    "https://www.pixiv.net/i/123", "https://www.pixiv.net/requests/1",
    "https://www.pixiv.net/stacc/someone", "https://booth.pm/ja/items/1",
    "https://comic.pixiv.net/works/1", "https://www.pixivision.net/ja/a/1",
    "https://twitter.com/someone", "/history/123", "https://example.com/",
    "https://www.pixiv.net/tags/%E5%8D%9A%E9%BA%97%E9%9C%8A%E5%A4%A2/artworks"};

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
          "<img src=\"https://i.pximg.net/c/240x240/img-master/img/1_p0.jpg\">")));

      assertThat(r.mainIllustUrl()).as(href).isNull();
    }
    ArticleRow inLink = row(DOM, edited(DOM, IMAGE, "", HEADER, HEADER
        + "<a href=\"https://www.pixiv.net/users/11\"><img src=\"https://i.pximg.net/u/1.jpg\">"
        + "</a>"));
    assertThat(inLink.mainIllustUrl()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"<area href=\"https://www.pixiv.net/users/1\">",
    "<svg><a xlink:href=\"https://www.pixiv.net/users/1\"></a></svg>",
    "<form action=\"https://example.com/follow\"></form>",
    "<iframe src=\"https://example.com/card\"></iframe>",
    "<a href=\"https:///example.com/users/1\"></a>",
    "<a href=\"/a/%E6%9D%B1%E6%96%B9project\"></a>",
    "<a href=\"https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9project/artworks\"></a>"})
  void anythingElseLinkedAmongTheCountersMakesThemThatThingsCounters(String link) {
    String list = "<ul class=\"flex gap-8\">";

    ArticleRow r = row(DOM, edited(DOM, list, list + "<li>" + link + "</li>"));

    assertThat(r.viewCount()).isNull();
    assertThat(r.commentCount()).isNull();
    assertThat(row(DOM, edited(DOM, list, list + "<li></li>")).viewCount())
        .isEqualTo(98_765_432L);
  }

  @Test
  void theArticlesOwnLinksBesideItsValuesLeaveThemItsOwn() {
    for (String href : new String[] {ILLUST_VIEW, "#comments", "javascript:void(0)",
        "https://dic.pixiv.net:443/a/%E6%9D%B1%E6%96%B9Project#top",
        "https://twitter.com/intent/tweet?url=https%3A%2F%2Fdic.pixiv.net%2Fa%2F"
            + "%25E6%259D%25B1%25E6%2596%25B9Project&text=x",
        "https://accounts.pixiv.net/login?return_to=https%3A%2F%2Fdic.pixiv.net%2Fa%2F"
            + "%25E6%259D%25B1%25E6%2596%25B9Project"}) {
      ArticleRow r = row(DOM, edited(DOM, VIEWS, "<a href=\"" + href + "\">" + VIEWS + "</a>"));

      assertThat(r.viewCount()).as(href).isEqualTo(98_765_432L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://i.pximg.net/user-profile/img/2020/01/01/1_50.jpg",
    "https://i.pximg.net/%75ser-profile/img/2020/01/01/1_50.jpg",
    "https://i.pximg.net:8443/c/600x600/img-master/img/1_p0.jpg",
    "https://i-ads.pximg.net/c/600x600/img-master/img/1_p0.jpg",
    "https://s.pximg.net/dic/images/no_image.png", "https://s.pximg.net/common/emoji/101.png",
    "https://ads.pximg.net/ad/banner_300x250.jpg"})
  void aProfileImageIconOrAdOfPixivIsNeverTheMainIllustration(String src) {
    String img = "<img src=\"" + src + "\" alt=\"\">";

    assertThat(row(DOM, edited(DOM, IMAGE, img)).mainIllustUrl()).isNull();
    assertThat(row(DOM, edited(DOM, IMAGE, IMAGE + img)).mainIllustUrl())
        .startsWith("https://i.pximg.net/c/600x600/");
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

  @ParameterizedTest
  @ValueSource(strings = {"ランキング", "シェアする", "もっとみる", "ぴくしぶたろうさん"})
  void aKanaGreyLineElsewhereInTheHeaderIsNoReading(String line) {
    String grey = "<p class=\"text-text3 typography-12\">" + line + "</p>";
    String h1 = "<h1 id=\"article-name\"";

    assertThat(row(DOM, edited(DOM, READING, "", IMAGE, grey + IMAGE)).subTitle()).isNull();
    assertThat(row(DOM, edited(DOM, READING, "", h1, grey + h1)).subTitle()).isNull();
    assertThat(row(DOM, edited(DOM, IMAGE, grey + IMAGE)).subTitle())
        .isEqualTo("とうほうぷろじぇくと");
    assertThat(row(DOM, edited(DOM, READING, "<span></span>" + grey)).subTitle())
        .as("after something else").isNull();
    assertThat(row(DOM, edited(DOM, READING, "<div>" + grey + "</div>")).subTitle())
        .as("in another block").isNull();
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
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/artworks/extra/more",
    "https://www.pixiv.net:8080/tags/%E6%9D%B1%E6%96%B9Project/artworks",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9project/artworks",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9%EF%BC%B0roject/artworks",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project%20/artworks",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/users",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/novels",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9Project/artworks?url=https://example.com",
    "https://www.pixiv.net/search.php?word=%E6%9D%B1%E6%96%B9Project&word=x",
    "https://www.pixiv.net/search.php?word=%E6%9D%B1%E6%96%B9Project&tag=x",
    "https://www.pixiv.net/upload.php?tag=%E6%9D%B1%E6%96%B9Project",
    "https://www.pixiv.net/search.php?word=%E6%9D%B1%E6%96%B9Project&uid=1",
    "https://www.pixiv.net/search.php?word=%E6%9D%B1%E6%96%B9Project&s_mode=s_usr",
    "https://www.pixiv.net/search.php?word=%E6%9D%B1%E6%96%B9Project&tag[]=x",
    "https://www.pixiv.net/tags/%E6%9D%B1%E6%96%B9+Project/artworks"})
  void aLinkNamingTheTagThatIsNotItsPageIsNoLinkColumn(String href) {
    ArticleRow r = row(DOM, edited(DOM, "href=\"" + ILLUST_VIEW + "\"", "href=\"" + href + "\""));

    assertThat(r.illustViewUrl()).isNull();
    assertThat(r.novelViewUrl()).isNotNull();
  }

  @Test
  void theTagsPageWithTheSearchsOptionsIsTheLinkColumn() {
    String sorted = ILLUST_VIEW + "?s_mode=s_tag&order=popular_d";

    assertThat(row(DOM, edited(DOM, ILLUST_VIEW, sorted)).illustViewUrl()).isEqualTo(sorted);
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

  @ParameterizedTest
  @ValueSource(strings = {"週間ランキング 3位 更新", "次回更新", "更新者: ぴくしぶ", "未更新",
    "作成（更新なし）", "作　成 @ 更新", "最新コメント更新", "作品の更新", "更新履歴",
    "Last updated by editor on", "更新 <span>3日前</span>", "更新 3", "2 更新", "第3回更新",
    "Last Updated 0", "更新 #3", "次回<span>更新 @</span>", "更・新・日"})
  void aTimeLabelledAsAnotherThingsUpdateIsNotTheArticles(String label) {
    String time = "<time datetime=\"2024-06-13T00:00:00Z\">2024/06/13</time>";
    String block = label.contains("@") ? label.replace("@", time) : label + " " + time;

    assertThat(row(DOM, inHeader("<div>" + block + "</div>")).updatedAt()).isNull();
    assertThat(row(DOM, inHeader("<div>最終更新日：" + time + "</div>")).updatedAt())
        .isEqualTo(Instant.parse("2024-06-13T00:00:00Z"));
    assertThat(row(DOM, inHeader("<div><span>更新日</span> " + time.replace("<time ",
        "<time title=\"2024-06-13T00:00:00Z\" ") + "</div>")).updatedAt())
        .isEqualTo(Instant.parse("2024-06-13T00:00:00Z"));
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
    for (String dt : new String[] {"ランキング更新", "次回更新", "更新者", "作成日/更新日"}) {
      assertThat(row(LEGACY, edited(LEGACY, update, "<dt>" + dt + "</dt><dd>2019-01-01 00:00</dd>"))
          .updatedAt()).as(dt).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2023-02-29 12:00", "2023-04-31 12:00", "2023-05-01 24:00",
    "1999-12-31 23:59", "2100-01-01 09:00"})
  void aDateThatIsNoDayOfTheCalendarOrOutsideTheCenturyIsNoUpdate(String date) {
    String update = "<dt>更新日</dt><dd>2023-05-01 12:00</dd>";

    assertThat(row(LEGACY, edited(LEGACY, update, "<dt>更新日</dt><dd>" + date + "</dd>"))
        .updatedAt()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"0000000001\"", "9999999999", "\"１７１７２０００００\"", "4102444800",
    "\"1999-12-31T23:59:59Z\"",
    "\"2023-02-30T12:00:00+09:00\""})
  void aTimestampThatIsNoTimeOfTheEncyclopediaIsNoUpdate(String value) {
    ArticleRow r = row(NEXT, edited(NEXT, "\"updatedAtTimestamp\": 1717200000",
        "\"updatedAtTimestamp\": " + value));

    assertThat(r.updatedAt()).isNull();
    assertThat(row(NEXT, edited(NEXT)).updatedAt()).isEqualTo(Instant.ofEpochSecond(1717200000));
  }

  @Test
  void theInfosTimeIsLeftOutWhenTheHeaderContradictsItsCounts() {
    String entryTime = "\"updatedAtTimestamp\": 1717200000";
    String infoTime = "\"lastUpdatedAt\": null}";
    String fromInfo = "\"lastUpdatedAt\": 1717300000}";

    assertThat(row(NEXT, edited(NEXT, entryTime, "\"updatedAtTimestamp\": null", infoTime,
        fromInfo)).updatedAt()).isEqualTo(Instant.ofEpochSecond(1717300000));
    for (String count : new String[] {"\"articleViewCount\": 2052836", "\"commentCount\": 345",
      "\"pixivWorkCount\": 1234567", "\"checklistCount\": 8901"}) {
      ArticleRow another = row(NEXT, edited(NEXT, entryTime, "\"updatedAtTimestamp\": null",
          infoTime, fromInfo, count, count.replaceAll("\\d+$", "7")));

      assertThat(another.updatedAt()).as(count).isNull();
      assertThat(another.title()).isEqualTo(row(NEXT, edited(NEXT)).title());
    }
    // The entry's own time is not the info object's, and stays.
    assertThat(row(NEXT, edited(NEXT, infoTime, fromInfo, "\"commentCount\": 345",
        "\"commentCount\": 7")).updatedAt()).isEqualTo(Instant.ofEpochSecond(1717200000));
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
  @ValueSource(strings = {"ヘッダー…|ヘッダー内の概要文。", "ヘッダー内の概要文。|ヘッダー…",
    "ヘッダー内の…|ヘッダー内のランキング1位！", "…|…", "ヘッダー内の概要文...|ヘッダー内の概要文です",
    "ピクシブ百科事典は、誰でも編集できる百科事典です。|ピクシブ百科事典は、誰でも編集できる百科事典です。"})
  void aGreyLineTheDescriptionDoesNotClearlySayIsNoSummary(String pair) {
    String[] p = pair.split("\\|");
    String summary = "<div class=\"mt-8 text-text2 typography-14\">ヘッダー内の概要文。</div>";
    String description = "<meta property=\"og:description\" content=\"ヘッダー内の概要文。\">";

    assertThat(row(SUMMARY, edited(SUMMARY, description, description.replace("ヘッダー内の概要文。",
        p[0]), summary, summary.replace("ヘッダー内の概要文。", p[1]))).summary()).isNull();
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

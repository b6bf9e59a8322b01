package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which JSON entries belong to the page: decided from the tree and the titles alone. */
class JsonEntriesTest {

  private static final PageIdentity MIKU = PageIdentity.of(ArticleUrl.ofTitle("初音ミク"),
      List.of());

  private static JsonNode json(String s) {
    return JsonShapes.read(s.replace('\'', '"'));
  }

  private static final String OTHER = "'/_api/get_article/%E5%91%AA?lang=ja': {'id': 9,"
      + " 'tagName': '呪術廻戦', 'abstract': 'x', 'yomigana': 'y'},"
      + " '/_api/get_article_info/%E5%91%AA%E8%A1%93%E5%BB%BB%E6%88%A6': {'articleViewCount': 5},";

  @Test
  void theEntryNamingThePageIsTakenWhereverItSitsAndAnotherArticlesIsNot() {
    JsonEntries.Selection s = JsonEntries.forPage(json("{'swrFallback': {" + OTHER
        + " '/_api/get_article/x': {'id': 1, 'tagName': '初音ミク', 'yomigana': 'はつねみく'},"
        + " '/_api/get_article_info/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF':"
        + " {'articleViewCount': 7}}}"), MIKU);

    assertThat(s.article().get("id").asInt()).isEqualTo(1);
    assertThat(s.info().get("articleViewCount").asInt()).isEqualTo(7);
    assertThat(s.notes()).anyMatch(n -> n.contains("呪術廻戦"));
  }

  @Test
  void anEntryNamingThePageCachedUnderAnotherArticlesPathIsLeftOut() {
    String renamed = "'/_api/get_article/%E5%91%AA%E8%A1%93%E5%BB%BB%E6%88%A6?lang=ja':"
        + " {'id': 9, 'tagName': '初音ミク', 'abstract': 'x'},"
        + " '/_api/get_article_info/%E5%91%AA%E8%A1%93%E5%BB%BB%E6%88%A6':"
        + " {'articleViewCount': 5}";
    JsonEntries.Selection s = JsonEntries.forPage(json("{'swrFallback': {" + renamed + "}}"),
        MIKU);
    assertThat(s.article()).isNull();
    assertThat(s.info()).isNull();
    assertThat(s.notes()).anyMatch(n -> n.contains("cached as '呪術廻戦'"));

    JsonEntries.Selection byNumber = JsonEntries.forPage(json("{'swrFallback': {"
        + "'/_api/get_article/12': {'id': 9, 'tagName': '初音ミク', 'abstract': 'x'}}}"), MIKU);
    assertThat(byNumber.article()).as("a path naming another id").isNull();

    JsonEntries.Selection ownId = JsonEntries.forPage(json("{'swrFallback': {"
        + "'/_api/get_article/9': {'id': 9, 'tagName': '初音ミク', 'abstract': 'x'}}}"), MIKU);
    assertThat(ownId.article()).as("a path naming its own id").isNotNull();
  }

  @Test
  void anInfoObjectThatNamesNothingIsTakenOnlyWhenNothingElseCouldOwnIt() {
    String own = "'article': {'body': {'tagName': '初音ミク', 'abstract': 'a'}},"
        + " 'info': {'body': {'articleViewCount': 7}}";
    assertThat(JsonEntries.forPage(json("{'fallback': {" + own + "}}"), MIKU).info())
        .isNotNull();
    JsonEntries.Selection withOther = JsonEntries.forPage(json("{'fallback': {" + OTHER + own
        + "}}"), MIKU);
    assertThat(withOther.article()).isNotNull();
    assertThat(withOther.info()).isNull();
  }

  @Test
  void countsInsideTheEntryAreItsTotalsOnlyRightUnderAnInfoKey() {
    String entry = "'/_api/get_article/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF':"
        + " {'id': 1, 'tagName': '初音ミク', 'yomigana': 'y', ";
    JsonEntries.Selection lastWeek = JsonEntries.forPage(json("{'f': {" + entry
        + "'stats': {'lastWeek': {'articleViewCount': 5, 'commentCount': 6}}}}}"), MIKU);
    JsonEntries.Selection popular = JsonEntries.forPage(json("{'f': {" + entry
        + "'popular': {'articleViewCount': 5, 'commentCount': 6}}}}"), MIKU);
    JsonEntries.Selection info = JsonEntries.forPage(json("{'f': {" + entry
        + "'articleInfo': {'articleViewCount': 7}}}}"), MIKU);

    JsonEntries.Selection weekly = JsonEntries.forPage(json("{'f': {" + entry
        + "'weeklyInfo': {'articleViewCount': 5}}}}"), MIKU);
    JsonEntries.Selection deeper = JsonEntries.forPage(json("{'f': {" + entry
        + "'info': {'lastWeek': {'articleViewCount': 5}}}}}"), MIKU);

    assertThat(lastWeek.info()).isNull();
    assertThat(popular.info()).isNull();
    assertThat(weekly.info()).isNull();
    assertThat(deeper.info()).as("under the info key, but deeper").isNull();
    assertThat(info.info().get("articleViewCount").asInt()).isEqualTo(7);
  }

  @Test
  void countsUnderAnotherEndpointOrInAListAreNeverTheTotals() {
    String entry = "'/_api/get_article/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF':"
        + " {'id': 1, 'tagName': '初音ミク', 'yomigana': 'y'}, ";
    String miku = "%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF";
    for (String other : List.of(
        "'/_api/get_graph_data/" + miku + "': {'articleViewCount': 5, 'commentCount': 6}",
        "'/_api/get_article_info/" + miku + "?range=lastWeek': {'articleViewCount': 5}",
        "'graph': [{'day': {'articleViewCount': 5, 'commentCount': 6}}]")) {
      assertThat(JsonEntries.forPage(json("{'f': {" + entry + other + "}}"), MIKU).info())
          .as(other).isNull();
    }
    assertThat(JsonEntries.forPage(json("{'f': {" + entry + "'/_api/get_article_info/" + miku
        + "?lang=ja': {'articleViewCount': 7}}}"), MIKU).info()).isNotNull();
  }

  @Test
  void countsNamingThePageAreNotTheTotalsWhereTheirPlaceSaysOtherwise() {
    String entry = "'/_api/get_article/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF':"
        + " {'id': 1, 'tagName': '初音ミク', 'yomigana': 'y'}, ";
    String miku = "%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF";
    String counts = "'articleViewCount': 44, 'commentCount': 4, 'pixivWorkCount': 4";
    for (String other : List.of(
        "'/_api/get_article_info/" + miku + "?range=lastWeek': {'tagName': '初音ミク', " + counts
            + "}",
        "'/_api/get_graph_data/" + miku + "': {'tagName': '初音ミク', " + counts + "}",
        "'ranking': {'daily': {'tagName': '初音ミク', " + counts + "}}",
        "'/_api/get_recommend/" + miku + "': {'card': {'tagName': '初音ミク', " + counts + "}}",
        "'/_api/get_article_history/" + miku + "': {'tagName': '初音ミク', " + counts + "}",
        "'/_api/get_article_info/VOCALOID': {'title': '初音ミク', " + counts + "}",
        "'/_api/get_article_info/" + miku + "': {'tagName': 'VOCALOID', " + counts + "}")) {
      JsonEntries.Selection s = JsonEntries.forPage(json("{'f': {" + entry + other + "}}"), MIKU);
      assertThat(s.info()).as(other).isNull();

      JsonEntries.Selection withTotals = JsonEntries.forPage(json("{'f': {" + entry + other
          + ", '/_api/get_article_info/" + miku + "': {'articleViewCount': 7}}}"), MIKU);
      assertThat(withTotals.info()).as(other + " beside the totals").isNotNull();
      assertThat(withTotals.info().get("articleViewCount").asInt()).isEqualTo(7);
    }
    assertThat(JsonEntries.forPage(json("{'f': {" + entry + "'info': {'body': {'tagName':"
        + " '初音ミク', " + counts + "}}}}"), MIKU).info()).as("under an info key").isNotNull();
  }

  @Test
  void aNameDifferingFromThePagesTitleOnlyInWidthOrCaseIsNotThePages() {
    String miku = "%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF";
    String halfWidth = "%E5%88%9D%E9%9F%B3%EF%BE%90%EF%BD%B8";
    JsonEntries.Selection entry = JsonEntries.forPage(json("{'f': {'/_api/get_article/x':"
        + " {'id': 1, 'tagName': '初音ﾐｸ', 'yomigana': 'y'}, '/_api/get_article_info/" + miku
        + "': {'articleViewCount': 7}}}"), MIKU);
    assertThat(entry.article()).isNull();
    assertThat(entry.notes()).anyMatch(n -> n.contains("'初音ﾐｸ'"));
    assertThat(entry.info().get("articleViewCount").asInt()).isEqualTo(7);

    JsonEntries.Selection info = JsonEntries.forPage(json("{'f': {'/_api/get_article/" + miku
        + "': {'id': 1, 'tagName': '初音ミク', 'yomigana': 'y'}, '/_api/get_article_info/"
        + halfWidth + "': {'articleViewCount': 777}}}"), MIKU);
    assertThat(info.article()).isNotNull();
    assertThat(info.info()).isNull();
  }

  @Test
  void aPageWhoseJsonSpellsTheTitleInHalfWidthKeepsItsHeadersTitle() {
    GoldenCorpus.Case c = AnotherArticlesValuesTest.corpus("article/current-nextdata-full");
    String html = AnotherArticlesValuesTest.edited(c,
        "\"tagName\": \"初音ミク\", \"translatedTagName\"",
        "\"tagName\": \"初音ﾐｸ\", \"translatedTagName\"");
    Page page = new Page(ArticleUrl.parse(c.url()), 200, "text/html; charset=utf-8",
        html.getBytes(StandardCharsets.UTF_8));

    for (ParseResult r : List.of(ArticleParser.create().parse(page),
        ArticleParser.create().parseWhole(page))) {
      assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.ARTICLE);
      assertThat(r.row().orElseThrow().title()).isEqualTo("初音ミク");
      assertThat(r.provenance()).containsEntry("title", Strategy.DOM);
      assertThat(r.detail()).contains("'初音ﾐｸ'");
    }
  }

  @Test
  void anEntryListedInsideAnotherArticleIsNeverThePagesEntry() {
    JsonEntries.Selection s = JsonEntries.forPage(json("{'a': {'tagName': 'VOCALOID',"
        + " 'abstract': 'v', 'relatedArticles': {'child_articles': [{'tagName': '初音ミク',"
        + " 'abstract': '別の概要'}]}}}"), MIKU);
    assertThat(s.article()).isNull();
  }

  @Test
  void twoDifferentCopiesOfThePagesEntryGiveNothingAtAll() {
    JsonEntries.Selection s = JsonEntries.forPage(json("{'x': {'tagName': '初音ミク',"
        + " 'abstract': 'new'}, 'y': {'tagName': '初音ミク', 'abstract': 'old'},"
        + " 'z': {'articleViewCount': 7}}"), MIKU);
    assertThat(s.isEmpty()).isTrue();
    assertThat(s.notes()).anyMatch(n -> n.contains("differing article entries"));
  }

  @Test
  void jsonWhoseRouteNamesAnotherArticleGivesNothing() {
    JsonEntries.Selection s = JsonEntries.forPage(json("{'page': '/a/[name]', 'query':"
        + " {'name': '呪術廻戦'}, 'e': {'tagName': '初音ミク', 'abstract': 'a'}}"), MIKU);
    assertThat(s.isEmpty()).isTrue();
  }

  @Test
  void theCanonicalLinkNamesAnAliasPagesArticle() {
    PageIdentity alias = PageIdentity.of(ArticleUrl.ofTitle("ミク"),
        List.of("https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF"));
    assertThat(alias.names("初音ミク")).isTrue();
    assertThat(alias.names("ミク")).isTrue();
    assertThat(PageIdentity.of(ArticleUrl.ofTitle("ミク"), List.of(
        "https://dic.pixiv.net/a/A", "https://dic.pixiv.net/a/B")).titles()).containsExactly("ミク");
  }

  @Test
  void aKeyIsAnInfoKeyExactlyWhenItsLowerCaseLettersAreInfoOrArticleInfo() {
    String[] keys = {"info", "Info", "INFO", "articleInfo", "article_info", "ARTICLE-INFO",
        "info2", "_info_", "i n f o", "infos", "inf", "nfo", "articleinfos", "article", "",
        "\u0130nfo", "\u212Anfo", "\uff49nfo", "info\n", "info\nx", "in\u0131fo", "\u0131nfo",
        "articleinfoinfo", "infoarticle", "ARTICLE\u0130NFO", "\u00e9info", "2info", "info\u0307"};
    for (String key : keys) {
      // The rule as a regular expression, as it was written before.
      boolean expected = key.indexOf('\n') < 0 && List.of("info", "articleinfo")
          .contains(key.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", ""));
      assertThat(JsonEntries.infoKey(key)).as(key).isEqualTo(expected);
    }
    assertThat(JsonEntries.infoKey(null)).isFalse();
  }
}

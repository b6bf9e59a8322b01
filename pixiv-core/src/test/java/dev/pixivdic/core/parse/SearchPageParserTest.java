package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SearchPageParserTest {

  private static final SearchPageParser PARSER = SearchPageParser.create();
  private static final URI PAGE_3 =
      URI.create("https://dic.pixiv.net/search?query=%E7%8C%AB&page=3");

  private static SearchResult parse(int status, String html) {
    return PARSER.parse(PAGE_3, status, null, html.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aZeroHitPageWithoutACountIsAnEmptyResultWithTotalZero() {
    SearchResult r = parse(404, "<div id=\"main\" class=\"search\"><header id=\"search-title\">"
        + "<h1>猫</h1></header><aside><article><h2><a href=\"/a/x\">x</a></h2></article></aside>"
        + "</div>");
    assertThat(r.kind()).isEqualTo(SearchResult.Kind.RESULTS);
    assertThat(r.hits()).isEmpty();
    assertThat(r.total()).hasValue(0);
  }

  @Test
  void cardsHiddenByAnAttributeOrAnInlineStyleAreNoHits() {
    String[] hiders = {"<div hidden>", "<div style=\"display:none\">",
        "<div style=\"color: red; DISPLAY : None !important\">",
        "<div style=\"visibility: hidden;\">", "<div style=\"visibility:collapse\">"};
    for (String hider : hiders) {
      SearchResult r = parse(200, "<div id=\"main\" class=\"search\"><header id=\"search-title\">"
          + "<div class=\"info\">検索結果：1件</div></header>" + hider
          + "<article><div class=\"info\"><h2><a href=\"/a/x\">x</a></h2></div></article></div>"
          + "<article><div class=\"info\"><h2><a href=\"/a/y\">y</a></h2></div></article></div>");

      assertThat(r.hits()).as(hider).extracting(SearchHit::title).containsExactly("y");
    }
    SearchResult shown = parse(200, "<div id=\"main\" class=\"search\"><div style=\"display:"
        + " block; --display: none\"><article><div class=\"info\"><h2><a href=\"/a/x\">x</a>"
        + "</h2></div></article></div></div>");
    assertThat(shown.hits()).extracting(SearchHit::title).containsExactly("x");
  }

  @Test
  void aPageAnnouncingZeroHitsHasNoneWhateverCardsItHolds() {
    SearchResult r = parse(200, "<div id=\"main\" class=\"search\"><header id=\"search-title\">"
        + "<div class=\"info\">検索結果：0件</div></header><div class=\"recommend\"><h3>おすすめ"
        + "</h3><article><div class=\"info\"><h2><a href=\"/a/x\">x</a></h2></div></article>"
        + "</div></div>");

    assertThat(r.hits()).isEmpty();
    assertThat(r.total()).hasValue(0);
    assertThat(r.leftOut()).isZero();
    assertThat(r.detail()).contains("1 cards on a page announcing no hits ignored");
  }

  @Test
  void aTotalTooLargeToReadIsNoTotalAndIsKeptAsShown() {
    SearchResult r = parse(200, "<div id=\"main\" class=\"search\"><header id=\"search-title\">"
        + "<div class=\"info\">検索結果：99999999999999999999件</div></header><article>"
        + "<div class=\"info\"><h2><a href=\"/a/x\">x</a></h2></div></article></div>");

    assertThat(r.totalHits()).isNull();
    assertThat(r.unreadableTotal()).isEqualTo("99999999999999999999");
    assertThat(r.hits()).hasSize(1);
    assertThat(r.detail()).contains("the total '99999999999999999999' could not be read");
  }

  @Test
  void thePageNumberComesFromTheUrlWhenTheTitleLacksIt() {
    SearchResult r = parse(200, "<div id=\"main\" class=\"search\"><article><div class=\"info\">"
        + "<h2><a href=\"/a/%E7%8C%AB\">猫</a></h2></div></article></div>");
    assertThat(r.page()).isEqualTo(3);
    assertThat(r.hits()).singleElement().satisfies(h -> {
      assertThat(h.title()).isEqualTo("猫");
      assertThat(h.summary()).isNull();
      assertThat(h.viewCount()).isNull();
      assertThat(h.related()).isEmpty();
    });
    assertThat(r.totalHits()).isNull();
  }

  @Test
  void challengesMaintenanceAndOtherPagesAreNotResults() {
    assertThat(parse(200, "<title>Just a moment...</title>").kind())
        .isEqualTo(SearchResult.Kind.BLOCKED);
    assertThat(parse(429, "").kind()).isEqualTo(SearchResult.Kind.BLOCKED);
    assertThat(parse(503, "<meta property=\"og:description\" content=\"メンテナンス中\">").kind())
        .isEqualTo(SearchResult.Kind.MAINTENANCE);
    SearchResult other = parse(200, "<title>ヘルプ</title><h1>ヘルプ</h1>");
    assertThat(other.kind()).isEqualTo(SearchResult.Kind.UNRECOGNIZED);
    assertThat(other.detail()).contains("header#search-title").contains("'ヘルプ'");
  }

  private static String hit(String href, String text) {
    return "<article><div class=\"info\"><h2><a href=\"" + href + "\">" + text
        + "</a></h2></div></article>";
  }

  private static final String HEADER = "<header id=\"search-title\"><h1>猫</h1>"
      + "<div class=\"info\">検索結果：9件</div></header>";

  @Test
  void cardsThatAreNotResultsAreNeverHits() {
    String result = "<section>" + hit("/a/%E7%8C%AB", "猫") + "</section>";
    SearchResult r = parse(200, "<div id=\"main\" class=\"search\">" + HEADER + result
        // the sidebar moved into the results, as a div
        + "<div id=\"sub-contents\"><section class=\"spotlight\">" + hit("/a/A", "A")
        + "</section></div>"
        + "<section class=\"spotlight\">" + hit("/a/B", "B") + "</section>"
        // a card inside another hit
        + "<section><article><div class=\"info\"><h2><a href=\"/a/C\">C</a></h2></div>"
        + hit("/a/D", "D") + "</article></section>"
        + "<template>" + hit("/a/E", "E") + "</template>"
        + "<noscript>" + hit("/a/F", "F") + "</noscript>"
        + "</div>");

    assertThat(r.kind()).isEqualTo(SearchResult.Kind.RESULTS);
    assertThat(r.hits()).extracting(SearchHit::title).containsExactly("猫", "C");
  }

  @Test
  void aPageWithTheHeaderButWithoutTheResultsBlockIsNotRecognised() {
    // Without div#main.search the results cannot be told from a sidebar written as a div.
    SearchResult r = parse(200, HEADER + "<section>" + hit("/a/%E7%8C%AB", "猫") + "</section>"
        + "<div id=\"side\">" + hit("/a/%E7%8C%AB%EF%BC%88%E5%81%BD%EF%BC%89", "猫（偽）")
        + "</div>");

    assertThat(r.kind()).isEqualTo(SearchResult.Kind.UNRECOGNIZED);
    assertThat(r.hits()).isEmpty();
    assertThat(r.detail()).contains("header#search-title without div#main.search");
  }

  @Test
  void aHitWhoseLinkTextIsNotTheTitleOfItsAddressIsLeftOut() {
    SearchResult r = parse(200, "<div id=\"main\" class=\"search\">" + HEADER
        + "<section>" + hit("/a/%E7%8C%AB%E3%81%AE%E6%AF%8D", "猫") + "</section>" // 猫の母
        + "<section>" + hit("/a/%E7%8C%AB/%E5%AD%90", "猫") + "</section>" // /a/猫/子
        + "<section>" + hit("/a/%E7%8C%AB%C2%AD", "猫&shy;") + "</section>" // a soft hyphen
        + "<section>" + hit("/a/%E7%8C%AB%E2%80%8B", "猫\u200b") + "</section>" // zero width
        + "<section>" + hit("/a/%CE%BC%27s", "μ&#x27;s") + "</section>"
        + "<section>" + hit("/a/A%20B", "\n  A B\n") + "</section>"
        + "</div>");

    // The soft hyphen and the zero-width space are in both the text and the address: those
    // hits stay, with the title as the address names it, so no name matches them by accident.
    assertThat(r.hits()).extracting(SearchHit::title)
        .containsExactly("猫\u00ad", "猫\u200b", "μ's", "A B");
    assertThat(r.detail()).contains("2 results whose link text is not the title of its address"
        + " skipped");
  }

  @Test
  void cardsHiddenFromReadersOrByAHidingClassAreNoHitsAndAreCounted() {
    String[] hiders = {"<div aria-hidden=\"true\">", "<section aria-hidden=\"TRUE\">",
        "<div class=\"card hidden\">", "<div class=\"is-hidden\">", "<div class=\"d-none\">",
        "<div class=\"invisible\">", "<div class=\"hide\">"};
    for (String hider : hiders) {
      String end = hider.startsWith("<section") ? "</section>" : "</div>";
      SearchResult r = parse(200, "<div id=\"main\" class=\"search\">" + HEADER + hider
          + hit("/a/x", "x") + end + "<section>" + hit("/a/y", "y") + "</section></div>");

      assertThat(r.hits()).as(hider).extracting(SearchHit::title).containsExactly("y");
      assertThat(r.detail()).as(hider).contains("1 hidden cards ignored");
    }
    // Shown: aria-hidden false, a class that only names hidden, a class hidden on small screens
    // but shown on larger ones, and an element around the results block.
    String[] shown = {"<div aria-hidden=\"false\">", "<div class=\"hidden-title\">",
        "<div class=\"hidden md:block\">"};
    for (String wrapper : shown) {
      SearchResult r = parse(200, "<div id=\"main\" class=\"search\">" + HEADER + wrapper
          + hit("/a/x", "x") + "</div></div>");
      assertThat(r.hits()).as(wrapper).extracting(SearchHit::title).containsExactly("x");
    }
    SearchResult modalOpen = parse(200, "<div id=\"app\" aria-hidden=\"true\">"
        + "<div id=\"main\" class=\"search\">" + HEADER + hit("/a/x", "x") + "</div></div>");
    assertThat(modalOpen.hits()).extracting(SearchHit::title).containsExactly("x");
  }

  @Test
  void aHitsCountWhoseDigitsAnInvisibleCharacterOrAnElementSplitsIsNoCountWithANote() {
    String[] items = {"閲覧数: 6&#8203;0", "閲覧数: 6\u2060,000", "閲覧数: 6&shy;0",
        "閲覧数: 6<span hidden>0</span>", "閲覧数: 1,2<b>34</b>"};
    for (String item : items) {
      SearchResult r = parse(200, "<div id=\"main\" class=\"search\">" + HEADER
          + "<article><div class=\"info\"><h2><a href=\"/a/x\">x</a></h2></div><ul class=\"data\">"
          + "<li>" + item + "</li><li>作品数: 12</li></ul></article></div>");

      assertThat(r.hits()).as(item).singleElement().satisfies(h -> {
        assertThat(h.viewCount()).isNull();
        assertThat(h.worksCount()).isEqualTo(12L);
      });
      assertThat(r.detail()).as(item).contains("閲覧数 of 'x' skipped")
          .contains("split by an invisible character");
    }
    SearchResult plain = parse(200, "<div id=\"main\" class=\"search\">" + HEADER
        + "<article><div class=\"info\"><h2><a href=\"/a/x\">x</a></h2></div><ul class=\"data\">"
        + "<li>閲覧数: <span>2,052,836</span></li></ul></article></div>");
    assertThat(plain.hits()).singleElement().extracting(SearchHit::viewCount)
        .isEqualTo(2_052_836L);
  }
}

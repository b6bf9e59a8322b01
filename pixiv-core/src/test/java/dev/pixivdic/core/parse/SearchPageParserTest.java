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
}

package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArticleParserTest {

  private static final ArticleUrl URL = ArticleUrl.ofTitle("猫");
  private static final ArticleParser PARSER = ArticleParser.create();
  private static final String ARTICLE = "<html><head><title>猫とは</title></head><body>"
      + "<header id=\"article-content-header\"><h1 id=\"article-name\"> 猫 \n</h1>"
      + "<p class=\"text-text3 typography-12\">ねこ</p>"
      + "<img src=\"//i.pximg.net/images/cat.png\">"
      + "<a title=\"閲覧数\"><div class=\"typography-14\">1,234</div></a>"
      + "<a href=\"//www.pixiv.net/tags/猫/artworks\">イラストを見る</a></header>"
      + "<div id=\"article-abstract\"><p>  かわいい\u3000動物。 </p><p></p></div></body></html>";

  private static Page page(int status, String html) {
    return new Page(URL, status, "text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void normalisesTextResolvesRelativeLinksAndParsesCounts() {
    ParseResult r = PARSER.parse(page(200, ARTICLE));
    ArticleRow row = r.row().orElseThrow();
    assertThat(r.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(row.title()).isEqualTo("猫");
    assertThat(row.summary()).isEqualTo("かわいい 動物。");
    assertThat(row.viewCount()).isEqualTo(1234L);
    assertThat(row.commentCount()).isNull();
    assertThat(row.illustViewUrl()).isEqualTo("https://www.pixiv.net/tags/%E7%8C%AB/artworks");
    assertThat(row.mainIllustUrl()).isEqualTo("https://i.pximg.net/images/cat.png");
    assertThat(row.loadedAt()).isNull();
    assertThat(row.runId()).isNull();
    assertThat(row.scraperVersion()).isNull();
    assertThat(row.contentHash()).isEqualTo(ContentHash.of(row)).hasSize(64);
    assertThat(r.detail()).contains("; missing ").contains("comment_count");
  }

  @Test
  void aLinkWhoseLabelIsSplitOverElementsOrControlCharactersIsStillFound() {
    // A link's text is built only when one of its text nodes can hold a label: these hold the
    // labels across elements and with control characters (dropped by normalising) inside.
    String links = "<a href=\"//www.pixiv.net/en/tags/猫/artworks\"><span>イラスト</span>を"
        + "<b>見る</b></a><a href=\"//www.pixiv.net/tags/猫/novels\">小説\u0007を\u0001読む</a>"
        + "<a href=\"//www.pixiv.net/novel/upload.php?tag=猫\">小説<i>を</i>投稿する</a>"
        + "<a href=\"//www.pixiv.net/upload.php?tag=猫\">イラスト投稿する</a>";
    ArticleRow row = PARSER.parse(page(200, ARTICLE.replace(
        "<a href=\"//www.pixiv.net/tags/猫/artworks\">イラストを見る</a>", links))).row()
        .orElseThrow();

    assertThat(row.illustViewUrl())
        .isEqualTo("https://www.pixiv.net/en/tags/%E7%8C%AB/artworks");
    assertThat(row.novelViewUrl()).isEqualTo("https://www.pixiv.net/tags/%E7%8C%AB/novels");
    assertThat(row.novelPostUrl())
        .isEqualTo("https://www.pixiv.net/novel/upload.php?tag=%E7%8C%AB");
    assertThat(row.illustPostUrl()).as("no を, so not the label").isNull();
  }

  @Test
  void theSameBytesAlwaysGiveTheSameResult() {
    assertThat(PARSER.parse(page(200, ARTICLE))).isEqualTo(PARSER.parse(page(200, ARTICLE)));
  }

  @Test
  void countsDoNotChangeTheContentHashButTheTextDoes() {
    String hash = PARSER.parse(page(200, ARTICLE)).row().orElseThrow().contentHash();
    assertThat(PARSER.parse(page(200, ARTICLE.replace("1,234", "9,999"))).row().orElseThrow()
        .contentHash()).isEqualTo(hash);
    assertThat(PARSER.parse(page(200, ARTICLE.replace("ねこ", "ネコ"))).row().orElseThrow()
        .contentHash()).isNotEqualTo(hash);
  }

  @Test
  void statusesDecideBeforeTheMarkup() {
    assertThat(PARSER.parse(page(429, ARTICLE)).outcome()).isEqualTo(Outcome.BLOCKED);
    assertThat(PARSER.parse(page(403, ARTICLE)).outcome()).isEqualTo(Outcome.BLOCKED);
    ParseResult notFound = PARSER.parse(page(404, ARTICLE));
    assertThat(notFound.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(notFound.row().orElseThrow().status()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(notFound.row().orElseThrow().title()).isNull();
    assertThat(notFound.row().orElseThrow().contentHash()).isNull();
  }

  @Test
  void aNotFoundPageWithUnknownStatusIsNotFound() {
    ParseResult r = PARSER.parse(page(0,
        "<html><head><title>404 Not Found</title></head><body><h1>見つかりません</h1></body></html>"));
    assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(r.detail()).contains("404 Not Found");
  }

  @Test
  void anUnrecognisedPageSaysWhatWasMissing() {
    ParseResult r = PARSER.parse(page(200, "<html><head><title>別のページ</title></head></html>"));
    assertThat(r.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(r.detail()).contains("h1#article-name").contains("'別のページ'");
    assertThat(r.row()).isEmpty();
    assertThat(r.provenance()).isEmpty();
  }

  @Test
  void anUnsupportedCharsetInTheContentTypeFallsBackToDetection() {
    Page p = new Page(URL, 200, "text/html; charset=x-nonsense",
        ARTICLE.getBytes(StandardCharsets.UTF_8));
    assertThat(PARSER.parse(p).row().orElseThrow().title()).isEqualTo("猫");
  }

  @Test
  void aShiftJisPageIsDecodedByItsContentType() {
    Page p = new Page(URL, 200, "text/html; charset=Shift_JIS",
        ARTICLE.getBytes(java.nio.charset.Charset.forName("Shift_JIS")));
    assertThat(PARSER.parse(p).row().orElseThrow().subTitle()).isEqualTo("ねこ");
  }

  @Test
  void parsesAnApiPairWithLastUpdatedAtAsJapanTime() {
    byte[] article = "{\"tagName\":\"猫\",\"yomigana\":\"ねこ\",\"id\":1}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] info = ("{\"articleViewCount\":\"1,000\",\"commentCount\":0,"
        + "\"lastUpdatedAt\":\"2024-01-02 09:00:00\"}")
        .getBytes(StandardCharsets.UTF_8);
    ParseResult r = PARSER.parseApi(URL, article, info);
    ArticleRow row = r.row().orElseThrow();
    assertThat(row.viewCount()).isEqualTo(1000L);
    assertThat(row.commentCount()).isZero();
    assertThat(row.worksCount()).isNull();
    assertThat(row.articleId()).isEqualTo("1");
    assertThat(row.updatedAt()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
    assertThat(r.provenance()).containsEntry("view_count", Strategy.API_JSON);
  }

  @Test
  void anApiResponseThatIsNotAnArticleIsUnrecognisedWithTheReason() {
    assertThat(PARSER.parseApi(URL, "{\"error\":true}".getBytes(StandardCharsets.UTF_8), null)
        .detail()).contains("no article-shaped object");
    assertThat(PARSER.parseApi(URL, "{oops".getBytes(StandardCharsets.UTF_8), null).detail())
        .contains("get_article is not readable JSON");
    assertThat(PARSER.parseApi(URL, 404, new byte[0], null).outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(PARSER.parseApi(URL, 429, new byte[0], null).outcome()).isEqualTo(Outcome.BLOCKED);
  }

  @Test
  void anUnreadableInfoResponseKeepsTheArticleAndSaysSo() {
    ParseResult r = PARSER.parseApi(URL, "{\"tagName\":\"猫\",\"abstract\":\"a\"}"
        .getBytes(StandardCharsets.UTF_8), "<html>".getBytes(StandardCharsets.UTF_8));
    assertThat(r.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(r.detail()).contains("get_article_info is not readable JSON");
  }

  @Test
  void aPageRejectsAnImpossibleStatus() {
    assertThatThrownBy(() -> new Page(URL, 42, null, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("httpStatus must be 0 (unknown) or 100..599, was 42");
  }

  @Test
  void theRequiredColumnsAreColumnsOfTheRow() {
    assertThat(ArticleParser.requiredColumns()).allSatisfy(
        c -> assertThat(dev.pixivdic.core.internal.RowSchema.column(c)).isPresent());
  }

  @Test
  void theContentHashFollowsItsDocumentedEncoding() {
    ArticleRow row = ArticleRow.builder(URL).title("猫").subTitle("ねこ").viewCount(5L)
        .childArticles(java.util.List.of("子1", "子2")).build();
    // Computed independently: sha256 of the documented encoding of these fields.
    assertThat(ContentHash.of(row))
        .isEqualTo("beb2197291ed8df3e867bcaf12ec312752ca180db3365cf2ef5cf2195247c9ec");
  }
}

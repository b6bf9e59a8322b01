package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArticleUrlTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"初音ミク", "μ's", "Re:ゼロから始める異世界生活", "C++", "100%", "AC/DC",
      "a b", "what?", "#hash", "😀絵文字", "ｆｕｌｌ　ｗｉｄｔｈ", "tilde~dot.under_score-dash"})
  void everyTitleSurvivesTheRoundTripThroughItsCanonicalUrl(String title) {
    ArticleUrl url = ArticleUrl.ofTitle(title);
    assertThat(ArticleUrl.parse(url.canonical())).isEqualTo(url);
    assertThat(url.canonical()).startsWith("https://dic.pixiv.net/a/")
        .doesNotContain(" ", "?", "#");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "https://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF|初音ミク",
      "https://dic.pixiv.net/a/%e5%88%9d%e9%9f%b3%e3%83%9f%e3%82%af|初音ミク",
      "http://dic.pixiv.net/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF/|初音ミク",
      "https://dic.pixiv.net/a/初音ミク|初音ミク",
      "https://DIC.PIXIV.NET/a/初音ミク?from=search#top|初音ミク",
      "  https://dic.pixiv.net/a/C%2B%2B  |C++",
      "https://dic.pixiv.net/a/C++|C++",
      "https://dic.pixiv.net/a/100%25|100%",
      "https://dic.pixiv.net/a/100%|100%",
      "https://dic.pixiv.net/a/AC%2FDC|AC/DC",
      "https://dic.pixiv.net/a/%CE%BC's|μ's",
      "https://dic.pixiv.net/a/a%20b|a b",
      "https://dic.pixiv.net/a/[作品]名|[作品]名",
      "https://dic.pixiv.net/a/%5B作品%5D名|[作品]名",
  })
  void variantsMapToOneCanonicalForm(String input, String title) {
    ArticleUrl url = ArticleUrl.parse(input);
    assertThat(url.title()).isEqualTo(title);
    assertThat(url.canonical())
        .isEqualTo("https://dic.pixiv.net/a/" + ArticleUrl.percentEncode(title));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"https://www.pixiv.net/a/x", "https://dic.pixiv.net/search?query=x",
      "https://dic.pixiv.net/a/", "ftp://dic.pixiv.net/a/x", "dic.pixiv.net/a/x", "",
      "not a url", "https://dic.pixiv.net:8443/a/x", "https://dic.pixiv.net/a/%E5%88",
      "https://dic.pixiv.net/a/%20%20", "https://evil.example/a/x?dic.pixiv.net"})
  void anythingElseIsRejectedWithAMessageNamingTheInput(String input) {
    // A query is shown as ?*** (see the next test); the rest of the input as given.
    assertThatThrownBy(() -> ArticleUrl.parse(input))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("'" + input.strip().split("\\?")[0]);
    assertThat(ArticleUrl.tryParse(input)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aRejectedUrlIsShownWithoutTheUserInfoQueryAndFragmentWhereCredentialsHide() {
    String input = "https://user:pw@dic.pixiv.net/b/x?token=s3cret#frag";
    assertThatThrownBy(() -> ArticleUrl.parse(input))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessage("not an article path (/a/<title>): 'https://***@dic.pixiv.net/b/x?***'")
        .satisfies(e -> assertThat(((InvalidArticleUrlException) e).input()).isEqualTo(input));
    assertThatThrownBy(() -> ArticleUrl.parse("https://evil.example/a/x?dic.pixiv.net"))
        .hasMessage("not on dic.pixiv.net: 'https://evil.example/a/x?***'");
    assertThatThrownBy(() -> ArticleUrl.parse("https://user:pw#x@dic.pixiv.net/b/x"))
        .as("a password holding '#', which a URI parser takes for the fragment")
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageNotContaining("pw");
  }

  @org.junit.jupiter.api.Test
  void encodingUsesUpperCaseHexAndKeepsUnreservedCharacters() {
    assertThat(ArticleUrl.ofTitle("AC/DC").canonical())
        .isEqualTo("https://dic.pixiv.net/a/AC%2FDC");
    assertThat(ArticleUrl.ofTitle("μ's").canonical())
        .isEqualTo("https://dic.pixiv.net/a/%CE%BC%27s");
    assertThat(ArticleUrl.ofTitle("a-b.c_d~e").encodedTitle()).isEqualTo("a-b.c_d~e");
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {"0001", "0009", "000A", "001F", "007F", "0085", "009F"})
  void aStoredUrlWhoseTitleHoldsAControlCharacterOtherThanNulStillReadsBack(String hex) {
    // Archives and sinks written before the sources refused such titles (SourceUrls) hold them.
    char c = (char) Integer.parseInt(hex, 16);
    String stored = "https://dic.pixiv.net/a/foo" + ArticleUrl.percentEncode(String.valueOf(c))
        + "bar";

    assertThat(ArticleUrl.parse(stored).title()).isEqualTo("foo" + c + "bar");
    assertThat(ArticleUrl.parse(stored).canonical()).isEqualTo(stored);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://dic.pixiv.net/a/foo%00bar", "https://dic.pixiv.net/a/x\u0000y"})
  void aTitleHoldingNulIsRejected(String url) {
    assertThatThrownBy(() -> ArticleUrl.parse(url))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("NUL");
  }

  /** Encoded as UTF-8, half a character became {@code ?}: the URL of another article. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://dic.pixiv.net/a/x\ud83d", "https://dic.pixiv.net/a/\ude00x",
      "https://dic.pixiv.net/a/x\ud83d?q=1"})
  void aUrlOrTitleHoldingHalfACharacterIsRejectedNotTurnedIntoAQuestionMark(String url) {
    assertThatThrownBy(() -> ArticleUrl.parse(url))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("unpaired surrogate U+D");
    assertThatThrownBy(() -> ArticleUrl.ofTitle(url.substring(24)))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("unpaired surrogate U+D");
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/x\ud83d\ude00").title())
        .isEqualTo("x😀");
  }

  @Test
  void halfACharacterIsFoundByItsIndexInTheInputAndOnlyWhereTheTitleIs() {
    assertThatThrownBy(() -> ArticleUrl.parse(" https://dic.pixiv.net/a/x\ud83d"))
        .hasMessageContaining("unpaired surrogate U+D83D at index 26");
    // A fragment or query is dropped: what it holds names no article.
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/foo#\ud83d").title()).isEqualTo("foo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://dic.pixiv.net/a/../a/x", "https://dic.pixiv.net/a/./x",
      "https://dic.pixiv.net/a/x/..", "https://dic.pixiv.net/a/x/%2e%2E/y",
      "https://dic.pixiv.net/a/%2E"})
  void aDotSegmentInTheTitlePathIsRefusedAsTheSourceReaderRefusesIt(String input) {
    assertThatThrownBy(() -> ArticleUrl.parse(input))
        .isInstanceOf(InvalidArticleUrlException.class).hasMessageContaining(". or ..");
    assertThat(ArticleUrl.tryParse(input)).isEmpty();
    // A dot inside a title is no dot segment.
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/x.../..y").title()).isEqualTo("x.../..y");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://dic.pixiv.net/a/..%2F..%2Fadmin",
      "https://dic.pixiv.net/a/%2E%2E%2Fadmin", "https://dic.pixiv.net/a/x%2F..%2F..%2Fadmin",
      "https://dic.pixiv.net/a/x%2f.", "https://dic.pixiv.net/a/.%2Fx"})
  void aDotSegmentSpelledWithAnEscapedSlashIsRefusedToo(String input) {
    assertThatThrownBy(() -> ArticleUrl.parse(input))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("a path segment of the decoded title is . or ..");
    assertThat(ArticleUrl.tryParse(input)).isEmpty();
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/AC%2FDC").title()).isEqualTo("AC/DC");
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/...%2F..x").title()).isEqualTo(".../..x");
  }

  /**
   * Some servers (and every browser, for a literal one) take a backslash for a slash: a dot
   * segment between backslashes steps up as one between escaped slashes does.
   */
  @ParameterizedTest
  @ValueSource(strings = {"https://dic.pixiv.net/a/x%5C..%5Cadmin",
      "https://dic.pixiv.net/a/..%5Cadmin", "https://dic.pixiv.net/a/x%5c.",
      "https://dic.pixiv.net/a/x\\..\\admin", "https://dic.pixiv.net/a/x%5C%2E%2E%2Fadmin"})
  void aDotSegmentBetweenBackslashesIsRefusedAsOneBetweenEscapedSlashes(String input) {
    assertThatThrownBy(() -> ArticleUrl.parse(input))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("a path segment of the decoded title is . or ..");
    assertThat(ArticleUrl.tryParse(input)).isEmpty();
    // A backslash without a dot segment beside it is part of a title.
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/%5C(%5Eo%5E)%2F").title())
        .isEqualTo("\\(^o^)/");
    assertThat(ArticleUrl.parse("https://dic.pixiv.net/a/x%5C...%5C..y").title())
        .isEqualTo("x\\...\\..y");
  }

}

package dev.pixivdic.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.InvalidArticleUrlException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceUrlsTest {

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(strings = {"0000", "0001", "0009", "000A", "000D", "001B", "001F", "007F", "0080",
      "0085", "009F"})
  void aTitleHoldingAControlCharacterIsRefusedHoweverItIsSpelt(String hex) {
    char c = (char) Integer.parseInt(hex, 16);
    String encoded = ArticleUrl.percentEncode(String.valueOf(c));
    for (String url : List.of("https://dic.pixiv.net/a/foo" + c + "bar",
        "https://dic.pixiv.net/a/foo" + encoded + "bar",
        "https://dic.pixiv.net/a/foo" + encoded.toLowerCase(Locale.ROOT) + "bar")) {
      assertThatThrownBy(() -> SourceUrls.parse(url))
          .as(url).isInstanceOf(InvalidArticleUrlException.class)
          .hasMessageContaining(c == 0 ? "NUL" : "control character U+" + hex + " at index 3");
      assertThat(SourceUrls.tryParse(url)).as(url).isEmpty();
    }
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"\thttps://dic.pixiv.net/a/foo\t", "https://dic.pixiv.net/a/foo\r",
      "  https://dic.pixiv.net/a/foo\n"})
  void whiteSpaceControlsAroundAUrlAreStrippedNotRefused(String input) {
    assertThat(SourceUrls.parse(input).title()).isEqualTo("foo");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ｆｕｌｌ　ｗｉｄｔｈ", "zero\u200dwidth", "soft\u00adhyphen", "nbsp\u00a0x",
      "[作品]名"})
  void charactersNextToTheControlsThatAreNoControlsStayAccepted(String title) {
    assertThat(SourceUrls.parse(ArticleUrl.ofTitle(title).canonical()).title()).isEqualTo(title);
    assertThat(SourceUrls.tryParse(null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://dic.pixiv.net/a/abc%20", "https://dic.pixiv.net/a/%20abc",
      "https://dic.pixiv.net/a/abc%C2%A0", "https://dic.pixiv.net/a/abc%E2%80%8B",
      "https://dic.pixiv.net/a/abc%EF%BB%BF", "https://dic.pixiv.net/a/%EF%BB%BFabc",
      "https://dic.pixiv.net/a/abc%E3%80%80", "https://dic.pixiv.net/a/%CC%81abc"})
  void aTitleBeginningOrEndingWithWhatShowsAsNothingIsRefused(String url) {
    assertThatThrownBy(() -> SourceUrls.parse(url))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("must not begin or end with white space or a character that"
            + " shows as nothing: U+");
    assertThat(SourceUrls.tryParse(url)).isEmpty();
    // Stored rows and archive entries with such a title still read back.
    assertThat(ArticleUrl.parse(url).title()).isNotEqualTo("abc");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://dic.pixiv.net/a//abc", "https://dic.pixiv.net/a/abc//",
      "https://dic.pixiv.net/a/a//b", "https://dic.pixiv.net/a/x//%2F", "https://dic.pixiv.net/a//"
      + "%5C(%5Eo%5E)%2F"})
  void aTitleWithAnEmptyPathSegmentIsRefused(String url) {
    assertThatThrownBy(() -> SourceUrls.parse(url))
        .isInstanceOf(InvalidArticleUrlException.class).hasMessageContaining("empty path segment");
    assertThat(SourceUrls.tryParse(url)).isEmpty();
  }

  /**
   * A slash spelled {@code %2F} is the title's own, not the path's: a title that begins or ends
   * with one, or holds two in a row, is read as written, and its canonical URL reads back as the
   * same article, in the same shard.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https://dic.pixiv.net/a/%5C(%5Eo%5E)%2F|\\(^o^)/",
      "https://dic.pixiv.net/a/A%2F%2FB|A//B", "https://dic.pixiv.net/a/%2Fabc|/abc",
      "https://dic.pixiv.net/a/abc%2F/|abc/", "http://dic.pixiv.net/a/%5C(^o^)%2f?x=1|\\(^o^)/"})
  void aTitleWhoseSlashesAreEscapedIsReadAsWritten(String urlAndTitle) {
    String url = urlAndTitle.substring(0, urlAndTitle.indexOf('|'));
    String title = urlAndTitle.substring(urlAndTitle.indexOf('|') + 1);

    ArticleUrl parsed = SourceUrls.parse(url);

    assertThat(parsed.title()).isEqualTo(title);
    assertThat(SourceUrls.tryParse(url)).contains(parsed);
    assertThat(SourceUrls.parse(parsed.canonical())).isEqualTo(parsed);
    // The key that sharding hashes is the title's canonical URL, whatever the spelling.
    assertThat(parsed.canonical()).isEqualTo(ArticleUrl.ofTitle(title).canonical())
        .startsWith("https://dic.pixiv.net/a/").doesNotContain("/a//").endsWith(
            ArticleUrl.percentEncode(title));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"AC/DC", "/", "\u30ab\u3099", "\u0e44\u0e21\u0e48",
      "\u2764\ufe0f", "a\u00a0b", "\ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc73"
      + "\udb40\udc63\udb40\udc74\udb40\udc7f"})
  void titlesEndingInAMarkOrAFlagTagOrHoldingAnInnerSpaceStayAccepted(String title) {
    assertThat(SourceUrls.parse(ArticleUrl.ofTitle(title).canonical()))
        .isEqualTo(ArticleUrl.ofTitle(title));
  }
}

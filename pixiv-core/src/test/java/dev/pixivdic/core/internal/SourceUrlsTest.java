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
}

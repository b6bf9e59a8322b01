package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SiteExchangeLocationTest {

  /** A header as the HTTP client hands it over: each byte one ISO-8859-1 character. */
  private static String asReceived(String utf8) {
    return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  @Test
  void rawUtf8IsReadAsUtf8AndPercentEncoded() {
    assertThat(SiteExchange.browserForm(asReceived("/a/初音ミク?x=é")))
        .isEqualTo("/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF?x=%C3%A9");
  }

  @Test
  void bytesThatAreNoUtf8AreEncodedAsTheCharactersTheyAre() {
    assertThat(SiteExchange.browserForm("/a/caf\u00e9")).isEqualTo("/a/caf%C3%A9");
  }

  @Test
  void whatAUriCannotHoldIsEncodedAndEncodedSequencesAreKept() {
    assertThat(SiteExchange.browserForm("/a/a b\"<>`{}|^%E5%88%9D?q=%20#f"))
        .isEqualTo("/a/a%20b%22%3C%3E%60%7B%7D%7C%5E%E5%88%9D?q=%20#f");
    assertThat(SiteExchange.browserForm("https://dic.pixiv.net/a/x"))
        .isEqualTo("https://dic.pixiv.net/a/x");
  }

  @Test
  void aControlCharacterIsLeftForTheUriToRefuse() {
    assertThat(SiteExchange.browserForm("/a/x\u0001y")).isEqualTo("/a/x\u0001y");
  }
}

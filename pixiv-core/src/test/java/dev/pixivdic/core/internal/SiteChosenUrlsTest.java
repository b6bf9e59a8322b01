package dev.pixivdic.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** How a message names a URL the site chose. */
class SiteChosenUrlsTest {

  @Test
  void aUrlIsItsSchemeHostPortAndPathAsSent() {
    assertThat(SiteChosenUrls.shown(URI.create(
        "https://user:secret@dic.pixiv.net:8443/a/%E5%88%9D%2Fx?token=abc#top")))
        .hasToString("https://dic.pixiv.net:8443/a/%E5%88%9D%2Fx");
    assertThat(SiteChosenUrls.shown(URI.create("http://[::1]:8080/login?return_to=/a/b")))
        .hasToString("http://[::1]:8080/login");
    assertThat(SiteChosenUrls.shown(URI.create("https://dic.pixiv.net?x=1")))
        .hasToString("https://dic.pixiv.net");
    assertThat(SiteChosenUrls.shown(URI.create("/login?token=abc#x"))).hasToString("/login");
    assertThat(SiteChosenUrls.shown(URI.create("mailto:someone@example.com?subject=x")))
        .hasToString("mailto:...");
  }

  /** A {@code Location} that is no URI is cut by the same rule, as text. */
  @Test
  void textThatIsNoUriLosesItsQueryFragmentAndUserInfoToo() {
    assertThat(SiteChosenUrls.shown("https://u:p@w@accounts.example/log in?token=SECRET"))
        .isEqualTo("https://accounts.example/log in");
    assertThat(SiteChosenUrls.shown("/login <x>#SECRET")).isEqualTo("/login <x>");
    assertThat(SiteChosenUrls.shown("//u@host/a%zz")).isEqualTo("//host/a%zz");
    assertThat(SiteChosenUrls.shown("/a/x@y")).isEqualTo("/a/x@y");
  }
}

package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SiteMappingTest {
  private final SiteMapping mirror = new SiteMapping(URI.create("http://127.0.0.1:8080/mirror/"));

  @Test
  void siteUrisAreSentToTheOriginWithItsPathPrefix() {
    assertThat(mirror.toOrigin(URI.create("https://dic.pixiv.net/a/%E5%88%9D?x=1")))
        .isEqualTo(URI.create("http://127.0.0.1:8080/mirror/a/%E5%88%9D?x=1"));
    assertThat(new SiteMapping(SiteMapping.SITE).toOrigin(URI.create("https://dic.pixiv.net")))
        .isEqualTo(URI.create("https://dic.pixiv.net/"));
  }

  @Test
  void redirectTargetsOnTheOriginOrTheSiteMapBackToTheSite() {
    assertThat(mirror.toSite(URI.create("http://127.0.0.1:8080/mirror/a/b")))
        .contains(URI.create("https://dic.pixiv.net/a/b"));
    assertThat(mirror.toSite(URI.create("http://dic.pixiv.net/a/b?q")))
        .contains(URI.create("https://dic.pixiv.net/a/b?q"));
  }

  @Test
  void otherHostsPortsAndPathsAreOffSite() {
    assertThat(mirror.toSite(URI.create("https://evil.example/a/b"))).isEmpty();
    assertThat(mirror.toSite(URI.create("http://127.0.0.1:8081/mirror/a"))).isEmpty();
    assertThat(mirror.toSite(URI.create("http://127.0.0.1:8080/elsewhere"))).isEmpty();
    assertThat(mirror.toSite(URI.create("https://dic.pixiv.net.evil.example/a"))).isEmpty();
    assertThat(mirror.toSite(URI.create("ftp://dic.pixiv.net/a"))).isEmpty();
  }

  @Test
  void dotSegmentsOfARedirectTargetAreRemovedAsTheServerWouldRemoveThem() {
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/mirror/../x")))
        .isEqualTo(URI.create("http://h/x"));
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/mirror/a/../../../x?q=1#f")))
        .isEqualTo(URI.create("http://h/x?q=1#f"));
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/../..")))
        .isEqualTo(URI.create("http://h/"));
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/a/./b/../c/")))
        .isEqualTo(URI.create("http://h/a/c/"));
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/a/%E5%88%9D.x/..y")))
        .isEqualTo(URI.create("http://h/a/%E5%88%9D.x/..y"));
    URI escaped = SiteMapping.withoutDotSegments(URI.create("http://127.0.0.1:8080/mirror/../x"));
    assertThat(mirror.toSite(escaped)).isEmpty();
  }

  @Test
  void emptySegmentsAreKeptForTheyNameAnotherPath() {
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/a/A//B")))
        .isEqualTo(URI.create("http://h/a/A//B"));
    assertThat(SiteMapping.withoutDotSegments(URI.create("http://h/a//./b/..")))
        .isEqualTo(URI.create("http://h/a//"));
    assertThat(SiteMapping.removeDotSegments("/a/b/../")).isEqualTo("/a/");
    assertThat(SiteMapping.removeDotSegments("/.")).isEqualTo("/");
    assertThat(SiteMapping.removeDotSegments("/")).isEqualTo("/");
  }

  @Test
  void aReferenceIsCheckedForEncodedDotsBeforeItIsResolved() {
    for (String ref : new String[] {"%2e%2e/../admin", "../%2E%2e/x?q", "/a/%2e"}) {
      assertThatThrownBy(() -> SiteMapping.requireNoEncodedDots(ref))
          .isInstanceOf(IllegalArgumentException.class);
    }
    SiteMapping.requireNoEncodedDots("/a/x%2ey?p=/%2e%2e/#/%2e");
    SiteMapping.requireNoEncodedDots("https://dic.pixiv.net/a/%E5%88%9D");
  }

  @Test
  void aDotSegmentSpelledWithPercentTwoEIsRefused() {
    for (String path : new String[] {"/mirror/%2e%2e/x", "/mirror/%2E./x", "/a/%2e/b",
        "/mirror/%2e%2e/../admin"}) {
      assertThatThrownBy(() -> SiteMapping.withoutDotSegments(URI.create("http://h" + path)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("%2");
    }
  }

  @Test
  void onlyHttpsUrlsOfTheSiteAreAccepted() {
    SiteMapping.requireSite(URI.create("https://dic.pixiv.net/a/x"));
    assertThatThrownBy(() -> SiteMapping.requireSite(URI.create("https://example.com/a/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://example.com/a/x");
    assertThatThrownBy(() -> SiteMapping.requireSite(URI.create("/a/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unusableOriginsAreRejectedByName() {
    // Another scheme's origin cannot be read: what looks like its host may be a secret.
    assertThatThrownBy(() -> SiteMapping.validateOrigin(URI.create("ftp://host/")))
        .hasMessageContaining("'ftp://***'").hasMessageNotContaining("host/");
    assertThatThrownBy(() -> SiteMapping.validateOrigin(URI.create("http://host/?q=1")))
        .hasMessageContaining("http://host/?***").hasMessageNotContaining("q=1");
    assertThatThrownBy(() -> SiteMapping.validateOrigin(URI.create("http://u:PASSWORD@host/#f")))
        .hasMessageContaining("http://***@host/#***").hasMessageNotContaining("PASSWORD");
  }
}

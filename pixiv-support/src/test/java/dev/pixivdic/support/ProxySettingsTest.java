package dev.pixivdic.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

  static final URI SITE = URI.create("https://dic.pixiv.net/a/x");
  static final URI PLAIN = URI.create("http://mirror.example/a/x");

  @Test
  void httpsTargetsTakeHttpsProxyAndHttpTargetsHttpProxyLowerCaseFirst() {
    ProxySettings p = ProxySettings.fromEnvironment(Map.of(
        "HTTPS_PROXY", "http://upper:3128", "https_proxy", "lower:8080",
        "HTTP_PROXY", "http://plain:3129"));

    assertThat(p.proxyFor(SITE)).map(e -> e.host() + ":" + e.port()).hasValue("lower:8080");
    assertThat(p.proxyFor(PLAIN)).map(e -> e.host() + ":" + e.port()).hasValue("plain:3129");
  }

  @Test
  void allProxyIsTheFallbackAndAPortLeftOutIsCurls1080() {
    ProxySettings p = ProxySettings.fromEnvironment(Map.of("ALL_PROXY", "proxy.corp"));

    assertThat(p.proxyFor(SITE)).map(ProxySettings.Endpoint::port).hasValue(1080);
    assertThat(p.proxyFor(PLAIN)).map(ProxySettings.Endpoint::host).hasValue("proxy.corp");
    assertThat(ProxySettings.fromEnvironment(Map.of()).isUsed()).isFalse();
  }

  @Test
  void noProxyMatchesHostsDomainsAndEverythingAndAppliesToTheOptionToo() {
    ProxySettings p =
        ProxySettings.fromEnvironment(Map.of("NO_PROXY", " .pixiv.net, 10.0.0.1 ,[::1]"))
            .withProxy("http://proxy:3128");

    assertThat(p.proxyFor(SITE)).isEmpty();
    assertThat(p.proxyFor(URI.create("https://pixiv.net/")))
        .as("a leading dot means subdomains only, as kubectl (Go) reads it").isPresent();
    assertThat(p.proxyFor(URI.create("http://10.0.0.1/"))).isEmpty();
    assertThat(p.proxyFor(URI.create("http://[::1]:8080/"))).isEmpty();
    assertThat(p.proxyFor(URI.create("https://notpixiv.net/"))).isPresent();
    assertThat(p.proxyFor(URI.create("https://bigquery.googleapis.com/"))).isPresent();
    assertThat(ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "p:1", "no_proxy", "*"))
        .proxyFor(SITE)).isEmpty();
  }

  @Test
  void credentialsAreDecodedForUseAndMaskedWhenShown() {
    ProxySettings p = ProxySettings.none().withProxy("http://alice:s%40cret@proxy:3128");

    ProxySettings.Endpoint e = p.proxyFor(SITE).orElseThrow();
    assertThat(e.user()).hasValue("alice");
    assertThat(e.password()).hasValue("s@cret");
    assertThat(p.hasCredentials()).isTrue();
    assertThat(e.toString()).isEqualTo("http://alice:***@proxy:3128");
    assertThat(p.toString()).doesNotContain("cret").contains("alice:***@proxy:3128");
    assertThat(ProxySettings.mask("http://alice:s%40cret@proxy:3128"))
        .isEqualTo("http://alice:***@proxy:3128");
    assertThat(ProxySettings.mask("tok3n@proxy:3128")).isEqualTo("***@proxy:3128");
  }

  /** A user alone, the way many proxy services take their token, was shown as "tok3n:***". */
  @Test
  void aUserAloneIsMaskedWhenShownAsTheMaskOfTheUrlIs() {
    ProxySettings p = ProxySettings.none().withProxy("http://tok3n@proxy:3128");

    assertThat(p.proxyFor(SITE).orElseThrow().user()).hasValue("tok3n");
    assertThat(p.proxyFor(SITE).orElseThrow().toString()).isEqualTo("http://***@proxy:3128");
    assertThat(p.toString()).doesNotContain("tok3n");
  }

  @Test
  void unusableProxiesAreRefusedNamingTheVariableWithoutTheSecret() {
    assertThatThrownBy(
            () -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "socks5://u:pw@h:1")))
        .hasMessageContaining("HTTPS_PROXY")
        .hasMessageContaining("only http://")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> ProxySettings.none().withProxy("http://u:topsecret@h:1/path"))
        .hasMessageContaining("--proxy").hasMessageContaining("u:***@")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> ProxySettings.none().withProxy("http://:1"))
        .hasMessageContaining("names no proxy host");
    assertThatThrownBy(() -> ProxySettings.none().withProxy("http://u:topsecret@h:99999"))
        .hasMessageContaining("has port 99999; a port is from 1 to 65535")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", "h:0")))
        .hasMessageContaining("HTTPS_PROXY").hasMessageContaining("has port 0");
  }

  @Test
  void aMaskLeavesNoPartOfAPasswordEvenInTextThatIsNoUrl() {
    assertThat(ProxySettings.mask("http://u:pa ss@word@[::1")).isEqualTo("http://u:***@[::1");
    assertThat(ProxySettings.mask("http://my user:pw@h:1")).isEqualTo("http://***@h:1");
    assertThat(ProxySettings.mask("u:p/w@h")).isEqualTo("u:***@h");
    assertThatThrownBy(() -> ProxySettings.none().withProxy("http://u:s3cr et@[::1"))
        .hasMessageContaining("is not a proxy URL").hasMessageNotContaining("s3cr")
        .hasMessageNotContaining("et@");
  }

  @Test
  void anIpv6ProxyIsShownInBrackets() {
    ProxySettings p = ProxySettings.none().withProxy("http://[::1]:3128");

    assertThat(p.proxyFor(SITE).orElseThrow().host()).isEqualTo("::1");
    assertThat(p.proxyFor(SITE).orElseThrow()).hasToString("http://[::1]:3128");
    assertThat(p.toString()).contains("https: http://[::1]:3128");
  }

  @Test
  void theAuthenticatorAnswersOnlyItsProxy() {
    ProxySettings p = ProxySettings.none().withProxy("http://alice:pw@127.0.0.1:3128");
    assertThat(p.authenticator().requestPasswordAuthenticationInstance(
        "127.0.0.1", null, 3128, "http", "loopback", "Basic", null,
        java.net.Authenticator.RequestorType.PROXY)).isNotNull()
        .satisfies(a -> assertThat(new String(a.getPassword())).isEqualTo("pw"));
    assertThat(p.authenticator().requestPasswordAuthenticationInstance(
        "dic.pixiv.net", null, 443, "https", "site", "Basic", null,
        java.net.Authenticator.RequestorType.SERVER)).isNull();
  }

  @Test
  void noProxySendsTheRequestDirectly() {
    assertThat(ProxySettings.none().javaProxy(SITE)).isEqualTo(java.net.Proxy.NO_PROXY);
    assertThat(ProxySettings.none().proxyFor(SITE)).isEqualTo(Optional.empty());
  }
}

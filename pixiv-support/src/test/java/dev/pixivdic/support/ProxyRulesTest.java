package dev.pixivdic.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of proxy rules (proxy-rules.tsv) runs through ProxySettings: how {@code pixiv} and
 * {@code pixiv-launch} read HTTPS_PROXY, NO_PROXY and their kin.
 */
class ProxyRulesTest {

  record Case(Map<String, String> env, Optional<String> option, URI target, String expected) {
    @Override
    public String toString() {
      return env + option.map(o -> " --proxy " + o).orElse("") + " " + target + " -> " + expected;
    }
  }

  static List<Case> table() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = ProxyRulesTest.class.getResourceAsStream("proxy-rules.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] cols = line.split("\t");
        Map<String, String> env = new LinkedHashMap<>();
        Optional<String> option = Optional.empty();
        for (String kv : cols[0].equals("-") ? new String[0] : cols[0].split(" ")) {
          String[] p = kv.split("=", 2);
          if (p[0].equals("--proxy")) {
            option = Optional.of(p[1]);
          } else {
            env.put(p[0], p[1]);
          }
        }
        cases.add(new Case(env, option, URI.create(cols[1]), cols[2]));
      }
    }
    return cases;
  }

  /** What the rules choose, in the table's words. */
  private static String chosen(Case c) {
    ProxySettings s = ProxySettings.fromEnvironment(c.env());
    s = c.option().map(s::withProxy).orElse(s);
    return s.proxyFor(c.target()).map(e -> e.host() + ":" + e.port()
        + e.user().map(u -> " user=" + u).orElse("")).orElse("direct");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void eachLineOfTheTableChoosesItsProxy(Case c) {
    if (c.expected().startsWith("refused: ")) {
      String message = c.expected().substring("refused: ".length());
      assertThatThrownBy(() -> chosen(c)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(message).hasMessageNotContaining("pw@")
          .hasMessageNotContaining("topsecret");
    } else {
      assertThat(chosen(c)).isEqualTo(c.expected());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void aLookupFunctionReadsTheEnvironmentAsTheMapDoes(Case c) {
    if (!c.expected().startsWith("refused: ") && c.option().isEmpty()) {
      assertThat(ProxySettings.fromEnvironment(c.env()::get).proxyFor(c.target()))
          .isEqualTo(ProxySettings.fromEnvironment(c.env()).proxyFor(c.target()));
    }
  }

  @Test
  void theTableCoversWhatTheDocsPromise() throws IOException {
    String all = table().toString();
    assertThat(all).contains("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
        "ALL_PROXY", "NO_PROXY", "no_proxy", "10.0.0.0/8", "fd00::/8", "*", ".corp.example");
  }

  @Test
  void credentialsAreMaskedAndGoToTheirProxyOnly() {
    String url = "http://alice:s%40cret@proxy:3128";
    assertThat(ProxySettings.mask(url)).isEqualTo("http://alice:***@proxy:3128");
    ProxySettings p = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", url,
        "NO_PROXY", "internal.example"));
    assertThat(p.toString()).doesNotContain("cret")
        .isEqualTo("http: direct, https: http://alice:***@proxy:3128, not for internal.example");
    assertThat(p.authorization(URI.create("https://k8s.example/"))).hasValue("Basic "
        + Base64.getEncoder().encodeToString("alice:s@cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(p.authorization(URI.create("https://internal.example/"))).isEmpty();
  }

  @Test
  void aKubeconfigProxyUrlGoesForEveryHostEvenThoseInNoProxy() {
    ProxySettings p = ProxySettings.only("kubeconfig proxy-url", "http://p:3128");
    assertThat(p.proxyFor(URI.create("https://127.0.0.1:6443/"))).isPresent();
    assertThatThrownBy(() -> ProxySettings.only("kubeconfig x proxy-url", "socks5://u:pw@h:1"))
        .hasMessageContaining("kubeconfig x proxy-url: only http://")
        .hasMessageNotContaining("pw");
  }
}

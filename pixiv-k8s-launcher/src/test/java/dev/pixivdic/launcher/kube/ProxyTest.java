package dev.pixivdic.launcher.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.fetch.LoopbackProxy;
import dev.pixivdic.launcher.fake.FakeKube;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server reached through an HTTP proxy on loopback, named by the kubeconfig's
 * {@code proxy-url} or by {@code HTTPS_PROXY}. Proxies wanting credentials are tested in a
 * process of their own (LaunchJarIT), as the JDK reads the setting that allows them once.
 */
class ProxyTest {
  private static TestPki pki;
  private FakeKube fake;
  private LoopbackProxy proxy;
  @TempDir Path dir;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  @BeforeEach
  void start() throws Exception {
    fake = FakeKube.start(pki);
    fake.always("GET", "^/api$", Responses.json(200,
        new ObjectMapper().readTree("{\"kind\":\"APIVersions\"}")));
  }

  @AfterEach
  void stop() {
    fake.close();
    if (proxy != null) {
      proxy.close();
    }
  }

  private Path kubeconfig(String clusterExtra) throws IOException {
    Path file = dir.resolve("config");
    Files.writeString(file, """
        current-context: main
        contexts: [{name: main, context: {cluster: c, user: u}}]
        clusters:
        - name: c
          cluster:
            server: "%s"
            certificate-authority-data: %s
            %s
        users: [{name: u, user: {token: secret-1}}]
        """.formatted(fake.url(), TestPki.base64(TestPki.pem(pki.ca)), clusterExtra));
    return file;
  }

  private KubeApi api(Path kubeconfig, Map<String, String> env) throws IOException {
    Cluster c = KubeConfig.resolve(Optional.of(kubeconfig), Optional.empty(),
        new KubeConfig.Environment(env, dir.resolve("home"), dir.resolve("no-sa"),
            Clock.systemUTC()));
    return new KubeApi(c, Duration.ofSeconds(10), Duration.ZERO);
  }

  private String tunnel() {
    return "127.0.0.1:" + fake.port();
  }

  @Test
  void theKubeconfigsProxyUrlCarriesTheRequestsThroughAConnectTunnel() throws Exception {
    proxy = LoopbackProxy.open();
    KubeApi api = api(kubeconfig("proxy-url: http://127.0.0.1:" + proxy.port()),
        Map.of("NO_PROXY", "127.0.0.1"));

    api.get("/api");

    assertThat(proxy.seen()).extracting(LoopbackProxy.Seen::method, LoopbackProxy.Seen::target)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("CONNECT", tunnel()));
    assertThat(fake.requests()).singleElement()
        .satisfies(r -> assertThat(r.authorization()).hasValue("Bearer secret-1"));
  }

  @Test
  void httpsProxyFromTheEnvironmentIsUsedUnlessNoProxyNamesTheServer() throws Exception {
    proxy = LoopbackProxy.open();
    String url = "http://127.0.0.1:" + proxy.port();
    api(kubeconfig(""), Map.of("HTTPS_PROXY", url)).get("/api");
    assertThat(proxy.seen()).extracting(LoopbackProxy.Seen::target).containsOnly(tunnel());

    api(kubeconfig(""), Map.of("https_proxy", url, "NO_PROXY", "10.0.0.0/8,127.0.0.0/8"))
        .get("/api");
    assertThat(proxy.seen()).as("no second tunnel").hasSize(1);
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void aProxyWantingCredentialsItWasNotGivenIsNamedMaskedInTheFailure() throws Exception {
    proxy = LoopbackProxy.withCredentials("ops", "hunter2");
    KubeApi api = api(kubeconfig(""), Map.of("HTTPS_PROXY",
        "http://ops:wrong-one@127.0.0.1:" + proxy.port()));

    assertThatThrownBy(() -> api.get("/api")).isInstanceOf(IOException.class)
        .hasMessageContaining("proxy").hasMessageNotContaining("wrong-one");
    assertThat(proxy.forwarded()).isEmpty();
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aProxyRefusingTheConnectionIsNamedNotTheApiServer() throws Exception {
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    KubeApi api = api(kubeconfig(""), Map.of("HTTPS_PROXY",
        "http://ops:hunter2@127.0.0.1:" + dead));

    assertThatThrownBy(() -> api.get("/api")).isInstanceOf(ApiConnectionException.class)
        .hasMessageContaining("cannot connect to the proxy http://127.0.0.1:" + dead
            + " on the way to the API server " + fake.url() + ": connection refused")
        .hasMessageNotContaining("hunter2").hasMessageNotContaining("ops")
        .hasMessageNotContaining("no answer from the API server");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void anUnusableProxyUrlNamesTheKubeconfigEntryWithoutTheSecret() throws Exception {
    Path config = kubeconfig("proxy-url: socks5://ops:hunter2@proxy.corp:1080");

    assertThatThrownBy(() -> api(config, Map.of())).isInstanceOf(IOException.class)
        .hasMessageContaining("context main proxy-url: only http://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> api(kubeconfig(""), Map.of("HTTPS_PROXY", "http://u:hunter2@p/x")))
        .isInstanceOf(IOException.class).hasMessageContaining("HTTPS_PROXY")
        .hasMessageContaining("u:***@").hasMessageNotContaining("hunter2");
  }
}

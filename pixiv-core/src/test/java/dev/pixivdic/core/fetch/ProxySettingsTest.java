package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.support.ProxySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * ProxySettings (pixiv-support) with the JDK's client, through a loopback proxy: what
 * {@link HttpFetcher} relies on. The rules themselves are tested in pixiv-support.
 */
class ProxySettingsTest {

  @Test
  void httpsRequestsAreTunnelledWithConnectThroughTheProxy() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.open();
        ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      // Reads the start of each TLS hello, then closes: no certificate needed to see the tunnel.
      // The client retries a failed GET, so every connection is served until the test ends.
      Thread closer = new Thread(() -> {
        while (!target.isClosed()) {
          try (Socket s = target.accept()) {
            s.getInputStream().read();
          } catch (IOException e) {
            return;
          }
        }
      });
      closer.setDaemon(true);
      closer.start();
      ProxySettings p = ProxySettings.none().withProxy("http://127.0.0.1:" + proxy.port());
      HttpClient client = HttpClient.newBuilder().proxy(p.selector()).build();
      URI url = URI.create("https://127.0.0.1:" + target.getLocalPort() + "/robots.txt");

      assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(url)
          .timeout(java.time.Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);

      assertThat(proxy.seen()).extracting(LoopbackProxy.Seen::method, LoopbackProxy.Seen::target)
          .contains(org.assertj.core.groups.Tuple.tuple("CONNECT",
              "127.0.0.1:" + target.getLocalPort()));
    }
  }

  @Test
  void plainHttpGoesToTheProxyWithItsCredentialsAfter407() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.withCredentials("alice", "pw");
        ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread site = new Thread(() -> {
        try (Socket s = target.accept()) {
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close"
              + "\r\n\r\nok").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
          // closed
        }
      });
      site.start();
      ProxySettings p = ProxySettings.none().withProxy("http://alice:pw@127.0.0.1:" + proxy.port());
      HttpClient client = HttpClient.newBuilder().proxy(p.selector())
          .authenticator(p.authenticator()).version(HttpClient.Version.HTTP_1_1).build();
      URI url = URI.create("http://127.0.0.1:" + target.getLocalPort() + "/a/x");

      HttpResponse<String> r = client.send(HttpRequest.newBuilder(url)
          .timeout(java.time.Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
      assertThat(proxy.seen())
          .extracting(LoopbackProxy.Seen::authorized)
          .containsExactly(false, true);
      assertThat(proxy.forwarded())
          .extracting(LoopbackProxy.Seen::target)
          .containsExactly(url.toString());
      site.join(10_000);
    }
  }
}

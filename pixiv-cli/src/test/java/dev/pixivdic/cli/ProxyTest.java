package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.core.fetch.LoopbackProxy;
import dev.pixivdic.webhook.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --proxy}: the site and BigQuery reached through a proxy on loopback. */
class ProxyTest {

  static final String SOURCE = "my-project.pixiv.src";
  static final String DEST = "my-project.pixiv.pixiv_detail_info";

  FakeSite site;
  BigQueryStandIn bq;
  LoopbackProxy proxy;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
    bq = BigQueryStandIn.start();
    proxy = LoopbackProxy.withCredentials("ops", "hunter2-proxy");
    List<Map<String, String>> data = new ArrayList<>();
    for (String url : ScrapeCommandTest.urls(4)) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("middle_class_ip_name", "作品");
      row.put("URL", url);
      data.add(row);
    }
    bq.seed(SOURCE, data);
  }

  @AfterEach
  void stop() {
    proxy.close();
    site.close();
    bq.close();
  }

  @Test
  void theSiteAndBigQueryAreReachedThroughTheProxyWithItsCredentialsNeverShown() {
    String url = "http://ops:hunter2-proxy@127.0.0.1:" + proxy.port();
    Cli.Result r = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
        "--url-column", "URL", "--bigquery-endpoint", bq.endpoint().toString(), "--location",
        "US", "--origin", site.origin(), "--qps", "1000", "--progress", "none",
        "--drift-min-pages", "2", "--proxy", url);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(bq.rows(DEST)).hasSize(4);
    List<String> through = proxy.forwarded().stream().map(LoopbackProxy.Seen::target).toList();
    assertThat(through).as("the site's requests").anyMatch(t -> t.startsWith(site.origin() + "/a/"))
        .anyMatch(t -> t.equals(site.origin() + "/robots.txt"));
    assertThat(through).as("BigQuery's requests")
        .anyMatch(t -> t.startsWith(
            bq.endpoint().toString().replaceFirst("/$", "") + "/bigquery/v2/"));
    assertThat(proxy.seen()).as("a 407 first, then the credentials").anyMatch(s -> !s.authorized());
    assertThat(r.err()).doesNotContain("hunter2");
  }

  @Test
  void theRunsNoticeGoesThroughTheProxyTooWithItsCredentials() throws IOException {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      Cli.Result r = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
          "--url-column", "URL", "--bigquery-endpoint", bq.endpoint().toString(), "--location",
          "US", "--origin", site.origin(), "--qps", "1000", "--progress", "none",
          "--drift-min-pages", "2", "--proxy", "http://ops:hunter2-proxy@127.0.0.1:"
              + proxy.port(), "--notify", receiver.url().toString(), "--notify-on", "always");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(receiver.requests()).hasSize(1);
      assertThat(proxy.forwarded()).extracting(LoopbackProxy.Seen::target)
          .anyMatch(t -> t.contains(receiver.url().getAuthority()));
      assertThat(r.err()).doesNotContain("hunter2").doesNotContain(receiver.secret());
    }
  }

  @Test
  void withoutTheProxysCredentialsTheSiteIsNotReachedAndTheRunSaysSo() {
    Cli.Result r = Cli.run("scrape", "--source", "bq:" + SOURCE, "--sink", "bq:" + DEST,
        "--url-column", "URL", "--bigquery-endpoint", bq.endpoint().toString(), "--location",
        "US", "--origin", site.origin(), "--qps", "1000", "--progress", "none",
        "--proxy", "http://ops:wrong@127.0.0.1:" + proxy.port());

    assertThat(r.code()).isNotIn(0, 1);
    assertThat(bq.rows(DEST)).isEmpty();
    assertThat(proxy.forwarded()).isEmpty();
    assertThat(r.err()).doesNotContain("wrong@");
  }

  @Test
  void aProxyThatIsDownIsNamedAsWhatIsUnreachableWithItsSecretMasked(@TempDir Path dir)
      throws IOException {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Path urls = dir.resolve("urls.txt");
    Files.write(urls, ScrapeCommandTest.urls(3));

    Cli.Result r = Cli.run("scrape", "--source", urls.toString(), "--sink",
        dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--progress", "none",
        "--max-attempts", "1", "--proxy", "http://ops:hunter2@127.0.0.1:" + closed);

    assertThat(r.code()).as(r.err()).isEqualTo(75);
    assertThat(r.err()).contains(site.origin() + " (through the proxy http://")
        .contains("@127.0.0.1:" + closed + ")").doesNotContain("hunter2");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void aProxyRefusingItsCredentialsIsSaidSoWhenRobotsTxtIsFetchedFirst(@TempDir Path dir)
      throws IOException {
    Path urls = dir.resolve("urls.txt");
    Files.write(urls, ScrapeCommandTest.urls(2));

    Cli.Result r = Cli.run("scrape", "--source", urls.toString(), "--sink",
        dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--progress", "none",
        "--max-attempts", "1", "--proxy", "http://ops:wrong-pass@127.0.0.1:" + proxy.port());

    assertThat(r.code()).as(r.err()).isEqualTo(75);
    assertThat(r.err()).contains("refused its credentials").doesNotContain("wrong-pass");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void anUnusableProxyIsAUsageErrorWithTheSecretMasked(@TempDir Path dir) throws IOException {
    Path urls = dir.resolve("urls.txt");
    Files.write(urls, ScrapeCommandTest.urls(1));
    Cli.Result r = Cli.run("scrape", "--source", urls.toString(), "--sink",
        dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--proxy",
        "socks5://ops:hunter2@127.0.0.1:1080");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--proxy", "only http://").doesNotContain("hunter2");

    // A key in the proxy's query is not shown, and the advice is not garbled by the masking.
    for (String proxy : List.of("http://127.0.0.1:1/?key=K3YSECRET", "127.0.0.1:1/K3YSECRET",
        "http://127.0.0.1:1/?key=K3YSECRET Q", "http://127.0.0.1:1/%ZZK3YSECRET")) {
      Cli.Result q = Cli.run("scrape", "--source", urls.toString(), "--sink",
          dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--proxy", proxy);

      assertThat(q.code()).as(q.err()).isEqualTo(2);
      assertThat(q.err()).contains("'http://127.0.0.1:1' is ",
          "a proxy is http://host[:port], with user:password@ before the host")
          .doesNotContain("K3YSECRET");
    }
  }
}

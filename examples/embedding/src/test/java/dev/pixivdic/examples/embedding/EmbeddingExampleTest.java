package dev.pixivdic.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

  private static final String TOUHOU = "https://dic.pixiv.net/a/%E6%9D%B1%E6%96%B9Project";
  private static final String NO_COUNTS =
      "https://dic.pixiv.net/a/%E3%82%AB%E3%82%A6%E3%83%B3%E3%83%88%E7%84%A1%E3%81%97";
  private static final String MISSING =
      "https://dic.pixiv.net/a/%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84";

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  @BeforeEach
  void startLoopbackSite() throws IOException {
    Map<String, byte[]> pages = Map.of(
        URI.create(TOUHOU).getRawPath(), fixture("touhou.html"),
        URI.create(NO_COUNTS).getRawPath(), fixture("no-counts.html"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getRawPath();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (path.equals("/robots.txt")) {
        send(ex, 200, "User-agent: *\nDisallow: /admin/\n".getBytes(StandardCharsets.UTF_8));
      } else if (pages.containsKey(path)) {
        send(ex, 200, pages.get(path));
      } else {
        send(ex, 404, "<html><head><title>not found</title></head><body>記事が見つかりません</body></html>"
            .getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void parsesASavedPageIntoARow() {
    ParseResult r = EmbeddingExample.parse(TOUHOU, fixture("touhou.html"));
    assertThat(r.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(r.row()).get().satisfies(row -> {
      assertThat(row.title()).isEqualTo("東方Project");
      assertThat(row.viewCount()).isEqualTo(98765432L);
      assertThat(row.childArticles()).containsExactly("博麗霊夢", "霧雨魔理沙");
    });
  }

  @Test
  void scrapesAListIntoItsOwnSinkAndSkipsWhatItAlreadyHoldsOnTheNextRun() {
    ViewCountSink sink = new ViewCountSink();
    URI origin = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

    RunReport first =
        EmbeddingExample.scrape(List.of(TOUHOU, NO_COUNTS, MISSING), sink, 50, origin);

    assertThat(first.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(first.count(Outcome.ARTICLE)).isEqualTo(2);
    assertThat(first.count(Outcome.NOT_FOUND)).isEqualTo(1);
    assertThat(sink.entries()).containsOnlyKeys(TOUHOU, NO_COUNTS);
    assertThat(sink.entries().get(TOUHOU).title()).isEqualTo("東方Project");
    assertThat(sink.entries().get(TOUHOU).viewCount()).isEqualTo(98765432L);
    assertThat(sink.entries().get(NO_COUNTS).viewCount()).isNull();

    RunReport second = EmbeddingExample.scrape(List.of(TOUHOU, NO_COUNTS), sink, 50, origin);

    assertThat(second.skipped()).isEqualTo(2);
    assertThat(hits.get(URI.create(TOUHOU).getRawPath())).hasValue(1);
  }

  private static byte[] fixture(String name) {
    try (InputStream in = EmbeddingExampleTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    try (ex) {
      ex.getResponseHeaders().add("Content-Type",
          status == 200 && !ex.getRequestURI().getPath().equals("/robots.txt")
              ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}

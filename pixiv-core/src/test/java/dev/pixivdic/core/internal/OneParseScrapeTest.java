package dev.pixivdic.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.fetch.LoopbackSite;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.scrape.PixivScraper;
import dev.pixivdic.core.testing.InMemorySink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole page on its way from the fetcher to the row is parsed once: the parser's own parse
 * tells whether it was cut short, and nothing parses it again to ask (every parse of a page is
 * made by a {@link DocumentEnd#parser()}, which counts them).
 */
@Timeout(60)
class OneParseScrapeTest {

  private static final Path CASE = Path.of("src", "test", "resources", "corpus", "article");

  /** A page of the current DOM alone (the full path) and one with __NEXT_DATA__ (the fast). */
  @ParameterizedTest
  @ValueSource(strings = {"current-dom-full", "current-nextdata-full"})
  void aWholePageIsParsedOnceFromItsFetchToItsRow(String name) throws IOException {
    JsonNode expected = new ObjectMapper().readTree(CASE.resolve(name + ".expected.json")
        .toFile());
    String url = expected.path("url").asText();
    byte[] page = Files.readAllBytes(CASE.resolve(name + ".html"));
    String path = URI.create(url).getRawPath();
    try (LoopbackSite site = LoopbackSite.start(exchange -> {
      String asked = exchange.getRequestURI().getRawPath();
      boolean robots = asked.equals("/robots.txt");
      byte[] body = robots ? "User-agent: *\nDisallow: /admin/\n".getBytes(UTF_8)
          : asked.equals(path) ? page : new byte[0];
      exchange.getResponseHeaders().set("Content-Type",
          robots ? "text/plain" : "text/html; charset=UTF-8");
      exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length
          : -1);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    })) {
      InMemorySink<ArticleRow> sink = InMemorySink.forRows();
      long before = DocumentEnd.PARSERS.sum();

      RunReport report = PixivScraper.builder().qps(1000).origin(site.origin()).sink(sink)
          .build().run(List.of(url));

      long parses = DocumentEnd.PARSERS.sum() - before;
      assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
      assertThat(sink.rows()).extracting(ArticleRow::viewCount)
          .containsExactly(expected.path("row").path("view_count").asLong());
      assertThat(parses).as("parses of the page").isEqualTo(1);
    }
  }

  /**
   * A page whose bytes look whole (an {@code </html>} in a text area) cut inside that text area,
   * where only the parse can tell: the parser's verdict asks the site again, and the whole
   * answer gives the row.
   */
  @ParameterizedTest
  @ValueSource(strings = {"current-dom-full", "current-nextdata-full"})
  void aPageCutWhereOnlyItsParseCanTellIsFetchedAgainAndStoredWhole(String name)
      throws IOException {
    JsonNode expected = new ObjectMapper().readTree(CASE.resolve(name + ".expected.json")
        .toFile());
    String url = expected.path("url").asText();
    String text = Files.readString(CASE.resolve(name + ".html"));
    int at = text.indexOf("<div", text.indexOf("<body"));
    String decoy = "<textarea></html>";
    String whole = text.substring(0, at) + decoy + "</textarea>" + text.substring(at);
    byte[] cut = whole.substring(0, at + decoy.length()).getBytes(UTF_8);
    String path = URI.create(url).getRawPath();
    AtomicInteger asks = new AtomicInteger();
    try (LoopbackSite site = LoopbackSite.start(exchange -> {
      String asked = exchange.getRequestURI().getRawPath();
      boolean robots = asked.equals("/robots.txt");
      byte[] body = robots ? "User-agent: *\nDisallow: /admin/\n".getBytes(UTF_8)
          : !asked.equals(path) ? new byte[0]
          : asks.incrementAndGet() == 1 ? cut : whole.getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          robots ? "text/plain" : "text/html; charset=UTF-8");
      exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length
          : -1);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    })) {
      InMemorySink<ArticleRow> sink = InMemorySink.forRows();

      RunReport report = PixivScraper.builder().qps(1000).maxAttempts(2)
          .origin(site.origin()).sink(sink).build().run(List.of(url));

      assertThat(asks).hasValue(2);
      assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
      assertThat(report.failed()).isZero();
      JsonNode row = expected.path("row");
      assertThat(sink.rows()).singleElement().satisfies(r -> {
        assertThat(r.viewCount()).isEqualTo(row.path("view_count").asLong());
        assertThat(r.worksCount()).isEqualTo(row.path("works_count").asLong());
        assertThat(r.childArticles()).hasSize(row.path("child_articles").size());
      });
    }
  }
}

package dev.pixivdic.core.scrape;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.LoopbackSite;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.testing.InMemorySink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page whose body ends with the connection (no {@code Content-Length}, not chunked), which
 * the origin closed early: the HTTP client cannot tell it from the whole page, so the run must.
 */
@Timeout(60)
class CutBodyScrapeTest {

  private static final Path CASE = Path.of("src", "test", "resources", "corpus", "article");
  private static final String ALWAYS_CUT = "https://dic.pixiv.net/a/always-cut";

  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private ServerSocket server;
  private String articleUrl;
  private JsonNode expectedRow;
  private byte[] page;
  /** Where the first answer for the article stops: inside its view count's digits. */
  private int cutAt;
  /** The article's first answer and the later ones; null for the page cut, then whole. */
  private volatile byte[] firstAnswer;
  private volatile byte[] laterAnswers;
  /** The {@code Content-Type} of every page's answer. */
  private volatile String contentType = "text/html; charset=utf-8";

  @BeforeEach
  void startSite() throws IOException {
    JsonNode expected = new ObjectMapper()
        .readTree(CASE.resolve("current-dom-full.expected.json").toFile());
    articleUrl = expected.path("url").asText();
    expectedRow = expected.path("row");
    page = Files.readAllBytes(CASE.resolve("current-dom-full.html"));
    String views = String.format("%,d", expectedRow.path("view_count").asLong());
    cutAt = new String(page, ISO_8859_1).indexOf(views) + 1; // a byte offset
    assertThat(cutAt).isPositive();
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    String articlePath = URI.create(articleUrl).getRawPath();
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          String path = LoopbackSite.requestPath(s.getInputStream());
          if (path == null) {
            continue;
          }
          int n = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          OutputStream out = s.getOutputStream();
          if (path.equals("/robots.txt")) {
            byte[] robots = "User-agent: *\nDisallow: /admin/\n".getBytes(UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + robots.length + "\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
            out.write(robots);
          } else {
            // Delimited by the connection's close, as HTTP/1.0 servers and some proxies send.
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n"
                + "Connection: close\r\n\r\n").getBytes(ISO_8859_1));
            boolean whole = path.equals(articlePath) && n > 1;
            byte[] answer = whole ? page : Arrays.copyOf(page, cutAt);
            if (path.equals(articlePath) && firstAnswer != null) {
              answer = n > 1 ? laterAnswers : firstAnswer;
            }
            out.write(answer);
          }
          out.flush();
        } catch (IOException e) {
          // closed at the end of the test, or the client went away
        }
      }
    }, "cut-site");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void aBodyCutByTheConnectionsCloseIsFetchedAgainNotStoredWithACutCount() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    URI origin = URI.create("http://127.0.0.1:" + server.getLocalPort());

    RunReport report = PixivScraper.builder().qps(1000).maxAttempts(2).origin(origin)
        .sink(sink).build().run(List.of(articleUrl, ALWAYS_CUT));

    // The article: cut on the first attempt, whole on the second, stored with its own counts.
    assertThat(hits.get(URI.create(articleUrl).getRawPath())).hasValue(2);
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactly(articleUrl);
    ArticleRow row = sink.rows().get(0);
    assertThat(row.viewCount()).isEqualTo(expectedRow.path("view_count").asLong());
    assertThat(row.worksCount()).isEqualTo(expectedRow.path("works_count").asLong());
    // The page cut on every attempt: a failure that says so, no row, nothing for the drift
    // guard, and the next run fetches it again.
    assertThat(hits.get("/a/always-cut")).hasValue(2);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.count(Outcome.UNRECOGNIZED)).isZero();
    assertThat(report.count(Outcome.ARTICLE)).isEqualTo(1);
    assertThat(report.problems()).anyMatch(p -> p.contains("/a/always-cut")
        && p.contains("HTTP 200 with a body cut short (it ends before its document does"));
    assertThat(report.stopReason()).isNotEqualTo(StopReason.PARSE_BREAKAGE);
  }

  /** What a CDN or a server may put after the document's end. */
  @ParameterizedTest
  @ValueSource(strings = {"\n<script src=\"/cdn-cgi/beacon.min.js\" defer></script>\n",
      "\nserved by mirror 3\n", "<!-- 3 -->"})
  void aWholePageWithSomethingAfterItsEndIsStoredOnTheFirstAttempt(String after) {
    String whole = new String(page, UTF_8).strip();
    firstAnswer = (whole + after).getBytes(UTF_8);
    laterAnswers = firstAnswer;
    assertStoredWhole(1, "after the end: " + after);
    firstAnswer = whole.replace("</html>", "</html foo=\"1\">").getBytes(UTF_8);
    laterAnswers = firstAnswer;
    hits.clear();
    assertStoredWhole(1, "</html foo=\"1\">");
  }

  /**
   * A page cut right after an {@code </html>} that is text (an attribute's value, a text area),
   * or cut in a counter when it has no {@code <html} tag: fetched again, stored whole.
   */
  @ParameterizedTest
  @ValueSource(strings = {"<a title=\"</html>|\">x</a>", "<textarea></html>|</textarea>",
      "<noscript></html>|</noscript>", "<template><div></html>|</div></template>",
      "no <html> tag"})
  void aPageCutWhereTheBytesLookWholeIsFetchedAgain(String decoy) {
    String whole = new String(page, UTF_8);
    String first;
    if (decoy.equals("no <html> tag")) {
      whole = whole.replace("<html lang=\"ja\">", "").replace("</body></html>", "");
      String works = String.format("%,d", expectedRow.path("works_count").asLong());
      first = whole.substring(0, whole.indexOf(works) + 1);
    } else {
      int at = whole.indexOf("<a href=\"/a/%E9%9C%A7"); // the second child article
      String open = decoy.substring(0, decoy.indexOf('|'));
      whole = whole.substring(0, at) + open + decoy.substring(decoy.indexOf('|') + 1)
          + whole.substring(at);
      first = whole.substring(0, at + open.length());
    }
    firstAnswer = first.getBytes(UTF_8);
    laterAnswers = whole.getBytes(UTF_8);
    assertStoredWhole(2, decoy);
  }

  /**
   * A page labelled as something else than HTML (a mirror or proxy that mislabels), which the
   * parser reads as markup all the same: cut, it is fetched again as an HTML page is (it was
   * parsed once, judged unrecognised, and many of them stopped the run as parse breakage).
   */
  @ParameterizedTest
  @ValueSource(strings = {"text/plain; charset=utf-8", "application/octet-stream",
      "application/json"})
  void aCutPageLabelledAsAnotherTypeIsFetchedAgain(String type) {
    contentType = type;
    firstAnswer = Arrays.copyOf(page, cutAt);
    laterAnswers = page;
    assertStoredWhole(2, type);
  }

  /** The article is stored with the whole page's values, after {@code attempts} requests. */
  private void assertStoredWhole(int attempts, String what) {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    URI origin = URI.create("http://127.0.0.1:" + server.getLocalPort());

    RunReport report = PixivScraper.builder().qps(1000).maxAttempts(2).origin(origin)
        .sink(sink).build().run(List.of(articleUrl));

    assertThat(hits.get(URI.create(articleUrl).getRawPath())).as(what).hasValue(attempts);
    assertThat(report.stopReason()).as(what).isEqualTo(StopReason.COMPLETED);
    assertThat(report.failed()).as(what).isZero();
    assertThat(sink.rows()).as(what).hasSize(1);
    ArticleRow row = sink.rows().get(0);
    assertThat(row.worksCount()).isEqualTo(expectedRow.path("works_count").asLong());
    assertThat(row.childArticles()).hasSize(2);
    assertThat(row.siblingArticles()).hasSize(1);
  }
}

package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.scrape.PixivScraper;
import dev.pixivdic.core.testing.InMemorySink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies in each {@code Content-Encoding} a server may send, asked for or not, through the real
 * fetcher against a loopback site: what is decoded, what fails for good (not retried, and in a
 * run not asking for a retry of the whole run), and what stops at the body cap.
 */
@Timeout(60)
class ContentEncodingIT {

  private static final Path ARTICLE =
      Path.of("src/test/resources/corpus/article/current-dom-full.html");
  private static final String TEXT = "<!DOCTYPE html><html><body>decoded 記事</body></html>\n";

  /**
   * One answer: its status, {@code Content-Encoding} (null: none), bytes and {@code Location}
   * (null: none).
   */
  private record Answer(int status, String encoding, byte[] body, String location) {
    Answer(String encoding, byte[] body) {
      this(200, encoding, body, null);
    }
  }

  private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private LoopbackSite site;
  private HttpFetcher fetcher;

  @AfterEach
  void stop() {
    if (fetcher != null) {
      fetcher.close();
    }
    if (site != null) {
      site.close();
    }
  }

  /** {@code path} answered with {@code encoding} and {@code body}, then the next answers. */
  private void serve(String path, String encoding, byte[] body, Answer... then) {
    serve(path, new Answer(encoding, body), then);
  }

  /** {@code path} answered with {@code first}, then the next answers. */
  private void serve(String path, Answer first, Answer... then) {
    List<Answer> list = new ArrayList<>();
    list.add(first);
    list.addAll(Arrays.asList(then));
    answers.put(path, list);
  }

  private HttpFetcher.Builder started() throws IOException {
    site = LoopbackSite.start(this::handle);
    FakeTime time = new FakeTime();
    return HttpFetcher.builder().origin(site.origin()).respectRobots(false).qps(1000)
        .maxAttempts(3).sleeper(time).nanoTime(time).clock(time.clock());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      int nth = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      List<Answer> list = answers.get(path);
      if (list == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      Answer a = list.get(Math.min(nth, list.size()) - 1);
      ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      if (a.encoding() != null) {
        ex.getResponseHeaders().add("Content-Encoding", a.encoding());
      }
      if (a.location() != null) {
        ex.getResponseHeaders().add("Location", a.location());
      }
      ex.sendResponseHeaders(a.status(), a.body().length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(a.body());
      }
    }
  }

  private FetchResponse get(String path) throws Exception {
    return fetcher.get(URI.create("https://dic.pixiv.net" + path));
  }

  private int requestsFor(String path) {
    AtomicInteger n = requests.get(path);
    return n == null ? 0 : n.get();
  }

  @Test
  void aDeflateBodyInTheZlibFormatIsDecoded() throws Exception {
    byte[] zlib = deflate(bytes(TEXT), false);
    assertThat(zlib[0]).as("a zlib header").isEqualTo((byte) 0x78);
    serve("/a/zlib", "deflate", zlib);
    fetcher = started().build();

    FetchResponse r = get("/a/zlib");

    assertThat(r.bodyText()).isEqualTo(TEXT);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(fetcher.stats().bytesOnWire()).isEqualTo(zlib.length);
  }

  @Test
  void aRawDeflateBodyAsSomeServersSendItIsDecoded() throws Exception {
    serve("/a/raw", "Deflate", deflate(bytes(TEXT), true));
    fetcher = started().build();

    assertThat(get("/a/raw").bodyText()).isEqualTo(TEXT);
  }

  @Test
  void aBodyGzippedTwiceIsDecodedTwice() throws Exception {
    serve("/a/twice", "gzip, gzip", gzip(gzip(bytes(TEXT))));
    fetcher = started().build();

    assertThat(get("/a/twice").bodyText()).isEqualTo(TEXT);
  }

  @Test
  void stackedCodingsAreUndoneFromTheLastListedToTheFirst() throws Exception {
    // Deflated first, then gzipped: the gzip layer, listed last, is the outer one.
    serve("/a/order", "deflate, gzip", gzip(deflate(bytes(TEXT), false)));
    fetcher = started().build();

    assertThat(get("/a/order").bodyText()).isEqualTo(TEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-gzip, gzip", "GZIP, X-Gzip", " gzip ,, identity , GZIP "})
  void xGzipAndTokensInAnyCaseAreGzipInAList(String contentEncoding) throws Exception {
    serve("/a/tokens", contentEncoding, gzip(gzip(bytes(TEXT))));
    fetcher = started().build();

    assertThat(get("/a/tokens").bodyText()).isEqualTo(TEXT);
  }

  @Test
  void aBrotliBodyFailsForGoodOnTheFirstAttemptNamingTheCoding() throws Exception {
    serve("/a/br", "br", new byte[] {0x1b, 0x03, 0x00, (byte) 0xf8});
    fetcher = started().build();

    assertThatThrownBy(() -> get("/a/br")).isInstanceOf(UndecodableBodyException.class)
        .hasMessageContaining("https://dic.pixiv.net/a/br")
        .hasMessageContaining("unsupported Content-Encoding 'br'")
        .hasMessageContaining("decodes gzip and deflate only");
    assertThat(requestsFor("/a/br")).as("not retried").isEqualTo(1);
    assertThat(fetcher.stats().responses(200)).as("an answer all the same").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"compress", "gzip, zstd", "x-unknown"})
  void anyOtherCodingInTheListFailsForGoodNamingIt(String contentEncoding) throws Exception {
    serve("/a/other", contentEncoding, gzip(bytes(TEXT)));
    fetcher = started().build();

    String token = contentEncoding.substring(contentEncoding.lastIndexOf(' ') + 1);
    assertThatThrownBy(() -> get("/a/other")).isInstanceOf(UndecodableBodyException.class)
        .hasMessageContaining("unsupported Content-Encoding '" + token + "'");
    assertThat(requestsFor("/a/other")).isEqualTo(1);
  }

  @Test
  void aCorruptGzipBodyFailsForGoodWithoutARetry() throws Exception {
    byte[] corrupt = gzip(bytes(TEXT));
    corrupt[corrupt.length - 6] ^= 0x55; // the CRC-32 of the trailer no longer matches
    serve("/a/corrupt", "gzip", corrupt);
    fetcher = started().build();

    assertThatThrownBy(() -> get("/a/corrupt")).isInstanceOf(UndecodableBodyException.class)
        .hasMessageContaining("/a/corrupt")
        .hasMessageContaining("malformed gzip body (" + corrupt.length + " bytes received)");
    assertThat(requestsFor("/a/corrupt")).isEqualTo(1);
  }

  @Test
  void aCorruptDeflateBodyFailsForGoodWithoutARetry() throws Exception {
    serve("/a/notdeflate", "deflate", new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3, 4});
    fetcher = started().build();

    assertThatThrownBy(() -> get("/a/notdeflate")).isInstanceOf(UndecodableBodyException.class)
        .hasMessageContaining("malformed deflate body (6 bytes received)");
    assertThat(requestsFor("/a/notdeflate")).isEqualTo(1);
  }

  /** Bytes that are no data of any coding: what a body in a coding not read looks like. */
  private static final byte[] JUNK = {0x1b, 0x03, 0x00, (byte) 0xf8, 0x7f, 0x00, 0x11};

  /** The body of {@code encoding} that the fetcher cannot decode: junk, or corrupt gzip. */
  private static byte[] unreadable(String encoding) throws IOException {
    if (!encoding.equals("gzip")) {
      return JUNK;
    }
    byte[] corrupt = gzip(bytes("<html><body>503 Service Unavailable</body></html>"));
    corrupt[corrupt.length - 6] ^= 0x55; // the CRC-32 of the trailer no longer matches
    return corrupt;
  }

  /**
   * A redirect whose body is in a coding the fetcher does not read failed the page for good; its
   * body says nothing, its {@code Location} where the page is.
   */
  @ParameterizedTest
  @ValueSource(strings = {"301 br", "302 br", "301 zstd", "307 x-unknown", "302 gzip"})
  void aRedirectInACodingNotReadIsFollowed(String statusAndCoding) throws Exception {
    int status = Integer.parseInt(statusAndCoding.substring(0, 3));
    String coding = statusAndCoding.substring(4);
    serve("/a/moved", new Answer(status, coding, unreadable(coding), "/a/here"));
    serve("/a/here", null, bytes(TEXT));
    fetcher = started().build();

    FetchResponse r = get("/a/moved");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo(TEXT);
    assertThat(r.finalUri()).isEqualTo(URI.create("https://dic.pixiv.net/a/here"));
    assertThat(r.redirects()).containsExactly(status);
    assertThat(requestsFor("/a/moved")).isEqualTo(1);
  }

  /** A 429 or 5xx in a coding not read (a CDN's error page) is retried as any such answer. */
  @ParameterizedTest
  @ValueSource(strings = {"429 br", "500 zstd", "502 x-unknown", "503 gzip", "504 compress"})
  void aRetriedStatusInACodingNotReadIsRetried(String statusAndCoding) throws Exception {
    int status = Integer.parseInt(statusAndCoding.substring(0, 3));
    String coding = statusAndCoding.substring(4);
    serve("/a/busy", new Answer(status, coding, unreadable(coding), null),
        new Answer("gzip", gzip(bytes(TEXT))));
    fetcher = started().build();

    FetchResponse r = get("/a/busy");

    assertThat(r.bodyText()).isEqualTo(TEXT);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(fetcher.stats().responses(status)).isEqualTo(1);
  }

  /** Retried to the last attempt, the answer is the status's, with nothing for a body. */
  @Test
  void aServerErrorInACodingNotReadOnEveryAttemptEndsAsThatServerError() throws Exception {
    serve("/a/down", new Answer(503, "br", JUNK, null));
    fetcher = started().build();

    FetchResponse r = get("/a/down");

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).isEmpty();
    assertThat(requestsFor("/a/down")).isEqualTo(3);
  }

  /** The site's "not found" page is judged by its body, so one that cannot be read fails. */
  @ParameterizedTest
  @ValueSource(ints = {404, 410})
  void aNotFoundPageInACodingNotReadFailsForGood(int status) throws Exception {
    serve("/a/gone", new Answer(status, "br", JUNK, null));
    fetcher = started().build();

    assertThatThrownBy(() -> get("/a/gone")).isInstanceOf(UndecodableBodyException.class)
        .hasMessageContaining("unsupported Content-Encoding 'br'");
    assertThat(requestsFor("/a/gone")).isEqualTo(1);
  }

  /**
   * robots.txt answered 404 or 410 in a coding not read (a CDN's error page in brotli) means no
   * rules, as any robots.txt "not found" does: it was taken as robots.txt unreachable, so the
   * whole site disallowed and the run stopped. The page it guards is fetched.
   */
  @ParameterizedTest
  @ValueSource(ints = {404, 410})
  void aRobotsTxtNotFoundInACodingNotReadMeansNoRules(int status) throws Exception {
    serve("/robots.txt", new Answer(status, "br", JUNK, null));
    serve("/a/page", null, bytes(TEXT));
    fetcher = started().respectRobots(true).build();

    FetchResponse r = get("/a/page");

    assertThat(r.bodyText()).isEqualTo(TEXT);
    assertThat(requestsFor("/robots.txt")).isEqualTo(1);
  }

  /**
   * A 503 with {@code Content-Encoding: br} (a CDN's error page, compressed as browsers get it)
   * failed the page for good: the run went on without it, and the article was not stored until
   * some later run. It is retried as any 503, and the article stored.
   */
  @Test
  void aServerErrorInACodingNotReadIsRetriedAsAnyServerError() throws Exception {
    byte[] article = Files.readAllBytes(ARTICLE);
    serve("/a/busy", new Answer(503, "br", JUNK, null), new Answer("gzip", gzip(article)));
    fetcher = started().build(); // its backoff on a fake clock
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    PixivScraper scraper = PixivScraper.builder().sink(sink).fetcher(fetcher)
        .driftMinPages(1).build();

    RunReport report = scraper.run(List.of("https://dic.pixiv.net/a/busy"));

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.failed()).isZero();
    assertThat(sink.rows()).singleElement()
        .satisfies(row -> assertThat(row.url()).endsWith("/a/busy"));
    assertThat(requestsFor("/a/busy")).isEqualTo(2);
  }

  @Test
  void aGzipBodyThatEndsTooSoonIsFetchedAgainAsABodyCutOnItsWay() throws Exception {
    byte[] whole = gzip(bytes(TEXT));
    serve("/a/cut", "gzip", Arrays.copyOf(whole, whole.length - 10), new Answer("gzip", whole));
    fetcher = started().build();

    FetchResponse r = get("/a/cut");

    assertThat(r.bodyText()).isEqualTo(TEXT);
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void aBombInsideAStackedLayerStopsAtTheCap() throws Exception {
    // The outer layer is small once gunzipped (about 20 KB); the inner one expands to 20 MB.
    byte[] bomb = gzip(gzip(new byte[20_000_000]));
    assertThat(bomb.length).isLessThan(1_000);
    serve("/a/bomb", "gzip, gzip", bomb);
    fetcher = started().maxBodyBytes(1_000_000).build();

    assertThatThrownBy(() -> get("/a/bomb")).isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("/a/bomb")
        .hasMessageContaining("gzip body expands beyond the cap of 1000000 bytes");
    assertThat(requestsFor("/a/bomb")).isEqualTo(1);
  }

  @Test
  void aDeflateBombStopsAtTheCap() throws Exception {
    serve("/a/deflatebomb", "deflate", deflate(new byte[20_000_000], false));
    fetcher = started().maxBodyBytes(1_000_000).build();

    assertThatThrownBy(() -> get("/a/deflatebomb")).isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("deflate body expands beyond the cap of 1000000 bytes");
  }

  @Test
  void inARunAPageInACodingNotReadFailsForGoodAndTheOthersAreStored() throws Exception {
    byte[] article = Files.readAllBytes(ARTICLE);
    List<String> urls = new ArrayList<>();
    // More pages in a row than the circuit breaker's count of failed items: answers all the
    // same, they cannot stop the run.
    for (int i = 0; i < SiteBreaker.SERVER_ERROR_ITEMS + 1; i++) {
      serve("/a/br" + i, i == 2 ? "gzip" : "br", i == 2 ? new byte[] {1, 2, 3} : article);
      urls.add("https://dic.pixiv.net/a/br" + i);
    }
    serve("/a/article", "gzip", gzip(article));
    urls.add("https://dic.pixiv.net/a/article");
    started();
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    PixivScraper scraper = PixivScraper.builder().sink(sink).origin(site.origin())
        .respectRobots(false).qps(1000).maxAttempts(3).driftMinPages(1).build();

    RunReport report = scraper.run(urls);

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.count(Outcome.ARTICLE)).isEqualTo(1);
    assertThat(sink.rows()).singleElement()
        .satisfies(row -> assertThat(row.url()).endsWith("/a/article"));
    assertThat(report.failed()).isEqualTo(SiteBreaker.SERVER_ERROR_ITEMS + 1);
    assertThat(report.problems()).anySatisfy(p -> assertThat(p)
        .contains("https://dic.pixiv.net/a/br0", "unsupported Content-Encoding 'br'"));
    assertThat(report.problems()).anySatisfy(p -> assertThat(p)
        .contains("https://dic.pixiv.net/a/br2", "malformed gzip body"));
    for (int i = 0; i < SiteBreaker.SERVER_ERROR_ITEMS + 1; i++) {
      assertThat(requestsFor("/a/br" + i)).as("not retried").isEqualTo(1);
    }
  }

  @Test
  void inARunAFewPagesInACodingNotReadAreFailedForGoodAndAskForNoRetry() throws Exception {
    byte[] article = Files.readAllBytes(ARTICLE);
    serve("/a/br", "br", article);
    serve("/a/article", null, article);
    started();
    PixivScraper scraper = PixivScraper.builder().sink(InMemorySink.forRows())
        .origin(site.origin()).respectRobots(false).qps(1000).maxAttempts(3)
        .driftMinPages(1).build();

    RunReport report = scraper.run(List.of("https://dic.pixiv.net/a/br",
        "https://dic.pixiv.net/a/article"));

    // Failed for good: stays unstored (the next run tries it again), but the run's command
    // ends with 0, not 75, for it.
    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.failedForGood()).isEqualTo(1);
    assertThat(report.count(Outcome.ARTICLE)).isEqualTo(1);
    assertThat(requestsFor("/a/br")).isEqualTo(1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, raw);
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
      d.write(data);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }
}

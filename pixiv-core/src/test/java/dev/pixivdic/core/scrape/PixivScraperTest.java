package dev.pixivdic.core.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.InvalidArticleUrlException;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.core.fetch.LoopbackSite;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.testing.InMemorySink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PixivScraperTest {

  private static final Path CASE = Path.of("src", "test", "resources", "corpus", "article");
  private static final String MISSING = "https://dic.pixiv.net/a/no-such-article";

  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  /** Whether the site sends {@code /a/sent-*} to its notice for now. */
  private final AtomicBoolean redirecting = new AtomicBoolean(true);
  private LoopbackSite site;
  private String articleUrl;
  private String articleTitle;

  @BeforeEach
  void startLoopbackSite() throws IOException {
    JsonNode expected = new ObjectMapper()
        .readTree(CASE.resolve("current-dom-full.expected.json").toFile());
    articleUrl = expected.path("url").asText();
    articleTitle = expected.path("row").path("title").asText();
    byte[] page = Files.readAllBytes(CASE.resolve("current-dom-full.html"));
    String articlePath = URI.create(articleUrl).getRawPath();
    site = LoopbackSite.start(ex -> {
      String path = ex.getRequestURI().getRawPath();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      if (path.equals("/robots.txt")) {
        send(ex, 200, "User-agent: *\nDisallow: /admin/\n".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/a/legal")) {
        send(ex, 451, "<html><body>Unavailable For Legal Reasons</body></html>"
            .getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/a/empty")) {
        send(ex, 200, new byte[0]);
      } else if (path.equals("/a/busy")) {
        send(ex, 503, "<html><body>busy</body></html>".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/a/misdirected")) {
        send(ex, 421, "<html><body>misdirected</body></html>".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/a/away")) {
        ex.getResponseHeaders().set("Retry-After", "86400");
        send(ex, 429, new byte[0]);
      } else if (path.equals("/a/moved")) {
        ex.getResponseHeaders().set("Location", "https://example.org/elsewhere");
        send(ex, 301, new byte[0]);
      } else if (path.startsWith("/a/renamed-")) {
        // A renamed article: the site sends its old name to the new one.
        ex.getResponseHeaders().set("Location", "/a/article-" + path.substring(11));
        send(ex, 301, new byte[0]);
      } else if (path.startsWith("/a/sent-") && redirecting.get()) {
        // The site sends articles to a notice for now (maintenance, a campaign).
        ex.getResponseHeaders().set("Location", "/info/notice");
        send(ex, 302, new byte[0]);
      } else if (path.equals("/info/notice")) {
        send(ex, 200, "<html><head><title>Notice</title></head><body>Back soon</body></html>"
            .getBytes(StandardCharsets.UTF_8));
      } else if (path.startsWith("/a/odd-")) {
        send(ex, 200, "<html><body>not an article</body></html>"
            .getBytes(StandardCharsets.UTF_8));
      } else if (path.startsWith("/a/article-") || path.startsWith("/a/plain-")
          || path.startsWith("/a/sent-")) {
        send(ex, 200, pageOf(path.substring(3)));
      } else if (path.equals(articlePath)) {
        send(ex, 200, page);
      } else {
        send(ex, 404, "<html><body>not here</body></html>".getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  @AfterEach
  void stop() {
    site.close();
  }

  private String articlePath() {
    return URI.create(articleUrl).getRawPath();
  }

  private URI origin() {
    return site.origin();
  }

  /**
   * The corpus article as the page of {@code title} (ASCII), without its canonical link, which
   * would make any URL the page is served for an alias of it.
   */
  private static byte[] pageOf(String title) throws IOException {
    return Files.readString(CASE.resolve("current-dom-full.html"), StandardCharsets.UTF_8)
        .replaceAll("<link rel=\"canonical\"[^>]*>", "")
        .replace("%E6%9D%B1%E6%96%B9Project", title).replace("東方Project", title)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void aRunAgainstALoopbackSiteWritesItsRowsToTheSinkAndReportsThem() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    Instant before = Instant.now();

    RunReport report = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build()
        .run(List.of(articleUrl, MISSING, articleUrl));

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.processed()).isEqualTo(2);
    assertThat(report.count(Outcome.ARTICLE)).isEqualTo(1);
    assertThat(report.count(Outcome.NOT_FOUND)).isEqualTo(1);
    assertThat(report.rowsWritten()).isEqualTo(2);
    assertThat(sink.rows()).extracting(ArticleRow::url)
        .containsExactlyInAnyOrder(articleUrl, MISSING);
    ArticleRow row = sink.rows().stream().filter(r -> r.status() == Outcome.ARTICLE)
        .findFirst().orElseThrow();
    assertThat(row.title()).isEqualTo(articleTitle);
    assertThat(row.runId()).isEqualTo(report.runId());
    assertThat(row.scraperVersion()).isNotBlank().isNotEqualTo("unknown");
    assertThat(row.loadedAt()).isAfterOrEqualTo(before.minusSeconds(1));
    // The URL given twice was fetched once.
    assertThat(hits.get(URI.create(articleUrl).getRawPath())).hasValue(1);
  }

  @Test
  void aWrongOriginThatAnswersNotFoundForEveryPageEndsTheRunAsUnreachableAndStoresNothing() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    URI wrong = URI.create(origin() + "/wrong-prefix");
    List<String> urls = IntStream.range(0, 40)
        .mapToObj(i -> "https://dic.pixiv.net/a/item-" + i).toList();

    RunReport report = PixivScraper.builder().qps(1000).concurrency(2).origin(wrong).sink(sink)
        .build().run(urls);

    assertThat(report.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(report.rowsWritten()).isZero();
    assertThat(sink.rows()).isEmpty();
    assertThat(report.failure()).hasMessageContaining("answered 'not found' and none was an"
        + " article").hasMessageContaining("from " + origin() + ")")
        .hasMessageNotContaining("wrong-prefix");
    // One pass over the input, each page asked once, so that a shard that only begins with
    // deleted articles reaches its live ones.
    assertThat(report.processed()).isEqualTo(urls.size());
    assertThat(report.failure()).hasMessageStartingWith("40 pages answered 'not found'");

    // The right origin then fetches every page: nothing of the wrong one was stored as fresh.
    RunReport right = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build()
        .run(List.of(articleUrl, MISSING));
    assertThat(right.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).extracting(ArticleRow::status)
        .containsExactlyInAnyOrder(Outcome.ARTICLE, Outcome.NOT_FOUND);
  }

  @Test
  void manyDeletedArticlesBeforeALiveOneAreAllStored() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    List<String> urls = new ArrayList<>(IntStream.range(0, 30)
        .mapToObj(i -> "https://dic.pixiv.net/a/deleted-" + i).toList());
    urls.add(articleUrl);

    RunReport report = PixivScraper.builder().qps(1000).concurrency(4).origin(origin())
        .sink(sink).build().run(urls);

    assertThat(report.stopReason()).as("%s", report.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
    assertThat(report.count(Outcome.NOT_FOUND)).isEqualTo(30);
    assertThat(report.rowsWritten()).isEqualTo(31);
  }

  @Test
  void aFewNotFoundPagesWithoutAnyArticleAreNotStoredAndTheRunSaysSo() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build()
        .run(List.of(MISSING, "https://dic.pixiv.net/a/also-missing"));

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.count(Outcome.NOT_FOUND)).isEqualTo(2);
    assertThat(sink.rows()).isEmpty();
    assertThat(report.problems()).anyMatch(p -> p.contains("no page of the run was an article"));
  }

  @Test
  void withTheHoldTurnedOffNotFoundPagesAreStoredWithoutAnyArticle() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().qps(1000).origin(origin()).sink(sink)
        .notFoundHold(false).build()
        .run(List.of(MISSING, "https://dic.pixiv.net/a/also-missing"));

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).extracting(ArticleRow::status)
        .containsExactly(Outcome.NOT_FOUND, Outcome.NOT_FOUND);
    assertThat(report.problems()).isEmpty();
  }

  @Test
  void aPageEmptyOnEveryAttemptFailsForGoodAndIsNoPageTheParserCouldNotRead() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().qps(1000).maxAttempts(2).origin(origin())
        .sink(sink).build().run(List.of("https://dic.pixiv.net/a/empty", articleUrl));

    assertThat(hits.get("/a/empty")).as("tried again").hasValue(2);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.failedForGood()).isEqualTo(1);
    assertThat(report.problems()).anyMatch(p -> p.contains("HTTP 200 with an empty body"));
    assertThat(report.count(Outcome.UNRECOGNIZED)).isZero();
    assertThat(report.count(Outcome.ARTICLE)).isEqualTo(1);
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactly(articleUrl);
  }

  @Test
  void articlesTheSiteRedirectsToOthersAreStoredUnderTheirOwnUrlsAndSkippedNextRun()
      throws IOException {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    List<String> urls = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      urls.add("https://dic.pixiv.net/a/renamed-" + i);
    }
    for (int i = 0; i < 5; i++) {
      urls.add("https://dic.pixiv.net/a/plain-" + i);
    }
    RunReport report;
    long redirected;
    RunReport next;
    try (HttpFetcher fetcher = HttpFetcher.builder().origin(origin()).qps(1000).build()) {
      PixivScraper scraper = PixivScraper.builder().fetcher(fetcher).sink(sink).build();

      report = scraper.run(urls);
      redirected = fetcher.stats().redirected();
      next = scraper.run(urls);
    }

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.count(Outcome.ARTICLE)).isEqualTo(30);
    assertThat(report.count(Outcome.UNRECOGNIZED)).isZero();
    assertThat(report.rowsWritten()).isEqualTo(30);
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
    ArticleRow renamed = sink.rows().stream()
        .filter(r -> r.url().equals("https://dic.pixiv.net/a/renamed-7")).findFirst()
        .orElseThrow();
    assertThat(renamed.title()).isEqualTo("article-7");
    assertThat(renamed.viewCount()).isEqualTo(98765432L);
    assertThat(redirected).as("calls the site redirected").isEqualTo(25);
    assertThat(next.skipped()).isEqualTo(30);
    assertThat(next.processed()).isZero();
    assertThat(hits.get("/a/renamed-7")).hasValue(1);
  }

  @Test
  void manyArticlesRedirectedForNowToOneNoticeStopTheRunAsBlockedStoringNoneOfThem() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      urls.add("https://dic.pixiv.net/a/plain-" + i);
    }
    for (int i = 0; i < 40; i++) {
      urls.add("https://dic.pixiv.net/a/sent-" + i);
    }
    PixivScraper scraper = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build();

    RunReport report = scraper.run(urls);

    assertThat(report.stopReason()).as("%s", report.problems()).isEqualTo(StopReason.BLOCKED);
    assertThat(report.drift().verdict()).isNotEqualTo("TRIPPED");
    assertThat(report.count(Outcome.UNRECOGNIZED)).isZero();
    assertThat(report.redirectedTemporarily()).isGreaterThanOrEqualTo(15);
    assertThat(report.failed()).isZero();
    String line = "\\d+ pages redirected temporarily to https://dic\\.pixiv\\.net/info/notice:"
        + " the site is redirecting; retry later .*";
    assertThat(report.problems().get(0)).matches(line);
    assertThat(report.failure().getMessage()).matches(line);
    assertThat(report.problems()).anyMatch(p -> p.contains("/a/sent-")
        && p.contains("redirected to https://dic.pixiv.net/info/notice (302)"));
    // The articles before are stored; none of those redirected is.
    assertThat(sink.rows()).extracting(ArticleRow::url)
        .containsExactlyInAnyOrderElementsOf(urls.subList(0, 5));

    // Once the site serves them again, the next run fetches and stores them.
    redirecting.set(false);
    RunReport next = scraper.run(urls);

    assertThat(next.stopReason()).as("%s", next.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(next.skipped()).isEqualTo(5);
    assertThat(next.count(Outcome.ARTICLE)).isEqualTo(40);
    assertThat(hits.get("/a/sent-0")).hasValue(2);
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
  }

  @Test
  void aFewArticlesRedirectedForNowAreNoParseBreakageAndTheRunCompletes() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      urls.add("https://dic.pixiv.net/a/plain-" + i);
    }
    for (int i = 0; i < 4; i++) {
      urls.add("https://dic.pixiv.net/a/odd-" + i);
    }
    for (int i = 0; i < 5; i++) {
      urls.add("https://dic.pixiv.net/a/sent-" + i);
    }

    RunReport report = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build()
        .run(urls);

    // 9 of 17 pages unread would be parse breakage; the redirected ones are not the parser's.
    assertThat(report.stopReason()).as("%s", report.problems())
        .isEqualTo(StopReason.COMPLETED);
    assertThat(report.drift().verdict()).isEqualTo("TOO_FEW_PAGES");
    assertThat(report.redirectedTemporarily()).isEqualTo(5);
    assertThat(report.count(Outcome.UNRECOGNIZED)).isEqualTo(4);
    assertThat(report.processed()).isEqualTo(17);
    assertThat(report.failed()).isZero();
    assertThat(report.problems()).anyMatch(p -> p.contains("/a/sent-3")
        && p.contains("redirected to https://dic.pixiv.net/info/notice (302)"));
    assertThat(sink.rows()).extracting(ArticleRow::url)
        .containsExactlyInAnyOrderElementsOf(urls.subList(0, 8));
  }

  @Test
  void anAnswerThatIsNoPageFailsForGoodAndIsNoPageTheParserCouldNotRead() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build()
        .run(List.of("https://dic.pixiv.net/a/legal", articleUrl));

    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.failedForGood()).isEqualTo(1);
    assertThat(report.count(Outcome.UNRECOGNIZED)).isZero();
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactly(articleUrl);
  }

  @Test
  void aRedirectOffTheSiteFailsForGoodAndAServerErrorOrA421FailsForNow() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().qps(1000).maxAttempts(1).origin(origin())
        .sink(sink).build().run(List.of("https://dic.pixiv.net/a/moved",
            "https://dic.pixiv.net/a/busy", "https://dic.pixiv.net/a/misdirected", articleUrl));

    assertThat(report.failed()).isEqualTo(3);
    assertThat(report.failedForGood()).as("the redirect only").isEqualTo(1);
    assertThat(report.problems()).anyMatch(p -> p.contains("/a/misdirected")
        && p.contains("421"));
    assertThat(report.problems()).anyMatch(p -> p.contains("/a/moved")
        && p.contains("off the site"));
    assertThat(report.problems()).anyMatch(p -> p.contains("/a/busy") && p.contains("503"));
    assertThat(sink.rows()).extracting(ArticleRow::url).containsExactly(articleUrl);
  }

  @Test
  void aRetryAfterLongerThanTheFetcherWaitsStopsTheRunAsBlockedAfterWaitingTheLongestWait() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    // The other requests wait twice the longest wait: the run has a whole second to stop after
    // the answer, before the next page could go, however slow the machine.
    HttpFetcher fetcher = HttpFetcher.builder().origin(origin()).qps(1000)
        .maxRetryAfter(Duration.ofSeconds(1)).build();

    RunReport report;
    try (fetcher) {
      report = PixivScraper.builder().fetcher(fetcher).sink(sink).driftMinPages(1).build()
          .run(List.of(articleUrl, "https://dic.pixiv.net/a/away", MISSING));
    }

    assertThat(report.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(report.failure()).hasMessageContaining("Retry-After '86400'")
        .hasMessageContaining("longer than the longest wait honoured (1s, waited)");
    // The run's two workers may send the article and the page asking to wait in either order;
    // an article answered first is stored, one still waiting for its turn is never sent.
    assertThat(sink.rows()).extracting(ArticleRow::url)
        .isSubsetOf(articleUrl).hasSize(hits.containsKey(articlePath()) ? 1 : 0);
    assertThat(hits.get("/a/away")).hasValue(1);
    assertThat(hits).as("nothing after the answer").doesNotContainKey(
        URI.create(MISSING).getRawPath());
  }

  @Test
  void theNextRunSkipsWhatTheSinkHoldsWithANewRunId() {
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    PixivScraper scraper = PixivScraper.builder().qps(1000).origin(origin()).sink(sink).build();

    RunReport first = scraper.run(List.of(articleUrl));
    RunReport second = scraper.run(List.of(articleUrl));

    assertThat(second.skipped()).isEqualTo(1);
    assertThat(second.processed()).isZero();
    assertThat(second.runId()).isNotEqualTo(first.runId());
    assertThat(hits.get(URI.create(articleUrl).getRawPath())).hasValue(1);
  }

  @Test
  void anInvalidUrlIsRejectedBeforeAnyRequest() {
    PixivScraper scraper = PixivScraper.builder().qps(1000).origin(origin())
        .sink(InMemorySink.forRows()).build();

    assertThatThrownBy(() -> scraper.run(List.of(articleUrl, "https://example.com/a/x")))
        .isInstanceOf(InvalidArticleUrlException.class)
        .hasMessageContaining("https://example.com/a/x");
    assertThat(hits).isEmpty();
  }

  /** A fetcher of an embedder's: {@code answer} to every get, {@code onClose} on close. */
  private static Fetcher fetcher(Function<URI, FetchResponse> answer, Runnable onClose) {
    return new Fetcher() {
      @Override
      public FetchResponse get(URI uri) {
        return answer.apply(uri);
      }

      @Override
      public void close() {
        onClose.run();
      }

      @Override
      public FetchStats stats() {
        return FetchStats.none();
      }
    };
  }

  @Test
  void aGivenFetcherIsUsedAndLeftOpen() {
    AtomicInteger gets = new AtomicInteger();
    AtomicInteger closes = new AtomicInteger();
    Fetcher notFound = fetcher(uri -> {
      gets.incrementAndGet();
      return new FetchResponse(uri, uri, 404, "text/html", new byte[0], 1, Duration.ZERO);
    }, closes::incrementAndGet);
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().fetcher(notFound).sink(sink).build()
        .run(List.of(MISSING));

    assertThat(report.count(Outcome.NOT_FOUND)).isEqualTo(1);
    assertThat(gets).hasValue(1);
    assertThat(closes).hasValue(0);
    assertThat(hits).isEmpty();
  }

  @Test
  void aGivenFetcherAnsweringAStatusHttpHasNotFailsThePageForNowNotTheRun() {
    for (int status : new int[] {0, 99, 600, 999, -1}) {
      Fetcher malformed = fetcher(uri -> new FetchResponse(uri, uri, status, "text/html",
          new byte[] {'x'}, 2, Duration.ZERO), () -> { });
      InMemorySink<ArticleRow> sink = InMemorySink.forRows();

      RunReport report = PixivScraper.builder().fetcher(malformed).sink(sink).build()
          .run(List.of(MISSING));

      assertThat(report.stopReason()).as("status %s", status).isEqualTo(StopReason.COMPLETED);
      assertThat(report.failed()).as("status %s", status).isEqualTo(1);
      assertThat(report.failedForGood()).as("to be tried again").isZero();
      assertThat(report.problems()).as("status %s", status).anyMatch(p -> p.contains(
          "malformed response: status " + status + " is no HTTP status (100..599), after 2"
              + " attempts"));
      assertThat(sink.rows()).isEmpty();
    }
  }

  /** Each item failed with its own stack trace, and the run ended COMPLETED. */
  @Test
  void aClosedFetcherEndsTheRunAtOnceSayingSo() throws IOException {
    HttpFetcher fetcher = HttpFetcher.builder().origin(origin()).qps(1000).build();
    fetcher.close();
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();

    RunReport report = PixivScraper.builder().fetcher(fetcher).sink(sink).concurrency(2).build()
        .run(List.of(articleUrl, MISSING, "https://dic.pixiv.net/a/legal",
            "https://dic.pixiv.net/a/busy", "https://dic.pixiv.net/a/empty"));

    assertThat(report.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(report.failed()).isZero();
    assertThat(report.problems()).singleElement().asString()
        .startsWith("the fetcher is closed, so no item could be fetched");
    assertThat(hits).isEmpty();
  }

  @Test
  void theBuilderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> PixivScraper.builder().qps(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("qps must be from 0.0001 to 10000, was 0");
    assertThatThrownBy(() -> PixivScraper.builder().qps(-1))
        .hasMessage("qps must be from 0.0001 to 10000, was -1");
    assertThatThrownBy(() -> PixivScraper.builder().qps(Double.NaN))
        .hasMessage("qps must be from 0.0001 to 10000, was NaN");
    assertThatThrownBy(() -> PixivScraper.builder().concurrency(0))
        .hasMessage("concurrency must be from 1 to 64, was 0");
    assertThatThrownBy(() -> PixivScraper.builder().concurrency(Integer.MAX_VALUE))
        .hasMessage("concurrency must be from 1 to 64, was 2147483647");
    assertThatThrownBy(() -> PixivScraper.builder().flushRows(0))
        .hasMessage("flushRows must be from 1 to 100000, was 0");
    assertThatThrownBy(() -> PixivScraper.builder().refreshAfter(Duration.ofDays(-1)))
        .hasMessageContaining("refreshAfter must be >= 0");
    assertThatThrownBy(() -> PixivScraper.builder().userAgent("two\nlines"))
        .hasMessageContaining("userAgent must be non-blank printable ASCII");
    assertThatThrownBy(() -> PixivScraper.builder().origin(URI.create("ftp://host/")))
        .hasMessageContaining("origin must be an http(s) URL");
    assertThatThrownBy(() -> PixivScraper.builder().limit(-1))
        .hasMessage("limit must be from 1 to 1000000000000, was -1");
    assertThatThrownBy(() -> PixivScraper.builder().sink(null))
        .isInstanceOf(NullPointerException.class).hasMessage("sink");
    // Durations that would overflow later, in the middle of a run (Instant + it, its nanos).
    assertThatThrownBy(() -> PixivScraper.builder()
        .flushInterval(java.time.temporal.ChronoUnit.FOREVER.getDuration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("flushInterval must be from 1s to 1d, was ");
    assertThatThrownBy(() -> PixivScraper.builder().refreshAfter(Duration.ofDays(3651)))
        .hasMessage("refreshAfter must be at most 3650d (ten years), was 3651d");
    assertThatThrownBy(() -> PixivScraper.builder()
        .requestTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessageStartingWith("requestTimeout must be from 1s to 10m, was ");
    assertThatThrownBy(() -> PixivScraper.builder().runId("a\nforged line"))
        .hasMessage("runId must be one line of at most 200 characters, without control"
            + " characters, marks that reorder text, U+FEFF or half characters");
    assertThatThrownBy(() -> PixivScraper.builder().runId("week\u202e94"))
        .hasMessageContaining("marks that reorder text");
    assertThatThrownBy(() -> PixivScraper.builder().driftMinPages(0))
        .hasMessage("driftMinPages must be from 1 to 1000000, was 0");
    assertThat(PixivScraper.builder().refreshAfter(Duration.ofDays(3650))).isNotNull();
  }

  /** The builder took what the command refuses: a run that could only hammer or hang. */
  @Test
  void theBuilderRefusesWhatTheCommandRefusesNamingTheRange() {
    assertThatThrownBy(() -> PixivScraper.builder().requestTimeout(Duration.ofNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTimeout must be from 1s to 10m, was PT0.000000001S");
    assertThatThrownBy(() -> PixivScraper.builder().requestTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessage("requestTimeout");
    assertThatThrownBy(() -> PixivScraper.builder().qps(1e12))
        .hasMessage("qps must be from 0.0001 to 10000, was 1000000000000");
    assertThatThrownBy(() -> PixivScraper.builder().maxAttempts(Integer.MAX_VALUE))
        .hasMessage("maxAttempts must be from 1 to 20, was 2147483647");
    assertThatThrownBy(() -> PixivScraper.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be from 1 to 20, was 0");
    assertThatThrownBy(() -> PixivScraper.builder().flushInterval(Duration.ofMillis(1)))
        .hasMessage("flushInterval must be from 1s to 1d, was 1ms");
    assertThatThrownBy(() -> PixivScraper.builder().flushRows(Integer.MAX_VALUE))
        .hasMessage("flushRows must be from 1 to 100000, was 2147483647");
    assertThatThrownBy(() -> PixivScraper.builder().blockedInARow(0))
        .hasMessage("blockedInARow must be from 1 to 1000, was 0");
    assertThatThrownBy(() -> PixivScraper.builder().limit(0))
        .hasMessage("limit must be from 1 to 1000000000000, was 0");
    assertThat(PixivScraper.builder().qps(10_000).maxAttempts(20).concurrency(64)
        .requestTimeout(Duration.ofMinutes(10)).flushInterval(Duration.ofDays(1))).isNotNull();
  }

  @Test
  void buildingWithoutASinkOrWithAFetcherAndHttpSettingsFailsSayingWhy() {
    assertThatThrownBy(() -> PixivScraper.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sink must be set");
    Fetcher none = new Fetcher() {
      @Override
      public FetchResponse get(URI uri) throws IOException {
        throw new IOException("unused");
      }

      @Override
      public void close() {}

      @Override
      public FetchStats stats() {
        return FetchStats.none();
      }
    };
    assertThatThrownBy(() -> PixivScraper.builder().sink(InMemorySink.forRows()).fetcher(none)
        .qps(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fetcher(...) replaces the HTTP settings");
  }
}

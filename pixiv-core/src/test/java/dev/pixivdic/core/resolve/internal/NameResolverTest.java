package dev.pixivdic.core.resolve.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.FetchException;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.resolve.NameItem;
import dev.pixivdic.core.resolve.ResolutionRow.Status;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.testing.InMemorySink;
import dev.pixivdic.support.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NameResolverTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private final SearchCorpus site = new SearchCorpus();
  private final NameResolver resolver = NameResolver.create(site, NameCleaner.defaults(),
      NameResolver.DEFAULT_MAX_PAGES, "run-1", Clock.fixed(NOW, ZoneOffset.UTC));

  private Processed<ResolutionRow> resolve(String name) throws Exception {
    return resolver.process(new NameItem(name, Map.of("genre", "music")));
  }

  private static String url(String title) {
    return ArticleUrl.ofTitle(title).canonical();
  }

  @Test
  void anExactHitOnPageOneIsMatchedAndTheNearMissesAroundItAreNot() throws Exception {
    Processed<ResolutionRow> p = resolve("初音ミク");

    assertThat(p.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("初音ミク"));
      assertThat(r.middleClassIpName()).isEqualTo("初音ミク");
      assertThat(r.cleanMiddleClassIpName()).isEqualTo("初音ミク");
      assertThat(r.pixivSearchResultIp()).isEqualTo("初音ミク");
      assertThat(r.searchHitNum()).isEqualTo(3L);
      assertThat(r.status()).isEqualTo(Status.MATCHED);
      assertThat(r.pagesSearched()).isEqualTo(1);
      assertThat(r.update()).isEqualTo(NOW);
      assertThat(r.runId()).isEqualTo("run-1");
      assertThat(r.passThrough()).containsEntry("genre", "music");
    });
    assertThat(site.requests).hasSize(1);
  }

  @Test
  void aHitOnPageTwoIsFoundByPaging() throws Exception {
    Processed<ResolutionRow> p = resolve("東方Project");

    assertThat(p.rows()).extracting(ResolutionRow::url).containsExactly(url("東方Project"));
    assertThat(p.rows().get(0).pagesSearched()).isEqualTo(2);
    assertThat(site.requests).extracting(u -> u.getRawQuery()).containsExactly(
        "query=%E6%9D%B1%E6%96%B9Project&page=1", "query=%E6%9D%B1%E6%96%B9Project&page=2");
  }

  @Test
  void pagingStopsAtTheLimitAndTheNameIsThenNoMatch() throws Exception {
    NameResolver onePage = NameResolver.create(site, NameCleaner.defaults(), 1, "run-1",
        Clock.fixed(NOW, ZoneOffset.UTC));

    Processed<ResolutionRow> p = onePage.process(NameItem.of("東方Project"));

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.NO_MATCH);
      assertThat(r.searchHitNum()).isEqualTo(14L);
      assertThat(r.pagesSearched()).isEqualTo(1);
    });
    assertThat(site.requests).hasSize(1);
  }

  @Test
  void nearMissesOnlyGiveOneNoMatchRowWithTheHitCountAndNoUrl() throws Exception {
    Processed<ResolutionRow> p = resolve("初音");

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isNull();
      assertThat(r.pixivSearchResultIp()).isNull();
      assertThat(r.status()).isEqualTo(Status.NO_MATCH);
      assertThat(r.searchHitNum()).isEqualTo(2L);
    });
  }

  @Test
  void fullWidthAndHalfWidthNamesAreSearchedNormalisedAndMatch() throws Exception {
    assertThat(resolve("ﾗﾌﾞﾗｲﾌﾞ").rows()).extracting(ResolutionRow::url)
        .containsExactly(url("ラブライブ"));
    assertThat(resolve("ＡＢＣ").rows()).extracting(ResolutionRow::url)
        .containsExactly(url("abc"));
  }

  @Test
  void theTitleAsTheNameIsWrittenWinsOverAnotherWidthOfIt() throws Exception {
    Processed<ResolutionRow> p = resolve("NARUTO");

    assertThat(p.rows()).extracting(ResolutionRow::url).containsExactly(url("NARUTO"));
  }

  @Test
  void matchesEquallyCloseToTheNameAreAllKept() throws Exception {
    // Neither title is the name as written; each is it in another case or width.
    Processed<ResolutionRow> p = resolve("naruto");

    assertThat(p.rows()).extracting(ResolutionRow::url)
        .containsExactly(url("NARUTO"), url("ＮＡＲＵＴＯ"));
    assertThat(p.rows()).extracting(ResolutionRow::pixivSearchResultIp)
        .containsExactly("NARUTO", "ＮＡＲＵＴＯ");
  }

  @Test
  void theArticleTitledAsTheDecoratedNameWinsOverItsBaseArticle() throws Exception {
    Processed<ResolutionRow> p = resolve("劇場版 〜約束の日〜");

    assertThat(p.rows()).extracting(ResolutionRow::url)
        .containsExactly(url("劇場版 〜約束の日〜"));
  }

  @Test
  void aDecoratedNameIsSearchedWithoutItsDecoration() throws Exception {
    Processed<ResolutionRow> p = resolve("Re:ゼロから始める異世界生活 -Starting Life-");

    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("Re:ゼロから始める異世界生活"));
      assertThat(r.cleanMiddleClassIpName()).isEqualTo("re:ゼロから始める異世界生活");
    });
  }

  @Test
  void sidebarCardsAreNeverMatches() throws Exception {
    Processed<ResolutionRow> p = resolve("ラブライブ!");

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows().get(0).searchHitNum()).isEqualTo(1L);
  }

  @Test
  void zeroHitsOnTheSite404PageIsNoMatchNotAnError() throws Exception {
    Processed<ResolutionRow> p = resolve("ぬるぽぬるぽ");

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.NO_MATCH);
      assertThat(r.searchHitNum()).isZero();
      assertThat(r.url()).isNull();
    });
  }

  @Test
  void aPageAnnouncingZeroHitsHasNoMatchThoughARecommendationInTheResultsNamesIt()
      throws Exception {
    // Before, the recommendation card in #main.search was a MATCHED row with search_hit_num 0.
    Processed<ResolutionRow> p = resolve("おすすめ猫");

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.NO_MATCH);
      assertThat(r.url()).isNull();
      assertThat(r.searchHitNum()).isZero();
    });
  }

  @Test
  void hiddenCardsAreNoResults() throws Exception {
    // The name's card, hidden three ways; the one shown is a near miss.
    Processed<ResolutionRow> p = resolve("隠し猫");

    assertThat(p.outcome()).as(p.detail()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isNull();
      assertThat(r.searchHitNum()).isEqualTo(1L);
    });
  }

  @Test
  void aLaterPageRepeatingAnEarlierOneStopsThePagingAndTheMatchFoundStands() throws Exception {
    // Page 1 holds VOCALOID (another case of the name), so page 2 is read: the same articles
    // at other spellings of their addresses. Before, the name was UNRECOGNIZED and lost.
    Processed<ResolutionRow> p = resolve("Vocaloid");

    assertThat(p.outcome()).as(p.detail()).isEqualTo(Outcome.ARTICLE);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("VOCALOID"));
      assertThat(r.searchHitNum()).isEqualTo(100L);
      assertThat(r.pagesSearched()).isEqualTo(2);
    });
    assertThat(p.detail()).contains("page 2 repeated an earlier page's hits");
    assertThat(site.requests).hasSize(2);
  }

  @Test
  void aTotalTooLargeToReadKeepsTheMatchAndIsNamedWhenThereIsNone() throws Exception {
    Processed<ResolutionRow> matched = resolve("多すぎ");
    Processed<ResolutionRow> unmatched = resolve("多す");

    assertThat(matched.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(matched.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("多すぎ"));
      assertThat(r.searchHitNum()).isNull();
    });
    // Before: "no total", as if the page showed none.
    assertThat(unmatched.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(unmatched.detail()).isEqualTo("'多す' page 1: no match among 2 hits, and the total"
        + " '99999999999999999999' could not be read to tell whether more follow");
  }

  @Test
  void aPageWithoutReadableHitsAndATotalTooLargeToReadSaysSo() throws Exception {
    // One result, its link text not its address's title. Before: "no hits and no total".
    byte[] page = new String(searchPage("検索結果：99999999999999999999件"),
        StandardCharsets.UTF_8).replace("</div></body>", "<section><article><div class=\"info\">"
            + "<h2><a href=\"/a/x1\">x</a></h2></div></article></section></div></body>")
        .getBytes(StandardCharsets.UTF_8);

    Processed<ResolutionRow> p = overPages(page, page).process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(p.detail()).isEqualTo("'猫' page 1: no readable hits, and the total"
        + " '99999999999999999999' could not be read");
  }

  @Test
  void aChallengePageIsBlockedWithoutARow() throws Exception {
    Processed<ResolutionRow> p = resolve("ブロック");

    assertThat(p.outcome()).isEqualTo(Outcome.BLOCKED);
    assertThat(p.rows()).isEmpty();
    assertThat(p.detail()).contains("ブロック");
  }

  @Test
  void aPageThatIsNotASearchPageIsUnrecognizedAndAServerErrorFailsTheName() throws Exception {
    byte[] other = "<html><head><title>ヘルプ</title></head><body></body></html>"
        .getBytes(StandardCharsets.UTF_8);
    NameResolver help = NameResolver.create(answering(200, 1, other), NameCleaner.defaults(), 3,
        "r", Clock.systemUTC());
    NameResolver failing = NameResolver.create(answering(502, 4, other), NameCleaner.defaults(),
        3, "r", Clock.systemUTC());

    assertThat(help.process(NameItem.of("猫")).outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThatThrownBy(() -> failing.process(NameItem.of("猫")))
        .isInstanceOf(IOException.class).hasMessageContaining("HTTP 502 after 4 attempts");
  }

  @Test
  void aStatusHttpHasNotFailsTheNameForNowAsTheHttpFetcherDoes() {
    byte[] page = searchPage("検索結果：1件", "猫");
    for (int status : new int[] {0, 99, 600, -1}) {
      NameResolver r = NameResolver.create(answering(status, 3, page), NameCleaner.defaults(), 3,
          "r", Clock.systemUTC());

      assertThatThrownBy(() -> r.process(NameItem.of("猫"))).as("status %s", status)
          .isInstanceOf(FetchException.class)
          .hasMessageContaining("malformed response: status " + status
              + " is no HTTP status (100..599), after 3 attempts");
    }
  }

  @Test
  void aFirstPageAnnouncingHitsWithoutReadableOnesIsUnrecognizedNotNoMatch() throws Exception {
    byte[] drifted = ("<html><head><title>猫 の検索結果(1ページ目)</title></head><body>"
        + "<div id=\"main\" class=\"search\"><header id=\"search-title\"><h1>猫</h1>"
        + "<div class=\"info\">検索結果：5件</div></header><section><div class=\"card\">"
        + "<a href=\"/a/%E7%8C%AB\">猫</a></div></section></div></body></html>")
        .getBytes(StandardCharsets.UTF_8);
    NameResolver r = NameResolver.create(answering(200, 1, drifted), NameCleaner.defaults(), 3,
        "r", Clock.systemUTC());

    Processed<ResolutionRow> p = r.process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(p.rows()).isEmpty();
    assertThat(p.detail()).contains("announces 5 hits but none could be read");
  }

  private static byte[] searchPage(String total, String... titles) {
    StringBuilder hits = new StringBuilder();
    for (String t : titles) {
      hits.append("<section><article><div class=\"info\"><h2><a href=\"")
          .append(ArticleUrl.ofTitle(t).canonical()).append("\">").append(t)
          .append("</a></h2></div></article></section>");
    }
    return ("<html><head><title>猫 の検索結果</title></head><body><div id=\"main\" class=\"search\">"
        + "<header id=\"search-title\"><h1>猫</h1><div class=\"info\">" + total
        + "</div></header>" + hits + "</div></body></html>").getBytes(StandardCharsets.UTF_8);
  }

  /** A site answering page 1 and page 2 of any search with these bodies. */
  private static NameResolver overPages(byte[] page1, byte[] page2) {
    Fetcher pages = new Fetcher() {
      @Override
      public FetchResponse get(URI u) {
        byte[] body = u.getRawQuery().contains("page=2") ? page2 : page1;
        return new FetchResponse(u, u, 200, "text/html", body, 1, Duration.ZERO);
      }

      @Override
      public FetchStats stats() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
    return NameResolver.create(pages, NameCleaner.defaults(), 3, "r", Clock.systemUTC());
  }

  @Test
  void aSiteThatAnswersPageOneForEveryPageLeavesTheNameUnrecognisedNotNoMatch()
      throws Exception {
    // Before, the name was stored NO_MATCH after three reads of one page (pages_searched 3),
    // and hidden for a refresh window.
    byte[] one = searchPage("検索結果：100件", "猫の母");

    Processed<ResolutionRow> p = overPages(one, one).process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(p.rows()).isEmpty();
    assertThat(p.detail()).isEqualTo("'猫' page 2: the same hits as an earlier page");
  }

  @Test
  void aPageThatSaysItIsAnotherPageThanTheOneAskedForIsUnrecognised() throws Exception {
    byte[] page2 = new String(searchPage("検索結果：100件", "猫の父"), StandardCharsets.UTF_8)
        .replace("猫 の検索結果", "猫 の検索結果 （１ページ目）").getBytes(StandardCharsets.UTF_8);

    Processed<ResolutionRow> p = overPages(searchPage("検索結果：100件", "猫の母"), page2)
        .process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(p.detail()).isEqualTo("'猫' page 2: the site answered with page 1");
  }

  @Test
  void aNameHoldingAPageNumberIsNoPageNumberOfTheTitle() throws Exception {
    // The title repeats the query: 'foo(2ページ目)' read as page 2 on page 1, every run.
    byte[] page1 = new String(searchPage("検索結果：1件", "foo(2ページ目)"),
        StandardCharsets.UTF_8).replace("猫 の検索結果", "foo(2ページ目) の検索結果(1ページ目)")
        .getBytes(StandardCharsets.UTF_8);

    Processed<ResolutionRow> p = overPages(page1, page1).process(NameItem.of("foo(2ページ目)"));

    assertThat(p.outcome()).as(p.detail()).isEqualTo(Outcome.ARTICLE);
    assertThat(p.rows()).extracting(ResolutionRow::url).containsExactly(url("foo(2ページ目)"));
  }

  @Test
  void aPageTwoHoldingOnlyTheLastHitOfPageOneIsAShiftNotARepeat() throws Exception {
    // An article added between the two reads moves page 1's last hit to page 2.
    String[] ten = new String[10];
    for (int i = 0; i < 10; i++) {
      ten[i] = "猫の" + i;
    }

    Processed<ResolutionRow> p = overPages(searchPage("検索結果：11件", ten),
        searchPage("検索結果：11件", "猫の9")).process(NameItem.of("猫"));

    assertThat(p.outcome()).as(p.detail()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void aTotalInFullWidthDigitsIsReadSoANameWithoutMatchIsNoMatch() throws Exception {
    // Before, the total was no total, and the name UNRECOGNIZED on every run.
    Processed<ResolutionRow> p = overPages(searchPage("検索結果：１件", "猫の母"),
        searchPage("検索結果：１件")).process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.searchHitNum()).isEqualTo(1L);
      assertThat(r.url()).isNull();
    });
  }

  @Test
  void aTitleWithAnIdeographicSpaceIsTheNameAsWrittenAndWinsOverItsHalfWidthForm()
      throws Exception {
    Processed<ResolutionRow> p = overPages(searchPage("検索結果：2件", "ＯＮＥ\u3000ＰＩＥＣＥ",
        "ONE PIECE"), searchPage("検索結果：2件")).process(NameItem.of("ＯＮＥ\u3000ＰＩＥＣＥ"));

    assertThat(p.rows()).extracting(ResolutionRow::url)
        .containsExactly(url("ＯＮＥ\u3000ＰＩＥＣＥ"));
  }

  @Test
  void theDecoratedNamesArticleOnALaterPageWinsOverItsBaseArticleOnPageOne() throws Exception {
    Processed<ResolutionRow> p = overPages(searchPage("検索結果：3件", "劇場版", "劇場版 〜別の日〜"),
        searchPage("検索結果：3件", "劇場版 〜約束の日〜")).process(NameItem.of("劇場版 〜約束の日〜"));

    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("劇場版 〜約束の日〜"));
      assertThat(r.pagesSearched()).isEqualTo(2);
    });
  }

  @Test
  void aMatchOnlyWithoutTheDecorationIsKeptWhenNoLaterPageHasACloserOne() throws Exception {
    Processed<ResolutionRow> p = overPages(searchPage("検索結果：3件", "劇場版", "劇場版 〜別の日〜"),
        searchPage("検索結果：3件", "劇場版 〜前の日〜")).process(NameItem.of("劇場版 〜約束の日〜"));

    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("劇場版"));
      assertThat(r.pagesSearched()).isEqualTo(2);
    });
  }

  @Test
  void aMatchAsWrittenOnPageOneEndsTheSearch() throws Exception {
    Processed<ResolutionRow> p = overPages(searchPage("検索結果：3件", "猫", "ねこ"),
        searchPage("検索結果：3件", "猫")).process(NameItem.of("猫"));

    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.url()).isEqualTo(url("猫"));
      assertThat(r.pagesSearched()).isEqualTo(1);
    });
  }

  @Test
  void resultsLeftOutCountTowardsTheTotalSoTheLastPageEndsTheSearchWithNoMatch()
      throws Exception {
    // Three results announced, one of them left out (its link text is not its address's title).
    byte[] page1 = new String(searchPage("検索結果：3件", "猫の手", "猫耳"),
        StandardCharsets.UTF_8).replace("</div></body>", "<section><article><div class=\"info\">"
            + "<h2><a href=\"/a/%E7%8A%AC\">猫</a></h2></div></article></section></div></body>")
        .getBytes(StandardCharsets.UTF_8);
    Processed<ResolutionRow> p = overPages(page1, searchPage("検索結果：3件"))
        .process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(p.rows()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.NO_MATCH);
      assertThat(r.pagesSearched()).isEqualTo(1);
    });
  }

  @Test
  void noMatchAmongHitsWhoseTotalCannotBeReadIsUnrecognizedNotNoMatch() throws Exception {
    // The total in words the parser does not know: whether page 2 holds 猫 is unknown.
    Processed<ResolutionRow> p = overPages(searchPage("40 件の記事", "猫の手", "猫耳"),
        searchPage("40 件の記事", "猫")).process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(p.rows()).isEmpty();
    assertThat(p.detail()).contains("no match among 2 hits, and no total");
  }

  @Test
  void aLaterPageWithoutReadableHitsIsUnrecognizedNotNoMatch() throws Exception {
    Processed<ResolutionRow> p = overPages(searchPage("検索結果：3件", "猫の手", "猫耳"),
        searchPage("検索結果：3件")).process(NameItem.of("猫"));

    assertThat(p.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(p.rows()).isEmpty();
    assertThat(p.detail()).contains("page 2: announces 3 hits but none could be read");
  }

  private static Fetcher answering(int status, int attempts, byte[] body) {
    return new Fetcher() {
      @Override
      public FetchResponse get(URI u) {
        return new FetchResponse(u, u, status, "text/html", body, attempts, Duration.ZERO);
      }

      @Override
      public FetchStats stats() {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void theSearchUrlEncodesTheQueryAsUtf8() {
    assertThat(NameResolver.searchUrl("ラブライブ! サンシャイン", 2).toString()).isEqualTo(
        "https://dic.pixiv.net/search?query=%E3%83%A9%E3%83%96%E3%83%A9%E3%82%A4%E3%83%96%21"
            + "%20%E3%82%B5%E3%83%B3%E3%82%B7%E3%83%A3%E3%82%A4%E3%83%B3&page=2");
  }

  @Test
  void aPageLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> NameResolver.create(site, NameCleaner.defaults(), 0, "r",
        Clock.systemUTC())).hasMessage("maxPages must be >= 1, was 0");
  }

  /** The corpus site, answering the first request for each of {@code failing} with a retry. */
  private static final class RetryOnce implements Fetcher {
    final SearchCorpus corpus = new SearchCorpus();
    final List<URI> requests = new CopyOnWriteArrayList<>();
    private final Set<URI> failing;
    private final Duration delay;

    RetryOnce(Duration delay, URI... failing) {
      this.delay = delay;
      this.failing = ConcurrentHashMap.newKeySet();
      this.failing.addAll(List.of(failing));
    }

    @Override
    public FetchResponse get(URI siteUri) throws IOException {
      requests.add(siteUri);
      if (failing.remove(siteUri)) {
        throw new RetryLaterException(siteUri, delay, 1, "status 503");
      }
      return corpus.get(siteUri);
    }

    @Override
    public FetchStats stats() {
      return FetchStats.none();
    }

    @Override
    public void close() {}
  }

  private static final URI PAGE_1 = NameResolver.searchUrl("東方Project", 1);
  private static final URI PAGE_2 = NameResolver.searchUrl("東方Project", 2);

  private static NameResolver over(Fetcher fetcher, Clock clock) {
    return NameResolver.create(fetcher, NameCleaner.defaults(), NameResolver.DEFAULT_MAX_PAGES,
        "run-1", clock);
  }

  @Test
  void aRetryHandedBackOnPageTwoGoesOnFromPageTwoWhenTheNameComesBack() throws Exception {
    RetryOnce fetcher = new RetryOnce(Duration.ofSeconds(2), PAGE_2);
    NameResolver r = over(fetcher, Clock.fixed(NOW, ZoneOffset.UTC));
    NameItem item = NameItem.of("東方Project");

    assertThatThrownBy(() -> r.process(item)).isInstanceOf(RetryLaterException.class);
    Processed<ResolutionRow> p = r.process(item);

    assertThat(fetcher.requests).containsExactly(PAGE_1, PAGE_2, PAGE_2);
    assertThat(p.rows()).singleElement().satisfies(row -> {
      assertThat(row.url()).isEqualTo(url("東方Project"));
      assertThat(row.pagesSearched()).isEqualTo(2);
    });
  }

  @Test
  void anotherItemOfTheSameNameStartsItsOwnSearchFromPageOne() throws Exception {
    RetryOnce fetcher = new RetryOnce(Duration.ofSeconds(2), PAGE_2);
    NameResolver r = over(fetcher, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThatThrownBy(() -> r.process(NameItem.of("東方Project")))
        .isInstanceOf(RetryLaterException.class);
    Processed<ResolutionRow> p = r.process(NameItem.of("東方Project"));

    assertThat(fetcher.requests).containsExactly(PAGE_1, PAGE_2, PAGE_1, PAGE_2);
    assertThat(p.rows().get(0).pagesSearched()).isEqualTo(2);
  }

  @Test
  void inARunTheWorkerResolvesOtherNamesWhileANameWaitsForItsRetry() {
    RetryOnce fetcher = new RetryOnce(Duration.ofSeconds(2), PAGE_2);
    MutableClock clock = new MutableClock() {
      @Override
      public Instant instant() {
        advance(Duration.ofSeconds(1)); // time passes as the run looks at it
        return super.instant();
      }
    };
    NameResolver resolver = over(fetcher, clock);
    List<NameItem> names = Stream.of("東方Project", "初音ミク", "NARUTO", "初音", "ABC")
        .map(NameItem::of).toList();
    InMemorySink<ResolutionRow> sink = InMemorySink.of(
        row -> row.middleClassIpName(), row -> row.update());

    RunReport report = RunEngine.create(Source.of(names, NameItem::key), NameItem::key,
        resolver, sink, RunConfig.builder().runId("run-1").workers(1).clock(clock)
            .requiredColumns(Set.of()).build()).run();

    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.processed()).isEqualTo(5);
    // Page 1 of the waiting name is read once; another name went between its two tries.
    assertThat(fetcher.requests).filteredOn(PAGE_1::equals).hasSize(1);
    assertThat(fetcher.requests).filteredOn(PAGE_2::equals).hasSize(2);
    assertThat(fetcher.requests.indexOf(PAGE_2))
        .isLessThan(fetcher.requests.lastIndexOf(PAGE_2) - 1);
    assertThat(sink.rows()).filteredOn(row -> row.middleClassIpName().equals("東方Project"))
        .singleElement().satisfies(row -> {
          assertThat(row.url()).isEqualTo(url("東方Project"));
          assertThat(row.pagesSearched()).isEqualTo(2);
        });
  }
}

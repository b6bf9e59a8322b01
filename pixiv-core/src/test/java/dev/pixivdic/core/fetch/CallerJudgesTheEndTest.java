package dev.pixivdic.core.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code get(uri, endsEarly)}: the caller's judge, not a parse of the fetcher's, says whether a
 * page's 2xx HTML answer was cut short, and is asked after the request's slot in flight is
 * given back.
 */
@Timeout(30)
class CallerJudgesTheEndTest {

  private static final byte[] WHOLE =
      "<!doctype html><html><body><p>whole</p></body></html>".getBytes(UTF_8);
  /** Cut inside a div: the tree builder calls it cut, though its bytes hold an </html>. */
  private static final byte[] CUT_INSIDE =
      "<!doctype html><html><body><a title=\"</html>\">x</a><div>12".getBytes(UTF_8);

  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
  private LoopbackSite site;
  private HttpFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    site = LoopbackSite.start(exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      byte[] body = pages.getOrDefault(path, WHOLE);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    FakeTime time = new FakeTime();
    fetcher = time.fetcherOf(site).respectRobots(false).concurrency(1).maxAttempts(3).build();
  }

  @AfterEach
  void stop() throws IOException {
    fetcher.close();
    site.close();
  }

  @Test
  void anAnswerTheJudgeCallsCutIsFetchedAgainAndTheWholeOneReturned() throws Exception {
    List<String> judged = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();

    FetchResponse r = fetcher.get(URI.create("https://dic.pixiv.net/a/x"), answer -> {
      judged.add(answer.status() + " " + answer.body().length);
      return calls.incrementAndGet() == 1; // the first answer was cut, by the judge's parse
    });

    assertThat(hits.get("/a/x")).hasValue(2);
    assertThat(judged).containsExactly("200 " + WHOLE.length, "200 " + WHOLE.length);
    assertThat(r.body()).isEqualTo(WHOLE);
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void theJudgesVerdictStandsInForTheFetchersOwn() throws Exception {
    pages.put("/a/cut", CUT_INSIDE);

    FetchResponse taken = fetcher.get(URI.create("https://dic.pixiv.net/a/cut"), a -> false);

    assertThat(taken.body()).isEqualTo(CUT_INSIDE);
    assertThat(hits.get("/a/cut")).hasValue(1);
    // Without a judge, the fetcher parses the page itself: cut on every attempt.
    assertThatThrownBy(() -> fetcher.get(URI.create("https://dic.pixiv.net/a/cut")))
        .isInstanceOf(FetchException.class)
        .hasMessageContaining("HTTP 200 with a body cut short");
    assertThat(hits.get("/a/cut")).hasValue(4);
  }

  @Test
  void theJudgeIsAskedAfterTheSlotInFlightIsGivenBack() throws Exception {
    // One request in flight at most: a judge asked while the slot is held could not fetch.
    FetchResponse r = fetcher.get(URI.create("https://dic.pixiv.net/a/x"), answer -> {
      try {
        return fetcher.get(URI.create("https://dic.pixiv.net/a/y")).body().length == 0;
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    });

    assertThat(r.body()).isEqualTo(WHOLE);
    assertThat(hits.get("/a/y")).hasValue(1);
  }
}

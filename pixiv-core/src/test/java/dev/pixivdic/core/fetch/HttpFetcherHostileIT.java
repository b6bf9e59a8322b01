package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.scrape.PixivScraper;
import dev.pixivdic.core.testing.InMemorySink;
import dev.pixivdic.support.ProxySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile site on loopback: a hand-written socket server answers each request from a script
 * (what bytes, when, whether to reset), for the faults a well-behaved test server cannot make.
 * Requests for {@code /ok} always get a small 200, so a test can check the fetcher still works.
 */
@Timeout(60)
class HttpFetcherHostileIT {

  /** What the server does with one request for anything but /ok. */
  @FunctionalInterface
  private interface Script {
    void answer(String path, Socket socket, OutputStream out) throws Exception;
  }

  private ServerSocket socket;
  private volatile Script script;
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> connections = new ArrayList<>();
  private HttpFetcher fetcher;
  private final ExecutorService callers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() throws IOException {
    release.countDown();
    if (fetcher != null) {
      fetcher.close();
    }
    callers.shutdownNow();
    if (socket != null) {
      socket.close();
    }
    synchronized (connections) {
      connections.forEach(Thread::interrupt);
    }
  }

  private HttpFetcher.Builder site(Script answer) throws IOException {
    script = answer;
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "hostile-site");
    acceptor.setDaemon(true);
    acceptor.start();
    FakeTime time = new FakeTime();
    return HttpFetcher.builder()
        .origin(URI.create("http://127.0.0.1:" + socket.getLocalPort()))
        .respectRobots(false)
        .qps(1000)
        .maxAttempts(2)
        .sleeper(time).nanoTime(time).clock(time.clock());
  }

  private void accept() {
    while (!socket.isClosed()) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return; // closed at the end of the test
      }
      Thread t = new Thread(() -> serve(s), "hostile-connection");
      t.setDaemon(true);
      synchronized (connections) {
        connections.add(t);
      }
      t.start();
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      String path;
      while ((path = LoopbackSite.requestPath(in)) != null) {
        if (path.equals("/ok")) {
          write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          continue;
        }
        requests.incrementAndGet();
        script.answer(path, s, out);
        if (s.isClosed()) {
          return;
        }
      }
    } catch (Exception e) {
      // The client went away, or the test ended: nothing to answer.
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private Future<FetchResponse> getLater(String path) {
    URI uri = URI.create("https://dic.pixiv.net" + path);
    return callers.submit(() -> fetcher.get(uri));
  }

  private static Throwable failureOf(Future<?> call) throws Exception {
    try {
      call.get(20, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private void assertStillServes() throws Exception {
    assertThat(getLater("/ok").get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  private void awaitRequests(int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (requests.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + n + " requests on the server");
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void closingTheFetcherEndsEveryRequestStalledBeforeItsHeadersWithAClearFailure()
      throws Exception {
    fetcher = site((path, s, out) -> release.await()).concurrency(4)
        .requestTimeout(Duration.ofSeconds(30)).build();
    List<Future<FetchResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(getLater("/a/stalled" + i));
    }
    awaitRequests(4);

    fetcher.close();

    for (Future<FetchResponse> call : calls) {
      assertThat(failureOf(call)).isInstanceOf(FetchException.class)
          .hasMessageContaining("/a/stalled").hasMessageContaining("fetcher was closed");
    }
  }

  @Test
  void closingTheFetcherEndsARequestStalledMidBodyEvenWhenTheSiteAnswersLater()
      throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
      release.await();
      write(out, "defghij");
    }).requestTimeout(Duration.ofSeconds(30)).build();
    Future<FetchResponse> call = getLater("/a/half");
    awaitRequests(1);

    fetcher.close();
    release.countDown();

    assertThat(failureOf(call)).isInstanceOf(FetchException.class)
        .hasMessageContaining("fetcher was closed");
  }

  @Test
  void closingTheFetcherEndsACallWaitingOutARetryAfterOfMinutes() throws Exception {
    fetcher = site((path, s, out) -> write(out,
        "HTTP/1.1 503 Busy\r\nRetry-After: 300\r\nContent-Length: 0\r\n\r\n"))
        .sleeper(Sleeper.system()).nanoTime(System::nanoTime)
        .clock(java.time.Clock.systemUTC()).build();
    Future<FetchResponse> call = getLater("/a/busy");
    awaitRequests(1);

    fetcher.close();

    assertThat(failureOf(call)).isInstanceOf(FetchException.class)
        .hasMessageContaining("/a/busy").hasMessageContaining("fetcher was closed");
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void aCallerWhoseRequestWasEndedByCloseKeepsNoInterrupt() throws Exception {
    fetcher = site((path, s, out) -> release.await()).build();
    Future<Boolean> interruptedAfter = callers.submit(() -> {
      try {
        fetcher.get(URI.create("https://dic.pixiv.net/a/stalled"));
      } catch (FetchException expected) {
        // the close
      }
      return Thread.currentThread().isInterrupted();
    });
    awaitRequests(1);

    fetcher.close();

    assertThat(interruptedAfter.get(20, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aContentLengthThatIsNoNumberIsAMalformedAnswerNotAnUncheckedError() throws Exception {
    fetcher = site((path, s, out) -> write(out,
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nhello")).build();

    Throwable t = failureOf(getLater("/a/length"));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("/a/length")
        .hasRootCauseInstanceOf(NumberFormatException.class);
    assertThat(t.getCause()).isInstanceOf(java.net.ProtocolException.class)
        .hasMessageContaining("malformed response")
        .hasMessageContaining("99999999999999999999999");
    assertThat(((FetchException) t).attempts()).isEqualTo(2);
    assertStillServes();
  }

  @Test
  void aStatusOutsideHttpsRangeIsAMalformedAnswerRetriedThenFailsNamingThePageAndStatus()
      throws Exception {
    fetcher = site((path, s, out) -> write(out,
        "HTTP/1.1 999 What\r\nContent-Length: 4\r\n\r\nbody")).build();

    Throwable t = failureOf(getLater("/a/status999"));

    assertThat(t).isInstanceOf(FetchException.class)
        .hasMessageContaining("GET https://dic.pixiv.net/a/status999 failed after 2 attempt(s)")
        .hasMessageContaining("status 999 is no HTTP status (100..599)");
    assertThat(t.getCause()).isInstanceOf(java.net.ProtocolException.class)
        .hasMessageContaining("malformed response from http://127.0.0.1:");
    assertThat(((FetchException) t).attempts()).isEqualTo(2);
    assertThat(requests.get()).isEqualTo(2);
    assertStillServes();
  }

  @Test
  void aPageAnsweringAStatusOutsideHttpsRangeFailsInARunAsAPageToRetryNotAsABug()
      throws Exception {
    site((path, s, out) -> {
      if (path.equals("/a/status999")) {
        write(out, "HTTP/1.1 999 What\r\nContent-Length: 0\r\n\r\n");
      } else {
        write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone");
      }
    });
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    PixivScraper scraper = PixivScraper.builder().sink(sink)
        .origin(URI.create("http://127.0.0.1:" + socket.getLocalPort()))
        .respectRobots(false).qps(1000).maxAttempts(1).driftMinPages(1).build();

    RunReport report = scraper.run(List.of("https://dic.pixiv.net/a/status999",
        "https://dic.pixiv.net/a/gone"));

    // Failed, and not for good: the page is tried again by the next run, and the command
    // ends with 75 ("retry later"), as for a status line that is not HTTP.
    assertThat(report.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.failedForGood()).isZero();
    assertThat(report.processed()).isEqualTo(1);
    assertThat(report.problems())
        .filteredOn(p -> p.contains("https://dic.pixiv.net/a/status999")).singleElement()
        .asString()
        .contains("status 999 is no HTTP status (100..599)");
    assertThat(report.problems()).noneMatch(p -> p.contains("internal error"));
  }

  @Test
  void interimAnswersBeforeTheResponseAreSkipped() throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n");
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal");
    }).build();

    FetchResponse r = getLater("/a/interim").get(20, TimeUnit.SECONDS);

    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("final");
  }

  @Test
  void anEndlessRunOfInterimAnswersFailsAndTheClientGoesOn() throws Exception {
    fetcher = site((path, s, out) -> {
      for (int i = 0; i < 10_000; i++) {
        write(out, "HTTP/1.1 102 Processing\r\n\r\n");
      }
    }).build();

    assertThat(failureOf(getLater("/a/processing"))).isInstanceOf(FetchException.class)
        .hasMessageContaining("/a/processing");
    assertStillServes();
  }

  @Test
  void aRedirectToItselfStopsAtTheLimitOfRedirects() throws Exception {
    fetcher = site((path, s, out) -> write(out,
        "HTTP/1.1 302 Found\r\nLocation: " + path + "\r\nContent-Length: 0\r\n\r\n"))
        .maxRedirects(3).build();

    Throwable t = failureOf(getLater("/a/loop"));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("more than 3");
    assertThat(requests.get()).isEqualTo(4);
  }

  @Test
  void aRedirectToAQueryAloneKeepsThePagesPath() throws Exception {
    List<String> paths = java.util.Collections.synchronizedList(new ArrayList<>());
    fetcher = site((path, s, out) -> {
      paths.add(path);
      if (path.equals("/a/page")) {
        write(out, "HTTP/1.1 302 Found\r\nLocation: ?lang=ja\r\nContent-Length: 0\r\n\r\n");
      } else {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path);
      }
    }).build();

    FetchResponse r = getLater("/a/page").get(20, TimeUnit.SECONDS);

    assertThat(paths).containsExactly("/a/page", "/a/page?lang=ja");
    assertThat(r.finalUri()).hasToString("https://dic.pixiv.net/a/page?lang=ja");
  }

  @Test
  void aLocationInRawUtf8OrWithSpacesIsFollowedAsABrowserWouldFollowIt() throws Exception {
    List<String> paths = java.util.Collections.synchronizedList(new ArrayList<>());
    String raw = new String("/a/初音ミク".getBytes(StandardCharsets.UTF_8),
        StandardCharsets.ISO_8859_1);
    fetcher = site((path, s, out) -> {
      paths.add(path);
      if (path.equals("/a/alias")) {
        write(out, "HTTP/1.1 301 Moved\r\nLocation: " + raw + "\r\nContent-Length: 0\r\n\r\n");
      } else if (path.equals("/a/spaced")) {
        write(out, "HTTP/1.1 301 Moved\r\nLocation: /a/two words?q=a b\r\n"
            + "Content-Length: 0\r\n\r\n");
      } else {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
      }
    }).build();

    FetchResponse alias = getLater("/a/alias").get(20, TimeUnit.SECONDS);
    FetchResponse spaced = getLater("/a/spaced").get(20, TimeUnit.SECONDS);

    String encoded = "/a/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF";
    assertThat(paths).containsExactly("/a/alias", encoded, "/a/spaced",
        "/a/two%20words?q=a%20b");
    assertThat(alias.finalUri()).hasToString("https://dic.pixiv.net" + encoded);
    assertThat(spaced.status()).isEqualTo(200);
  }

  @Test
  void aRelativeLocationWithAnEncodedDotSegmentIsRefusedBeforeItIsResolved() throws Exception {
    fetcher = site((path, s, out) -> write(out, "HTTP/1.1 302 Found\r\nLocation:"
        + " %2e%2e/../admin?code=C0DE5ECRET\r\nContent-Length: 0\r\n\r\n")).build();

    // Named as the site sent it, but for its query, which may hold a token of the site.
    assertThat(failureOf(getLater("/a/b/page"))).isInstanceOf(FetchException.class)
        .hasMessageContaining("malformed Location '%2e%2e/../admin'")
        .hasMessageNotContaining("C0DE5ECRET");
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void anEmptyLocationRedirectsToThePageItselfNotItsDirectory() throws Exception {
    List<String> paths = java.util.Collections.synchronizedList(new ArrayList<>());
    fetcher = site((path, s, out) -> {
      paths.add(path);
      write(out, "HTTP/1.1 302 Found\r\nLocation: \r\nContent-Length: 0\r\n\r\n");
    }).maxRedirects(2).build();

    assertThat(failureOf(getLater("/a/empty"))).isInstanceOf(FetchException.class)
        .hasMessageContaining("more than 2 redirects");
    assertThat(paths).containsOnly("/a/empty").hasSize(3);
  }

  @Test
  void anEndlessChunkedBodyStopsAtTheCapWithoutRetrying() throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      while (true) {
        out.write(chunk);
      }
    }).maxBodyBytes(200_000).build();

    Throwable t = failureOf(getLater("/a/endless"));

    assertThat(t).isInstanceOf(BodyTooLargeException.class).hasMessageContaining("cap of 200000");
    assertThat(requests.get()).isEqualTo(1);
    assertThat(fetcher.stats().responses(200)).as("the answer, cut at the cap").isEqualTo(1);
    assertThat(fetcher.stats().failures()).isZero();
    assertStillServes();
  }

  @Test
  void aGzipBombFailsAtTheCapOnTheDecodedSize() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(new byte[20_000_000]);
    }
    byte[] bomb = zipped.toByteArray();
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length
          + "\r\n\r\n");
      out.write(bomb);
      out.flush();
    }).maxBodyBytes(1_000_000).build();

    assertThat(failureOf(getLater("/a/bomb"))).isInstanceOf(FetchException.class)
        .hasMessageContaining("gzip body expands beyond the cap of 1000000");
    assertStillServes();
  }

  @Test
  void aMalformedGzipBodyFailsNamingThePage() throws Exception {
    fetcher = site((path, s, out) -> write(out,
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\nnot gzip!!"))
        .build();

    assertThat(failureOf(getLater("/a/notgzip"))).isInstanceOf(FetchException.class)
        .hasMessageContaining("/a/notgzip").hasMessageContaining("malformed gzip body (10 bytes")
        .hasMessageContaining("Not in GZIP format");
  }

  @Test
  void anEmptyBodyLabelledGzipIsAnEmptyBodyAndA404StaysA404() throws Exception {
    fetcher = site((path, s, out) -> write(out, "HTTP/1.1 404 Not Found\r\n"
        + "Content-Encoding: gzip\r\nContent-Length: 0\r\n\r\n")).build();

    FetchResponse r = getLater("/a/deleted").get(20, TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void aGzipBodyNamedInTheSecondOfTwoContentEncodingFieldsIsDecoded() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write("decoded".getBytes(StandardCharsets.UTF_8));
    }
    byte[] gzipped = zipped.toByteArray();
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Encoding: gzip"
          + "\r\nContent-Length: " + gzipped.length + "\r\n\r\n");
      out.write(gzipped);
      out.flush();
    }).build();

    FetchResponse r = getLater("/a/layers").get(20, TimeUnit.SECONDS);

    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("decoded");
  }

  @Test
  void aPageCutShortOfItsDocumentByTheConnectionsCloseIsFetchedAgain() throws Exception {
    String whole = "<!DOCTYPE html><html><body><ul><li>789</li></ul></body></html>\n";
    AtomicInteger answered = new AtomicInteger();
    fetcher = site((path, s, out) -> {
      // No Content-Length, not chunked: the body ends where the connection does.
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
          + "Connection: close\r\n\r\n"
          + (answered.incrementAndGet() == 1 ? whole.substring(0, whole.indexOf("89")) : whole));
      s.close();
    }).build();

    FetchResponse r = getLater("/a/cut").get(20, TimeUnit.SECONDS);

    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(whole);
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void aPageCutShortOnEveryAttemptFailsNamingTheCut() throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
          + "<html><body><ul><li>7");
      s.close();
    }).build();

    Throwable t = failureOf(getLater("/a/cut"));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("/a/cut")
        .hasMessageContaining("HTTP 200 with a body cut short (it ends before its document"
            + " does: no </html>, or inside a tag, a comment or an open element) on the last of 2"
            + " attempts");
    assertThat(((FetchException) t).attempts()).isEqualTo(2);
  }

  @Test
  void aBodyThatIsNoHtmlDocumentIsNotJudgedByItsEnd() throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\n\r\n{\"html\": \"<html>\"}");
      s.close();
    }).build();

    FetchResponse r = getLater("/_api/x").get(20, TimeUnit.SECONDS);

    assertThat(r.attempts()).isEqualTo(1);
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void aConnectionResetMidBodyIsRetriedThenFailsAndTheClientGoesOn() throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
      s.setSoLinger(true, 0);
      s.close();
    }).build();

    Throwable t = failureOf(getLater("/a/reset"));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("/a/reset");
    assertThat(((FetchException) t).attempts()).isEqualTo(2);
    assertStillServes();
  }

  @Test
  void theRequestTimeoutStillFiresWhenTheClientRunsItsWorkOnItsSelectorThread()
      throws Exception {
    fetcher = site((path, s, out) -> release.await())
        .requestTimeout(Duration.ofMillis(300)).build();

    Throwable t = failureOf(getLater("/a/silent"));

    assertThat(t).isInstanceOf(FetchException.class)
        .hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
    assertThat(requests.get()).isEqualTo(2);
    assertStillServes();
  }

  @Test
  void aPlainHttpOriginThroughAProxyThatWantsCredentialsIsFetched() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.withCredentials("alice", "pw")) {
      fetcher = site((path, s, out) -> write(out,
          "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nproxied"))
          .proxy(ProxySettings.none().withProxy("http://alice:pw@127.0.0.1:" + proxy.port()))
          .build();

      FetchResponse r = getLater("/a/proxied").get(20, TimeUnit.SECONDS);

      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("proxied");
      assertThat(proxy.seen()).extracting(LoopbackProxy.Seen::authorized)
          .containsExactly(false, true);
    }
  }

  @Test
  void aProxyThatRefusesTheCredentialsFailsTheCallAtOnceNamingTheProxy() throws Exception {
    try (LoopbackProxy proxy = LoopbackProxy.withCredentials("alice", "pw")) {
      fetcher = site((path, s, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2"
          + "\r\n\r\nok"))
          .proxy(ProxySettings.none().withProxy("http://alice:wrong@127.0.0.1:" + proxy.port()))
          .build();

      Throwable t = failureOf(getLater("/a/refused"));

      assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("/a/refused")
          .hasMessageContaining("proxy http://alice:***@127.0.0.1:" + proxy.port())
          .hasMessageContaining("refused its credentials").hasMessageNotContaining("wrong");
      // Not retried: the same credentials would be refused again.
      assertThat(((FetchException) t).attempts()).isEqualTo(1);
      assertThat(proxy.forwarded()).isEmpty();
      assertThat(requests.get()).isZero();
    }
  }

  @Test
  void interruptingARunWithFourRequestsStalledEndsItAndWritesEachFinishedPageOnce()
      throws Exception {
    site((path, s, out) -> {
      if (path.startsWith("/a/stall")) {
        release.await();
      }
      write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone");
    });
    InMemorySink<ArticleRow> sink = InMemorySink.forRows();
    PixivScraper scraper = PixivScraper.builder().sink(sink)
        .origin(URI.create("http://127.0.0.1:" + socket.getLocalPort()))
        .respectRobots(false).qps(1000).concurrency(4).flushRows(1)
        // The finished pages are 404s: written as they come, not held for an article page.
        .notFoundHold(false).build();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      urls.add("https://dic.pixiv.net/a/gone" + i);
    }
    for (int i = 0; i < 8; i++) {
      urls.add("https://dic.pixiv.net/a/stall" + i);
    }
    Future<RunReport> run = callers.submit(() -> scraper.run(urls));
    awaitRequests(8);
    // What the run thread's interrupt stands for: the command's SIGTERM stops the run so.
    callers.shutdownNow();

    RunReport report = run.get(60, TimeUnit.SECONDS);

    assertThat(report.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(report.failed()).isZero();
    assertThat(sink.rows()).extracting(ArticleRow::url).doesNotHaveDuplicates()
        .allMatch(u -> u.contains("/a/gone")).hasSize(4);
  }

  @Test
  void aBodyReaderThatThrowsOnTheSelectorThreadFailsItsOwnRequestAndTheClientGoesOn()
      throws Exception {
    site((path, s, out) -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(new InlineExecutor()).build();
    URI uri = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/a/x");
    for (String where : List.of("handler", "onSubscribe", "onNext", "onComplete")) {
      for (Throwable thrown : List.of(new IllegalStateException("a bug in the reader"),
          new StackOverflowError("an error in the reader"))) {
        Future<?> failing = callers.submit(() -> client.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20)).build(), throwing(where, thrown)));
        Throwable t = failureOf(failing);
        assertThat(t).as("%s throwing %s", where, thrown).isInstanceOf(IOException.class)
            .hasMessageContaining(thrown.getMessage());
        Future<String> next = callers.submit(() -> client.send(HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString())
            .body());
        assertThat(next.get(20, TimeUnit.SECONDS)).isEqualTo("hello");
      }
    }
  }

  /** A body handler that throws {@code thrown} at {@code where}, else reads the body. */
  private static HttpResponse.BodyHandler<byte[]> throwing(String where, Throwable thrown) {
    return info -> {
      throwAt("handler", where, thrown);
      HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
      return new HttpResponse.BodySubscriber<>() {
        @Override
        public CompletionStage<byte[]> getBody() {
          return bytes.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          throwAt("onSubscribe", where, thrown);
          bytes.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
          throwAt("onNext", where, thrown);
          bytes.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
          bytes.onError(throwable);
        }

        @Override
        public void onComplete() {
          throwAt("onComplete", where, thrown);
          bytes.onComplete();
        }
      };
    };
  }

  private static void throwAt(String here, String where, Throwable thrown) {
    if (here.equals(where)) {
      if (thrown instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) thrown;
    }
  }
}

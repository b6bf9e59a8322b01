package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
      while ((path = requestPath(in)) != null) {
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

  /** The path of the next request on the connection, or null when the client closed it. */
  private static String requestPath(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) != -1) {
      head.append((char) b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return matched < 4 ? null : head.toString().split(" ")[1];
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private Future<FetchResponse> getLater(String path) {
    URI uri = URI.create("https://dic.pixiv.net" + path);
    return callers.submit(() -> fetcher.get(uri));
  }

  private static Throwable failureOf(Future<FetchResponse> call) throws Exception {
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
  void anEndlessChunkedBodyStopsAtTheCapWithoutRetrying() throws Exception {
    fetcher = site((path, s, out) -> {
      write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      while (true) {
        out.write(chunk);
      }
    }).maxBodyBytes(200_000).build();

    Throwable t = failureOf(getLater("/a/endless"));

    assertThat(t).isInstanceOf(FetchException.class).hasMessageContaining("cap of 200000");
    assertThat(requests.get()).isEqualTo(1);
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
        .hasMessageContaining("/a/notgzip").hasMessageContaining("Not in GZIP format");
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
}

package dev.pixivdic.launcher.kube;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An API server that is slow in the ways a half-dead proxy is: it sends the headers and then the
 * body one byte at a time, or it takes the connection and never answers. The request's time limit
 * covers the whole answer, and the opening of a stream; the launcher never hangs on either.
 *
 * <p>An answer that trickles in runs on {@link DrivenTime}: the server moves time on between its
 * bytes, over a real loopback connection. The other tests see the limit fire in real time, and
 * take {@link #LIMIT} a try. It is as short as a first answer allows: a fresh HTTP client on a
 * busy machine takes a few hundred milliseconds to open its first connection, and the watch below
 * must open within the limit.
 */
class SlowServerTest {
  private static final Duration LIMIT = Duration.ofMillis(800);
  /**
   * The limit of requests on driven time: as long as a real-time limit the HTTP client also sets
   * (on connecting, and on the headers) can never be reached.
   */
  private static final Duration DRIVEN_LIMIT = Duration.ofSeconds(30);
  /** The time between two bytes of a trickle: well inside the limit, so each would renew it. */
  private static final Duration BYTE_GAP = Duration.ofSeconds(1);
  private final DrivenTime time = new DrivenTime();
  private final ExecutorService threads = Executors.newCachedThreadPool(Daemons.factory("slow"));
  private final AtomicInteger connections = new AtomicInteger();
  private final CountDownLatch over = new CountDownLatch(1);
  private ServerSocket server;

  @AfterEach
  void stop() throws IOException {
    over.countDown();
    threads.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anAnswerWhoseBodyTricklesFailsAtTheRequestLimitAsNoAnswer() throws Exception {
    KubeApi api = serve(this::trickle, DRIVEN_LIMIT, time);

    // A byte every second for 3000 bytes would take 50 minutes; the limit is 30 s a try.
    assertThat(failure(() -> api.get("/apis/batch/v1/namespaces/b/jobs/j")))
        .hasMessageContaining("no answer within 30s");
    // Transient: tried again (three retries), each try bounded.
    assertThat(connections.get()).isEqualTo(4);
    assertThat(time.expired()).isEqualTo(4);
    // Each try ended at its limit (give or take the gap of a byte), not when the bytes ran out.
    assertThat(time.elapsed()).isBetween(DRIVEN_LIMIT.multipliedBy(4),
        DRIVEN_LIMIT.plus(BYTE_GAP.multipliedBy(2)).multipliedBy(4));
  }

  @Test
  void aWatchWhoseHeadersNeverComeFailsAtTheRequestLimit() throws Exception {
    KubeApi api = serve(this::silent);

    assertThat(failure(() -> api.stream("/apis/batch/v1/namespaces/b/jobs?watch=true")))
        .hasMessageContaining("no answer within 800ms");
  }

  @Test
  void aWatchThatOpensStaysOpenPastTheRequestLimit() throws Exception {
    CountDownLatch released = new CountDownLatch(1);
    // The Job watch opens and then stays quiet until released; any other request is not answered.
    KubeApi api = serve(s -> {
      if (!readHead(s).contains("watch=true")) {
        over.await();
        return;
      }
      OutputStream out = chunkedHead(s);
      released.await();
      for (byte b : "{\"type\":\"ADDED\",\"object\":{}}\n".getBytes(US_ASCII)) {
        chunk(out, b);
      }
      over.await();
    });

    try (InputStream watch = api.stream("/apis/batch/v1/namespaces/b/jobs?watch=true")) {
      // The limit covers the opening only: a watch is quiet for minutes and is not cut short.
      // A stream opened after the watch failing at the limit shows, without a clock, that the
      // limit has passed for the watch as well.
      assertThat(failure(() -> api.stream("/api/v1/namespaces/b/pods/p/log?follow=true")))
          .hasMessageContaining("no answer within 800ms");
      released.countDown();

      byte[] first = watch.readNBytes(12);
      assertThat(new String(first, US_ASCII)).isEqualTo("{\"type\":\"ADD");
    }
  }

  /**
   * A create that starts just as a signal abandons the unsent ones (it was not yet among them) is
   * abandoned as well: it fails at once as never sent, and its body never reaches the server.
   */
  @Test
  void aCreateStartedAfterTheUnsentCreatesWereAbandonedIsNeverSent() throws Exception {
    java.io.ByteArrayOutputStream heard = new java.io.ByteArrayOutputStream();
    KubeApi api = serve(s -> {
      InputStream in = s.getInputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        synchronized (heard) {
          heard.write(b);
        }
      }
    });
    api.abandonUnsentCreates();
    long start = System.nanoTime();

    assertThat(failure(() -> api.once("POST", "/apis/batch/v1/namespaces/b/jobs",
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
            .put("kind", "Job"), Duration.ofSeconds(20), Object.class)))
        .hasMessageContaining("stopped before it was sent");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("well before the request's limit").isLessThan(Duration.ofSeconds(10));
    server.close();
    synchronized (heard) {
      assertThat(heard.toString(US_ASCII)).doesNotContain("\"kind\"");
    }
  }

  private interface Call {
    Object run() throws IOException;
  }

  /** What {@code call} failed with, waited for at most 30 s so that a hang fails the test. */
  private ApiConnectionException failure(Call call) throws Exception {
    CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        return call.run();
      } catch (IOException e) {
        return e;
      }
    }, threads);
    Object o = outcome.get(30, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(ApiConnectionException.class);
    return (ApiConnectionException) o;
  }

  interface Answer {
    void write(Socket socket) throws IOException, InterruptedException;
  }

  /**
   * Accepts connections on {@code server} until it is closed, each answered on a thread of its
   * own; {@code accepted} runs for each.
   */
  static void accept(ServerSocket server, ExecutorService threads, Answer answer,
      Runnable accepted) {
    threads.execute(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.run();
          threads.execute(() -> {
            try (s) {
              answer.write(s);
            } catch (IOException | InterruptedException e) {
              // the client went away, as it should
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  private KubeApi serve(Answer answer) throws IOException {
    return serve(answer, LIMIT, KubeApi.AnswerWait.REAL_TIME);
  }

  private KubeApi serve(Answer answer, Duration limit, KubeApi.AnswerWait wait)
      throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    accept(server, threads, answer, connections::incrementAndGet);
    URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort());
    try {
      Cluster cluster = new Cluster(uri, SSLContext.getDefault(), Credentials.none(), "b", "test");
      return new KubeApi(cluster, limit, Duration.ofMillis(1), Clock.systemUTC(), wait);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Answers with the head of a long body, and then sends it a byte at a time, moving time on by
   * {@link #BYTE_GAP} after each: bytes that keep coming, each well inside the limit, are the
   * fault under test (a limit that a byte renewed would never fire). Once a wait has ended at its
   * limit, this try is over: time stands still until the client's next try.
   */
  private void trickle(Socket s) throws IOException, InterruptedException {
    readHead(s);
    int endedBefore = time.expired();
    OutputStream out = chunkedHead(s);
    for (byte b : "{\"type\":\"ADDED\",\"object\":{}}\n".repeat(100).getBytes(US_ASCII)) {
      chunk(out, b);
      time.advance(BYTE_GAP);
      if (time.expired() > endedBefore) {
        over.await();
        return;
      }
    }
  }

  /** Sends the head of a chunked 200 answer. */
  private static OutputStream chunkedHead(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(US_ASCII));
    out.flush();
    return out;
  }

  /** Sends {@code b} as a chunk of its own. */
  private static void chunk(OutputStream out, byte b) throws IOException {
    out.write(("1\r\n").getBytes(US_ASCII));
    out.write(b);
    out.write("\r\n".getBytes(US_ASCII));
    out.flush();
  }

  /** Takes the request and answers nothing until the test is over. */
  private void silent(Socket s) throws IOException, InterruptedException {
    readHead(s);
    over.await();
  }

  /** Reads a request's head, up to its blank line (or the end of the stream), and returns it. */
  static String readHead(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
    return head.toString(US_ASCII);
  }
}

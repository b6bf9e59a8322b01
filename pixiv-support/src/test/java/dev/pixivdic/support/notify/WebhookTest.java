package dev.pixivdic.support.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.support.ProxySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The notice: where its URL comes from, what is posted, and how it is delivered. */
@Timeout(60)
class WebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "T000/B000/s3cr3tPath";

  /** What the loopback server received: the request line's target and two headers. */
  record Seen(String target, String proxyAuthorization, String body) {}

  @TempDir Path dir;
  private HttpServer server;
  private final Deque<Integer> answers = new ArrayDeque<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      seen.add(new Seen(exchange.getRequestURI().toString(),
          exchange.getRequestHeaders().getFirst("Proxy-Authorization"),
          new String(body, StandardCharsets.UTF_8)));
      Integer status;
      synchronized (answers) {
        status = answers.isEmpty() ? 200 : answers.poll();
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/"
        + SECRET);
  }

  private Webhook webhook() {
    return Webhook.resolve("--notify", url().toString(), name -> null)
        .withBackoff(Duration.ofMillis(1))
        .through(ProxySettings.none().selector(), ProxySettings.none()::authorization);
  }

  /**
   * A receiver on a raw socket: on each connection (a thread each), reads one request, counts it
   * in {@code requests} and writes {@code head}, then {@code chunk} again and again until the
   * client stops reading, and holds the connection open until {@code end}. Returns the bytes of
   * body written on each connection, as the client's close ends them.
   */
  private java.util.concurrent.BlockingQueue<Long> rawReceiver(java.net.ServerSocket socket,
      String head, byte[] chunk, java.util.concurrent.atomic.AtomicInteger requests,
      java.util.concurrent.CountDownLatch end) {
    java.util.concurrent.BlockingQueue<Long> written =
        new java.util.concurrent.LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      while (!socket.isClosed()) {
        java.net.Socket c;
        try {
          c = socket.accept();
        } catch (IOException e) {
          return;
        }
        Thread answer = new Thread(() -> {
          try (c) {
            java.io.InputStream in = c.getInputStream();
            StringBuilder headers = new StringBuilder();
            while (headers.indexOf("\r\n\r\n") < 0) {
              headers.append((char) in.read());
            }
            java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?i)content-length: *(\\d+)").matcher(headers);
            in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0);
            requests.incrementAndGet();
            java.io.OutputStream out = c.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long n = 0;
            try {
              while (chunk.length > 0 && end.getCount() > 0) {
                out.write(chunk);
                n += chunk.length;
              }
            } catch (IOException closedByTheClient) {
              written.add(n);
              return;
            }
            end.await(); // a stalled body: the connection stays open until the test ends
          } catch (IOException | InterruptedException e) {
            // the test ended
          }
        }, "raw-answer");
        answer.setDaemon(true);
        answer.start();
      }
    }, "raw-receiver");
    t.setDaemon(true);
    t.start();
    return written;
  }

  private Webhook rawWebhook(java.net.ServerSocket socket) {
    return Webhook.resolve("--notify", "http://127.0.0.1:" + socket.getLocalPort() + "/services/"
        + SECRET, name -> null).withBackoff(Duration.ofMillis(1))
        .through(ProxySettings.none().selector(), ProxySettings.none()::authorization);
  }

  /**
   * Posts a notice to a receiver that answers {@code head} and then stalls, the body read no
   * longer than {@code wait}; returns whether it was delivered and the requests the receiver got.
   */
  private int[] postToAStalledReceiver(String head, Duration wait) throws Exception {
    java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50,
        InetAddress.getLoopbackAddress())) {
      rawReceiver(socket, head, new byte[0], requests, end);
      boolean sent = rawWebhook(socket).withAnswerWait(wait)
          .send(JSON.createObjectNode().put("text", "done"));
      return new int[] {sent ? 1 : 0, requests.get()};
    } finally {
      end.countDown();
    }
  }

  /** A notice the receiver took (2xx) is done, however its body goes on: not sent again. */
  @Test
  @Timeout(30)
  void anAcceptedNoticeWhoseAnswerStallsIsDoneAtOnceAndNotSentAgain() throws Exception {
    assertThat(postToAStalledReceiver("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nten bytes.",
        Duration.ofMinutes(5))).containsExactly(1, 1);
  }

  /**
   * A 204 No Content that carries a body all the same (a receiver that says "ok" in it, by
   * length or chunked) took the notice: it is sent once, not on every attempt.
   */
  @Test
  @Timeout(30)
  void aNoContentAnswerWithABodyDeliversTheNoticeOnce() throws Exception {
    assertThat(postToAStalledReceiver("HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\nok",
        Duration.ofMinutes(5))).containsExactly(1, 1);
    assertThat(postToAStalledReceiver("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked"
        + "\r\n\r\n2\r\nok\r\n0\r\n\r\n", Duration.ofMinutes(5))).containsExactly(1, 1);
  }

  /** A refusal whose body never ends is read for its first bytes, and each attempt ends. */
  @Test
  @Timeout(30)
  void aRefusalWithAnEndlessBodyIsReadForItsFirstBytesOnly() throws Exception {
    java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
    byte[] chunk = "unavailable ".repeat(5000).getBytes(StandardCharsets.US_ASCII);
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50,
        InetAddress.getLoopbackAddress())) {
      java.util.concurrent.BlockingQueue<Long> written = rawReceiver(socket,
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 1000000000000\r\n\r\n", chunk,
          new java.util.concurrent.atomic.AtomicInteger(), end);

      assertThat(rawWebhook(socket).send(JSON.createObjectNode().put("text", "done"))).isFalse();

      // Each attempt stopped reading: what the socket took before it saw the close is a few MB.
      for (int i = 0; i < Webhook.ATTEMPTS; i++) {
        assertThat(written.poll(20, java.util.concurrent.TimeUnit.SECONDS))
            .as("attempt %d's body, written until the client closed", i + 1)
            .isNotNull().isLessThan(64L << 20);
      }
    } finally {
      end.countDown();
    }
  }

  /** A refusal whose body stalls is read until the wait ends, then each attempt is done. */
  @Test
  @Timeout(30)
  void aRefusalWhoseBodyStallsIsGivenUpOnAfterTheWait() throws Exception {
    assertThat(postToAStalledReceiver("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100"
        + "\r\n\r\noverloaded", Duration.ofMillis(200))).containsExactly(0, Webhook.ATTEMPTS);
  }

  @Test
  void theUrlComesFromTheValueAnEnvironmentVariableOrTheFirstLineOfAFile() throws IOException {
    Path file = dir.resolve("hook");
    Files.writeString(file, url() + "\nsecond line\n", StandardCharsets.UTF_8);

    assertThat(Webhook.resolve("--notify", "file:" + file, name -> null).mask(url().toString()))
        .isEqualTo(Webhook.resolve("--notify", "env:HOOK", Map.of("HOOK", url().toString())::get)
            .masked());
    assertThat(webhook().masked())
        .isEqualTo("http://127.0.0.1:" + server.getAddress().getPort() + "/***");
    assertThat(webhook().mask("POST " + url() + " failed; path " + url().getRawPath()))
        .doesNotContain(SECRET);

    // A file saved with a byte order mark (an editor on Windows) holds the same URL.
    Path marked = dir.resolve("hook-bom");
    Files.writeString(marked, "\uFEFF" + url() + "\n", StandardCharsets.UTF_8);
    Webhook fromMarked = Webhook.resolve("--notify", "file:" + marked, name -> null)
        .withBackoff(Duration.ofMillis(1))
        .through(ProxySettings.none().selector(), ProxySettings.none()::authorization);
    assertThat(fromMarked.send(JSON.createObjectNode().put("text", "x"))).isTrue();
    assertThat(seen).extracting(Seen::target).containsExactly("/services/" + SECRET);
  }

  @Test
  void aFailureIsSaidWithTheCausesMessageNotOnlyTheExceptionsName() throws Exception {
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    URI target =
        URI.create("http://127.0.0.1:" + dead + "/services/" + SECRET + "?token=" + SECRET);
    IOException refused = null;
    try {
      java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(target).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      refused = e;
    }

    assertThat(refused).as("nothing listens there").isNotNull();
    assertThat(Webhook.cause(refused)).containsIgnoringCase("connection refused")
        .endsWith("(ConnectException)");
    Webhook hook = Webhook.resolve("--notify", target.toString(), name -> null);
    assertThat(hook.mask("POST " + target + " and ?token=" + SECRET + " failed"))
        .contains("http://127.0.0.1:" + dead + "/***").doesNotContain(SECRET);
  }

  @Test
  void badValuesNameTheOptionAndTheProblemButNeverTheUrl() {
    assertThatThrownBy(() -> Webhook.resolve("--notify", "env:", Map.<String, String>of()::get))
        .hasMessageContaining("not set");
    assertThatThrownBy(() -> Webhook.resolve("--notify", "env:UNSET", name -> null))
        .hasMessage("--notify env:UNSET: the environment variable is not set");
    assertThatThrownBy(() -> Webhook.resolve("--notify", "file:" + dir.resolve("none"),
        name -> null)).hasMessage("--notify file:" + dir.resolve("none")
            + ": cannot read the file: no such file or directory");
    // It was read whole: file:/dev/zero ran the command out of memory (exit 1).
    assertThatThrownBy(() -> Webhook.resolve("--notify", "file:/dev/zero", name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--notify file:/dev/zero: cannot read the file: larger than 65536 bytes;"
            + " is it the right file?");
    assertThatThrownBy(() -> Webhook.resolve("--report-webhook", "ftp://h.example/" + SECRET,
        name -> null)).hasMessageStartingWith("--report-webhook: not an http(s) URL")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aNoticeIsSentOnlyOnFailureByDefault() {
    assertThat(Webhook.When.FAILURE.fires(0)).isFalse();
    assertThat(Webhook.When.FAILURE.fires(75)).isTrue();
    assertThat(Webhook.When.ALWAYS.fires(0)).isTrue();
  }

  @Test
  void aLongSummaryStaysWithinSlacksLimitOfABlock() {
    List<String> lines = Collections.nCopies(200, "  shard 1 COMPLETED 0 100 100");
    JsonNode body = Webhook.payload(Webhook.Format.SLACK, "title", lines,
        JSON.createObjectNode());
    assertThat(body.at("/blocks/1/text/text").asText().length()).isLessThanOrEqualTo(3000);
    assertThat(body.path("text").asText()).contains(String.join("\n", lines));
  }

  @Test
  void theJsonFormatCarriesTheTitleTheLinesAndTheWholeReport() {
    JsonNode body = Webhook.payload(Webhook.Format.JSON, "run failed", List.of("a", "b"),
        JSON.createObjectNode().put("exit_code", 75));

    assertThat(body.path("title").asText()).isEqualTo("run failed");
    assertThat(body.path("lines")).extracting(JsonNode::asText).containsExactly("a", "b");
    assertThat(body.at("/report/exit_code").asInt()).isEqualTo(75);
  }

  @Test
  void aReceiverAnswering500IsTriedAgainUntilItTakesTheNotice() {
    answers.addAll(List.of(500, 429));

    boolean sent = webhook().send(JSON.createObjectNode().put("text", "hello"));

    assertThat(sent).isTrue();
    assertThat(seen).hasSize(3).extracting(Seen::body).containsOnly("{\"text\":\"hello\"}");
  }

  @Test
  void aRefusalIsNotRetriedAndAReceiverThatKeepsFailingIsGivenUpAfterThreeAttempts() {
    answers.add(404);
    assertThat(webhook().send(JSON.createObjectNode())).isFalse();
    assertThat(seen).hasSize(1);

    seen.clear();
    answers.addAll(List.of(503, 503, 503, 503));
    assertThat(webhook().send(JSON.createObjectNode())).isFalse();
    assertThat(seen).hasSize(Webhook.ATTEMPTS);
  }

  @Test
  void throughAProxyTheNoticeGoesToTheProxyWithItsCredentials() {
    ProxySettings proxy = ProxySettings.none()
        .withProxy("http://ops:pw@127.0.0.1:" + server.getAddress().getPort());
    Webhook hook = Webhook.resolve("--notify", "http://hooks.example/services/" + SECRET,
        name -> null).withBackoff(Duration.ofMillis(1))
        .through(proxy.selector(), proxy::authorization);

    assertThat(hook.send(JSON.createObjectNode())).isTrue();

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).target()).isEqualTo("http://hooks.example/services/" + SECRET);
    assertThat(seen.get(0).proxyAuthorization()).isEqualTo("Basic "
        + java.util.Base64.getEncoder().encodeToString(
            "ops:pw".getBytes(StandardCharsets.UTF_8)));
  }
}

package dev.pixivdic.launcher.kube;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.fake.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TLS handshake that the server's side cuts short (an API server or load balancer restarting)
 * is a dropped connection, tried again; a certificate that does not verify is final. A create
 * that failed before its handshake was done was never sent, so it cannot have made the Job; one
 * that failed after it, waiting for the answer, may have.
 */
class TlsHandshakeTest {
  /** A create's own limit, shorter than connecting's, so that it ends first. */
  private static final Duration CREATE_LIMIT = Duration.ofMillis(500);
  private final ExecutorService threads = Executors.newCachedThreadPool(Daemons.factory("tls"));
  private final AtomicInteger connections = new AtomicInteger();
  /** Ends the answers that hang until the test is over. */
  private final CountDownLatch over = new CountDownLatch(1);
  private TestPki pki;
  private ServerSocket server;

  @BeforeEach
  void pki() throws Exception {
    pki = new TestPki();
  }

  @AfterEach
  void stop() throws IOException {
    over.countDown();
    threads.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aHandshakeEndedByTheServerClosingIsTriedAgain() throws Exception {
    KubeApi api = serve(pki.clientContext(), false);

    assertThat(api.get("/api/v1/namespaces/b/pods").path("kind").asText()).isEqualTo("PodList");
    assertThat(connections.get()).as("cut once, then served").isEqualTo(2);
  }

  @Test
  void aHandshakeResetByTheServerIsTriedAgain() throws Exception {
    KubeApi api = serve(pki.clientContext(), true);

    assertThat(api.get("/api/v1/namespaces/b/pods").path("kind").asText()).isEqualTo("PodList");
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void aServerCertificateThatDoesNotVerifyIsFinal() throws Exception {
    // Trusts another CA than the one that signed the server's certificate.
    KubeApi api = serve(new TestPki().clientContext(), false);
    connections.set(1); // served properly from the first connection on

    ApiConnectionException e = catchThrowableOfType(ApiConnectionException.class,
        () -> api.get("/api/v1/namespaces/b/pods"));

    assertThat(e).hasMessageContaining("TLS failed");
    assertThat(e.isTransient()).isFalse();
    assertThat(e.mayHaveArrived()).isFalse();
    assertThat(connections.get()).as("asked once, not again").isEqualTo(2);
  }

  /** {@code https://} to a port that speaks plain HTTP (a kubectl proxy's): no retry helps. */
  @Test
  void aServerThatSpeaksNoTlsIsFinal() throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          s.getInputStream().read(new byte[512]);
          s.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
              + "Connection: close\r\n\r\n").getBytes(US_ASCII));
        } catch (IOException e) {
          return;
        }
      }
    });
    KubeApi api = new KubeApi(new Cluster(URI.create("https://127.0.0.1:"
        + server.getLocalPort()), pki.clientContext(), Credentials.none(), "b", "test"),
        Duration.ofSeconds(10), Duration.ofMillis(1));

    ApiConnectionException e = catchThrowableOfType(ApiConnectionException.class,
        () -> api.get("/api/v1/namespaces/b/pods"));

    assertThat(e.isTransient()).as(e.getMessage()).isFalse();
    assertThat(connections.get()).as("asked once, not again").isEqualTo(1);
  }

  @Test
  void aCreateToAServerThatNeverAnswersTheHandshakeNeverArrived() throws Exception {
    ApiConnectionException e = create(s -> over.await());

    assertThat(e.mayHaveArrived()).as(e.getMessage()).isFalse();
  }

  @Test
  void aCreateToAServerThatSpeaksNoTlsNeverArrived() throws Exception {
    ApiConnectionException e = create(s -> {
      s.getInputStream().read(new byte[512]);
      s.getOutputStream().write(
          "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(US_ASCII));
      over.await();
    });

    assertThat(e).hasMessageContaining("TLS failed");
    assertThat(e.mayHaveArrived()).as(e.getMessage()).isFalse();
  }

  @Test
  void aCreateSentAfterTheHandshakeThatGetsNoAnswerMayHaveArrived() throws Exception {
    SSLContext tls = pki.serverContext();
    ApiConnectionException e = create(plain -> {
      SSLSocket s = (SSLSocket) tls.getSocketFactory()
          .createSocket(plain, null, plain.getPort(), false);
      s.setUseClientMode(false);
      SlowServerTest.readHead(s);
      over.await();
    });

    assertThat(e.mayHaveArrived()).as(e.getMessage()).isTrue();
  }

  /** POSTs a Job once, within {@link #CREATE_LIMIT}, to a server answering as {@code answer}. */
  private ApiConnectionException create(SlowServerTest.Answer answer) throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SlowServerTest.accept(server, threads, answer, () -> {});
    URI uri = URI.create("https://127.0.0.1:" + server.getLocalPort());
    KubeApi api = new KubeApi(new Cluster(uri, pki.clientContext(), Credentials.none(), "b",
        "test"), Duration.ofSeconds(30), Duration.ofMillis(1));
    return catchThrowableOfType(ApiConnectionException.class,
        () -> api.once("POST", "/apis/batch/v1/namespaces/b/jobs",
            new ObjectMapper().createObjectNode().put("kind", "Job"), CREATE_LIMIT, Job.class));
  }

  /**
   * A TLS server on loopback whose first connection takes the client's hello and is closed
   * ({@code reset}: with a TCP reset) in the middle of the handshake; later ones are served.
   */
  private KubeApi serve(SSLContext client, boolean reset) throws Exception {
    SSLContext ssl = pki.serverContext();
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          int n = connections.incrementAndGet();
          threads.execute(() -> answer(s, n == 1, reset, ssl));
        } catch (IOException e) {
          return;
        }
      }
    });
    URI uri = URI.create("https://127.0.0.1:" + server.getLocalPort());
    return new KubeApi(new Cluster(uri, client, Credentials.none(), "b", "test"),
        Duration.ofSeconds(10), Duration.ofMillis(1));
  }

  private static void answer(Socket plain, boolean cut, boolean reset, SSLContext ssl) {
    try (plain) {
      if (cut) {
        // The whole ClientHello record (5 bytes of header, then its length), so that closing
        // leaves nothing unread and ends with a FIN, not a reset.
        byte[] header = plain.getInputStream().readNBytes(5);
        plain.getInputStream().readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
        if (reset) {
          plain.setSoLinger(true, 0);
        }
        return;
      }
      try (SSLSocket s = (SSLSocket) ssl.getSocketFactory()
          .createSocket(plain, null, plain.getPort(), false)) {
        s.setUseClientMode(false);
        SlowServerTest.readHead(s);
        byte[] body = "{\"kind\":\"PodList\",\"items\":[]}".getBytes(US_ASCII);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException e) {
      // the client gave up on this connection, as it does when the certificate fails
    }
  }
}

package dev.pixivdic.core.fetch;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executor;

/**
 * A JDK {@link HttpServer} on a free loopback port that answers every path with one handler,
 * for tests that stand in for the site; {@link #close()} stops it at once, and again is harmless.
 */
public final class LoopbackSite implements AutoCloseable {

  private final HttpServer server;

  private LoopbackSite(HttpServer server) {
    this.server = server;
  }

  /** Started, answering on the server's own thread. */
  public static LoopbackSite start(HttpHandler handler) throws IOException {
    return start(handler, null);
  }

  /** Started, answering on {@code executor}'s threads (the server's own when null). */
  public static LoopbackSite start(HttpHandler handler, Executor executor) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
    return new LoopbackSite(server);
  }

  /** {@code http://127.0.0.1:PORT}, for a fetcher's {@code origin}. */
  public URI origin() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * For a hand-written socket server: the path of the next request read from {@code in} (its
   * head, up to the blank line), or null when the client closed the connection.
   */
  public static String requestPath(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    int b;
    while (matched < 4 && (b = in.read()) != -1) {
      head.append((char) b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return matched < 4 ? null : head.toString().split(" ")[1];
  }
}

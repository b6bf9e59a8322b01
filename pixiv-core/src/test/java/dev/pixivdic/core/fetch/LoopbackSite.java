package dev.pixivdic.core.fetch;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
}

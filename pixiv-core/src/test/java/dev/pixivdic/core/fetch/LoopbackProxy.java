package dev.pixivdic.core.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 for tests: CONNECT tunnels and absolute-form requests, to
 * loopback targets only (anything else gets 403), optionally wanting Basic credentials (407
 * until they come). It records what it was asked. One request per client connection.
 */
public final class LoopbackProxy implements AutoCloseable {

  /** What the proxy was asked: the request line, and whether the credentials were right. */
  public record Seen(String method, String target, boolean authorized) {}

  private final ServerSocket server;
  private final Optional<String> expected;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "loopback-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private LoopbackProxy(Optional<String> user, Optional<String> password) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.expected = user.map(u -> "Basic " + Base64.getEncoder().encodeToString(
        (u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
    threads.execute(this::accept);
  }

  /** A proxy that wants no credentials. */
  public static LoopbackProxy open() throws IOException {
    return new LoopbackProxy(Optional.empty(), Optional.empty());
  }

  /** A proxy that answers 407 until it gets these Basic credentials. */
  public static LoopbackProxy withCredentials(String user, String password) throws IOException {
    return new LoopbackProxy(Optional.of(user), Optional.of(password));
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return server.getLocalPort();
  }

  /** Every request so far. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The requests that went through (authorized when credentials are wanted). */
  public List<Seen> forwarded() {
    return seen.stream().filter(s -> s.authorized() || expected.isEmpty()).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String[] line = head.get(0).split(" ");
      String auth = header(head, "proxy-authorization");
      boolean authorized = expected.isEmpty() || expected.get().equals(auth);
      seen.add(new Seen(line[0], line[1], expected.isPresent() && authorized));
      if (!authorized) {
        out.write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"loopback\"\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      if (line[0].equals("CONNECT")) {
        URI target = URI.create("//" + line[1]);
        if (!loopback(target.getHost())) {
          refuse(out);
          return;
        }
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
          out.write("HTTP/1.1 200 Connection Established\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          pipe(client, upstream);
        }
        return;
      }
      URI target = URI.create(line[1]);
      if (!loopback(target.getHost())) {
        refuse(out);
        return;
      }
      int port = target.getPort() < 0 ? 80 : target.getPort();
      try (Socket upstream = new Socket(target.getHost(), port)) {
        StringBuilder forward = new StringBuilder();
        forward.append(line[0]).append(' ').append(target.getRawPath())
            .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
            .append(' ').append(line[2]).append("\r\n");
        for (String h : head.subList(1, head.size())) {
          String name = h.substring(0, Math.max(0, h.indexOf(':'))).toLowerCase(Locale.ROOT);
          if (!name.startsWith("proxy-") && !name.equals("connection")) {
            forward.append(h).append("\r\n");
          }
        }
        forward.append("Connection: close\r\n\r\n");
        upstream.getOutputStream().write(forward.toString().getBytes(StandardCharsets.ISO_8859_1));
        upstream.getOutputStream().flush();
        pipe(client, upstream, true);
      }
    } catch (IOException e) {
      // The client or the target went away: nothing to record.
    }
  }

  /** Copies both ways until the target closes. */
  private void pipe(Socket client, Socket upstream) throws IOException {
    pipe(client, upstream, false);
  }

  /**
   * Copies both ways until the target closes; with {@code closing}, the answer's head says
   * {@code Connection: close}, as this proxy closes after one exchange (a client that kept the
   * connection for its next request would read an end of file).
   */
  private void pipe(Socket client, Socket upstream, boolean closing) throws IOException {
    threads.execute(() -> {
      try {
        client.getInputStream().transferTo(upstream.getOutputStream());
      } catch (IOException e) {
        // Closed by the other direction.
      }
    });
    InputStream answer = upstream.getInputStream();
    if (closing) {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      int state = 0;
      while (state < 4 && (b = answer.read()) >= 0) {
        head.write(b);
        state = b == (state % 2 == 0 ? '\r' : '\n') ? state + 1 : b == '\r' ? 1 : 0;
      }
      StringBuilder rewritten = new StringBuilder();
      for (String h : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
        if (!h.isEmpty() && !h.toLowerCase(Locale.ROOT).startsWith("connection:")) {
          rewritten.append(h).append("\r\n");
        }
      }
      rewritten.append("Connection: close\r\n\r\n");
      client.getOutputStream().write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
    answer.transferTo(client.getOutputStream());
    client.getOutputStream().flush();
  }

  private static void refuse(OutputStream out) throws IOException {
    out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean loopback(String host) {
    try {
      return host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static String header(List<String> head, String name) {
    for (String h : head) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String l = line.toString(StandardCharsets.ISO_8859_1).replaceFirst("\r$", "");
        if (l.isEmpty()) {
          return lines;
        }
        lines.add(l);
        line.reset();
      } else {
        line.write(b);
      }
    }
    return lines;
  }

  /** The address to give a client, e.g. for {@code --proxy}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    threads.shutdownNow();
  }
}

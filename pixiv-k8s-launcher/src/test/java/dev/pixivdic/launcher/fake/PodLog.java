package dev.pixivdic.launcher.fake;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The log of one container as the kubelet serves it with {@code follow=true&timestamps=true}:
 * each connection gets the lines at or after {@code sinceTime}, then live lines until the
 * container finishes. Tests can drop open connections or stall them.
 */
public final class PodLog implements FakeKube.Responder {
  private record Entry(Instant ts, byte[] bytes) {}

  private static final byte[] END = new byte[0];
  private final List<Entry> history = new ArrayList<>();
  private final List<BlockingQueue<byte[]>> open = new ArrayList<>();
  private boolean finished;
  private boolean stallNext;
  private int connections;

  /** Appends a line stamped {@code ts}; {@code text} may lack the newline (a last partial line). */
  public synchronized PodLog line(Instant ts, byte[] text, boolean newline) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes((ts + " ").getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(text);
    if (newline) {
      b.write('\n');
    }
    Entry e = new Entry(ts, b.toByteArray());
    history.add(e);
    open.forEach(q -> q.add(e.bytes()));
    return this;
  }

  public PodLog line(Instant ts, String text) {
    return line(ts, text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** The container ended: open and future connections get EOF after the history. */
  public synchronized void finish() {
    finished = true;
    open.forEach(q -> q.add(END));
    open.clear();
  }

  /** Ends the open connections while the container keeps running (a kubelet or proxy drop). */
  public synchronized void drop() {
    open.forEach(q -> q.add(END));
    open.clear();
  }

  /** The connections answered so far. */
  public synchronized int connections() {
    return connections;
  }

  /**
   * Waits (up to 20 s) until {@code n} connections were answered: a request the fake has seen
   * may not have reached this log yet, and a {@link #drop} before it does ends nothing.
   */
  public synchronized void awaitConnections(int n) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (connections < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the log was asked for " + connections + " times, not " + n);
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The next connection sends its history, then nothing at all until the container finishes. */
  public synchronized PodLog stallNext() {
    stallNext = true;
    return this;
  }

  @Override
  public void respond(HttpExchange ex) throws IOException {
    Instant since = sinceTime(ex.getRequestURI().getRawQuery());
    BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    boolean stall;
    synchronized (this) {
      for (Entry e : history) {
        if (since == null || !e.ts().isBefore(since)) {
          queue.add(e.bytes());
        }
      }
      stall = stallNext;
      stallNext = false;
      connections++;
      notifyAll();
      if (finished) {
        queue.add(END);
      } else if (stall) {
        open.add(new LinkedBlockingQueue<>()); // receives nothing the client will see
      } else {
        open.add(queue);
      }
    }
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.flush();
      while (true) {
        byte[] chunk = stall && queue.isEmpty() ? waitForever() : queue.take();
        if (chunk == END) {
          return;
        }
        out.write(chunk);
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] waitForever() throws InterruptedException {
    new java.util.concurrent.CountDownLatch(1).await();
    return END;
  }

  private static Instant sinceTime(String query) {
    if (query == null) {
      return null;
    }
    for (String kv : query.split("&")) {
      if (kv.startsWith("sinceTime=")) {
        return Instant.parse(URLDecoder.decode(kv.substring(10), StandardCharsets.UTF_8));
      }
    }
    return null;
  }
}

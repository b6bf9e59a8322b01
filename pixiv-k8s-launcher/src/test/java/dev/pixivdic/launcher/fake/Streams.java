package dev.pixivdic.launcher.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Chunked streams (watches, logs) that tests feed piece by piece. */
public final class Streams {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] END = new byte[0];

  private Streams() {}

  /** One open response body; each {@link #send} is written and flushed as its own chunk. */
  public static final class Stream {
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    final CountDownLatch opened = new CountDownLatch(1);

    public Stream send(byte[] chunk) {
      chunks.add(chunk);
      return this;
    }

    public Stream send(String text) {
      return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A watch event line. */
    public Stream event(String type, JsonNode object) {
      ObjectNode e = JSON.createObjectNode();
      e.put("type", type);
      e.set("object", object);
      return send(e.toString() + "\n");
    }

    /** Ends the response (EOF for the client). */
    public void end() {
      chunks.add(END);
    }

    /** Waits until a client has connected to this stream. */
    public Stream awaitOpened() throws InterruptedException {
      if (!opened.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("no client opened the stream");
      }
      return this;
    }

    byte[] take() throws InterruptedException {
      return chunks.take();
    }

    static boolean isEnd(byte[] chunk) {
      return chunk == END;
    }
  }
}

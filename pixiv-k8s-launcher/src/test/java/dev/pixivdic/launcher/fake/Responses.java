package dev.pixivdic.launcher.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Ready-made responders. */
public final class Responses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  public static FakeKube.Responder json(int status, JsonNode body) {
    return ex ->
        FakeKube.write(
            ex, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code body} as it is, JSON or not (a line cut off, a proxy's page). */
  public static FakeKube.Responder text(int status, String body) {
    return ex -> FakeKube.write(ex, status, "application/json",
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A Kubernetes Status object. */
  public static FakeKube.Responder status(int code, String reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    s.put("code", code);
    return json(code, s);
  }

  /** Holds a request until {@code release} opens (30 s at most), then answers as {@code then}. */
  public static FakeKube.Responder held(CountDownLatch release, FakeKube.Responder then) {
    return ex -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      then.respond(ex);
    };
  }

  /** Streams what the test sends, chunk by chunk, until {@link Streams.Stream#end()}. */
  public static FakeKube.Responder stream(Streams.Stream stream) {
    return ex -> {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 0);
      stream.opened.countDown();
      try (OutputStream out = ex.getResponseBody()) {
        out.flush();
        while (true) {
          byte[] chunk = stream.take();
          if (Streams.Stream.isEnd(chunk)) {
            return;
          }
          out.write(chunk);
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }
}

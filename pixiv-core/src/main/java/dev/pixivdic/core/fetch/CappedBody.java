package dev.pixivdic.core.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * Reads response bodies into memory up to a cap, and undoes gzip with the same cap on the
 * decoded size (a small compressed body may expand enormously).
 */
final class CappedBody {

  /**
   * A body larger than the cap; mapped to a {@link BodyTooLargeException} by the caller. The
   * site answered: the exception carries the answer's status (-1 where the caller knows it) and
   * the body bytes read before the cap stopped the reading, as received and once decoded.
   */
  static final class UnknownCodingException extends IOException {
    private static final long serialVersionUID = 1L;

    UnknownCodingException(String message) {
      super(message);
    }
  }

  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final long bytesOnWire;
    private final long bytesDecoded;

    TooLargeException(String message, int status, long bytesOnWire, long bytesDecoded) {
      super(message);
      this.status = status;
      this.bytesOnWire = bytesOnWire;
      this.bytesDecoded = bytesDecoded;
    }

    int status() {
      return status;
    }

    long bytesOnWire() {
      return bytesOnWire;
    }

    long bytesDecoded() {
      return bytesDecoded;
    }
  }

  private CappedBody() {}

  /**
   * Bodies up to {@code maxBytes}, complete by {@code deadline} ({@link System#nanoTime}): the
   * JDK's request timeout covers the wait for the headers only, so this bounds the body too,
   * and a server that trickles bytes cannot hold the caller forever.
   */
  static HttpResponse.BodyHandler<byte[]> handler(long maxBytes, long deadline) {
    return info -> {
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
      return new Subscriber(maxBytes, declared, deadline, info.statusCode());
    };
  }

  /**
   * The decoded body: gunzipped when {@code Content-Encoding} (every field of it, joined with
   * commas, as HTTP lists are) says gzip, else as received. {@code identity} in the list is no
   * encoding; an empty body has nothing to decode (servers label empty 204s and 404s gzip).
   *
   * @throws UnknownCodingException naming the encoding when it is not gzip
   * @throws IOException saying the gzip body is malformed; {@link TooLargeException} when it
   *     expands beyond {@code maxBytes}
   */
  static byte[] decode(byte[] wire, String contentEncoding, long maxBytes) throws IOException {
    if (contentEncoding == null || wire.length == 0) {
      return wire;
    }
    List<String> codings = new ArrayList<>();
    for (String coding : contentEncoding.split(",")) {
      String c = coding.trim().toLowerCase(Locale.ROOT);
      if (!c.isEmpty() && !c.equals("identity")) {
        codings.add(c);
      }
    }
    if (codings.isEmpty()) {
      return wire;
    }
    if (codings.size() > 1 || !codings.get(0).equals("gzip") && !codings.get(0).equals("x-gzip")) {
      throw new UnknownCodingException("unsupported Content-Encoding '" + contentEncoding
          + "' (only gzip is asked for)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, wire.length * 4));
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(wire))) {
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = in.read(buf)) != -1) {
        if (out.size() + (long) n > maxBytes) {
          throw new TooLargeException("gzip body expands beyond the cap of " + maxBytes
              + " bytes (" + wire.length + " bytes compressed)", -1, wire.length, out.size());
        }
        out.write(buf, 0, n);
      }
    } catch (TooLargeException e) {
      throw e;
    } catch (IOException e) {
      // ZipException or EOFException, whose own messages say little or nothing.
      throw new IOException("malformed gzip body (" + wire.length + " bytes received): "
          + (e.getMessage() != null ? e.getMessage() : "it ends too soon"), e);
    }
    return out.toByteArray();
  }

  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long maxBytes;
    private final long declared;
    private final long deadline;
    private final int status;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Subscriber(long maxBytes, long declared, long deadline, int status) {
      this.maxBytes = maxBytes;
      this.declared = declared;
      this.deadline = deadline;
      this.status = status;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declared > maxBytes) {
        s.cancel();
        result.completeExceptionally(new TooLargeException(
            "Content-Length " + declared + " exceeds the cap of " + maxBytes + " bytes",
            status, 0, 0));
        return;
      }
      // The JDK's shared timer; the timeout task is dropped when the body completes first.
      result.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .whenComplete((body, t) -> {
            if (t instanceof TimeoutException) {
              s.cancel(); // Stops reading and closes the connection the body was coming on.
            }
          });
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (buffer.size() + (long) b.remaining() > maxBytes) {
          subscription.cancel();
          long read = buffer.size() + (long) b.remaining();
          result.completeExceptionally(new TooLargeException(
              "body exceeds the cap of " + maxBytes + " bytes", status, read, read));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}

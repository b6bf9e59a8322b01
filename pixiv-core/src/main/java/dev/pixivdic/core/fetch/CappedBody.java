package dev.pixivdic.core.fetch;

import dev.pixivdic.support.internal.LogText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads response bodies into memory up to a cap, and undoes gzip and deflate with the same cap
 * on the decoded size (a small compressed body may expand enormously).
 */
final class CappedBody {

  private static final String GZIP = "gzip";
  private static final String DEFLATE = "deflate";

  /** A {@code Content-Encoding} the fetcher does not read; the message names it. */
  static final class UnknownCodingException extends IOException {
    private static final long serialVersionUID = 1L;

    UnknownCodingException(String message) {
      super(message);
    }
  }

  /**
   * A gzip or deflate body whose data is corrupt (not of that coding, a bad block, a checksum
   * that does not match), as opposed to one that ends too soon; the message names the coding.
   */
  static final class CorruptCodingException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptCodingException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A body larger than the cap; mapped to a {@link BodyTooLargeException} by the caller. The
   * site answered: the exception carries the answer's status (-1 where the caller knows it) and
   * the body bytes read before the cap stopped the reading, as received and once decoded.
   */

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
   * The decoded body. {@code Content-Encoding} (every field of it, joined with commas, as HTTP
   * lists are) names the codings in the order the server applied them, so they are undone from
   * the last to the first: {@code gzip, gzip} is gunzipped twice. Tokens are read whatever their
   * case; {@code x-gzip} is gzip; {@code identity} and empty tokens are no coding;
   * {@code deflate} is read both as RFC 9110 says (zlib-wrapped, RFC 1950) and as some servers
   * send it (raw deflate, RFC 1951). Every layer stops at {@code maxBytes}, so a body that
   * expands enormously, in any layer, is refused once it passes the cap. An empty body has
   * nothing to decode (servers label empty 204s and 404s gzip).
   *
   * @throws UnknownCodingException naming a coding that is neither gzip nor deflate ({@code br},
   *     {@code zstd}, {@code compress}, an unknown token), before any layer is decoded
   * @throws CorruptCodingException naming the coding whose data is corrupt (not gzip, a bad
   *     block, a checksum that does not match)
   * @throws TooLargeException when a layer expands beyond {@code maxBytes}
   * @throws IOException saying the data of a layer ends too soon (cut on its way)
   */
  static byte[] decode(byte[] wire, String contentEncoding, long maxBytes) throws IOException {
    if (contentEncoding == null || wire.length == 0) {
      return wire;
    }
    List<String> codings = codings(contentEncoding);
    String stacked = codings.size() > 1
        ? ", Content-Encoding " + quoted(contentEncoding) : "";
    byte[] body = wire;
    for (int i = codings.size() - 1; i >= 0 && body.length > 0; i--) {
      String coding = codings.get(i);
      body = coding.equals(GZIP)
          ? gunzip(body, maxBytes, stacked)
          : inflate(body, maxBytes, stacked);
    }
    return body;
  }

  /** The codings {@code contentEncoding} lists, in its order, {@code x-gzip} as gzip. */
  private static List<String> codings(String contentEncoding) throws UnknownCodingException {
    List<String> codings = new ArrayList<>();
    for (String token : contentEncoding.split(",", -1)) {
      String c = token.strip().toLowerCase(Locale.ROOT);
      if (c.isEmpty() || c.equals("identity")) {
        continue;
      }
      if (c.equals("x-gzip")) {
        c = GZIP;
      }
      if (!c.equals(GZIP) && !c.equals(DEFLATE)) {
        String of = token.strip().equals(contentEncoding.strip()) ? ""
            : " (in Content-Encoding " + quoted(contentEncoding) + ")";
        throw new UnknownCodingException("unsupported Content-Encoding " + quoted(token.strip())
            + of + ": the fetcher decodes gzip and deflate only (and asks for gzip)");
      }
      codings.add(c);
    }
    return codings;
  }

  private static byte[] gunzip(byte[] data, long maxBytes, String stacked) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return readCapped(in, GZIP, data.length, maxBytes, stacked);
    } catch (TooLargeException e) {
      throw e;
    } catch (IOException e) {
      throw malformed(GZIP, data.length, stacked, e);
    }
  }

  /**
   * Deflate as zlib data when its first two bytes are a zlib header (RFC 1950: method 8, a
   * window of at most 32 KiB, no preset dictionary, a header checksum that holds), else raw; a
   * raw stream that happens to begin like a zlib header (1 in 31 stored blocks or so) is read
   * raw when reading it as zlib fails.
   */
  private static byte[] inflate(byte[] data, long maxBytes, String stacked) throws IOException {
    boolean zlib = data.length >= 2 && (data[0] & 0x0f) == 8 && (data[0] & 0xf0) <= 0x70
        && (data[1] & 0x20) == 0 && ((data[0] & 0xff) << 8 | data[1] & 0xff) % 31 == 0;
    try {
      return inflate(data, maxBytes, stacked, !zlib);
    } catch (TooLargeException e) {
      throw e;
    } catch (ZipException e) {
      if (!zlib) {
        throw malformed(DEFLATE, data.length, stacked, e);
      }
      try {
        return inflate(data, maxBytes, stacked, true);
      } catch (TooLargeException large) {
        throw large;
      } catch (IOException raw) {
        throw malformed(DEFLATE, data.length, stacked, e); // what the zlib reading found
      }
    } catch (IOException e) {
      throw malformed(DEFLATE, data.length, stacked, e);
    }
  }

  private static byte[] inflate(byte[] data, long maxBytes, String stacked, boolean raw)
      throws IOException {
    Inflater inflater = new Inflater(raw);
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(data), inflater)) {
      return readCapped(in, DEFLATE, data.length, maxBytes, stacked);
    } finally {
      inflater.end(); // A stream given its own Inflater leaves its native memory to the caller.
    }
  }

  private static byte[] readCapped(InputStream in, String coding, int compressed, long maxBytes,
      String stacked) throws IOException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(maxBytes, Math.max(32L, compressed * 4L)));
    byte[] buf = new byte[16 * 1024];
    int n;
    while ((n = in.read(buf)) != -1) {
      if (out.size() + (long) n > maxBytes) {
        throw new TooLargeException(coding + " body expands beyond the cap of " + maxBytes
            + " bytes (" + compressed + " bytes compressed" + stacked + ")", -1, compressed,
            out.size());
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * A layer that could not be decoded: cut on its way ({@link EOFException}: the same request
   * may get it whole), or corrupt ({@link CorruptCodingException}: it is so on every attempt).
   */
  private static IOException malformed(String coding, int received, String stacked,
      IOException e) {
    String what = "malformed " + coding + " body (" + received + " bytes received" + stacked
        + "): ";
    if (e instanceof EOFException) {
      return new IOException(what + "its data ends too soon", e);
    }
    return new CorruptCodingException(what
        + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
  }

  private static String quoted(String headerValue) {
    return "'" + LogText.escaped(headerValue.strip(), 80) + "'";
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

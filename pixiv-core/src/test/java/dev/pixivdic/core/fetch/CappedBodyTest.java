package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CappedBodyTest {

  @Test
  void anUnencodedBodyIsReturnedAsIs() throws IOException {
    byte[] body = "plain".getBytes(StandardCharsets.UTF_8);
    assertThat(CappedBody.decode(body, null, 100)).isSameAs(body);
    assertThat(CappedBody.decode(body, "identity", 100)).isSameAs(body);
  }

  @Test
  void aGzipBodyIsDecodedWithinTheCap() throws IOException {
    byte[] wire = gzip("x".repeat(1000));
    assertThat(new String(CappedBody.decode(wire, "gzip", 1000), StandardCharsets.UTF_8))
        .isEqualTo("x".repeat(1000));
    assertThatThrownBy(() -> CappedBody.decode(wire, "GZIP", 999))
        .isInstanceOf(CappedBody.TooLargeException.class)
        .hasMessageContaining("999 bytes");
  }

  @Test
  void aCorruptGzipBodyIsAnIoError() throws IOException {
    byte[] wire = gzip("x".repeat(1000));
    byte[] cut = java.util.Arrays.copyOf(wire, wire.length / 2);
    assertThatThrownBy(() -> CappedBody.decode(cut, "gzip", 10_000))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(CappedBody.TooLargeException.class);
  }

  @Test
  void anEncodingNotAskedForIsRefusedByName() {
    assertThatThrownBy(() -> CappedBody.decode(new byte[] {1}, "br", 100))
        .isInstanceOf(CappedBody.UnknownCodingException.class)
        .hasMessageContaining("'br'");
  }

  @Test
  void anUnknownCodingAnywhereInTheListIsRefusedBeforeAnyLayerIsDecoded() {
    assertThatThrownBy(() -> CappedBody.decode(new byte[] {1}, "compress, gzip", 100))
        .isInstanceOf(CappedBody.UnknownCodingException.class)
        .hasMessageContaining("unsupported Content-Encoding 'compress'")
        .hasMessageContaining("(in Content-Encoding 'compress, gzip')");
  }

  @Test
  void aSingleXGzipOrCapitalisedTokenIsGzip() throws IOException {
    byte[] wire = gzip("x");
    assertThat(CappedBody.decode(wire, "x-gzip", 10)).containsExactly('x');
    assertThat(CappedBody.decode(wire, "X-GZIP", 10)).containsExactly('x');
    assertThat(CappedBody.decode(wire, "identity, GZIP", 10)).containsExactly('x');
  }

  @Test
  void corruptDataIsCorruptButDataThatEndsTooSoonIsAPlainIoError() throws IOException {
    byte[] wire = gzip("x".repeat(1000));
    byte[] cut = java.util.Arrays.copyOf(wire, wire.length / 2);
    assertThatThrownBy(() -> CappedBody.decode(cut, "gzip", 10_000))
        .isNotInstanceOf(CappedBody.CorruptCodingException.class)
        .hasMessageContaining("its data ends too soon");
    assertThatThrownBy(() -> CappedBody.decode("not gzip".getBytes(StandardCharsets.UTF_8),
        "gzip", 10_000))
        .isInstanceOf(CappedBody.CorruptCodingException.class)
        .hasMessageContaining("malformed gzip body (8 bytes received): Not in GZIP format");
  }

  @Test
  void eachLayerOfAStackStopsAtTheCap() throws IOException {
    byte[] twice = gzip(gzip("x".repeat(100_000)));
    assertThat(CappedBody.decode(twice, "gzip, gzip", 100_000)).hasSize(100_000);
    assertThatThrownBy(() -> CappedBody.decode(twice, "gzip, gzip", 99_999))
        .isInstanceOf(CappedBody.TooLargeException.class)
        .hasMessageContaining("gzip body expands beyond the cap of 99999 bytes")
        .hasMessageContaining("Content-Encoding 'gzip, gzip'");
  }

  private static byte[] gzip(String s) throws IOException {
    return gzip(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}

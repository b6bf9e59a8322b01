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
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'br'");
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}

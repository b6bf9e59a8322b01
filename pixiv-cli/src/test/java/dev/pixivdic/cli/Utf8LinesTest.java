package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

  @Test
  void aLineThatIsNotUtf8FailsAloneAndTheNextLineReads() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("一行目\r\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'x', (byte) 0xff, 'y', '\n'});
    bytes.writeBytes("\n三行目".getBytes(StandardCharsets.UTF_8));

    try (Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(lines.next()).isEqualTo("一行目");
      assertThatThrownBy(lines::next).isInstanceOf(CharacterCodingException.class);
      assertThat(lines.number()).isEqualTo(2);
      assertThat(lines.next()).isEmpty();
      assertThat(lines.next()).isEqualTo("三行目");
      assertThat(lines.number()).isEqualTo(4);
      assertThat(lines.next()).isNull();
    }
  }

  @Test
  void aLongLineWhoseCharactersStraddleTheChunksReadsWhole() throws IOException {
    String first = "あ".repeat(100_000);
    String text = first + "\n" + "b\n";

    try (Utf8Lines lines = new Utf8Lines(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
      assertThat(lines.next()).isEqualTo(first);
      assertThat(lines.next()).isEqualTo("b");
      assertThat(lines.next()).isNull();
      assertThat(lines.number()).isEqualTo(2);
    }
  }

  @Test
  void aLineOverTheLimitIsReportedWithItsLengthAndTheNextLineReads() throws IOException {
    String text = "12345\r\n123456\r\n" + "x".repeat(100_000) + "\nok\n";

    try (Utf8Lines lines = new Utf8Lines(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 5)) {
      assertThat(lines.next()).isEqualTo("12345");
      assertThatThrownBy(lines::next).isInstanceOf(Utf8Lines.TooLongException.class)
          .hasMessage("the line is 6 bytes long, over the limit of 5; skipped unread");
      assertThatThrownBy(lines::next).hasMessageContaining("100000 bytes long");
      assertThat(lines.next()).isEqualTo("ok");
      assertThat(lines.number()).isEqualTo(4);
    }
  }
}

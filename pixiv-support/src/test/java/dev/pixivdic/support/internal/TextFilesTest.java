package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {

  @TempDir Path dir;

  private Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).isTrue();
    return p;
  }

  @Test
  void aRegularFileIsReadAsText() throws Exception {
    Path f = Files.writeString(dir.resolve("token"), "secret\n");

    assertThat(TextFiles.read(f, 64)).isEqualTo("secret\n");
  }

  /** `--notify file:FIFO` with nobody writing hung the command for ever, saying nothing. */
  @Test
  void aNamedPipeNobodyWritesToFailsAfterTheWaitInsteadOfHanging() throws Exception {
    Path f = fifo("nobody");

    assertThatThrownBy(() -> TextFiles.read(f, 64, Duration.ofMillis(200)))
        .isInstanceOf(IOException.class)
        .hasMessage("not a regular file, and it gave no end within 200ms (a named pipe nobody"
            + " writes to or closes?)");
  }

  @Test
  void aPipeItsWriterFillsAndClosesIsRead() throws Exception {
    Path f = fifo("filled");
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(f)) {
        out.write("https://hooks.example/x\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    assertThat(TextFiles.read(f, 64, Duration.ofSeconds(10)))
        .isEqualTo("https://hooks.example/x\n");
    writer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aDeviceThatNeverEndsIsCutAtTheLimit() {
    assertThatThrownBy(() -> TextFiles.read(Path.of("/dev/zero"), 64))
        .hasMessage("larger than 64 bytes; is it the right file?");
  }
}

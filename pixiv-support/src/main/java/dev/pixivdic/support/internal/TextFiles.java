package dev.pixivdic.support.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a settings file (a kubeconfig, a Job template, a token or a webhook's secret file) as
 * UTF-8 text, at most a given size: a special file such as {@code /dev/zero} named by mistake
 * ran the JVM out of memory.
 */
public final class TextFiles {

  /** The most a file holding one secret (a token, a webhook URL) is read to: 64 KiB. */
  public static final int MAX_SECRET_BYTES = 64 * 1024;

  private TextFiles() {}

  /**
   * Why a file could not be read, in words for a message: "no such file" and "permission
   * denied" for the errors whose own message is the path alone, else the error's message.
   */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * The file's text.
   *
   * @throws IOException when it cannot be read, holds more than {@code maxBytes} bytes, or is
   *     not UTF-8 text; the message says which, without the file's content
   */
  public static String read(Path file, int maxBytes) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      throw new IOException("larger than " + maxBytes + " bytes; is it the right file?");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException("not UTF-8 text", e);
    }
  }
}

package dev.pixivdic.support.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a settings file (a kubeconfig, a Job template, a token or a webhook's secret file) as
 * UTF-8 text, at most a given size: a special file such as {@code /dev/zero} named by mistake
 * ran the JVM out of memory.
 */
public final class TextFiles {

  /** The most a file holding one secret (a token, a webhook URL) is read to: 64 KiB. */
  public static final int MAX_SECRET_BYTES = 64 * 1024;

  /**
   * The byte order mark as a character: what is left of one before a text that was decoded
   * without dropping it (a script's text, a string from a decoder that keeps it).
   */
  public static final char BYTE_ORDER_MARK = '\uFEFF';

  private TextFiles() {}

  /** The text without the byte order mark it may start with ({@link #BYTE_ORDER_MARK}). */
  public static String withoutMark(String text) {
    return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
  }

  /**
   * Why a file could not be read, in words for a message: {@link #words} for the errors whose
   * own message is the path alone ("no such file or directory", "permission denied"), else the
   * error's message.
   */
  public static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() == null) {
      String what = words(f);
      if (what != null) {
        return what;
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * What the JDK's file exceptions say by their class alone (their message is the path: "out/
   * rows.ndjson.lock" for a directory the user cannot write), or null.
   */
  public static String words(FileSystemException f) {
    if (f instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (f instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (f instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (f instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (f instanceof FileAlreadyExistsException) {
      // Without another file: what creating a directory throws when a file is in its place.
      return f.getOtherFile() == null ? "is a file, where a directory is needed"
          : "already exists";
    }
    return null;
  }

  /**
   * A Unicode encoding of a text, as its first bytes show it.
   *
   * @param name {@code UTF-8}, {@code UTF-16} or {@code UTF-32}, for a message
   * @param charset reads the text after its byte order mark, in its byte order
   * @param mark how many bytes the byte order mark takes at the start: 0 without one
   */
  public record Encoding(String name, Charset charset, int mark) {
    static final Encoding UTF_8 = new Encoding("UTF-8", StandardCharsets.UTF_8, 0);

    /** Whether this is UTF-8 without a byte order mark: what a plain text file is. */
    public boolean plainUtf8() {
      return charset.equals(StandardCharsets.UTF_8) && mark == 0;
    }
  }

  /**
   * The encoding that the first bytes of a text show (give 4 when it has so many): the one its
   * byte order mark names (UTF-8, UTF-16 or UTF-32, in either byte order), else UTF-16 or
   * UTF-32 when NUL bytes stand beside its first characters as they do beside ASCII ones in
   * those, else UTF-8 without a mark. A spreadsheet saves "Unicode text" as UTF-16, and some
   * editors put a mark before UTF-8. Only the marks and NUL bytes are looked at: text that is
   * not UTF-8 in other ways is UTF-8 here.
   */
  public static Encoding encoding(byte[] head) {
    int n = head.length;
    int b0 = n > 0 ? head[0] & 0xff : -1;
    int b1 = n > 1 ? head[1] & 0xff : -1;
    int b2 = n > 2 ? head[2] & 0xff : -1;
    int b3 = n > 3 ? head[3] & 0xff : -1;
    // UTF-32LE's mark begins with UTF-16LE's: it is looked for first.
    if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
      return new Encoding("UTF-32", Charset.forName("UTF-32LE"), 4);
    }
    if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
      return new Encoding("UTF-32", Charset.forName("UTF-32BE"), 4);
    }
    if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
      return new Encoding("UTF-8", StandardCharsets.UTF_8, 3);
    }
    if (b0 == 0xFF && b1 == 0xFE) {
      return new Encoding("UTF-16", StandardCharsets.UTF_16LE, 2);
    }
    if (b0 == 0xFE && b1 == 0xFF) {
      return new Encoding("UTF-16", StandardCharsets.UTF_16BE, 2);
    }
    if (n < 4) {
      return Encoding.UTF_8;
    }
    if (b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) {
      return new Encoding("UTF-32", Charset.forName("UTF-32LE"), 0);
    }
    if (b0 == 0 && b1 == 0 && b2 == 0 && b3 != 0) {
      return new Encoding("UTF-32", Charset.forName("UTF-32BE"), 0);
    }
    if (b0 != 0 && b1 == 0 && b2 != 0 && b3 == 0) {
      return new Encoding("UTF-16", StandardCharsets.UTF_16LE, 0);
    }
    if (b0 == 0 && b1 != 0 && b2 == 0 && b3 != 0) {
      return new Encoding("UTF-16", StandardCharsets.UTF_16BE, 0);
    }
    return Encoding.UTF_8;
  }

  /**
   * The file's text.
   *
   * @throws IOException when it cannot be read, holds more than {@code maxBytes} bytes, or is
   *     not UTF-8 text, or is a pipe or device that gives no end within 10 seconds; the message
   *     says which, without the file's content
   */
  public static String read(Path file, int maxBytes) throws IOException {
    return read(file, maxBytes, PIPE_WAIT);
  }

  /** How long a pipe or device may take to give its whole text. */
  static final Duration PIPE_WAIT = Duration.ofSeconds(10);

  /**
   * As {@link #read(Path, int)}, waiting at most {@code pipeWait} for a file that is not a
   * regular file: opening a named pipe nobody writes to, or reading one whose writer keeps it
   * open, blocks for ever, and a command that hangs on its settings tells nobody why. A pipe
   * that a shell fills ({@code <(echo ...)}) gives its text and ends at once.
   */
  static String read(Path file, int maxBytes, Duration pipeWait) throws IOException {
    byte[] bytes;
    if (Files.isRegularFile(file) || !Files.exists(file)) {
      bytes = readBytes(file, maxBytes);
    } else {
      bytes = readBytesWithin(file, maxBytes, pipeWait);
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

  private static byte[] readBytes(Path file, int maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(maxBytes + 1);
    }
  }

  private static byte[] readBytesWithin(Path file, int maxBytes, Duration wait)
      throws IOException {
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        read.complete(readBytes(file, maxBytes));
      } catch (IOException | RuntimeException e) {
        read.completeExceptionally(e);
      }
    }, "read " + file.getFileName());
    // Left blocked in open() or read() when nothing comes; it must not keep the JVM alive.
    reader.setDaemon(true);
    reader.start();
    try {
      return read.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reader.interrupt();
      throw new IOException("not a regular file, and it gave no end within "
          + Durations.format(wait) + " (a named pipe nobody writes to or closes?)", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + file);
    }
  }
}

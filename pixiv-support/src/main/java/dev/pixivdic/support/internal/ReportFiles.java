package dev.pixivdic.support.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Report files ({@code --report} of {@code pixiv} and {@code pixiv-launch}), replaced whole: a
 * temporary file beside the report, written to the disk, then moved over it, so a reader never
 * sees half of one, even after a crash.
 */
public final class ReportFiles {
  private static final JsonFactory JSON = new JsonFactory();

  private ReportFiles() {}

  /**
   * Whether {@code file} is empty or a JSON object whose first field is {@code firstField}: a
   * report of the kind that begins with it, which may be replaced. Not for a FIFO
   * ({@link dev.pixivdic.support.cli.FileName#notAFile}).
   */
  public static boolean isReport(Path file, String firstField) {
    try (JsonParser p = JSON.createParser(file.toFile())) {
      JsonToken first = p.nextToken();
      return first == null || first == JsonToken.START_OBJECT
          && p.nextToken() == JsonToken.FIELD_NAME && firstField.equals(p.currentName());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The file the report {@code file} is written to: through a symbolic link (latest.json ->
   * runs/r-17.json) to the file it names, since the move of {@link #write} would replace the
   * link itself.
   */
  public static Path destination(Path file) throws IOException {
    Path abs = FileTargets.target(file);
    if (Files.isSymbolicLink(abs)) {
      abs = abs.resolveSibling(Files.readSymbolicLink(abs)).normalize(); // a dangling link
    }
    return abs;
  }

  /** Where {@code destination} is first written: {@code FILE.tmp} beside it. */
  public static Path temporary(Path destination) {
    return destination.resolveSibling(destination.getFileName() + ".tmp");
  }

  /**
   * Writes {@code bytes} as the report {@code file} atomically (its parent directories made).
   * When that fails, the temporary file is removed if this call made it (something else in its
   * place is left alone) and the failure thrown as it came.
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path abs = destination(file);
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = temporary(abs);
    ByteBuffer json = ByteBuffer.wrap(bytes);
    boolean ours = false;
    try {
      // Not through a link at FILE.tmp: that would write into whatever file it names.
      if (Files.isSymbolicLink(tmp)) {
        throw new FileAlreadyExistsException(tmp.toString(), null,
            "a symbolic link is in the place of the report's temporary file; it was left as it is");
      }
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS)) {
        ours = true;
        while (json.hasRemaining()) {
          out.write(json);
        }
        out.force(true);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        if (ours) {
          Files.deleteIfExists(tmp);
        }
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }
}

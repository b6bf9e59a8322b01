package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.internal.TextFiles;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The input of a {@link FileSource}: a file or standard input, opened as records of its
 * {@link FileSource.Format}, through gzip when it is compressed, as UTF-8 (or UTF-16 or UTF-32
 * when its first bytes say so) with a byte order mark skipped. Standard input opens once.
 * Thread-safe.
 */
final class SourceInput {

  /** Opens the raw bytes. */
  @FunctionalInterface
  interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * Where the bytes come from.
   *
   * @param name the input in messages: the path as given, or {@code stdin}
   * @param readOnce whether the input can be opened once only (standard input)
   */
  record Origin(String name, Opener opener, boolean readOnce) {
    Origin {
      requireNonNull(name, "name");
      requireNonNull(opener, "opener");
    }

    /** A file, opened anew for each stream. */
    static Origin file(Path file) {
      return new Origin(file.toString(), () -> newInputStream(file), false);
    }

    /** Standard input, or whatever stream {@code in} supplies; it can be opened once. */
    static Origin stdin(Supplier<? extends InputStream> in) {
      return new Origin("stdin",
          () -> requireNonNull(in.get(), "the stdin supplier returned null"), true);
    }
  }

  /** What the JDK says when a read meets a directory (EISDIR). */
  private static final String IS_A_DIRECTORY = "Is a directory";

  private final Origin origin;
  private final FileSource.Format format;
  private final boolean gzip;
  private final AtomicBoolean consumed = new AtomicBoolean();

  SourceInput(Origin origin, FileSource.Format format, boolean gzip) {
    this.origin = requireNonNull(origin, "origin");
    this.format = requireNonNull(format, "format");
    this.gzip = gzip;
  }

  private static InputStream newInputStream(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a source file");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "the source file does not exist");
    }
    try {
      BasicFileAttributes opened = Files.readAttributes(file, BasicFileAttributes.class);
      return new UnchangedFile(file, channel, opened);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The bytes of a source file that fail a read when the file changed while it was read: cut
   * shorter than what was read or rewritten in place ({@code > urls.txt}, emptied, its size or
   * its modification time moved). The file is streamed, so the rest of it would otherwise be
   * read from the new content at the old byte offset: rows of another list, and a line torn
   * between the two. Each read from the file is checked after it (one {@code fstat} and one
   * {@code stat}: a buffer's refill, 64 KiB or the gzip layer's 8 KiB), so the bytes it brought
   * fail before any line that holds one of them reaches the reader; a line begun before the
   * change and ended after it goes with them. A file replaced by another under its name (a
   * rename) is read whole as it was when opened; so is one deleted.
   */
  static final class UnchangedFile extends FilterInputStream {
    private final Path file;
    private final FileChannel channel;
    private final BasicFileAttributes opened;

    UnchangedFile(Path file, FileChannel channel, BasicFileAttributes opened) {
      super(Channels.newInputStream(channel));
      this.file = file;
      this.channel = channel;
      this.opened = opened;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      check();
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n != 0) {
        check();
      }
      return n;
    }

    /** Fails when the file is not what was opened any more, whatever was just read. */
    private void check() throws IOException {
      if (!opened.isRegularFile()) {
        return; // a device or a pipe given to the API: no size, no place to check
      }
      long read = channel.position();
      long size = channel.size();
      if (size < read) {
        throw changed("was cut short while this run read it (it now holds " + size
            + " bytes; " + read + " were read)");
      }
      if (size != opened.size()) {
        throw changed("was written while this run read it (it held " + opened.size()
            + " bytes when opened, " + size + " now)");
      }
      BasicFileAttributes now;
      try {
        now = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        return; // deleted: what was opened is read whole
      }
      boolean same = opened.fileKey() == null || opened.fileKey().equals(now.fileKey());
      if (same && !now.lastModifiedTime().equals(opened.lastModifiedTime())) {
        throw changed("was written while this run read it (modified at "
            + now.lastModifiedTime() + ", opened when modified at "
            + opened.lastModifiedTime() + ")");
      }
    }

    private IOException changed(String what) {
      return new IOException(file + " " + what + ": the rest of its list is unknown, so the"
          + " run stops; run again once the file is written (write a new file and rename it"
          + " over the old one to change a list that runs may be reading)");
    }
  }

  String name() {
    return origin.name();
  }

  /** The input in a message's words: {@code standard input}, or the file's name. */
  private String said() {
    return origin.readOnce() ? "standard input" : name();
  }

  FileSource.Format format() {
    return format;
  }

  /**
   * Opens the input as records keyed by {@code column} (in a URL list, each line is the key).
   * The caller closes the reader.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws CorruptSourceException when it is read as gzip but is not, or its gzip data is
   *     truncated or damaged (also while the records are read)
   * @throws java.nio.file.FileSystemException when standard input is a directory
   * @throws IOException when it cannot be opened
   * @throws IllegalStateException when standard input was already read
   */
  RecordReader open(String column) throws IOException {
    if (origin.readOnce() && !consumed.compareAndSet(false, true)) {
      throw new IllegalStateException(
          name() + " can be read only once; save it to a file to read it again");
    }
    InputStream raw = origin.opener().open();
    try {
      InputStream in = raw;
      if (gzip) {
        in = gunzip(raw);
      }
      BufferedInputStream bytes = new BufferedInputStream(in, 65536);
      // Bytes that are not UTF-8 decode to U+FFFD; the readers reject such lines one by one,
      // which reports the right line, where a decoding exception would stop the whole stream.
      BufferedReader text;
      try {
        text = new BufferedReader(new InputStreamReader(bytes, charsetOf(bytes)), 65536);
      } catch (IOException e) {
        // `pixiv scrape --source - < dir`: the shell opens a directory, and reading it fails
        // with the bare EISDIR text, which names nothing and reads as an outage.
        throw origin.readOnce() && IS_A_DIRECTORY.equals(e.getMessage())
            ? new FileSystemException("standard input", null, IS_A_DIRECTORY) : e;
      }
      return switch (format) {
        case URL_LIST -> new UrlListReader(new UrlListReader.LineCountingReader(text)
            .notAListAfter(UrlListReader.NOT_A_LIST, name(), said()));
        case NDJSON -> new NdjsonRecordReader(new UrlListReader.LineCountingReader(text)
            .notAListAfter(UrlListReader.NOT_A_LIST, name(), said()), column);
        case CSV -> new CsvRecordReader(text, name(), column);
      };
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * Reads {@code raw} as gzip: every member of a concatenated file, and nothing after the last
   * one. {@code java.util.zip} stops without a word at bytes that do not start a member (a
   * second member cut within its header, garbage appended), which would end the source early
   * and lose its remaining lines; here they fail the read, naming the file.
   */
  private InputStream gunzip(InputStream raw) throws IOException {
    RawBytes bytes = new RawBytes(raw);
    try {
      return new GunzipErrors(name(), bytes, GzipCompressorInputStream.builder()
          .setInputStream(bytes).setDecompressConcatenated(true).get());
    } catch (IOException e) {
      if (e == bytes.failure) {
        throw e;
      }
      if (bytes.count == 0) {
        throw new CorruptSourceException(name(), "is empty: a gzip file holds at least a header",
            e);
      }
      throw e instanceof EOFException
          ? new CorruptSourceException(name(), "is truncated: it ends within the gzip header", e)
          : new CorruptSourceException(name(), "is not gzip-compressed (" + e.getMessage()
              + "), though it is read as gzip", e);
    }
  }

  /** The file's own bytes, keeping the read error of the file apart from the gzip layer's. */
  private static final class RawBytes extends FilterInputStream {
    private long count;
    private IOException failure;

    RawBytes(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        count += b < 0 ? 0 : 1;
        return b;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        count += Math.max(n, 0);
        return n;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * The gzip stream of a source, whose errors while reading say which file is truncated or
   * damaged: the library's own ({@code Garbage after a valid .gz stream}) name none. A read
   * error of the file itself passes as it is: it is an outage, not damage.
   */
  private static final class GunzipErrors extends FilterInputStream {
    private final String name;
    private final RawBytes raw;

    GunzipErrors(String name, RawBytes raw, InputStream in) {
      super(in);
      this.name = name;
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    private IOException damaged(IOException e) {
      if (e == raw.failure) {
        return e;
      }
      String why = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      return e instanceof EOFException
          ? new CorruptSourceException(name, "is truncated: its gzip data ends too soon" + why
              + "; the file is incomplete", e)
          : new CorruptSourceException(name, "is damaged: its gzip data is invalid" + why, e);
    }
  }

  /**
   * UTF-8, unless the first bytes say UTF-16 or UTF-32: its byte order mark, or (without one)
   * the NUL bytes beside its first characters, as ASCII text in those has them
   * ({@link TextFiles#encoding}). A spreadsheet saves "Unicode text" as UTF-16; read as UTF-8,
   * every line was a bad line. The byte order mark is skipped.
   */
  private static Charset charsetOf(BufferedInputStream in) throws IOException {
    in.mark(4);
    TextFiles.Encoding encoding = TextFiles.encoding(in.readNBytes(4));
    in.reset();
    in.skipNBytes(encoding.mark());
    return encoding.charset();
  }
}

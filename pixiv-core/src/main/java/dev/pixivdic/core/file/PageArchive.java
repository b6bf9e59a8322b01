package dev.pixivdic.core.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.hash.Hashing;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.stream.Stream;

/**
 * The raw archive of fetched pages, so that a parser fix can be replayed over old pages
 * without fetching them again.
 *
 * <p>Layout under the archive directory:
 *
 * <ul>
 *   <li>{@code objects/ab/<sha256>.gz}: a page body, gzip-compressed, named by the SHA-256 (hex)
 *       of the uncompressed body, {@code ab} being its first two digits. Identical bodies are
 *       stored once. A blob is written to a temporary file, forced to disk, then moved into place
 *       atomically; an existing blob is never rewritten.
 *   <li>{@code index.ndjson}: one line per fetch, appended and forced to disk after the blob:
 *       {@code {"url":..., "http_status":200, "content_type":..., "fetched_at":"<ISO-8601>",
 *       "sha256":...}}. It is written like an NDJSON sink ({@link NdjsonRowSink}): one writer
 *       at a time, only a file that is an archive index, a torn last line left by a crash cut
 *       away (its bytes kept in {@code index.ndjson.torn}) when the archive is opened for
 *       writing.
 * </ul>
 *
 * <p>An archive opened with {@link #open} is locked against other writers; one opened with
 * {@link #openReadOnly} takes no lock, can be read while a run appends, and ignores an
 * incomplete last index line. Thread-safe: {@link #put} may be called from several threads.
 */
public final class PageArchive implements Closeable {

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One fetch recorded in the index.
   *
   * @param url the canonical article URL
   * @param httpStatus the HTTP status of the response
   * @param contentType the response's {@code Content-Type}, or null when it had none
   * @param fetchedAt when the page was fetched
   * @param sha256 the SHA-256 of the body, 64 lower-case hex digits: the blob's name
   */
  public record Entry(ArticleUrl url, int httpStatus, String contentType, Instant fetchedAt,
      String sha256) {
    public Entry {
      requireNonNull(url, "url");
      requireNonNull(fetchedAt, "fetchedAt");
      requireNonNull(sha256, "sha256");
      if (httpStatus < 100 || httpStatus > 599) {
        throw new IllegalArgumentException("httpStatus must be in [100, 599], was " + httpStatus);
      }
      if (!isSha256(sha256)) {
        throw new IllegalArgumentException(
            "sha256 must be 64 lower-case hex digits, was '" + sha256 + "'");
      }
    }
  }

  /** What the index's lines look like, for {@link AppendLog}. */
  static final AppendLog.Format INDEX = new AppendLog.Format("a page archive index",
      List.of("url", "http_status", "fetched_at", "sha256"), PageArchive::isEntry);

  private final Path dir;
  private final Path index;
  private final AppendLog log;
  private final boolean writable;
  private boolean closed;

  private PageArchive(Path dir, AppendLog log, boolean writable) {
    this.dir = dir;
    this.index = dir.resolve("index.ndjson");
    this.log = log;
    this.writable = writable;
  }

  /** The index file of the archive in {@code dir}. */
  public static Path indexOf(Path dir) {
    return dir.resolve("index.ndjson");
  }

  /**
   * Opens the archive for writing and reading, creating the directory if needed, locking the
   * index against other writers, checking that it is an archive index and repairing a torn last
   * index line (as {@link NdjsonRowSink} does for a sink).
   *
   * @throws FileInUseException when another run writes to the archive
   * @throws NotOurFileException when {@code index.ndjson} is not an archive index
   * @throws IOException when the directory cannot be used
   */
  public static PageArchive open(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    AppendLog log = AppendLog.open(indexOf(dir), INDEX, AppendLog.ChannelFactory.DEFAULT);
    try {
      Files.createDirectories(dir.resolve("objects"));
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    return new PageArchive(dir, log, true);
  }

  /**
   * Opens an existing archive for reading only.
   *
   * @throws NoSuchFileException when the directory holds no archive index
   */
  public static PageArchive openReadOnly(Path dir) throws IOException {
    requireNonNull(dir, "dir");
    Path index = indexOf(dir);
    if (!Files.isRegularFile(index)) {
      throw new NoSuchFileException(index.toString(), null, "not a page archive (no index)");
    }
    return new PageArchive(dir, AppendLog.openReadOnly(index, INDEX), false);
  }

  /** The archive directory. */
  public Path dir() {
    return dir;
  }

  /**
   * Stores a fetched page: the body as a blob unless an identical one is stored already, then a
   * line in the index. Both are on disk when this returns.
   *
   * @return the index entry written
   * @throws IOException when the blob or the index line cannot be written; a failed index
   *     append is cut back
   * @throws IllegalStateException when the archive is read-only or closed
   */
  public Entry put(ArticleUrl url, int httpStatus, String contentType, Instant fetchedAt,
      byte[] body) throws IOException {
    requireNonNull(body, "body");
    String sha = sha256(body);
    Entry entry = new Entry(url, httpStatus, contentType, fetchedAt, sha);
    byte[] line = (indexLine(entry) + "\n").getBytes(StandardCharsets.UTF_8);
    Path blob = blobPath(sha);
    // Compress outside the lock: it is the expensive part and needs no coordination.
    byte[] compressed = Files.exists(blob) ? null : gzip(body);
    synchronized (this) {
      ensureWritable();
      if (compressed != null && !Files.exists(blob)) {
        writeBlob(blob, compressed);
      }
      log.append(line);
    }
    return entry;
  }

  private static void writeBlob(Path blob, byte[] compressed) throws IOException {
    Files.createDirectories(blob.getParent());
    Path tmp = blob.resolveSibling(
        "." + blob.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
            + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(compressed);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, blob, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Another writer stored the same body first: same name, same content.
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Every index entry in the order written, streamed (the caller closes the stream). Read errors
   * and damaged lines arrive as {@link UncheckedIOException} (the cause a
   * {@link CorruptArchiveException} naming the line).
   */
  public Stream<Entry> entries() throws IOException {
    return entries(null);
  }

  /**
   * The last entry of each URL, in the order written. Reads the index twice, keeping about 24
   * bytes per index line in between (24 MB for a million fetches).
   */
  public Stream<Entry> latest() throws IOException {
    long[] fingerprints = new long[1024];
    int n = 0;
    try (Stream<Entry> all = entries(null)) {
      for (var it = all.iterator(); it.hasNext(); ) {
        if (n == fingerprints.length) {
          fingerprints = Arrays.copyOf(fingerprints, n * 2);
        }
        fingerprints[n++] = Shard.fingerprint(it.next().url().canonical());
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    BitSet last = new BitSet(n);
    LongHashSet seen = new LongHashSet();
    for (int i = n - 1; i >= 0; i--) {
      if (seen.add(fingerprints[i])) {
        last.set(i);
      }
    }
    return entries(last);
  }

  private Stream<Entry> entries(BitSet keep) throws IOException {
    ensureOpen();
    InputStream in;
    synchronized (this) {
      in = log.read();
    }
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    long[] lineNo = {0};
    int[] entryNo = {-1};
    return reader.lines()
        .map(line -> {
          lineNo[0]++;
          if (line.isBlank()) {
            return null;
          }
          entryNo[0]++;
          if (keep != null && !keep.get(entryNo[0])) {
            return null;
          }
          try {
            return parse(line);
          } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new CorruptArchiveException(index,
                "line " + lineNo[0] + ": not an archive entry: " + e.getMessage(), e));
          }
        })
        .filter(e -> e != null)
        .onClose(() -> {
          try {
            reader.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * The body of an entry, decompressed and checked against its hash.
   *
   * @throws NoSuchFileException when the blob is missing
   * @throws CorruptArchiveException when the blob does not match its hash or is not gzip
   */
  public byte[] read(Entry entry) throws IOException {
    return read(requireNonNull(entry, "entry").sha256());
  }

  /** The body whose SHA-256 is {@code sha256}; see {@link #read(Entry)}. */
  public byte[] read(String sha256) throws IOException {
    if (!isSha256(requireNonNull(sha256, "sha256"))) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lower-case hex digits, was '" + sha256 + "'");
    }
    ensureOpen();
    Path blob = blobPath(sha256);
    byte[] body;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
      body = in.readAllBytes();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(blob.toString(), null, "the archived page is missing");
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new CorruptArchiveException(blob, "not a whole gzip file: " + e.getMessage(), e);
    }
    String actual = sha256(body);
    if (!actual.equals(sha256)) {
      throw new CorruptArchiveException(blob, "content hash is " + actual + ", not " + sha256,
          null);
    }
    return body;
  }

  /** Whether a body with this hash is stored. */
  public boolean contains(String sha256) {
    return isSha256(requireNonNull(sha256, "sha256")) && Files.exists(blobPath(sha256));
  }

  private Path blobPath(String sha) {
    return dir.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha + ".gz");
  }

  static String indexLine(Entry e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("url", e.url().canonical());
      g.writeNumberField("http_status", e.httpStatus());
      if (e.contentType() == null) {
        g.writeNullField("content_type");
      } else {
        g.writeStringField("content_type", e.contentType());
      }
      g.writeStringField("fetched_at", e.fetchedAt().toString());
      g.writeStringField("sha256", e.sha256());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  /**
   * Parses an index line.
   *
   * @throws IllegalArgumentException saying why the line is not an entry
   */
  static Entry parse(String line) {
    String url = null;
    String contentType = null;
    String fetchedAt = null;
    String sha = null;
    int status = -1;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "url" -> url = p.getValueAsString();
          case "content_type" -> contentType = t == JsonToken.VALUE_NULL ? null : p.getText();
          case "fetched_at" -> fetchedAt = p.getValueAsString();
          case "sha256" -> sha = p.getValueAsString();
          case "http_status" -> status = p.getValueAsInt(-1);
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (url == null || fetchedAt == null || sha == null) {
      throw new IllegalArgumentException("needs 'url', 'fetched_at' and 'sha256'");
    }
    try {
      return new Entry(ArticleUrl.parse(url), status, contentType, Instant.parse(fetchedAt), sha);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'fetched_at' is not an ISO-8601 instant: " + fetchedAt,
          e);
    }
  }

  private static boolean isEntry(String line) {
    try {
      parse(line);
      return true;
    } catch (RuntimeException e) {
      // Whatever keeps the line from being read back makes it a torn line.
      return false;
    }
  }

  static boolean isSha256(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static String sha256(byte[] body) {
    return Hashing.sha256().hashBytes(body).toString();
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory compression cannot fail", e);
    }
    return out.toByteArray();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(dir + ": the archive is closed");
    }
  }

  private void ensureWritable() {
    ensureOpen();
    if (!writable) {
      throw new IllegalStateException(dir + ": the archive was opened read-only");
    }
  }

  /** Releases the lock and closes the index. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    log.close();
  }

  @Override
  public String toString() {
    return "PageArchive[" + dir + (writable ? "]" : ", read-only]");
  }
}

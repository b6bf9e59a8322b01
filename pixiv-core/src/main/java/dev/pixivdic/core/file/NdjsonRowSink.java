package dev.pixivdic.core.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * Appends rows of any type to a newline-delimited JSON file, one row a line as its
 * {@link NdjsonCodec} writes it, loadable with {@code bq load --source_format=NEWLINE_DELIMITED_JSON}.
 * {@link NdjsonSink} is this sink for article rows.
 *
 * <p>Crash safety: each {@link #write} serialises the whole batch into one buffer, appends it
 * with one positional write and forces it to disk ({@code fsync}) before returning. A write that
 * fails is cut back to the size before it, so a failed batch leaves nothing. A process killed in
 * the middle of an append can leave the batch's first rows and a torn last line; opening the
 * file again truncates the torn line away (logged at WARN), and the whole rows before it stay
 * valid rows. A run therefore never stores a row twice nor loses one if it asks
 * {@link #stored} first and skips what is held, as the run engine does. Within one open sink,
 * a batch identical (byte for byte) to the last one written is not appended again, so retrying
 * a write whose outcome was unknown stores it once.
 *
 * <p>The file is locked while open: a second sink on the same file, in this process or
 * another, fails to open with a message naming the file. Thread-safe.
 */
public final class NdjsonRowSink<R> implements Sink<R> {

  private static final JsonFactory JSON = new JsonFactory();

  private final NdjsonCodec<R> codec;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private long size;
  private byte[] lastBatchDigest;
  private boolean closed;
  private IOException broken;

  private NdjsonRowSink(NdjsonCodec<R> codec, Path file, FileChannel channel, FileLock lock,
      long size) {
    this.codec = codec;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.size = size;
  }

  /**
   * Opens (creating it and its parent directories if needed) the file for appending, locks it
   * and repairs a torn last line.
   *
   * @throws IOException when the file cannot be opened, or is locked by another sink
   */
  public static <R> NdjsonRowSink<R> open(Path file, NdjsonCodec<R> codec) throws IOException {
    return open(file, codec, f -> FileChannel.open(f, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  static <R> NdjsonRowSink<R> open(Path file, NdjsonCodec<R> codec,
      NdjsonSink.ChannelFactory channels) throws IOException {
    requireNonNull(file, "file");
    requireNonNull(codec, "codec");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel ch = channels.open(file);
    try {
      FileLock lock = lock(ch, file);
      long size = TailRepair.repair(ch, file, line -> isRow(codec, line));
      return new NdjsonRowSink<>(codec, file, ch, lock, size);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  static FileLock lock(FileChannel ch, Path file) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException(file + " is in use by another run (it is locked); wait for that run"
          + " to end or write to another file");
    }
    return lock;
  }

  private static boolean isRow(NdjsonCodec<?> codec, String line) {
    try {
      return codec.isRow(line);
    } catch (RuntimeException e) {
      // Any failure to read the line back means it is not a whole row.
      return false;
    }
  }

  /** The file written to. */
  public Path file() {
    return file;
  }

  /**
   * Reads the file once, keeping only fingerprints: the keys ({@link NdjsonCodec#key} of the
   * {@link NdjsonCodec#keyField}) of the shard's rows whose {@link NdjsonCodec#timeField} is at
   * or after {@code since}. A row without that time counts as too old.
   *
   * @throws IOException when the file cannot be read or holds a line that is not a row (the
   *     message names the line)
   */
  @Override
  public synchronized StoredKeys stored(Shard shard, Instant since) throws IOException {
    requireNonNull(shard, "shard");
    requireNonNull(since, "since");
    ensureOpen();
    StoredKeys.Builder keys = StoredKeys.builder();
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = JSON.createParser(in)) {
      JsonToken t;
      while ((t = next(p)) != null) {
        long line = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
          throw notARow(line, "not a JSON object", null);
        }
        String keyValue = null;
        String loadedAt = null;
        String keyField = codec.keyField();
        String timeField = codec.timeField();
        while ((t = next(p)) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = next(p);
          if (value == JsonToken.VALUE_STRING && name.equals(keyField)) {
            keyValue = p.getText();
          } else if (value == JsonToken.VALUE_STRING && name.equals(timeField)) {
            loadedAt = p.getText();
          } else {
            p.skipChildren();
          }
        }
        if (keyValue == null) {
          throw notARow(line, "no '" + keyField + "'", null);
        }
        if (loadedAt == null || !fresh(timeField, loadedAt, since, line)) {
          continue;
        }
        String key;
        try {
          key = codec.key(keyValue);
        } catch (IllegalArgumentException e) {
          throw notARow(line, e.getMessage(), e);
        }
        if (shard.contains(key)) {
          keys.add(key);
        }
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw notARow(line, "malformed JSON: " + e.getOriginalMessage(), e);
    }
    return keys.build();
  }

  private static JsonToken next(JsonParser p) throws IOException {
    return p.nextToken();
  }

  private boolean fresh(String timeField, String loadedAt, Instant since, long line)
      throws IOException {
    try {
      return !Instant.parse(loadedAt).isBefore(since);
    } catch (DateTimeParseException e) {
      throw notARow(line, "'" + timeField + "' is not an ISO-8601 instant: " + loadedAt, e);
    }
  }

  private IOException notARow(long line, String why, Throwable cause) {
    return new IOException(file + ":" + line + ": not a row: " + why, cause);
  }

  /**
   * Appends the batch and forces it to disk. On failure the file is cut back to its size
   * before the call, then the error is thrown.
   *
   * @throws IOException when the rows could not be written; none of them is stored
   * @throws IllegalStateException when the sink is closed, or a failed write could not be cut
   *     back (the sink refuses further writes; reopening repairs the file)
   */
  @Override
  public synchronized void write(List<R> batch) throws IOException {
    requireNonNull(batch, "batch");
    ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(batch.size() * 1024);
    for (R row : batch) {
      buf.writeBytes(codec.toJson(requireNonNull(row, "row")).getBytes(StandardCharsets.UTF_8));
      buf.write('\n');
    }
    byte[] serialised = buf.toByteArray();
    byte[] digest = sha256(serialised);
    if (Arrays.equals(digest, lastBatchDigest)) {
      // A retry of the batch just written: rows carry their run and the time they were made, so
      // an identical batch is the same batch.
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(serialised);
    long before = size;
    try {
      long at = before;
      while (bytes.hasRemaining()) {
        at += channel.write(bytes, at);
      }
      channel.force(true);
      size = at;
      lastBatchDigest = digest;
    } catch (IOException e) {
      cutBack(before, e);
      throw e;
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private void cutBack(long before, IOException failure) {
    try {
      channel.truncate(before);
      channel.force(true);
    } catch (IOException e) {
      failure.addSuppressed(e);
      broken = failure;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(file + ": the sink is closed");
    }
    if (broken != null) {
      throw new IllegalStateException(file + ": a failed write could not be undone; reopen the"
          + " file to repair it", broken);
    }
  }

  /** Releases the lock and closes the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }

  @Override
  public String toString() {
    return "NdjsonRowSink[" + file + "]";
  }
}

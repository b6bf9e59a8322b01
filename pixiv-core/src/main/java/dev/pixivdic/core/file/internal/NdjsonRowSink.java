package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.internal.Timestamps;
import dev.pixivdic.support.internal.LogText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends rows of any type to a newline-delimited JSON file, one row a line as its
 * {@link NdjsonCodec} writes it, loadable with
 * {@code bq load --source_format=NEWLINE_DELIMITED_JSON}.
 * {@link NdjsonSink} is this sink for article rows.
 *
 * <p>One writer: opening takes an exclusive lock ({@code FILE.lock} beside the file) that holds
 * across processes on this host until {@link #close}; a second writer fails at once with
 * {@link FileInUseException} naming the holder. The lock does not hold across hosts or on
 * network file systems.
 *
 * <p>Only our files: a file that does not begin with a row this project wrote (a source list, a
 * CSV, an archive index) is refused with {@link NotOurFileException} and left unchanged.
 *
 * <p>Crash safety: each {@link #write} serialises the whole batch into one buffer, appends it at
 * the end of the file with one write and forces it to disk ({@code fsync}) before returning. A
 * write that fails is cut back, so a failed batch leaves nothing. A process killed in the middle
 * of an append can leave the batch's first rows and a torn last line; opening the file again
 * cuts the torn line away (logged at WARN, its bytes kept in {@code FILE.torn}), and the whole
 * rows before it stay valid rows. A run therefore never stores a row twice nor loses one if it
 * asks {@link #stored} first and skips what is held, as the run engine does. Within one open
 * sink, a batch identical (byte for byte) to the last one written is not appended again, so
 * retrying a write whose outcome was unknown stores it once. A damaged line elsewhere fails
 * {@link #stored} with {@link CorruptSinkException}, naming the line.
 *
 * <p>{@link #openReadOnly} (for dry runs) writes nothing: no lock, no repair. Thread-safe.
 */
public final class NdjsonRowSink<R> implements Sink<R> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Logger LOG = LoggerFactory.getLogger(NdjsonRowSink.class);
  /** The longest line read as a row, in bytes: the parser's page limit; a row is far smaller. */
  static final int MAX_LINE = 16 * 1024 * 1024;

  private final NdjsonCodec<R> codec;
  private final AppendLog log;
  private HashCode lastBatchDigest;
  private boolean closed;
  private IOException broken;

  private NdjsonRowSink(NdjsonCodec<R> codec, AppendLog log) {
    this.codec = codec;
    this.log = log;
  }

  /**
   * Opens (creating it and its parent directories if needed) the file for appending, locks it,
   * checks that it is ours and repairs a torn last line.
   *
   * @throws FileInUseException when another run writes to the file
   * @throws NotOurFileException when the file is not one this project wrote
   * @throws IOException when the file cannot be opened
   */
  public static <R> NdjsonRowSink<R> open(Path file, NdjsonCodec<R> codec) throws IOException {
    return open(file, codec, AppendLog.ChannelFactory.DEFAULT);
  }

  /**
   * Opens the file for {@link #stored} only, changing nothing: no lock, no repair, no file
   * created (a missing file holds nothing). {@link #write} throws.
   *
   * @throws NotOurFileException when the file is not one this project wrote
   */
  public static <R> NdjsonRowSink<R> openReadOnly(Path file, NdjsonCodec<R> codec)
      throws IOException {
    requireNonNull(codec, "codec");
    AppendLog.requireOneName(file, AppendLog.copyAdvice(file)); // as the run refuses it
    return new NdjsonRowSink<>(codec, AppendLog.openReadOnly(file, format(codec)));
  }

  static <R> NdjsonRowSink<R> open(Path file, NdjsonCodec<R> codec,
      AppendLog.ChannelFactory channels) throws IOException {
    requireNonNull(codec, "codec");
    return new NdjsonRowSink<>(codec, AppendLog.open(file, format(codec), channels));
  }

  static AppendLog.Format format(NdjsonCodec<?> codec) {
    return new AppendLog.Format(codec.kind(), codec.signature(), codec::isRow);
  }

  /** The file written to. */
  public Path file() {
    return log.file();
  }

  /**
   * Reads the file once, keeping only fingerprints: the keys ({@link NdjsonCodec#key} of the
   * {@link NdjsonCodec#keyField}) of the shard's rows whose {@link NdjsonCodec#timeField} is at
   * or after {@code since}. A row without that time counts as too old; one stamped more than
   * {@link Timestamps#FUTURE_TOLERANCE} ahead of now (the system's clock) counts as not stored
   * either (a warning gives their number and one of them), so that a writer's clock far ahead
   * does not keep an item from ever being fetched again.
   *
   * @throws CorruptSinkException when a line is not a row (the message names it and says how to
   *     repair the file)
   * @throws IOException when the file cannot be read
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since) throws IOException {
    return stored(shard, since, Instant.now());
  }

  /** As {@link #stored(Shard, Instant)}, with the run's clock reading {@code now}. */
  @Override
  public synchronized StoredKeys stored(Shard shard, Instant since, Instant now)
      throws IOException {
    requireNonNull(shard, "shard");
    requireNonNull(since, "since");
    requireNonNull(now, "now");
    ensureOpen();
    Window window = new Window(since, Timestamps.storedUntil(now));
    StoredKeys.Builder keys = StoredKeys.builder();
    // Line by line, as bq load reads the file: a row split over two lines, or two rows on one,
    // is damage to name at its own line, not rows to count as stored.
    try (InputStream in = log.read()) {
      byte[] chunk = new byte[64 * 1024];
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      long line = 1;
      int n;
      while ((n = in.read(chunk)) != -1) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            append(text, chunk, from, i, line);
            readRow(text.toByteArray(), line, shard, window, keys);
            text.reset();
            line++;
            from = i + 1;
          }
        }
        append(text, chunk, from, n, line);
      }
      // What follows the last line end is a torn tail, which log.read() leaves out.
    }
    if (window.future > 0) {
      LOG.warn("{}: {} row(s) are stamped more than {} ahead of now, so they count as not"
          + " stored and their items are fetched again (a writer's clock ahead, or an edit);"
          + " the first: {} at {}", log.file(), window.future,
          Timestamps.FUTURE_TOLERANCE.toHours() + " hours", window.futureKey, window.futureAt);
    }
    return keys.build();
  }

  /** The times a row must lie between to be stored, and the rows found later than that. */
  private static final class Window {
    final Instant since;
    final Instant until;
    long future;
    String futureKey;
    String futureAt;

    Window(Instant since, Instant until) {
      this.since = since;
      this.until = until;
    }
  }

  private void append(ByteArrayOutputStream text, byte[] chunk, int from, int to, long line)
      throws IOException {
    if (text.size() + (to - from) > MAX_LINE) {
      throw notARow(line, "the line is longer than " + MAX_LINE + " bytes", null);
    }
    text.write(chunk, from, to - from);
  }

  private void readRow(byte[] text, long line, Shard shard, Window window,
      StoredKeys.Builder keys) throws IOException {
    String keyField = codec.keyField();
    String timeField = codec.timeField();
    String keyValue = null;
    String loadedAt = null;
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return; // a blank line
      }
      if (first != JsonToken.START_OBJECT) {
        throw notARow(line, "not a JSON object", null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals(keyField) || name.equals(timeField)) {
          if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
            // Not "no 'url'": the field is there, with a value that is no text.
            throw notARow(line, "'" + name + "' is " + describe(value) + ", not a string", null);
          }
          if (value == JsonToken.VALUE_STRING && name.equals(keyField)) {
            keyValue = p.getText();
          } else if (value == JsonToken.VALUE_STRING) {
            loadedAt = p.getText();
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw notARow(line, "more than one JSON value on the line", null);
      }
    } catch (JsonProcessingException e) {
      throw notARow(line, "malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (keyValue == null) {
      throw notARow(line, "no '" + keyField + "'", null);
    }
    if (loadedAt == null || !fresh(timeField, loadedAt, keyValue, window, line)) {
      return;
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

  private boolean fresh(String timeField, String loadedAt, String keyValue, Window window,
      long line) throws IOException {
    Instant at;
    try {
      at = Timestamps.parse(loadedAt);
    } catch (DateTimeParseException e) {
      throw notARow(line, "'" + timeField + "' is not an ISO-8601 instant nor BigQuery's text of"
          + " a timestamp: " + loadedAt, e);
    }
    if (at.isAfter(window.until)) {
      if (window.future++ == 0) {
        window.futureKey = LogText.escaped(keyValue, 300);
        window.futureAt = LogText.escaped(loadedAt, 300);
      }
      return false;
    }
    return !at.isBefore(window.since);
  }

  private static String describe(JsonToken value) {
    return switch (value) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> "a number";
    };
  }

  private IOException notARow(long line, String why, Throwable cause) {
    return new CorruptSinkException(log.file(), line, why, cause);
  }

  /**
   * Appends the batch at the end of the file and forces it to disk. On failure the file is cut
   * back to its size before the call, then the error is thrown.
   *
   * @throws IOException when the rows could not be written; none of them is stored
   * @throws IllegalStateException when the sink is closed or read-only, or a failed write could
   *     not be cut back (the sink refuses further writes; reopening repairs the file)
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
    HashCode digest = Hashing.sha256().hashBytes(serialised);
    if (digest.equals(lastBatchDigest)) {
      // A retry of the batch just written: rows carry their run and the time they were made, so
      // an identical batch is the same batch.
      return;
    }
    try {
      log.append(serialised);
      lastBatchDigest = digest;
    } catch (AppendLog.BrokenAppendException e) {
      broken = e;
      throw e;
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(log.file() + ": the sink is closed");
    }
    if (broken != null) {
      throw new IllegalStateException(log.file() + ": a failed write could not be undone;"
          + " reopen the file to repair it", broken);
    }
  }

  /** Releases the lock and closes the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    log.close();
  }

  /**
   * Closes the sink as {@link #close} does, first removing the file and its lock file when this
   * sink made them and nothing was written to the file, then the directories it made for them
   * while they are empty (the deepest first): for a run that failed before its first batch (a
   * source that cannot be read), so that it leaves nothing behind. A file that existed before
   * is only closed, whatever it holds. Idempotent.
   *
   * @throws IOException when the file or a directory could not be removed, or the file closed
   */
  public synchronized void closeRemovingIfUnwritten() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    log.closeRemovingIfUnwritten();
  }

  @Override
  public String toString() {
    return "NdjsonRowSink[" + log.file() + "]";
  }
}

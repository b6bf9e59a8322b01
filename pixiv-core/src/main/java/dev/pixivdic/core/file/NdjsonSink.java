package dev.pixivdic.core.file;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.RowJson;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Appends rows to a newline-delimited JSON file, one {@link RowJson} row a line, loadable with
 * {@code bq load --source_format=NEWLINE_DELIMITED_JSON} as is.
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
 * another, fails to open with a message naming the file. Thread-safe. The machinery is
 * {@link NdjsonRowSink}'s, which stores other row types the same way.
 */
public final class NdjsonSink implements Sink<ArticleRow> {

  /** The default output file, relative to the working directory. */
  public static final Path DEFAULT_PATH = Path.of("out", "pixiv_detail_info.ndjson");

  /** Article rows keyed by canonical URL and dated by {@code loaded_at}. */
  static final NdjsonCodec<ArticleRow> CODEC = new NdjsonCodec<>() {
    @Override
    public String toJson(ArticleRow row) {
      return RowJson.write(row);
    }

    @Override
    public boolean isRow(String line) {
      RowJson.read(line);
      return true;
    }

    @Override
    public String keyField() {
      return "url";
    }

    @Override
    public String timeField() {
      return "loaded_at";
    }

    @Override
    public String key(String value) {
      return Keys.canonical(value);
    }
  };

  /** Opens the channel; tests substitute one that fails. */
  @FunctionalInterface
  interface ChannelFactory {
    FileChannel open(Path file) throws IOException;
  }

  private final NdjsonRowSink<ArticleRow> rows;

  private NdjsonSink(NdjsonRowSink<ArticleRow> rows) {
    this.rows = rows;
  }

  /**
   * Opens (creating it and its parent directories if needed) the file for appending, locks it
   * and repairs a torn last line.
   *
   * @throws IOException when the file cannot be opened, or is locked by another sink
   */
  public static NdjsonSink open(Path file) throws IOException {
    return new NdjsonSink(NdjsonRowSink.open(file, CODEC));
  }

  static NdjsonSink open(Path file, ChannelFactory channels) throws IOException {
    return new NdjsonSink(NdjsonRowSink.open(file, CODEC, requireNonNull(channels, "channels")));
  }

  static FileLock lock(FileChannel ch, Path file) throws IOException {
    return NdjsonRowSink.lock(ch, file);
  }

  /** The file written to. */
  public Path file() {
    return rows.file();
  }

  /**
   * Reads the file once, keeping only fingerprints: the canonical URLs of the shard's rows
   * (of any status, articles and not-found pages alike) whose {@code loaded_at} is at or after
   * {@code since}. A row without {@code loaded_at} counts as too old.
   *
   * @throws IOException when the file cannot be read or holds a line that is not a row (the
   *     message names the line)
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since) throws IOException {
    return rows.stored(shard, since);
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
  public void write(List<ArticleRow> batch) throws IOException {
    rows.write(batch);
  }

  /** Releases the lock and closes the file. Idempotent. */
  @Override
  public void close() throws IOException {
    rows.close();
  }

  @Override
  public String toString() {
    return "NdjsonSink[" + file() + "]";
  }
}

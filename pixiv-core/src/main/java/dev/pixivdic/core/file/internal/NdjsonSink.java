package dev.pixivdic.core.file.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.internal.RowJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Appends rows to a newline-delimited JSON file, one {@link RowJson} row a line, loadable with
 * {@code bq load --source_format=NEWLINE_DELIMITED_JSON} as is. One writer at a time (a lock
 * that holds across processes), only files this project wrote, whole batches, torn tails
 * repaired: {@link NdjsonRowSink} says how. Thread-safe.
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

    @Override
    public List<String> signature() {
      return List.of("url", "loaded_at", "status", "run_id", "scraper_version");
    }
  };

  private final NdjsonRowSink<ArticleRow> rows;

  private NdjsonSink(NdjsonRowSink<ArticleRow> rows) {
    this.rows = rows;
  }

  /**
   * Opens (creating it and its parent directories if needed) the file for appending, locks it,
   * checks that it is ours and repairs a torn last line, as {@link NdjsonRowSink#open} says.
   *
   * @throws FileInUseException when another run writes to the file
   * @throws NotOurFileException when the file is not one this project wrote
   * @throws IOException when the file cannot be opened
   */
  public static NdjsonSink open(Path file) throws IOException {
    return new NdjsonSink(NdjsonRowSink.open(file, CODEC));
  }

  /**
   * Opens the file for {@link #stored} only, for a dry run: no lock, no repair, no file created.
   * {@link #write} throws.
   *
   * @throws NotOurFileException when the file is not one this project wrote
   */
  public static NdjsonSink openReadOnly(Path file) throws IOException {
    return new NdjsonSink(NdjsonRowSink.openReadOnly(file, CODEC));
  }

  static NdjsonSink open(Path file, AppendLog.ChannelFactory channels) throws IOException {
    return new NdjsonSink(NdjsonRowSink.open(file, CODEC, requireNonNull(channels, "channels")));
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

  @Override
  public StoredKeys stored(Shard shard, Instant since, Instant now) throws IOException {
    return rows.stored(shard, since, now);
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

  /**
   * Closes the sink, first removing the file and its lock file (and the directories made for
   * them) when this sink made them and nothing was written, as
   * {@link NdjsonRowSink#closeRemovingIfUnwritten} says.
   */
  public void closeRemovingIfUnwritten() throws IOException {
    rows.closeRemovingIfUnwritten();
  }

  @Override
  public String toString() {
    return "NdjsonSink[" + file() + "]";
  }
}

package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.Table;
import dev.pixivdic.bigquery.internal.ArticleCodec;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes article rows to a BigQuery table with load jobs: free, atomic per batch, and
 * exactly-once. No streaming inserts, no DML on the destination in append mode.
 *
 * <ul>
 *   <li>Each {@link #write} is one NDJSON load job, {@code WRITE_APPEND}, with an explicit schema
 *       and {@code ALLOW_FIELD_ADDITION}; its id is
 *       {@code pixiv_load_<table>_<sha256(schema version, batch bytes)>_a<attempt>}, so a batch
 *       retried after a lost answer is found (409) and not loaded twice. An empty batch makes no
 *       call.
 *   <li>The destination is created on first use if missing (DAY partitions on {@code loaded_at},
 *       clustered on {@code url}); an existing table, including one made by the original batch,
 *       gains our missing columns and keeps its own.
 *   <li>{@link Mode#MERGE}: batches load into a per-run staging table that expires after a day;
 *       {@link #close()} runs one insert-only {@code MERGE} (deterministic job id) so the
 *       destination holds one row per URL: a URL already present keeps its first row.
 * </ul>
 *
 * <p>Not thread-safe: the run engine calls a sink from one thread.
 */
public final class BigQuerySink implements Sink<ArticleRow> {

  private static final Logger LOG = LoggerFactory.getLogger(BigQuerySink.class);

  /** How batches reach the destination. */
  public enum Mode {
    /** Every batch is appended: one row per URL per refresh; history is kept. */
    APPEND,
    /** Batches are staged, then merged insert-only on {@code url} when the sink closes. */
    MERGE
  }

  /**
   * The batch size (rows per {@link #write}) a caller should use with this sink: with about 100
   * items per shard it makes one load per shard, far below BigQuery's 1,500 loads per table per
   * day (see {@code docs/bigquery.md}). The sink loads whatever batch it is given.
   */
  public static final int RECOMMENDED_BATCH_ROWS = 500;

  /** The default {@code maximumBytesBilled} of each query: 1 GiB. */
  public static final long DEFAULT_MAXIMUM_BYTES_BILLED = 1L << 30;

  private final BigQueryConnection connection;
  private final TableRef destination;
  private final Mode mode;
  private final Optional<StagedMerge> staging;
  private final Optional<TableRef> lastScrapedView;
  private final boolean trendViews;
  private boolean trendViewsEnsured;
  private final Loader<ArticleRow> loader;
  private final SinkTable table;
  private final Optional<AntiJoinSkip> skip;
  private boolean viewEnsured;

  private BigQuerySink(Builder b) {
    this.connection = b.connection;
    this.destination = b.destination;
    this.mode = b.mode;
    this.loader = new Loader<>(connection, ArticleCodec.INSTANCE);
    this.staging = b.mode == Mode.MERGE
        ? Optional.of(new StagedMerge(destination, b.runId, b.shard, loader,
            new Tables(connection), b.maximumBytesBilled, b.clock))
        : Optional.empty();
    this.lastScrapedView = b.lastScrapedView;
    this.trendViews = b.trendViews;
    this.skip = b.skip;
    this.table = new SinkTable(connection, loader, StoredQuery.ofArticles(destination),
        b.maximumBytesBilled);
  }

  /** A builder for a sink writing to {@code destination}. */
  public static Builder builder(BigQueryConnection connection, TableRef destination) {
    return new Builder(connection, destination);
  }

  /** The destination table. */
  public TableRef destination() {
    return destination;
  }

  /** The staging table of merge mode. */
  public Optional<TableRef> staging() {
    return staging.map(StagedMerge::ref);
  }

  /**
   * The fingerprints of the URLs of {@code shard} with a row loaded at or after {@code since}:
   * one query returning one INT64 column, partition-pruned on {@code loaded_at}. Changes
   * nothing: a destination that does not exist yet holds nothing (it is created by the first
   * {@link #write}). With an {@link AntiJoinSkip}, a {@link StoredKeys#deferred deferred} set
   * that runs the query only when the source's anti-join leaves it needed.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (permissions, bytes limit),
   *     or the table cannot take our rows (a column of another type, a REQUIRED one some rows
   *     leave empty)
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since) throws IOException {
    return stored(shard, since, Instant.now());
  }

  /**
   * As {@link #stored(Shard, Instant)}, with the run's clock reading {@code now}: a row loaded
   * more than a day after it counts as not stored.
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since, Instant now) throws IOException {
    if (skip.isEmpty()) {
      return table.stored(shard, since, now);
    }
    // No query here, but the table is checked now: one that cannot take our rows is refused
    // before anything is fetched, as without the skip.
    table.check();
    AntiJoinSkip s = skip.get();
    s.asked(destination, shard, since);
    return StoredKeys.deferred(() -> s.mayBeStored(destination, shard, since),
        () -> table.stored(shard, since, now));
  }

  /**
   * Loads the batch as one job, or does nothing for an empty batch.
   *
   * @throws IllegalArgumentException when a row has no {@code loaded_at} (the run sets it)
   * @throws BigQueryUnavailableException when BigQuery stays unavailable; nothing was stored
   * @throws BigQueryRejectedException when BigQuery refuses the load (schema, permissions); the
   *     message is BigQuery's; or when a pass-through column is not a valid BigQuery column name
   *     (the message names it; nothing was sent)
   */
  @Override
  public void write(List<ArticleRow> batch) throws IOException {
    requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return;
    }
    batch.forEach(ArticleCodec.INSTANCE::check);
    Table dest = table.get();
    LoadSchema schema;
    try {
      schema = loader.schemaFor(destination.toString(), dest, batch);
    } catch (IllegalArgumentException e) {
      // A source's own columns pass through; one whose name the sink does not take (letters,
      // digits, underscores) is the user's to rename, and ends the run as a refusal, no crash.
      throw new BigQueryRejectedException("cannot store the rows in " + destination + ": "
          + e.getMessage() + "; rename the column of the source", 0, "invalid", e);
    }
    if (staging.isEmpty()) {
      table.update(loader.load(dest, schema, loader.ndjson(schema, batch), batch.size()).table());
      ensureViews();
    } else {
      StagedMerge stage = staging.get();
      Table staged = stage.table(schema.schema());
      // Against the staging table, which holds every column staged so far: a batch without one
      // (a pass-through column empty in all its rows) is loaded, and merged, with it, so the
      // merge inserts the earlier batches' values of that column too.
      LoadSchema fits = loader.schemaFor(stage.ref().toString(), staged, batch);
      stage.staged(loader.load(staged, fits, loader.ndjson(fits, batch), batch.size()));
    }
  }

  /**
   * In merge mode, merges the staged rows into the destination (once per distinct set of staged
   * batches, under a deterministic job id) and drops the staging table. Does nothing in append
   * mode.
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable; the staged rows stay
   *     in the staging table until it expires
   * @throws BigQueryRejectedException when BigQuery refuses the merge
   */
  @Override
  public void close() throws IOException {
    if (staging.isEmpty() || staging.get().isEmpty()) {
      return;
    }
    table.update(staging.get().merge(table.get()));
    ensureViews();
    staging.get().drop();
  }

  /**
   * The views over the destination, each tried once per sink, after rows were stored: by then
   * the destination has every column they read, also when it is a table of the original batch.
   * A view that cannot be made (a permission, a column of another type, another pod making it
   * at the same moment) is logged, not thrown: the batch is stored, and a write that threw
   * would have it counted as lost, and retried, every run.
   */
  private void ensureViews() {
    if (lastScrapedView.isPresent() && !viewEnsured) {
      viewEnsured = true;
      TableRef view = lastScrapedView.get();
      try {
        BigQueryTables.createLastScrapedView(connection, destination, view);
      } catch (IOException e) {
        if (madeMeanwhile(view)) {
          LOG.info("the view {} was made meanwhile by another run ({})", view, e.getMessage());
        } else {
          LOG.warn("the rows are stored, but the view {} could not be created: {}; the next run"
              + " tries again, or run this once as an account that may create tables in its"
              + " dataset:\n{}", view, e.getMessage(),
              BigQueryTables.lastScrapedViewDdl(destination, view));
        }
      }
    }
    if (trendViews && !trendViewsEnsured) {
      trendViewsEnsured = true;
      try {
        BigQueryTables.createTrendViews(connection, destination);
      } catch (IOException e) {
        LOG.error("the rows are stored, but the trend views of {} could not be created: {};"
            + " the next run tries again (docs/bigquery.md, \"Trend views\")", destination,
            e.getMessage());
      }
    }
  }

  /** Whether {@code view} exists after all: another pod's statement made it first. */
  private boolean madeMeanwhile(TableRef view) {
    try {
      return new Tables(connection).get(view).isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** Options of a {@link BigQuerySink}; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final BigQueryConnection connection;
    private final TableRef destination;
    private Mode mode = Mode.APPEND;
    private String runId;
    private Optional<Shard> shard = Optional.empty();
    private Optional<TableRef> lastScrapedView = Optional.empty();
    private boolean trendViews;
    private long maximumBytesBilled = DEFAULT_MAXIMUM_BYTES_BILLED;
    private Clock clock = Clock.systemUTC();
    private Optional<AntiJoinSkip> skip = Optional.empty();

    private Builder(BigQueryConnection connection, TableRef destination) {
      this.connection = requireNonNull(connection, "connection");
      this.destination = requireNonNull(destination, "destination");
    }

    /** {@link Mode#APPEND} (default) or {@link Mode#MERGE}. */
    public Builder mode(Mode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /** The run id; required in merge mode, where it names the staging table. */
    public Builder runId(String runId) {
      this.runId = requireNonNull(runId, "runId");
      return this;
    }

    /** The shard this sink writes for; in merge mode, gives each shard its own staging table. */
    public Builder shard(Shard shard) {
      this.shard = Optional.of(requireNonNull(shard, "shard"));
      return this;
    }

    /**
     * Creates (if missing) a view {@code SELECT url, MAX(loaded_at) AS last_scraped_at ... GROUP
     * BY url} over the destination after the first rows are stored
     * ({@link BigQueryTables#createLastScrapedView}). A view that cannot be made (an account
     * that may not create tables in the dataset) is logged as a warning with the statement to
     * run, once per sink, and never fails a write. Off by default.
     */
    public Builder lastScrapedView(TableRef view) {
      this.lastScrapedView = Optional.of(requireNonNull(view, "view"));
      return this;
    }

    /**
     * Creates (if missing) the trend views {@code <table>_latest} and {@code <table>_weekly}
     * beside the destination after the first rows are stored
     * ({@link BigQueryTables#createTrendViews}). Off by default.
     */
    public Builder trendViews(boolean create) {
      this.trendViews = create;
      return this;
    }

    /**
     * Leaves the query of {@link #stored} to when the anti-join of the source given the same
     * {@code skip} does not cover it ({@link AntiJoinSkip}). Off by default.
     */
    public Builder antiJoinSkip(AntiJoinSkip skip) {
      this.skip = Optional.of(requireNonNull(skip, "skip"));
      return this;
    }

    /** The most bytes a query of this sink may bill; default 1 GiB. */
    public Builder maximumBytesBilled(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maximumBytesBilled must be > 0, was " + bytes);
      }
      this.maximumBytesBilled = bytes;
      return this;
    }

    /** The clock for staging expiry; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The sink. Makes no call to BigQuery: tables are checked on first use.
     *
     * @throws IllegalStateException when merge mode has no run id
     */
    public BigQuerySink build() {
      if (mode == Mode.MERGE && (runId == null || runId.isBlank())) {
        throw new IllegalStateException("merge mode needs a run id (it names the staging table)");
      }
      return new BigQuerySink(this);
    }
  }
}

package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.Table;
import dev.pixivdic.bigquery.internal.ArticleCodec;
import dev.pixivdic.bigquery.internal.Hashes;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.StoredKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

  private static final Logger LOG = LoggerFactory.getLogger(BigQuerySink.class);

  private final BigQueryConnection connection;
  private final TableRef destination;
  private final Mode mode;
  private final Optional<TableRef> staging;
  private final Optional<TableRef> lastScrapedView;
  private final boolean trendViews;
  private boolean trendViewsEnsured;
  private final long maximumBytesBilled;
  private final Clock clock;
  private final Loader<ArticleRow> loader;
  private final Jobs jobs;
  private final Tables tables;
  private final SortedSet<String> stagedBatches = new TreeSet<>();

  private Table destinationTable;
  private boolean viewEnsured;
  private Table stagingTable;
  private Schema stagingSchema;

  private BigQuerySink(Builder b) {
    this.connection = b.connection;
    this.destination = b.destination;
    this.mode = b.mode;
    this.staging = b.mode == Mode.MERGE
        ? Optional.of(destination.sibling(stagingName(destination, b.runId, b.shard)))
        : Optional.empty();
    this.lastScrapedView = b.lastScrapedView;
    this.trendViews = b.trendViews;
    this.maximumBytesBilled = b.maximumBytesBilled;
    this.clock = b.clock;
    this.loader = new Loader<>(connection, ArticleCodec.INSTANCE);
    this.jobs = loader.jobs();
    this.tables = new Tables(connection);
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
    return staging;
  }

  /**
   * The fingerprints of the URLs of {@code shard} with a row loaded at or after {@code since}:
   * one query returning one INT64 column, partition-pruned on {@code loaded_at}. Changes
   * nothing: a destination that does not exist yet holds nothing (it is created by the first
   * {@link #write}).
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the query (permissions, bytes limit)
   */
  @Override
  public StoredKeys stored(Shard shard, Instant since) throws IOException {
    requireNonNull(shard, "shard");
    requireNonNull(since, "since");
    if (destinationTable == null) {
      Optional<Table> existing = tables.get(destination);
      if (existing.isEmpty()) {
        LOG.info("destination {} does not exist yet: nothing is stored", destination);
        return StoredKeys.none();
      }
      destinationTable = existing.get();
    }
    return StoredQuery.ofArticles(destination).run(jobs, shard, since, maximumBytesBilled);
  }

  /**
   * Loads the batch as one job, or does nothing for an empty batch.
   *
   * @throws IllegalArgumentException when a row has no {@code loaded_at} (the run sets it)
   * @throws BigQueryUnavailableException when BigQuery stays unavailable; nothing was stored
   * @throws BigQueryRejectedException when BigQuery refuses the load (schema, permissions); the
   *     message is BigQuery's
   */
  @Override
  public void write(List<ArticleRow> batch) throws IOException {
    requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return;
    }
    batch.forEach(ArticleCodec.INSTANCE::check);
    Table dest = destinationTable();
    LoadSchema schema = loader.schemaFor(destination.toString(), dest, batch);
    byte[] ndjson = loader.ndjson(schema, batch);
    Table target = mode == Mode.APPEND ? dest : stagingTable(schema.schema());
    Loader.Loaded loaded = loader.load(target, schema, ndjson, batch.size());
    if (mode == Mode.APPEND) {
      destinationTable = loaded.table();
      ensureTrendViews();
    } else {
      stagingTable = loaded.table();
      stagingSchema = loaded.schema();
      stagedBatches.add(loaded.hash());
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
    if (mode != Mode.MERGE || stagedBatches.isEmpty()) {
      return;
    }
    TableRef stage = staging.orElseThrow();
    Table dest = tables.widen(destinationTable(), mergedSchema());
    destinationTable = dest;
    List<String> columns = stagingSchema.getFields().stream().map(f -> f.getName()).toList();
    String cols = columns.stream().map(Sql::column).collect(Collectors.joining(", "));
    String vals = columns.stream().map(c -> "S." + Sql.column(c)).collect(Collectors.joining(", "));
    String sql = "MERGE " + destination.sql() + " AS T\n"
        + "USING (\n  SELECT * FROM " + stage.sql() + "\n  WHERE url IS NOT NULL\n"
        + "  QUALIFY ROW_NUMBER() OVER (PARTITION BY url ORDER BY loaded_at DESC) = 1\n) AS S\n"
        + "ON T.url = S.url\n"
        + "WHEN NOT MATCHED THEN\n  INSERT (" + cols + ")\n  VALUES (" + vals + ")";
    String key = stage + "\n" + String.join(",", stagedBatches);
    String base = "pixiv_merge_" + Sql.jobIdPart(destination.table(), 200) + "_"
        + Hashes.of(key, sql.getBytes(StandardCharsets.UTF_8));
    jobs.query(base, QueryJobConfiguration.newBuilder(sql)
        .setUseLegacySql(false)
        .setMaximumBytesBilled(maximumBytesBilled)
        .build());
    LOG.info("merged {} staged batches into {}", stagedBatches.size(), destination);
    stagedBatches.clear();
    ensureTrendViews();
    if (!tables.delete(stage)) {
      LOG.info("staging table {} was already gone", stage);
    }
  }

  private Schema mergedSchema() throws IOException {
    Schema have = destinationTable().getDefinition().getSchema();
    List<com.google.cloud.bigquery.Field> fields =
        have == null ? new ArrayList<>() : new ArrayList<>(have.getFields());
    for (com.google.cloud.bigquery.Field f : stagingSchema.getFields()) {
      if (fields.stream().noneMatch(g -> g.getName().equalsIgnoreCase(f.getName()))) {
        fields.add(f);
      }
    }
    return Schema.of(fields);
  }

  /**
   * The trend views, once per sink, after rows were stored: by then the destination has every
   * column they read, also when it is a table of the original batch.
   */
  private void ensureTrendViews() throws IOException {
    if (trendViews && !trendViewsEnsured) {
      BigQueryTables.createTrendViews(connection, destination);
      trendViewsEnsured = true;
    }
  }

  /** The destination, created if missing, with its view; for writing only. */
  private Table destinationTable() throws IOException {
    if (destinationTable == null) {
      destinationTable = loader.ensure(destination, Optional.empty());
    }
    if (!viewEnsured && lastScrapedView.isPresent()) {
      BigQueryTables.createLastScrapedView(connection, destination, lastScrapedView.get());
      viewEnsured = true;
    }
    return destinationTable;
  }

  private Table stagingTable(Schema schema) throws IOException {
    if (stagingTable == null) {
      Instant expires = clock.instant().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
      stagingTable = loader.ensure(staging.orElseThrow(), schema, Optional.of(expires));
    }
    return stagingTable;
  }

  private static String stagingName(TableRef destination, String runId, Optional<Shard> shard) {
    String name = destination.table() + "_staging_" + Sql.jobIdPart(runId, 200)
        + shard.map(s -> "_" + s.index() + "of" + s.count()).orElse("");
    return name.length() > 1000 ? name.substring(0, 1000) : name;
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
     * BY url} over the destination when the sink first touches it. Off by default.
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

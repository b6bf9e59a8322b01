package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.pixivdic.bigquery.internal.Hashes;
import dev.pixivdic.bigquery.internal.RowCodec;
import dev.pixivdic.bigquery.internal.Sql;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load-job machinery the sinks share: tables created on first use (DAY partitions on the
 * codec's time column, clustered on its cluster column), a load schema that only adds to an
 * existing table, and each batch loaded as one NDJSON job {@code WRITE_APPEND} with
 * {@code ALLOW_FIELD_ADDITION} under the id
 * {@code pixiv_load_<table>_<sha256(schema version, batch bytes)>_a<attempt>}, run by
 * {@link Jobs} (409 reconciliation, {@code errorResult} check, retries). Thread-safe.
 *
 * @param <R> the row type
 */
final class Loader<R> {

  private static final Logger LOG = LoggerFactory.getLogger(Loader.class);

  /**
   * What a load did.
   *
   * @param hash the batch's content hash (part of its job id)
   * @param schema the schema the job declared
   * @param table the target as it is after the load (its schema widened when the load added
   *     fields)
   */
  public record Loaded(String hash, Schema schema, Table table) {}

  private final RowCodec<R> codec;
  private final Jobs jobs;
  private final Tables tables;

  public Loader(BigQueryConnection connection, RowCodec<R> codec) {
    this.codec = requireNonNull(codec, "codec");
    this.jobs = new Jobs(requireNonNull(connection, "connection"));
    this.tables = new Tables(connection);
  }

  /** The jobs runner (and its retrier) the loads use. */
  public Jobs jobs() {
    return jobs;
  }

  /** The table, created with our schema (no pass-through columns) if missing. */
  public Table ensure(TableRef ref, Optional<Instant> expiration) throws IOException {
    return ensure(ref, LoadSchema.ours(codec.fields(), List.of()), expiration);
  }

  /** The table, created with {@code schema} if missing. */
  public Table ensure(TableRef ref, Schema schema, Optional<Instant> expiration)
      throws IOException {
    return tables.ensure(ref, schema, codec.timeField(), codec.clusterField(), expiration);
  }

  /**
   * Refuses, before any row is made, an existing table that no load of ours could go into: a
   * column of ours it holds as a type that cannot take our values, or a REQUIRED (NOT NULL)
   * column that some rows leave empty (one we do not always set, a pass-through column, one
   * we do not write). BigQuery would refuse the first load, after a batch was fetched.
   *
   * @throws BigQueryRejectedException naming the table, the column and what to do
   */
  public void requireLoadable(TableRef ref, Table table) throws BigQueryRejectedException {
    Schema have = table.getDefinition().getSchema();
    if (have == null || have.getFields() == null) {
      return;
    }
    for (com.google.cloud.bigquery.Field f : have.getFields()) {
      if (f.getMode() == com.google.cloud.bigquery.Field.Mode.REQUIRED
          && codec.alwaysSet().stream().noneMatch(n -> n.equalsIgnoreCase(f.getName()))) {
        throw new BigQueryRejectedException("table " + ref + " has column '" + f.getName()
            + "' as REQUIRED, which "
            + (codec.isFixed(f.getName()) ? "some of our rows leave empty"
                : "our rows may leave empty (we write it only when it is a pass-through column)")
            + ": BigQuery would refuse the loads; make it NULLABLE (ALTER TABLE " + ref.sql()
            + " ALTER COLUMN `" + f.getName().replace("`", "\\`")
            + "` DROP NOT NULL), or write to another table",
            0, "invalid", null);
      }
    }
    LoadSchema.fitting(ref.toString(), Optional.of(have),
        LoadSchema.ours(codec.fields(), List.of()));
  }

  /**
   * The schema to load the batch with into a table shaped like {@code basis}, named
   * {@code tableName} in messages.
   *
   * @throws IllegalArgumentException when a row fails the codec's check, or a pass-through
   *     column is not a valid column name
   * @throws BigQueryRejectedException when a column of the table cannot hold our values
   */
  public LoadSchema schemaFor(String tableName, Table basis, List<R> batch)
      throws BigQueryRejectedException {
    return schemaFor(tableName, Optional.ofNullable(basis.getDefinition().getSchema()), batch);
  }

  /**
   * The schema to load the batch with into a table of schema {@code existing} (empty: a new
   * table); see {@link #schemaFor(String, Table, List)}.
   */
  LoadSchema schemaFor(String tableName, Optional<Schema> existing, List<R> batch)
      throws BigQueryRejectedException {
    SortedSet<String> names = new TreeSet<>();
    for (R row : batch) {
      codec.check(requireNonNull(row, "row"));
      names.addAll(codec.passThrough(row).keySet());
    }
    Schema wanted =
        LoadSchema.ours(codec.fields(), LoadSchema.passThroughOf(names, codec::isFixed));
    return LoadSchema.fitting(tableName, existing, wanted);
  }

  /** The batch as NDJSON fitting the schema. */
  public byte[] ndjson(LoadSchema schema, List<R> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 512);
    for (R row : batch) {
      out.writeBytes(schema.fit(codec.json(row), codec.needsRewrite(row))
          .getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  /**
   * Loads a non-empty batch into {@code target} as one job, exactly once.
   *
   * @throws dev.pixivdic.bigquery.BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses the load
   */
  public Loaded load(Table target, LoadSchema schema, byte[] ndjson, int rows)
      throws IOException {
    // The table's whole name is in the hash: the same rows loaded into two tables of one name in
    // two datasets (or two names the id spells alike) are two jobs, not one taken as both.
    String hash = Hashes.of(schema.version() + "\n" + target.getTableId().getProject() + "."
        + target.getTableId().getDataset() + "." + target.getTableId().getTable(), ndjson);
    String base = "pixiv_load_" + Sql.jobIdPart(target.getTableId().getTable(), 200) + "_" + hash;
    StandardTableDefinition def = target.getDefinition();
    WriteChannelConfiguration.Builder config =
        WriteChannelConfiguration.newBuilder(target.getTableId(), FormatOptions.json())
            .setSchema(schema.schema())
            .setWriteDisposition(JobInfo.WriteDisposition.WRITE_APPEND)
            .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
            .setSchemaUpdateOptions(List.of(JobInfo.SchemaUpdateOption.ALLOW_FIELD_ADDITION))
            .setMaxBadRecords(0)
            .setIgnoreUnknownValues(false);
    // Partitioning and clustering must equal the table's; they take effect if the table is
    // deleted between our check and the load.
    if (def.getTimePartitioning() != null) {
      config.setTimePartitioning(def.getTimePartitioning());
    }
    if (def.getClustering() != null) {
      config.setClustering(def.getClustering());
    }
    jobs.load(base, config.build(), ndjson);
    LOG.info("loaded {} rows ({} bytes) into {}", rows, ndjson.length,
        target.getTableId().getTable());
    Table after = target;
    if (schema.addsFieldsTo(Optional.ofNullable(def.getSchema()))) {
      after = target.toBuilder().setDefinition(def.toBuilder().setSchema(schema.schema()).build())
          .build();
    }
    return new Loaded(hash, schema.schema(), after);
  }
}

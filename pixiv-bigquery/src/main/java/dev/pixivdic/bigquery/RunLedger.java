package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.WriteChannelConfiguration;
import dev.pixivdic.bigquery.internal.Hashes;
import dev.pixivdic.bigquery.internal.Sql;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Appends {@link RunRecord}s to a ledger table (default name {@code scrape_runs}) with load
 * jobs. The table is created if missing (DAY partitions on {@code started_at}, clustered on
 * {@code run_id}). A record's job id is {@code pixiv_ledger_<run id>_<shard>_<sha256 of the
 * record>}: recording the same record again (a retry after a lost answer) stores it once, and a
 * new attempt of the same shard (other times, other counts) is a new row. Thread-safe.
 */
public final class RunLedger {

  /** The default ledger table name. */
  public static final String DEFAULT_TABLE = "scrape_runs";

  static final Schema SCHEMA = Schema.of(
      f("run_id", StandardSQLTypeName.STRING, Field.Mode.REQUIRED),
      f("command", StandardSQLTypeName.STRING, Field.Mode.REQUIRED),
      f("shard_index", StandardSQLTypeName.INT64, Field.Mode.REQUIRED),
      f("shard_count", StandardSQLTypeName.INT64, Field.Mode.REQUIRED),
      f("started_at", StandardSQLTypeName.TIMESTAMP, Field.Mode.REQUIRED),
      f("finished_at", StandardSQLTypeName.TIMESTAMP, Field.Mode.REQUIRED),
      f("exit_code", StandardSQLTypeName.INT64, Field.Mode.REQUIRED),
      f("items_total", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_skipped", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_article", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_not_found", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_blocked", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_maintenance", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_unrecognized", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_failed", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("items_failed_for_good", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("rows_written", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("requests", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("bytes_fetched", StandardSQLTypeName.INT64, Field.Mode.NULLABLE),
      f("scraper_version", StandardSQLTypeName.STRING, Field.Mode.NULLABLE),
      f("source", StandardSQLTypeName.STRING, Field.Mode.NULLABLE),
      f("sink", StandardSQLTypeName.STRING, Field.Mode.NULLABLE),
      f("message", StandardSQLTypeName.STRING, Field.Mode.NULLABLE));

  private static final JsonFactory JSON = new JsonFactory();

  private final TableRef table;
  private final Tables tables;
  private final Jobs jobs;

  private RunLedger(BigQueryConnection connection, TableRef table) {
    this.table = table;
    this.tables = new Tables(connection);
    this.jobs = new Jobs(connection);
  }

  /** A ledger writing to {@code table}. Makes no call to BigQuery. */
  public static RunLedger create(BigQueryConnection connection, TableRef table) {
    return new RunLedger(requireNonNull(connection, "connection"), requireNonNull(table, "table"));
  }

  /** The ledger table. */
  public TableRef table() {
    return table;
  }

  /**
   * Appends the record (creating the table if missing).
   *
   * @throws BigQueryUnavailableException when BigQuery stays unavailable
   * @throws BigQueryRejectedException when BigQuery refuses (permissions, an incompatible table)
   */
  public void record(RunRecord record) throws IOException {
    requireNonNull(record, "record");
    Table t = tables.ensure(table, SCHEMA, "started_at", "run_id", Optional.empty());
    byte[] line = json(record);
    String base = "pixiv_ledger_" + Sql.jobIdPart(record.runId(), 200) + "_"
        + record.shardIndex() + "of" + record.shardCount() + "_"
        + Hashes.of(table.toString(), line);
    StandardTableDefinition def = t.getDefinition();
    WriteChannelConfiguration.Builder config =
        WriteChannelConfiguration.newBuilder(table.tableId(), FormatOptions.json())
            .setSchema(SCHEMA)
            .setWriteDisposition(JobInfo.WriteDisposition.WRITE_APPEND)
            .setCreateDisposition(JobInfo.CreateDisposition.CREATE_IF_NEEDED)
            .setSchemaUpdateOptions(List.of(JobInfo.SchemaUpdateOption.ALLOW_FIELD_ADDITION))
            .setMaxBadRecords(0);
    if (def.getTimePartitioning() != null) {
      config.setTimePartitioning(def.getTimePartitioning());
    }
    if (def.getClustering() != null) {
      config.setClustering(def.getClustering());
    }
    jobs.load(base, config.build(), line);
  }

  static byte[] json(RunRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("run_id", r.runId());
      g.writeStringField("command", r.command());
      g.writeNumberField("shard_index", r.shardIndex());
      g.writeNumberField("shard_count", r.shardCount());
      g.writeStringField("started_at", r.startedAt().toString());
      g.writeStringField("finished_at", r.finishedAt().toString());
      g.writeNumberField("exit_code", r.exitCode());
      g.writeNumberField("items_total", r.itemsTotal());
      g.writeNumberField("items_skipped", r.itemsSkipped());
      g.writeNumberField("items_article", r.itemsArticle());
      g.writeNumberField("items_not_found", r.itemsNotFound());
      g.writeNumberField("items_blocked", r.itemsBlocked());
      g.writeNumberField("items_maintenance", r.itemsMaintenance());
      g.writeNumberField("items_unrecognized", r.itemsUnrecognized());
      g.writeNumberField("items_failed", r.itemsFailed());
      g.writeNumberField("items_failed_for_good", r.itemsFailedForGood());
      g.writeNumberField("rows_written", r.rowsWritten());
      g.writeNumberField("requests", r.requests());
      g.writeNumberField("bytes_fetched", r.bytesFetched());
      g.writeStringField("scraper_version", r.scraperVersion());
      g.writeStringField("source", r.source());
      g.writeStringField("sink", r.sink());
      if (r.message().isPresent()) {
        g.writeStringField("message", r.message().get());
      } else {
        g.writeNullField("message");
      }
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static Field f(String name, StandardSQLTypeName type, Field.Mode mode) {
    return Field.newBuilder(name, type).setMode(mode).build();
  }
}

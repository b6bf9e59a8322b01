package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads, creates and evolves tables; every call is a retried step. Thread-safe. */
final class Tables {

  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);
  /** Updates of a schema that others keep changing meanwhile, at most, in one try. */
  private static final int WIDEN_ROUNDS = 20;

  private final BigQueryConnection connection;
  private final Retrier retrier;

  public Tables(BigQueryConnection connection) {
    this.connection = requireNonNull(connection, "connection");
    this.retrier = new Retrier(connection.retry());
  }

  /** The table, or empty when it does not exist. */
  public Optional<Table> get(TableRef ref) throws IOException {
    return retrier.call("read of table " + ref,
        () -> Optional.ofNullable(connection.bigQuery().getTable(ref.tableId())));
  }

  /**
   * Checks that {@code ref}'s dataset exists: a run makes tables, not datasets, and a load into
   * a missing one fails only after a batch of pages was fetched. Without the permission to read
   * the dataset ({@code bigquery.datasets.get}; a grant on tables alone) nothing is known, and
   * nothing is refused.
   *
   * @throws BigQueryRejectedException naming the dataset when BigQuery has none of that name
   */
  public void requireDataset(TableRef ref) throws IOException {
    DatasetId id = DatasetId.of(ref.project(), ref.dataset());
    boolean exists;
    try {
      exists = retrier.call("read of dataset " + ref.project() + "." + ref.dataset(),
          () -> connection.bigQuery().getDataset(id) != null);
    } catch (BigQueryRejectedException e) {
      if (e.statusCode() != 403) {
        throw e;
      }
      LOG.debug("cannot read dataset {}.{}: {}", ref.project(), ref.dataset(), e.getMessage());
      return;
    }
    if (!exists) {
      throw new BigQueryRejectedException("dataset " + ref.project() + "." + ref.dataset()
          + " of " + ref + " does not exist: a run makes tables, not datasets; create it"
          + " (bq mk --dataset --location=LOCATION " + ref.project() + ":" + ref.dataset()
          + "), or name a table in another dataset", 404, "notFound", null);
    }
  }

  /**
   * The table, created if missing with the schema, DAY partitions on {@code partitionField},
   * clustering on {@code clusterField} and, if given, an expiration time. A table created
   * meanwhile by someone else (409) is read instead.
   */
  public Table ensure(TableRef ref, Schema schema, String partitionField, String clusterField,
      Optional<Instant> expiration) throws IOException {
    return requireTable(ref, retrier.call("creation of table " + ref, () -> {
      BigQuery bq = connection.bigQuery();
      Table existing = bq.getTable(ref.tableId());
      if (existing != null) {
        return existing;
      }
      StandardTableDefinition definition = StandardTableDefinition.newBuilder()
          .setSchema(schema)
          .setTimePartitioning(TimePartitioning.newBuilder(TimePartitioning.Type.DAY)
              .setField(partitionField).build())
          .setClustering(Clustering.newBuilder().setFields(List.of(clusterField)).build())
          .build();
      TableInfo.Builder info = TableInfo.newBuilder(ref.tableId(), definition);
      expiration.ifPresent(e -> info.setExpirationTime(e.toEpochMilli()));
      try {
        Table created = bq.create(info.build());
        LOG.info("created BigQuery table {}", ref);
        return created;
      } catch (BigQueryException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        Table raced = bq.getTable(ref.tableId());
        if (raced == null) {
          throw e;
        }
        return raced;
      }
    }));
  }

  /**
   * {@code t}, when it is a table that rows can be loaded into.
   *
   * @throws BigQueryRejectedException naming {@code ref} when it is a view, a materialized view,
   *     an external table or a snapshot (its definition is not a table's; loading would fail,
   *     and it was read as a table's)
   */
  static Table requireTable(TableRef ref, Table t) throws BigQueryRejectedException {
    TableDefinition.Type type = t.getDefinition().getType();
    if (!TableDefinition.Type.TABLE.equals(type)) {
      throw new BigQueryRejectedException(ref + " is a "
          + type.toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + ", not a table: rows are loaded into a table; name one, or let the run create it",
          400, "invalid", null);
    }
    return t;
  }

  /**
   * {@code t}, when the columns that the query skipping what it holds reads have the types that
   * query compares: {@code key} a STRING and {@code time} a TIMESTAMP (BigQuery converts
   * neither in a comparison, and the query would fail, blamed on whoever ran it).
   *
   * @throws BigQueryRejectedException naming the table and the column when one is missing or of
   *     another type
   */
  static Table requireSkippable(TableRef ref, Table t, String key, String time)
      throws BigQueryRejectedException {
    Schema schema = t.getDefinition().getSchema();
    FieldList fields = schema == null ? FieldList.of() : schema.getFields();
    requireColumn(ref, fields, key, StandardSQLTypeName.STRING);
    requireColumn(ref, fields, time, StandardSQLTypeName.TIMESTAMP);
    return t;
  }

  private static void requireColumn(TableRef ref, FieldList fields, String name,
      StandardSQLTypeName type) throws BigQueryRejectedException {
    Field f = LoadSchema.find(fields, name);
    String problem;
    if (f == null) {
      problem = "has no column '" + name + "'";
    } else if (f.getType().getStandardType() != type || f.getMode() == Field.Mode.REPEATED) {
      problem = "has column '" + f.getName() + "' as " + f.getType()
          + (f.getMode() == Field.Mode.REPEATED ? " REPEATED" : "");
    } else {
      return;
    }
    throw new BigQueryRejectedException("table " + ref + " " + problem + ": the query that"
        + " skips what the table holds reads it as " + type + " (BigQuery converts no column in"
        + " that comparison); add or convert it as " + type + " (ALTER TABLE ... ADD COLUMN,"
        + " then an UPDATE with a CAST), or write to another table", 0, "invalid", null);
  }

  /**
   * Adds to a table the fields of {@code wanted} it lacks (names compared in any case, as
   * BigQuery compares them), after every field it has. The schema is read again first: another
   * writer (a shard's load) may have added columns since {@code table} was read, and a schema
   * built from an older read would drop them (BigQuery refuses that) or miss the wanted ones.
   * Another writer may also add columns between that read and the update (two runs that merge
   * at once): BigQuery then refuses the update, which lacks them ("Field ... is missing in new
   * schema"; the client sends no etag to make it a 412), and the table is read and widened
   * again, as long as each refusal finds its schema changed. Returns the table as it is, without
   * an update, when it lacks none.
   */
  public Table widen(Table table, List<Field> wanted) throws IOException {
    String name = table.getTableId().getTable();
    return retrier.call("schema update of table " + name, () -> {
      Table current = read(table);
      for (int round = 1; ; round++) {
        List<Field> fields = new ArrayList<>(fieldsOf(current));
        int before = fields.size();
        for (Field f : wanted) {
          if (LoadSchema.find(FieldList.of(fields), f.getName()) == null) {
            fields.add(f);
          }
        }
        if (fields.size() == before) {
          return current;
        }
        StandardTableDefinition def = current.<StandardTableDefinition>getDefinition()
            .toBuilder().setSchema(Schema.of(fields)).build();
        try {
          return current.toBuilder().setDefinition(def).build().update();
        } catch (BigQueryException e) {
          // A transient failure is the retrier's: it runs the whole step again, read first.
          Table now = round < WIDEN_ROUNDS && !Errors.isRetryable(e) ? read(table) : null;
          if (now == null || names(fieldsOf(now)).equals(names(fieldsOf(current)))) {
            throw e;
          }
          LOG.info("table {} gained columns while this run added its own ({}): adding them to"
              + " its schema as it is now", name, Errors.message(e));
          current = now;
        }
      }
    });
  }

  private Table read(Table table) throws IOException {
    Table current = connection.bigQuery().getTable(table.getTableId());
    if (current == null) {
      throw new IOException("table " + table.getTableId() + " vanished");
    }
    return current;
  }

  private static List<Field> fieldsOf(Table table) {
    Schema schema = table.getDefinition().getSchema();
    return schema == null ? List.of() : schema.getFields();
  }

  private static List<String> names(List<Field> fields) {
    return fields.stream().map(f -> f.getName().toLowerCase(java.util.Locale.ROOT)).toList();
  }

  /**
   * Runs an idempotent DDL statement (e.g. {@code CREATE VIEW IF NOT EXISTS}) that makes
   * {@code ref}, as a query job. Its id is random: a fixed id would stop the statement from
   * running again after someone dropped the view. The job runs in {@code ref}'s dataset's
   * region, which its id names so that it can be read back.
   */
  private void ddl(TableRef ref, String sql) throws IOException {
    Jobs jobs = new Jobs(connection);
    jobs.learnLocation(ref.tableId());
    jobs.query("pixiv_ddl_" + UUID.randomUUID().toString().replace("-", ""),
        QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).build());
  }

  /**
   * Creates a view (or table) with an idempotent DDL statement unless {@code ref} exists: a read
   * of the table is cheaper than a query job, and every pod of a run asks.
   */
  public void ddlUnlessExists(TableRef ref, String sql) throws IOException {
    if (get(ref).isEmpty()) {
      ddl(ref, sql);
    }
  }

  /** Deletes a table; false when it was already gone. */
  public boolean delete(TableRef ref) throws IOException {
    return retrier.call("deletion of table " + ref,
        () -> connection.bigQuery().delete(ref.tableId()));
  }
}

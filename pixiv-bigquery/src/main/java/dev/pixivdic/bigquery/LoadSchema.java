package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.common.hash.Hashing;
import dev.pixivdic.bigquery.internal.RowCodec;
import dev.pixivdic.bigquery.internal.Sql;
import dev.pixivdic.core.internal.RowSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The schema a load job declares for a table of rows (articles, or any {@link RowCodec}), and
 * the NDJSON that fits it.
 *
 * <p>The schema starts from the table as it is (its fields, in its order, untouched) and appends
 * the columns of {@link RowSchema} and the pass-through columns it lacks: only additions, so a
 * load with {@code ALLOW_FIELD_ADDITION} evolves the table and never changes an existing column.
 * An existing column whose type differs from ours but can hold our values (the original batch
 * wrote {@code bookmark} as STRING; a count may be FLOAT; a time may be DATETIME) gets our value
 * converted; any other difference is refused with a message naming the column. Immutable.
 */
final class LoadSchema {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * BigQuery's canonical DATETIME for loads, {@code uuuu-MM-dd'T'HH:mm:ss[.SSSSSS]}: the seconds
   * always (BigQuery refuses a time without them, which {@link LocalDateTime#toString()} writes
   * on the minute), and a fraction of at most six digits, truncated, only when there is one.
   */
  private static final DateTimeFormatter DATETIME = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
      .appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
      .toFormatter(Locale.ROOT);

  private enum Conversion { NONE, TO_STRING, TO_DATETIME, TO_DATE }

  private record Target(String name, Conversion conversion) {}

  private final Schema schema;
  private final Map<String, Target> targets;
  private final boolean rewrite;
  private final String version;

  private LoadSchema(Schema schema, Map<String, Target> targets, boolean rewrite) {
    this.schema = schema;
    this.targets = targets;
    this.rewrite = rewrite;
    this.version = Hashing.sha256()
        .hashString(describe(schema.getFields()), StandardCharsets.UTF_8).toString()
        .substring(0, 16);
  }

  /**
   * A schema of the fixed fields then one nullable STRING field per pass-through column (which
   * the caller has checked with {@link #passThroughOf(Collection, Predicate)}).
   */
  public static Schema ours(List<Field> fixed, Collection<String> passThrough) {
    List<Field> fields = new ArrayList<>(fixed);
    for (String p : passThrough) {
      fields.add(Field.newBuilder(p, StandardSQLTypeName.STRING)
          .setMode(Field.Mode.NULLABLE)
          .setDescription("Passed through from the source item.")
          .build());
    }
    return Schema.of(fields);
  }

  /**
   * The load schema for writing rows of schema {@code wanted} into a table with the given schema
   * (empty: the table is new): the table's fields untouched, then the wanted fields it lacks;
   * wanted fields it has (by name, ignoring case) are written under its name, converted where
   * its type differs but can hold our values.
   *
   * @throws BigQueryRejectedException naming the table and column when an existing column cannot
   *     hold our values
   */
  public static LoadSchema fitting(String table, Optional<Schema> existing, Schema wanted)
      throws BigQueryRejectedException {
    requireNonNull(table, "table");
    requireNonNull(wanted, "wanted");
    if (existing.isEmpty() || existing.get().getFields() == null) {
      Map<String, Target> same = new LinkedHashMap<>();
      wanted.getFields().forEach(f ->
          same.put(f.getName(), new Target(f.getName(), Conversion.NONE)));
      return new LoadSchema(wanted, same, false);
    }
    FieldList have = existing.get().getFields();
    List<Field> fields = new ArrayList<>(have);
    Map<String, Target> targets = new LinkedHashMap<>();
    boolean rewrite = false;
    for (Field ours : wanted.getFields()) {
      Field theirs = find(have, ours.getName());
      if (theirs == null) {
        fields.add(ours);
        targets.put(ours.getName(), new Target(ours.getName(), Conversion.NONE));
        continue;
      }
      Conversion c = conversion(table, ours, theirs);
      targets.put(ours.getName(), new Target(theirs.getName(), c));
      rewrite |= c != Conversion.NONE || !theirs.getName().equals(ours.getName());
    }
    return new LoadSchema(Schema.of(fields), targets, rewrite);
  }

  /** The schema to declare in the load job. */
  public Schema schema() {
    return schema;
  }

  /** A short hash of the schema: part of every load job id, so a schema change is a new batch. */
  public String version() {
    return version;
  }

  /** Whether the table lacks some of the schema's fields. */
  public boolean addsFieldsTo(Optional<Schema> existing) {
    return existing.isEmpty() || existing.get().getFields() == null
        || existing.get().getFields().size() < schema.getFields().size();
  }

  /**
   * A line of JSON as the schema needs it: renamed to the table's column names and converted to
   * its types when the table differs from ours, or when {@code force} is set; else as given.
   */
  public String fit(String line, boolean force) {
    return rewrite || force ? adapt(line) : line;
  }

  /**
   * The names that are not fixed columns, sorted.
   *
   * @throws IllegalArgumentException naming a column that is not a valid BigQuery column name
   */
  public static SortedSet<String> passThroughOf(Collection<String> names, Predicate<String> fixed) {
    return extra(names, fixed);
  }

  private static SortedSet<String> extra(Collection<String> names, Predicate<String> fixed) {
    SortedSet<String> out = new TreeSet<>();
    for (String n : names) {
      if (!fixed.test(n)) {
        Sql.checkColumn(n);
        out.add(n);
      }
    }
    return out;
  }

  private String adapt(String line) {
    try {
      JsonNode in = JSON.readTree(line);
      ObjectNode out = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> e : in.properties()) {
        Target t = targets.get(e.getKey());
        if (t == null) {
          out.set(e.getKey(), e.getValue());
        } else {
          out.set(t.name(), convert(e.getValue(), t.conversion()));
        }
      }
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a row was written as a line that is not JSON: " + line, e);
    }
  }

  private static JsonNode convert(JsonNode v, Conversion c) {
    if (v.isNull() || c == Conversion.NONE) {
      return v;
    }
    return switch (c) {
      case TO_STRING -> JSON.getNodeFactory().textNode(v.asText());
      case TO_DATETIME -> JSON.getNodeFactory().textNode(DATETIME.format(
          LocalDateTime.ofInstant(Instant.parse(v.asText()), ZoneOffset.UTC)));
      case TO_DATE -> JSON.getNodeFactory().textNode(
          LocalDateTime.ofInstant(Instant.parse(v.asText()), ZoneOffset.UTC).toLocalDate()
              .toString());
      case NONE -> v;
    };
  }

  private static Conversion conversion(String table, Field ours, Field theirs)
      throws BigQueryRejectedException {
    boolean oursRepeated = ours.getMode() == Field.Mode.REPEATED;
    boolean theirsRepeated = theirs.getMode() == Field.Mode.REPEATED;
    StandardSQLTypeName o = ours.getType().getStandardType();
    StandardSQLTypeName t = theirs.getType().getStandardType();
    if (oursRepeated == theirsRepeated) {
      if (o == t) {
        return Conversion.NONE;
      }
      if (!oursRepeated) {
        if (o == StandardSQLTypeName.INT64 && t == StandardSQLTypeName.STRING) {
          return Conversion.TO_STRING;
        }
        if (o == StandardSQLTypeName.INT64 && (t == StandardSQLTypeName.FLOAT64
            || t == StandardSQLTypeName.NUMERIC || t == StandardSQLTypeName.BIGNUMERIC)) {
          return Conversion.NONE;
        }
        if (o == StandardSQLTypeName.TIMESTAMP && t == StandardSQLTypeName.STRING) {
          return Conversion.NONE;
        }
        if (o == StandardSQLTypeName.TIMESTAMP && t == StandardSQLTypeName.DATETIME) {
          return Conversion.TO_DATETIME;
        }
        if (o == StandardSQLTypeName.TIMESTAMP && t == StandardSQLTypeName.DATE) {
          return Conversion.TO_DATE;
        }
      }
    }
    throw new BigQueryRejectedException("table " + table + " has column '" + theirs.getName()
        + "' as " + theirs.getType() + " " + mode(theirs) + ", which cannot hold our "
        + ours.getType() + " " + mode(ours) + " values; rename or drop that column, or write"
        + " to another table", 0, "invalid", null);
  }

  private static String mode(Field f) {
    return f.getMode() == null ? "NULLABLE" : f.getMode().name();
  }

  static Field find(FieldList fields, String name) {
    for (Field f : fields) {
      if (f.getName().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  private static String describe(FieldList fields) {
    StringBuilder b = new StringBuilder();
    for (Field f : fields) {
      b.append(f.getName()).append(':').append(f.getType().getStandardType()).append(':')
          .append(mode(f)).append(';');
    }
    return b.toString();
  }
}

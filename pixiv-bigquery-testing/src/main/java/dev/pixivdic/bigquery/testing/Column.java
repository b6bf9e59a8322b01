package dev.pixivdic.bigquery.testing;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Set;

/**
 * A column of a table held by {@link BigQueryStandIn}, as BigQuery's table resource names it.
 *
 * @param name the column name (BigQuery compares names ignoring case)
 * @param type a BigQuery type: {@code STRING}, {@code INTEGER} ({@code INT64}), {@code FLOAT}
 *     ({@code FLOAT64}), {@code BOOLEAN} ({@code BOOL}), {@code TIMESTAMP}, {@code DATE},
 *     {@code DATETIME} or {@code NUMERIC}
 * @param repeated whether the column is REPEATED (an ARRAY); otherwise NULLABLE
 */
public record Column(String name, String type, boolean repeated) {

  private static final Set<String> TYPES = Set.of("STRING", "INTEGER", "INT64", "FLOAT",
      "FLOAT64", "BOOLEAN", "BOOL", "TIMESTAMP", "DATE", "DATETIME", "NUMERIC");

  /**
   * @throws IllegalArgumentException naming the type when the stand-in does not model it
   */
  public Column {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    type = type.toUpperCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("column " + name + ": type " + type
          + " is not one the stand-in models " + TYPES);
    }
  }

  /** A NULLABLE column. */
  public static Column of(String name, String type) {
    return new Column(name, type, false);
  }

  /** A NULLABLE STRING column. */
  public static Column string(String name) {
    return new Column(name, "STRING", false);
  }

  /** A REPEATED column. */
  public static Column repeated(String name, String type) {
    return new Column(name, type, true);
  }

  /** The type under its standard SQL name ({@code INT64}, {@code FLOAT64}, {@code BOOL}, ...). */
  public String standardType() {
    return switch (type) {
      case "INTEGER" -> "INT64";
      case "FLOAT" -> "FLOAT64";
      case "BOOLEAN" -> "BOOL";
      default -> type;
    };
  }
}

package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table (or view) the stand-in holds: its REST resource, whose {@code schema.fields} are the
 * truth about its columns, and its rows as Java values keyed by column name. Guarded by the
 * stand-in's lock.
 */
final class StoredTable {

  final String id;
  final ObjectNode resource;
  final List<Map<String, Object>> rows = new ArrayList<>();

  StoredTable(String id, ObjectNode resource) {
    this.id = id;
    this.resource = resource;
    columns();
  }

  boolean isView() {
    return "VIEW".equals(resource.path("type").asText());
  }

  Optional<String> viewSql() {
    return isView() ? Optional.of(resource.path("view").path("query").asText())
        : Optional.empty();
  }

  /**
   * The columns, from the resource's schema.
   *
   * @throws IllegalArgumentException when a field has a type the stand-in does not model
   */
  List<Column> columns() {
    List<Column> out = new ArrayList<>();
    for (JsonNode f : resource.path("schema").path("fields")) {
      out.add(new Column(f.path("name").asText(), f.path("type").asText("STRING"),
          "REPEATED".equals(f.path("mode").asText())));
    }
    return out;
  }

  Optional<Column> column(String name) {
    return columns().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  /** Appends a field to the schema (ALLOW_FIELD_ADDITION, a schema update). */
  void addField(JsonNode field) {
    ObjectNode schema = resource.has("schema") ? (ObjectNode) resource.get("schema")
        : resource.putObject("schema");
    ArrayNode fields = schema.has("fields") ? (ArrayNode) schema.get("fields")
        : schema.putArray("fields");
    fields.add(field.deepCopy());
  }

  /** The row's value of a column, whatever case the row's key has. */
  static Object value(Map<String, Object> row, String column) {
    if (row.containsKey(column)) {
      return row.get(column);
    }
    String lower = column.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, Object> e : row.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return e.getValue();
      }
    }
    return null;
  }
}

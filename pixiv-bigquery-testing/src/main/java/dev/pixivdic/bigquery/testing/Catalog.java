package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zetasql.resolvedast.ResolvedCreateStatementEnums.CreateMode;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateViewStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedOutputColumn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stand-in's tables and views by {@code project.dataset.table}, with the REST table
 * resource each is answered as. Not thread-safe: callers hold the stand-in's monitor.
 */
final class Catalog {

  private final Map<String, StoredTable> tables = new LinkedHashMap<>();
  private final Set<String> deletedDatasets = new HashSet<>();
  private final Set<String> noTableCreation = new HashSet<>();
  private final Map<String, String> locations = new java.util.HashMap<>();
  /** Where a dataset that was not {@linkplain #locate placed} is. */
  private String defaultLocation = "US";

  /** Every table, in the order they were made. */
  Map<String, StoredTable> all() {
    return tables;
  }

  /** The table {@code id}, if there is one; a malformed id is the caller's mistake. */
  Optional<StoredTable> table(String id) {
    return Optional.ofNullable(tables.get(check(id)));
  }

  /** The table {@code id}, or BigQuery's 404. */
  StoredTable existing(String id) {
    StoredTable t = tables.get(id);
    if (t == null) {
      String[] p = id.split("\\.");
      throw StandInException.notFound("Table " + p[0] + ":" + p[1] + "." + p[2]);
    }
    return t;
  }

  /** Drops table {@code id}, or answers BigQuery's 404. */
  void delete(String id) {
    existing(id);
    tables.remove(id);
  }

  /** Deletes dataset {@code project.dataset}: its tables go, and it is not found from now on. */
  void deleteDataset(String dataset) {
    deletedDatasets.add(checkDataset(dataset));
    tables.keySet().removeIf(id -> id.startsWith(dataset + "."));
  }

  /** Lets no request make a table or view in dataset {@code project.dataset} from now on. */
  void denyTableCreation(String dataset) {
    noTableCreation.add(checkDataset(dataset));
  }

  /**
   * BigQuery's 403 when the caller may not make table {@code id}: its dataset was
   * {@linkplain #denyTableCreation closed} to creation (a grant on its tables alone).
   */
  void requireMayCreate(String id) {
    String[] p = id.split("\\.");
    String dataset = p[0] + "." + p[1];
    if (noTableCreation.contains(dataset)) {
      throw new StandInException(403, "accessDenied", "Access Denied: Dataset " + p[0] + ":"
          + p[1] + ": Permission bigquery.tables.create denied on dataset " + p[0] + ":" + p[1]
          + " (or it may not exist).");
    }
  }

  /** Puts every dataset not {@linkplain #locate placed} in {@code location}. */
  void locateAll(String location) {
    defaultLocation = location;
  }

  /** Puts dataset {@code project.dataset} in {@code location} (a test's setup; else US). */
  void locate(String dataset, String location) {
    locations.put(dataset, location);
  }

  /** The location of dataset {@code project.dataset}: US unless {@link #locate}d elsewhere. */
  String location(String dataset) {
    return locations.getOrDefault(dataset, defaultLocation);
  }

  /**
   * Where a statement runs when its job names no location: where the first table it names
   * ({@code `project.dataset.table`}) is, as BigQuery places it; US when it names none.
   */
  String locationOfStatement(String sql) {
    java.util.regex.Matcher m = TABLE_NAME.matcher(sql == null ? "" : sql);
    return m.find() ? location(m.group(1) + "." + m.group(2)) : "US";
  }

  /**
   * BigQuery's 404 for a job that names {@code location} while a table of {@code sql} (or
   * {@code dataset}, {@code project.dataset}, may be null) is elsewhere: a job runs where its
   * tables are, and names of other locations are not found. Nothing when no location is named.
   */
  void requireLocated(String location, String sql, String dataset) {
    if (location == null || location.isEmpty()) {
      return;
    }
    java.util.List<String> named = new java.util.ArrayList<>();
    java.util.regex.Matcher m = TABLE_NAME.matcher(sql == null ? "" : sql);
    while (m.find()) {
      named.add(m.group(1) + "." + m.group(2));
    }
    if (dataset != null) {
      named.add(dataset);
    }
    for (String d : named) {
      if (!location(d).equalsIgnoreCase(location)) {
        throw StandInException.notFound("Dataset " + d.replaceFirst("\\.", ":")
            + " was not found in location " + location);
      }
    }
  }

  private static final java.util.regex.Pattern TABLE_NAME =
      java.util.regex.Pattern.compile("`([^`.]+)\\.([^`.]+)\\.[^`]+`");

  /** datasets.get: the dataset's resource, or BigQuery's 404 when it was deleted. */
  ObjectNode dataset(String project, String dataset) {
    requireDataset(project + "." + dataset);
    ObjectNode resource = Http.JSON.createObjectNode().put("kind", "bigquery#dataset")
        .put("id", project + ":" + dataset).put("location", location(project + "." + dataset));
    resource.putObject("datasetReference").put("projectId", project).put("datasetId", dataset);
    return resource;
  }

  private void requireDataset(String dataset) {
    if (deletedDatasets.contains(dataset)) {
      throw StandInException.notFound("Dataset " + dataset.replace('.', ':'));
    }
  }

  /** Makes an empty table of {@code columns} (a test's setup). */
  void createTable(String id, List<Column> columns) {
    if (tables.containsKey(check(id))) {
      throw new IllegalArgumentException("table " + id + " exists");
    }
    ObjectNode resource = Http.JSON.createObjectNode();
    reference(resource.putObject("tableReference"), id);
    ArrayNode fields = resource.putObject("schema").putArray("fields");
    for (Column c : columns) {
      fields.addObject().put("name", c.name()).put("type", c.type())
          .put("mode", c.repeated() ? "REPEATED" : "NULLABLE");
    }
    put(id, resource);
  }

  /** Adds rows to table {@code id} (a test's setup), each value converted for its column. */
  void insert(String id, List<? extends Map<String, ?>> rows) {
    StoredTable t = table(id).orElseThrow(
        () -> new IllegalArgumentException("no table " + id + ": create it first"));
    List<Map<String, Object>> converted = new ArrayList<>();
    for (Map<String, ?> row : rows) {
      Map<String, Object> r = new LinkedHashMap<>();
      row.forEach((k, v) -> {
        Column c = t.column(k).orElseThrow(
            () -> new IllegalArgumentException("table " + id + " has no column " + k));
        r.put(c.name(), Values.fromJava(v, c));
      });
      converted.add(r);
    }
    t.rows.addAll(converted);
  }

  /** tables.insert: makes the table the resource describes; 409 when it exists. */
  ObjectNode insertTable(ObjectNode body) {
    JsonNode ref = body.path("tableReference");
    String id = ref.path("projectId").asText() + "." + ref.path("datasetId").asText() + "."
        + ref.path("tableId").asText();
    if (tables.containsKey(id)) {
      throw new StandInException(409, "duplicate", "Already Exists: Table "
          + ref.path("projectId").asText() + ":" + ref.path("datasetId").asText() + "."
          + ref.path("tableId").asText());
    }
    requireMayCreate(id);
    return put(id, body.deepCopy()).resource;
  }

  /** Stores {@code resource} as table {@code id}, filled in as BigQuery fills it. */
  StoredTable put(String id, ObjectNode resource) {
    String[] p = id.split("\\.");
    requireDataset(p[0] + "." + p[1]);
    resource.put("kind", "bigquery#table").put("id", p[0] + ":" + p[1] + "." + p[2]);
    if (!resource.has("type")) {
      resource.put("type", resource.has("view") ? "VIEW" : "TABLE");
    }
    resource.put("creationTime", Long.toString(System.currentTimeMillis()));
    StoredTable t;
    try {
      t = new StoredTable(id, resource);
    } catch (IllegalArgumentException e) {
      throw StandInException.invalid(e.getMessage());
    }
    tables.put(id, t);
    return t;
  }

  /** tables.patch: a schema may only gain fields. */
  ObjectNode patch(StoredTable t, ObjectNode body) {
    if (body.has("schema")) {
      List<Column> before = t.columns();
      JsonNode fields = body.path("schema").path("fields");
      for (Column c : before) {
        boolean kept = false;
        for (JsonNode f : fields) {
          kept |= f.path("name").asText().equalsIgnoreCase(c.name());
        }
        if (!kept) {
          throw StandInException.invalid("Provided Schema does not match Table " + t.id
              + ". Field " + c.name() + " is missing in new schema");
        }
      }
      ((ObjectNode) t.resource.path("schema")).set("fields", fields.deepCopy());
    }
    for (String key : List.of("description", "expirationTime", "labels", "friendlyName")) {
      if (body.has(key)) {
        t.resource.set(key, body.get(key).deepCopy());
      }
    }
    return t.resource;
  }

  /** CREATE VIEW, with its IF NOT EXISTS / OR REPLACE. */
  void createView(ResolvedCreateViewStmt view) {
    String id = String.join(".", view.getNamePath());
    if (tables.containsKey(id)) {
      if (view.getCreateMode() == CreateMode.CREATE_IF_NOT_EXISTS) {
        return;
      }
      if (view.getCreateMode() != CreateMode.CREATE_OR_REPLACE) {
        throw new StandInException(409, "duplicate", "Already Exists: Table " + id);
      }
    } else {
      requireMayCreate(id);
    }
    ObjectNode resource = Http.JSON.createObjectNode();
    reference(resource.putObject("tableReference"), id);
    resource.put("type", "VIEW");
    resource.putObject("view").put("query", view.getSql()).put("useLegacySql", false);
    ArrayNode fields = resource.putObject("schema").putArray("fields");
    for (ResolvedOutputColumn c : view.getOutputColumnList()) {
      String[] f = BigQuerySql.field(c.getColumn().getType());
      fields.addObject().put("name", c.getName()).put("type", f[0]).put("mode", f[1]);
    }
    put(id, resource);
  }

  /** Fills a {@code tableReference} with the parts of {@code id}. */
  static void reference(ObjectNode ref, String id) {
    String[] p = id.split("\\.");
    ref.put("projectId", p[0]).put("datasetId", p[1]).put("tableId", p[2]);
  }

  private static String checkDataset(String dataset) {
    if (dataset == null || dataset.split("\\.", -1).length != 2 || dataset.contains("..")
        || dataset.startsWith(".") || dataset.endsWith(".")) {
      throw new IllegalArgumentException("a dataset is named project.dataset, was '" + dataset
          + "'");
    }
    return dataset;
  }

  private static String check(String id) {
    if (id == null || id.split("\\.", -1).length != 3 || id.contains("..")) {
      throw new IllegalArgumentException("a table is named project.dataset.table, was '" + id
          + "'");
    }
    return id;
  }
}

package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zetasql.SqlException;
import com.google.zetasql.resolvedast.ResolvedCreateStatementEnums.CreateMode;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateViewStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedMergeStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedOutputColumn;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BigQuery REST resources the stand-in models, answered from its tables. Not thread-safe:
 * callers hold its monitor.
 */
final class Rest {

  /** An answer: status, JSON body (null for none), extra headers. */
  record Answer(int status, JsonNode body, Map<String, String> headers) {
    static Answer ok(JsonNode body) {
      return new Answer(200, body, Map.of());
    }
  }

  private static final String V2 = "/bigquery/v2/projects/([^/]+)";
  private static final Pattern TABLE = Pattern.compile(V2 + "/datasets/([^/]+)/tables/([^/]+)");
  private static final Pattern TABLE_DATA =
      Pattern.compile(V2 + "/datasets/([^/]+)/tables/([^/]+)/data");
  private static final Pattern TABLES = Pattern.compile(V2 + "/datasets/([^/]+)/tables");
  private static final Pattern JOBS = Pattern.compile(V2 + "/jobs");
  private static final Pattern JOB = Pattern.compile(V2 + "/jobs/([^/]+)");
  private static final Pattern QUERIES = Pattern.compile(V2 + "/queries");
  private static final Pattern QUERY_RESULTS = Pattern.compile(V2 + "/queries/([^/]+)");
  private static final Pattern UPLOAD = Pattern.compile("/upload/bigquery/v2/projects/([^/]+)/jobs");
  private static final Pattern RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");
  private static final String ANON = "_stand_in_results";

  private final Map<String, StoredTable> tables = new LinkedHashMap<>();
  final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
  private final Map<String, Engine.Result> results = new HashMap<>();
  private final Map<String, Upload> uploads = new HashMap<>();
  final List<Statement> statements = new ArrayList<>();
  private long ids;

  private static final class Upload {
    final ObjectNode job;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Upload(ObjectNode job) {
      this.job = job;
    }
  }

  Answer answer(String method, String path, String query, byte[] body, String contentRange,
      String base) {
    Map<String, String> params = params(query);
    Matcher m;
    if ((m = UPLOAD.matcher(path)).matches()) {
      if (method.equals("POST")) {
        return openUpload(m.group(1), Http.object(body), base);
      }
      if (method.equals("PUT") && params.containsKey("upload_id")) {
        return upload(params.get("upload_id"), body, contentRange);
      }
    } else if ((m = TABLE_DATA.matcher(path)).matches() && method.equals("GET")) {
      return tableData(m.group(1) + "." + m.group(2) + "." + m.group(3), params);
    } else if ((m = TABLE.matcher(path)).matches()) {
      String id = m.group(1) + "." + m.group(2) + "." + m.group(3);
      switch (method) {
        case "GET":
          return Answer.ok(existing(id).resource);
        case "PATCH":
        case "PUT":
          return Answer.ok(patch(existing(id), Http.object(body)));
        case "DELETE":
          existing(id);
          tables.remove(id);
          return new Answer(204, null, Map.of());
        default:
          break;
      }
    } else if ((m = TABLES.matcher(path)).matches() && method.equals("POST")) {
      return Answer.ok(insertTable(Http.object(body)));
    } else if ((m = QUERIES.matcher(path)).matches() && method.equals("POST")) {
      return query(m.group(1), Http.object(body));
    } else if ((m = QUERY_RESULTS.matcher(path)).matches() && method.equals("GET")) {
      return queryResults(m.group(2), params);
    } else if ((m = JOBS.matcher(path)).matches() && method.equals("POST")) {
      return insertJob(m.group(1), Http.object(body));
    } else if ((m = JOB.matcher(path)).matches() && method.equals("GET")) {
      ObjectNode job = jobs.get(m.group(2));
      if (job == null) {
        throw StandInException.notFound("Job " + m.group(1) + ":" + m.group(2));
      }
      return Answer.ok(job);
    }
    throw StandInException.invalid("the BigQuery stand-in does not model " + method + " "
        + path);
  }

  // ---- tables ----

  Optional<StoredTable> table(String id) {
    return Optional.ofNullable(tables.get(check(id)));
  }

  private StoredTable existing(String id) {
    StoredTable t = tables.get(id);
    if (t == null) {
      String[] p = id.split("\\.");
      throw StandInException.notFound("Table " + p[0] + ":" + p[1] + "." + p[2]);
    }
    return t;
  }

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

  private ObjectNode insertTable(ObjectNode body) {
    JsonNode ref = body.path("tableReference");
    String id = ref.path("projectId").asText() + "." + ref.path("datasetId").asText() + "."
        + ref.path("tableId").asText();
    if (tables.containsKey(id)) {
      throw new StandInException(409, "duplicate", "Already Exists: Table "
          + ref.path("projectId").asText() + ":" + ref.path("datasetId").asText() + "."
          + ref.path("tableId").asText());
    }
    return put(id, body.deepCopy()).resource;
  }

  private StoredTable put(String id, ObjectNode resource) {
    String[] p = id.split("\\.");
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

  private ObjectNode patch(StoredTable t, ObjectNode body) {
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

  private Answer tableData(String id, Map<String, String> params) {
    Engine.Result result;
    if (id.contains("." + ANON + ".")) {
      result = results.get(id.substring(id.lastIndexOf('.') + 1));
      if (result == null) {
        throw StandInException.notFound("Table " + id);
      }
    } else {
      StoredTable t = existing(id);
      List<Column> columns = t.columns();
      List<List<Object>> rows = new ArrayList<>();
      for (Map<String, Object> row : t.rows) {
        rows.add(columns.stream().map(c -> StoredTable.value(row, c.name())).toList());
      }
      result = new Engine.Result(columns, rows);
    }
    ObjectNode out = Http.JSON.createObjectNode().put("kind", "bigquery#tableDataList");
    page(out, result, params, false);
    return Answer.ok(out);
  }

  // ---- queries ----

  private Answer query(String project, ObjectNode request) {
    String sql = request.path("query").asText();
    if (request.path("useLegacySql").asBoolean(true)) {
      throw StandInException.invalidQuery("the stand-in models standard SQL only"
          + " (useLegacySql must be false)");
    }
    String jobId = "stand_in_query_" + (++ids);
    ObjectNode config = Http.JSON.createObjectNode();
    ObjectNode q = config.putObject("query").put("query", sql).put("useLegacySql", false);
    q.set("queryParameters", request.path("queryParameters").deepCopy());
    Engine.Result result = run(project, jobId, sql, request.path("queryParameters"));
    if (result != null) {
      reference(q.putObject("destinationTable"), project + "." + ANON + "." + jobId);
    }
    ObjectNode job = job(project, jobId, request.path("location").asText("US"), config);
    ObjectNode out = Http.JSON.createObjectNode().put("kind", "bigquery#queryResponse");
    out.set("jobReference", job.path("jobReference").deepCopy());
    out.put("jobComplete", true);
    if (result != null) {
      Map<String, String> paging = new HashMap<>();
      if (request.has("maxResults")) {
        paging.put("maxResults", request.path("maxResults").asText());
      }
      page(out, result, paging,
          request.path("formatOptions").path("useInt64Timestamp").asBoolean(false));
    }
    return Answer.ok(out);
  }

  private Answer queryResults(String jobId, Map<String, String> params) {
    Engine.Result result = results.get(jobId);
    ObjectNode job = jobs.get(jobId);
    if (job == null) {
      throw StandInException.notFound("Job " + jobId);
    }
    ObjectNode out = Http.JSON.createObjectNode().put("kind", "bigquery#getQueryResultsResponse");
    out.set("jobReference", job.path("jobReference").deepCopy());
    out.put("jobComplete", true);
    if (result != null) {
      page(out, result, params, "true".equals(params.get("formatOptions.useInt64Timestamp")));
    }
    return Answer.ok(out);
  }

  private Answer insertJob(String project, ObjectNode body) {
    String jobId = body.path("jobReference").path("jobId").asText();
    if (jobId.isEmpty()) {
      jobId = "stand_in_job_" + (++ids);
    }
    taken(project, jobId);
    JsonNode config = body.path("configuration");
    if (!config.has("query")) {
      throw StandInException.invalid("the stand-in models query jobs and uploaded loads only");
    }
    String location = body.path("jobReference").path("location").asText("US");
    ObjectNode job = job(project, jobId, location, (ObjectNode) config.deepCopy());
    try {
      Engine.Result result = run(project, jobId, config.path("query").path("query").asText(),
          config.path("query").path("queryParameters"));
      if (result != null) {
        reference(((ObjectNode) job.path("configuration").path("query"))
            .putObject("destinationTable"), project + "." + ANON + "." + jobId);
      }
    } catch (StandInException e) {
      fail(job, e.reason, e.getMessage());
    }
    return Answer.ok(job);
  }

  /**
   * Analyzes and runs a statement: a query's result is kept for paging and returned; a view is
   * created; an insert-only MERGE adds its rows. Records the statement.
   */
  private Engine.Result run(String project, String jobId, String sql, JsonNode parameters) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, Object> values = new HashMap<>();
    for (JsonNode p : parameters) {
      String name = p.path("name").asText();
      types.put(name, Values.parameterType(p.path("parameterType")));
      try {
        values.put(name.toLowerCase(Locale.ROOT),
            Values.parameter(p.path("parameterType"), p.path("parameterValue")));
      } catch (IllegalArgumentException e) {
        throw StandInException.invalidQuery("Bad value of query parameter " + name + ": "
            + e.getMessage());
      }
    }
    statements.add(new Statement(sql, types));
    Map<String, List<Column>> schemas = new LinkedHashMap<>();
    Map<String, StoredTable> data = new LinkedHashMap<>();
    tables.forEach((id, t) -> {
      schemas.put(id, t.columns());
      data.put(id, t);
    });
    Map<String, Object> lowered = new HashMap<>();
    types.keySet().forEach(n -> lowered.put(n, values.get(n.toLowerCase(Locale.ROOT))));
    ResolvedStatement statement;
    try {
      statement = BigQuerySql.analyze(sql, types, schemas);
    } catch (SqlException e) {
      throw StandInException.invalidQuery(e.getMessage());
    }
    try {
      if (statement instanceof ResolvedQueryStmt) {
        Engine.Result result = Engine.query(sql, types, lowered, data);
        results.put(jobId, result);
        return result;
      }
      if (statement instanceof ResolvedCreateViewStmt view) {
        createView(view);
        return null;
      }
      if (statement instanceof ResolvedMergeStmt) {
        StoredTable target = existing(Engine.mergeTarget(sql));
        target.rows.addAll(Engine.merge(sql, types, lowered, data, target));
        return null;
      }
    } catch (SqlException | UnsupportedOperationException e) {
      throw StandInException.invalidQuery("the stand-in cannot evaluate this statement: "
          + e.getMessage());
    }
    throw StandInException.invalidQuery("the stand-in does not carry out "
        + statement.getClass().getSimpleName() + " statements");
  }

  private void createView(ResolvedCreateViewStmt view) {
    String id = String.join(".", view.getNamePath());
    if (tables.containsKey(id)) {
      if (view.getCreateMode() == CreateMode.CREATE_IF_NOT_EXISTS) {
        return;
      }
      if (view.getCreateMode() != CreateMode.CREATE_OR_REPLACE) {
        throw new StandInException(409, "duplicate", "Already Exists: Table " + id);
      }
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

  private void page(ObjectNode out, Engine.Result result, Map<String, String> params,
      boolean int64Timestamp) {
    ArrayNode fields = out.putObject("schema").putArray("fields");
    for (Column c : result.columns()) {
      fields.addObject().put("name", c.name()).put("type", c.type())
          .put("mode", c.repeated() ? "REPEATED" : "NULLABLE");
    }
    int start = Integer.parseInt(params.getOrDefault("pageToken",
        params.getOrDefault("startIndex", "0")));
    int max = Integer.parseInt(params.getOrDefault("maxResults", "100000"));
    int end = Math.min(result.rows().size(), start + max);
    ArrayNode rows = out.putArray("rows");
    for (List<Object> row : result.rows().subList(Math.min(start, end), end)) {
      ArrayNode f = rows.addObject().putArray("f");
      row.forEach(v -> f.addObject().set("v", Values.toRest(v, int64Timestamp)));
    }
    out.put("totalRows", Integer.toString(result.rows().size()));
    if (end < result.rows().size()) {
      out.put("pageToken", Integer.toString(end));
    }
  }

  // ---- jobs and loads ----

  private void taken(String project, String jobId) {
    if (jobs.containsKey(jobId)) {
      throw new StandInException(409, "duplicate", "Already Exists: Job " + project + ":US."
          + jobId);
    }
  }

  private ObjectNode job(String project, String jobId, String location, ObjectNode config) {
    ObjectNode job = Http.JSON.createObjectNode().put("kind", "bigquery#job")
        .put("id", project + ":" + location + "." + jobId);
    job.putObject("jobReference").put("projectId", project).put("jobId", jobId)
        .put("location", location);
    job.set("configuration", config);
    String now = Long.toString(System.currentTimeMillis());
    job.putObject("statistics").put("creationTime", now).put("startTime", now)
        .put("endTime", now);
    job.putObject("status").put("state", "DONE");
    jobs.put(jobId, job);
    return job;
  }

  private static void fail(ObjectNode job, String reason, String message) {
    ObjectNode status = job.putObject("status").put("state", "DONE");
    ObjectNode error = Http.JSON.createObjectNode().put("reason", reason).put("message", message);
    status.set("errorResult", error);
    status.putArray("errors").add(error.deepCopy());
  }

  private Answer openUpload(String project, ObjectNode job, String base) {
    String jobId = job.path("jobReference").path("jobId").asText();
    taken(project, jobId);
    if (!job.path("configuration").has("load")) {
      throw StandInException.invalid("an upload carries a load job");
    }
    String id = "upload" + (++ids);
    uploads.put(id, new Upload(job));
    return new Answer(200, Http.JSON.createObjectNode(), Map.of("Location",
        base + "/upload/bigquery/v2/projects/" + project + "/jobs?uploadType=resumable"
            + "&upload_id=" + id));
  }

  private Answer upload(String id, byte[] body, String contentRange) {
    Upload upload = uploads.get(id);
    if (upload == null) {
      throw StandInException.notFound("upload session " + id);
    }
    upload.data.writeBytes(body);
    Matcher m = RANGE.matcher(contentRange == null ? "" : contentRange.strip());
    boolean last = m.matches() && !m.group(3).equals("*")
        && Long.parseLong(m.group(3)) == upload.data.size();
    if (!last) {
      Map<String, String> headers = upload.data.size() == 0 ? Map.of()
          : Map.of("Range", "bytes=0-" + (upload.data.size() - 1));
      return new Answer(308, null, headers);
    }
    uploads.remove(id);
    String project = upload.job.path("jobReference").path("projectId").asText();
    String jobId = upload.job.path("jobReference").path("jobId").asText();
    taken(project, jobId);
    ObjectNode config = (ObjectNode) upload.job.path("configuration").deepCopy();
    ObjectNode job = job(project, jobId,
        upload.job.path("jobReference").path("location").asText("US"), config);
    try {
      long rows = load(config.path("load"), upload.data.toByteArray());
      ((ObjectNode) job.path("statistics")).putObject("load")
          .put("outputRows", Long.toString(rows));
    } catch (StandInException e) {
      fail(job, e.reason, e.getMessage());
    }
    return Answer.ok(job);
  }

  /** Carries out a load, all or nothing; returns the rows added. */
  private long load(JsonNode load, byte[] data) {
    JsonNode ref = load.path("destinationTable");
    String id = ref.path("projectId").asText() + "." + ref.path("datasetId").asText() + "."
        + ref.path("tableId").asText();
    if (!"NEWLINE_DELIMITED_JSON".equals(load.path("sourceFormat").asText())) {
      throw StandInException.invalid("the stand-in loads NEWLINE_DELIMITED_JSON only");
    }
    StoredTable t = tables.get(id);
    List<JsonNode> added = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    if (t == null) {
      if ("CREATE_NEVER".equals(load.path("createDisposition").asText())) {
        throw StandInException.notFound("Table " + id);
      }
      for (JsonNode f : load.path("schema").path("fields")) {
        added.add(f);
      }
    } else {
      columns.addAll(t.columns());
      boolean addition = load.path("schemaUpdateOptions").toString()
          .contains("ALLOW_FIELD_ADDITION");
      for (JsonNode f : load.path("schema").path("fields")) {
        Column wanted = new Column(f.path("name").asText(), f.path("type").asText("STRING"),
            "REPEATED".equals(f.path("mode").asText()));
        Optional<Column> have = t.column(wanted.name());
        if (have.isEmpty()) {
          if (!addition) {
            throw StandInException.invalid("Provided Schema does not match Table " + id
                + ". Cannot add fields (field: " + wanted.name() + ")");
          }
          added.add(f);
        } else if (!have.get().standardType().equals(wanted.standardType())
            || have.get().repeated() != wanted.repeated()) {
          throw StandInException.invalid("Provided Schema does not match Table " + id
              + ". Field " + wanted.name() + " has changed type from "
              + have.get().standardType() + " to " + wanted.standardType());
        }
      }
    }
    for (JsonNode f : added) {
      columns.add(new Column(f.path("name").asText(), f.path("type").asText("STRING"),
          "REPEATED".equals(f.path("mode").asText())));
    }
    boolean ignoreUnknown = load.path("ignoreUnknownValues").asBoolean(false);
    List<Map<String, Object>> rows = new ArrayList<>();
    int line = 0;
    for (String text : new String(data, StandardCharsets.UTF_8).split("\n")) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      JsonNode json;
      try {
        json = Http.JSON.readTree(text);
      } catch (java.io.IOException e) {
        throw StandInException.invalid("Error while reading data, error message: JSON parsing"
            + " error in row starting at position " + line + ": " + e.getMessage());
      }
      Map<String, Object> row = new LinkedHashMap<>();
      var names = json.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        Optional<Column> c = columns.stream().filter(x -> x.name().equalsIgnoreCase(name))
            .findFirst();
        if (c.isEmpty()) {
          if (ignoreUnknown) {
            continue;
          }
          throw StandInException.invalid("Error while reading data, error message: JSON table"
              + " encountered too many errors, giving up. Rows: " + line
              + "; errors: 1. no such field: " + name + ".");
        }
        try {
          row.put(c.get().name(), Values.fromJson(json.get(name), c.get()));
        } catch (IllegalArgumentException e) {
          throw StandInException.invalid("Error while reading data, error message: "
              + e.getMessage() + " (row " + line + ")");
        }
      }
      rows.add(row);
    }
    if (t == null) {
      ObjectNode resource = Http.JSON.createObjectNode();
      resource.set("tableReference", ref.deepCopy());
      resource.putObject("schema").set("fields", load.path("schema").path("fields").deepCopy());
      for (String key : List.of("timePartitioning", "clustering")) {
        if (load.has(key)) {
          resource.set(key, load.get(key).deepCopy());
        }
      }
      t = put(id, resource);
    } else {
      added.forEach(t::addField);
    }
    if ("WRITE_TRUNCATE".equals(load.path("writeDisposition").asText())) {
      t.rows.clear();
    }
    t.rows.addAll(rows);
    return rows.size();
  }

  // ---- helpers ----

  private static void reference(ObjectNode ref, String id) {
    String[] p = id.split("\\.");
    ref.put("projectId", p[0]).put("datasetId", p[1]).put("tableId", p[2]);
  }

  private static String check(String id) {
    if (id == null || id.split("\\.", -1).length != 3 || id.contains("..")) {
      throw new IllegalArgumentException("a table is named project.dataset.table, was '" + id
          + "'");
    }
    return id;
  }

  private static Map<String, String> params(String query) {
    Map<String, String> out = new HashMap<>();
    if (query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(java.net.URLDecoder.decode(k, StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}

package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zetasql.SqlException;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateViewStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedMergeStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The BigQuery REST resources the stand-in models, answered from its {@link Catalog} of tables,
 * its {@link JobBook} and its {@link Uploads}; queries run here. Not thread-safe: callers hold
 * its monitor.
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
  private static final Pattern DATASET = Pattern.compile(V2 + "/datasets/([^/]+)");
  private static final Pattern JOBS = Pattern.compile(V2 + "/jobs");
  private static final Pattern JOB = Pattern.compile(V2 + "/jobs/([^/]+)");
  private static final Pattern JOB_CANCEL = Pattern.compile(V2 + "/jobs/([^/]+)/cancel");
  private static final Pattern QUERIES = Pattern.compile(V2 + "/queries");
  private static final Pattern QUERY_RESULTS = Pattern.compile(V2 + "/queries/([^/]+)");
  private static final Pattern UPLOAD =
      Pattern.compile("/upload/bigquery/v2/projects/([^/]+)/jobs");
  private static final String ANON = "_stand_in_results";

  final Catalog catalog = new Catalog();
  final JobBook jobs = new JobBook();
  private final Uploads uploads = new Uploads(catalog, jobs);
  private final Map<String, Engine.Result> results = new HashMap<>();
  final List<Statement> statements = new ArrayList<>();
  // Released when the queries sent to jobs.query meanwhile are done; null: each ends at once
  // (BigQueryStandIn.queriesRunUntilReleased).
  CountDownLatch queryRelease;

  Answer answer(String method, String path, String query, byte[] body, String contentRange,
      String base) {
    Map<String, String> params = params(query);
    Matcher m;
    if ((m = UPLOAD.matcher(path)).matches()) {
      if (method.equals("POST")) {
        return uploads.open(m.group(1), Http.object(body), base);
      }
      if (method.equals("PUT") && params.containsKey("upload_id")) {
        return uploads.upload(params.get("upload_id"), body, contentRange);
      }
    } else if ((m = TABLE_DATA.matcher(path)).matches() && method.equals("GET")) {
      return tableData(m.group(1) + "." + m.group(2) + "." + m.group(3), params);
    } else if ((m = TABLE.matcher(path)).matches()) {
      String id = m.group(1) + "." + m.group(2) + "." + m.group(3);
      switch (method) {
        case "GET":
          return Answer.ok(catalog.existing(id).resource);
        case "PATCH":
        case "PUT":
          return Answer.ok(catalog.patch(catalog.existing(id), Http.object(body)));
        case "DELETE":
          catalog.delete(id);
          return new Answer(204, null, Map.of());
        default:
          break;
      }
    } else if ((m = TABLES.matcher(path)).matches() && method.equals("POST")) {
      return Answer.ok(catalog.insertTable(Http.object(body)));
    } else if ((m = DATASET.matcher(path)).matches() && method.equals("GET")) {
      return Answer.ok(catalog.dataset(m.group(1), m.group(2)));
    } else if ((m = QUERIES.matcher(path)).matches() && method.equals("POST")) {
      return query(m.group(1), Http.object(body));
    } else if ((m = QUERY_RESULTS.matcher(path)).matches() && method.equals("GET")) {
      return queryResults(m.group(2), params);
    } else if ((m = JOBS.matcher(path)).matches() && method.equals("POST")) {
      return insertJob(m.group(1), Http.object(body));
    } else if ((m = JOB.matcher(path)).matches() && method.equals("GET")) {
      return Answer.ok(jobs.read(m.group(2), params.get("location"),
          "Job " + m.group(1) + ":" + m.group(2)));
    } else if ((m = JOB_CANCEL.matcher(path)).matches() && method.equals("POST")) {
      ObjectNode out = Http.JSON.createObjectNode().put("kind", "bigquery#jobCancelResponse");
      out.set("job", jobs.cancel(m.group(2), params.get("location"),
          "Job " + m.group(1) + ":" + m.group(2)));
      return Answer.ok(out);
    }
    throw StandInException.invalid("the BigQuery stand-in does not model " + method + " "
        + path);
  }

  private Answer tableData(String id, Map<String, String> params) {
    Engine.Result result;
    if (id.contains("." + ANON + ".")) {
      result = results.get(id.substring(id.lastIndexOf('.') + 1));
      if (result == null) {
        throw StandInException.notFound("Table " + id);
      }
    } else {
      StoredTable t = catalog.existing(id);
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
    catalog.requireLocated(request.path("location").asText(null), sql, null);
    String jobId = "stand_in_query_" + jobs.nextId();
    ObjectNode config = Http.JSON.createObjectNode();
    ObjectNode q = config.putObject("query").put("query", sql).put("useLegacySql", false);
    q.set("queryParameters", request.path("queryParameters").deepCopy());
    Engine.Result result = run(project, jobId, sql, request.path("queryParameters"));
    if (result != null) {
      Catalog.reference(q.putObject("destinationTable"), project + "." + ANON + "." + jobId);
    }
    ObjectNode job = jobs.job(project, jobId,
        request.path("location").asText(catalog.locationOfStatement(sql)), config);
    ObjectNode out = Http.JSON.createObjectNode().put("kind", "bigquery#queryResponse");
    out.set("jobReference", job.path("jobReference").deepCopy());
    if (queryRelease != null) {
      // BigQuery's answer to a query that outlasts the request's wait: its job, no rows yet.
      jobs.runUntil(jobId, queryRelease);
      return Answer.ok(out.put("jobComplete", false));
    }
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
    ObjectNode job = jobs.read(jobId, params.get("location"), "Job " + jobId);
    ObjectNode out = Http.JSON.createObjectNode().put("kind", "bigquery#getQueryResultsResponse");
    out.set("jobReference", job.path("jobReference").deepCopy());
    if (jobs.running(jobId)) {
      return Answer.ok(out.put("jobComplete", false));
    }
    out.put("jobComplete", true);
    if (result != null) {
      page(out, result, params, "true".equals(params.get("formatOptions.useInt64Timestamp")));
    }
    return Answer.ok(out);
  }

  private Answer insertJob(String project, ObjectNode body) {
    String jobId = body.path("jobReference").path("jobId").asText();
    if (jobId.isEmpty()) {
      jobId = "stand_in_job_" + jobs.nextId();
    }
    JsonNode config = body.path("configuration");
    if (!config.has("query")) {
      throw StandInException.invalid("the stand-in models query jobs and uploaded loads only");
    }
    jobs.taken(project, jobId);
    String sql = config.path("query").path("query").asText();
    String stated = body.path("jobReference").path("location").asText(null);
    // A job sent without a location runs where the tables it names are, as BigQuery's.
    String location = stated != null ? stated : catalog.locationOfStatement(sql);
    ObjectNode job = jobs.job(project, jobId, location, (ObjectNode) config.deepCopy());
    try {
      // A job that names another location than its tables' is made, and fails there.
      catalog.requireLocated(stated, sql, null);
      Engine.Result result = run(project, jobId, sql,
          config.path("query").path("queryParameters"));
      if (result != null) {
        Catalog.reference(((ObjectNode) job.path("configuration").path("query"))
            .putObject("destinationTable"), project + "." + ANON + "." + jobId);
      }
    } catch (StandInException e) {
      JobBook.fail(job, e.reason, e.getMessage());
    }
    if (queryRelease != null && !job.path("status").has("errorResult")) {
      // A query job that runs a while, as a query does (BigQueryStandIn.queriesRunUntilReleased).
      jobs.runUntil(jobId, queryRelease);
      return Answer.ok(jobs.read(jobId, location, "Job " + project + ":" + jobId));
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
    catalog.all().forEach((id, t) -> {
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
        catalog.createView(view);
        return null;
      }
      if (statement instanceof ResolvedMergeStmt) {
        StoredTable target = catalog.existing(Engine.mergeTarget(sql));
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

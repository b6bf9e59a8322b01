package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pixivdic.core.Shard;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A stateful loopback stand-in for the BigQuery REST API, just deep enough for pixiv's own
 * requests: tables get/insert/patch, load jobs over resumable uploads (rows are kept), jobs
 * get/insert, and {@code jobs.query} for the queries pixiv sends, evaluated on the kept rows:
 * the article source query (NULL urls left out, shard filter, NOT EXISTS anti-join), the names
 * query (stripped names, shard filter, anti-join on the resolution table) and the sinks'
 * stored-fingerprint queries. A query of a table it does not hold answers 404.
 * Anything else answers 400, so an unexpected request fails loudly.
 */
final class FakeBigQuery implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TABLE = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/?]+)");
  private static final Pattern TABLES = Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables");
  private static final Pattern JOB = Pattern.compile("/bigquery/v2/projects/([^/]+)/jobs/([^/?]+)");
  private static final Pattern FROM = Pattern.compile("FROM `([^`]+)` AS (\\w)");

  private final HttpServer server;
  final Map<String, ObjectNode> tables = new ConcurrentHashMap<>();
  final Map<String, List<ObjectNode>> rows = new ConcurrentHashMap<>();
  final Map<String, ObjectNode> jobs = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> queries = new CopyOnWriteArrayList<>();
  final AtomicInteger loadJobs = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();

  FakeBigQuery() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Creates a source table holding these rows (column name to value). */
  void sourceTable(String id, List<Map<String, String>> data) {
    ObjectNode t = JSON.createObjectNode().put("type", "TABLE");
    String[] p = id.split("\\.");
    t.putObject("tableReference").put("projectId", p[0]).put("datasetId", p[1]).put("tableId", p[2]);
    tables.put(id, t);
    List<ObjectNode> list = new CopyOnWriteArrayList<>();
    for (Map<String, String> r : data) {
      ObjectNode n = JSON.createObjectNode();
      r.forEach(n::put);
      list.add(n);
    }
    rows.put(id, list);
  }

  List<ObjectNode> rows(String table) {
    return rows.getOrDefault(table, List.of());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      byte[] body = gunzip(ex.getRequestBody().readAllBytes());
      requests.add(method + " " + path);
      Matcher m;
      if (method.equals("POST") && path.matches("/upload/bigquery/v2/projects/[^/]+/jobs")) {
        ObjectNode job = (ObjectNode) JSON.readTree(body);
        String jobId = job.path("jobReference").path("jobId").asText();
        if (jobs.containsKey(jobId)) {
          error(ex, 409, "duplicate", "Already Exists: Job " + jobId);
          return;
        }
        String session = "s" + ids.incrementAndGet();
        sessions.put(session, job);
        ex.getResponseHeaders().add("Location", endpoint() + "/upload/session/" + session);
        send(ex, 200, JSON.createObjectNode());
      } else if (method.equals("PUT") && path.startsWith("/upload/session/")) {
        ObjectNode job = sessions.remove(path.substring("/upload/session/".length()));
        JsonNode dest = job.path("configuration").path("load").path("destinationTable");
        String table = dest.path("projectId").asText() + "." + dest.path("datasetId").asText() + "." + dest.path("tableId").asText();
        tables.computeIfAbsent(table, t -> tableResource(dest, job.path("configuration").path("load").path("schema")));
        List<ObjectNode> list = rows.computeIfAbsent(table, t -> new CopyOnWriteArrayList<>());
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            list.add((ObjectNode) JSON.readTree(line));
          }
        }
        loadJobs.incrementAndGet();
        send(ex, 200, done(job));
      } else if (method.equals("GET") && (m = TABLE.matcher(path)).matches()) {
        ObjectNode t = tables.get(m.group(1) + "." + m.group(2) + "." + m.group(3));
        if (t == null) {
          error(ex, 404, "notFound", "Not found: Table " + m.group(1) + ":" + m.group(2) + "." + m.group(3));
        } else {
          send(ex, 200, t);
        }
      } else if (method.equals("POST") && (m = TABLES.matcher(path)).matches()) {
        ObjectNode t = ((ObjectNode) JSON.readTree(body)).put("type", "TABLE");
        JsonNode ref = t.path("tableReference");
        String id = ref.path("projectId").asText() + "." + ref.path("datasetId").asText() + "." + ref.path("tableId").asText();
        if (tables.putIfAbsent(id, t) != null) {
          error(ex, 409, "duplicate", "Already Exists: Table " + id);
        } else {
          send(ex, 200, t);
        }
      } else if ((method.equals("PATCH") || method.equals("PUT")) && (m = TABLE.matcher(path)).matches()) {
        String id = m.group(1) + "." + m.group(2) + "." + m.group(3);
        ObjectNode t = ((ObjectNode) JSON.readTree(body)).put("type", "TABLE");
        tables.put(id, t);
        send(ex, 200, t);
      } else if (method.equals("GET") && (m = JOB.matcher(path)).matches()) {
        ObjectNode job = jobs.get(m.group(2));
        if (job == null) {
          error(ex, 404, "notFound", "Not found: Job " + m.group(2));
        } else {
          send(ex, 200, job);
        }
      } else if (method.equals("POST") && path.matches("/bigquery/v2/projects/[^/]+/jobs")) {
        ObjectNode job = (ObjectNode) JSON.readTree(body);
        String jobId = job.path("jobReference").path("jobId").asText();
        if (jobs.containsKey(jobId)) {
          error(ex, 409, "duplicate", "Already Exists: Job " + jobId);
          return;
        }
        queries.add(job.path("configuration").path("query").path("query").asText());
        send(ex, 200, done(job));
      } else if (method.equals("GET") && path.matches("/bigquery/v2/projects/[^/]+/queries/[^/]+")) {
        ObjectNode r = JSON.createObjectNode().put("kind", "bigquery#getQueryResultsResponse").put("jobComplete", true).put("totalRows", "0");
        r.putObject("schema").putArray("fields");
        send(ex, 200, r);
      } else if (method.equals("POST") && path.matches("/bigquery/v2/projects/[^/]+/queries")) {
        ObjectNode req = (ObjectNode) JSON.readTree(body);
        Matcher from = FROM.matcher(req.path("query").asText());
        if (from.find() && !tables.containsKey(from.group(1))) {
          String[] t = from.group(1).split("\\.");
          error(ex, 404, "notFound", "Not found: Table " + t[0] + ":" + t[1] + "." + t[2]);
        } else {
          send(ex, 200, query(req));
        }
      } else {
        error(ex, 400, "invalid", "the fake does not know " + method + " " + path);
      }
    }
  }

  private ObjectNode query(ObjectNode req) {
    String sql = req.path("query").asText();
    queries.add(sql);
    Map<String, String> params = new HashMap<>();
    for (JsonNode p : req.path("queryParameters")) {
      params.put(p.path("name").asText(), p.path("parameterValue").path("value").asText());
    }
    ObjectNode r = JSON.createObjectNode().put("kind", "bigquery#queryResponse").put("jobComplete", true);
    r.putObject("jobReference").put("projectId", "p").put("jobId", "q" + ids.incrementAndGet()).put("location", "US");
    ArrayNode fields = r.putObject("schema").putArray("fields");
    ArrayNode out = r.putArray("rows");
    Shard shard = new Shard(Integer.parseInt(params.getOrDefault("shard_index", "0")),
        Integer.parseInt(params.getOrDefault("shard_count", "1")));
    Instant since = params.containsKey("since") ? timestamp(params.get("since")) : Instant.MIN;
    Matcher from = FROM.matcher(sql);
    if (sql.startsWith("SELECT FARM_FINGERPRINT(d.url) AS fp") && from.find()) {
      fields.addObject().put("name", "fp").put("type", "INTEGER").put("mode", "NULLABLE");
      for (ObjectNode row : rows(from.group(1))) {
        String url = row.path("url").asText();
        if (shard.contains(url) && !timestamp(row.path("loaded_at").asText()).isBefore(since)) {
          out.addObject().putArray("f").addObject().put("v", String.valueOf(Shard.fingerprint(url)));
        }
      }
    } else if (sql.startsWith("SELECT DISTINCT FARM_FINGERPRINT(REGEXP_REPLACE(d.`middle_class_ip_name`")
        && from.find()) {
      fields.addObject().put("name", "fp").put("type", "INTEGER").put("mode", "NULLABLE");
      rows(from.group(1)).stream()
          .filter(row -> !timestamp(row.path("update").asText()).isBefore(since))
          .map(row -> row.path("middle_class_ip_name").asText(null))
          .filter(n -> n != null && shard.contains(n.strip()))
          .map(n -> Shard.fingerprint(n.strip())).distinct()
          .forEach(fp -> out.addObject().putArray("f").addObject().put("v", String.valueOf(fp)));
    } else if (sql.startsWith("WITH n AS (") && from.find()) {
      names(sql, from, shard, since, fields, out);
    } else if (sql.startsWith("SELECT s.") && from.find()) {
      String source = from.group(1);
      String dest = from.find() ? from.group(1) : null;
      Matcher cols = Pattern.compile("s\\.`(\\w+)`").matcher(sql.substring(0, sql.indexOf("FROM")));
      List<String> names = new ArrayList<>();
      while (cols.find()) {
        names.add(cols.group(1));
      }
      for (int i = 0; i < names.size(); i++) {
        fields.addObject().put("name", i == 0 ? "u" : "p" + (i - 1)).put("type", "STRING").put("mode", "NULLABLE");
      }
      for (ObjectNode row : rows(source)) {
        if (sql.contains(" IS NOT NULL") && row.path(names.get(0)).isNull()) {
          continue;
        }
        String url = row.path(names.get(0)).asText();
        boolean stored = dest != null && rows(dest).stream().anyMatch(d -> d.path("url").asText().equals(url)
            && !timestamp(d.path("loaded_at").asText()).isBefore(since));
        if (shard.contains(url) && !stored) {
          ArrayNode f = out.addObject().putArray("f");
          for (String n : names) {
            f.addObject().put("v", row.path(n).asText(null));
          }
        }
      }
    }
    r.put("totalRows", String.valueOf(out.size()));
    return r;
  }

  /**
   * The names query: the stripped name column (NULL and blank left out), the shard filter on
   * it, the anti-join on the resolution table's stripped {@code middle_class_ip_name} and
   * {@code update}, one row per name (pass-through from its first row), ordered by name.
   */
  private void names(String sql, Matcher from, Shard shard, Instant since, ArrayNode fields,
      ArrayNode out) {
    String source = from.group(1);
    String dest = from.find() ? from.group(1) : null;
    Matcher name = Pattern.compile("REGEXP_REPLACE\\(CAST\\(s\\.`(\\w+)` AS STRING\\)").matcher(sql);
    name.find();
    Matcher cols = Pattern.compile("CAST\\(s\\.`(\\w+)` AS STRING\\) AS p\\d+").matcher(sql);
    List<String> pass = new ArrayList<>();
    while (cols.find()) {
      pass.add(cols.group(1));
    }
    fields.addObject().put("name", "k").put("type", "STRING").put("mode", "NULLABLE");
    for (int i = 0; i < pass.size(); i++) {
      fields.addObject().put("name", "p" + i).put("type", "STRING").put("mode", "NULLABLE");
    }
    java.util.TreeMap<String, ObjectNode> byName = new java.util.TreeMap<>();
    for (ObjectNode row : rows(source)) {
      String raw = row.path(name.group(1)).asText(null);
      String k = raw == null ? "" : raw.strip();
      if (k.isEmpty() || !shard.contains(k) || byName.containsKey(k)) {
        continue;
      }
      boolean resolved = dest != null && rows(dest).stream().anyMatch(d ->
          k.equals(d.path("middle_class_ip_name").asText("").strip())
              && !timestamp(d.path("update").asText()).isBefore(since));
      if (!resolved) {
        byName.put(k, row);
      }
    }
    byName.forEach((k, row) -> {
      ArrayNode f = out.addObject().putArray("f");
      f.addObject().put("v", k);
      for (String p : pass) {
        f.addObject().put("v", row.path(p).asText(null));
      }
    });
  }

  private ObjectNode done(ObjectNode job) {
    String jobId = job.path("jobReference").path("jobId").asText();
    ObjectNode j = job.deepCopy();
    j.put("kind", "bigquery#job").put("id", "p:US." + jobId);
    ((ObjectNode) j.path("jobReference")).put("location", "US");
    j.putObject("status").put("state", "DONE");
    j.putObject("statistics").put("creationTime", "1").put("startTime", "2").put("endTime", "3");
    jobs.put(jobId, j);
    return j;
  }

  private static ObjectNode tableResource(JsonNode ref, JsonNode schema) {
    ObjectNode t = JSON.createObjectNode().put("type", "TABLE");
    t.set("tableReference", ref.deepCopy());
    t.set("schema", schema.deepCopy());
    return t;
  }

  private static Instant timestamp(String s) {
    if (s == null || s.isEmpty() || s.equals("null")) {
      return Instant.MIN;
    }
    String iso = s.replace(' ', 'T').replaceAll("\\+00(:00)?$", "Z").replace("UTC", "Z");
    if (!iso.endsWith("Z")) {
      iso = iso + "Z";
    }
    return Instant.parse(iso);
  }

  private static byte[] gunzip(byte[] raw) throws IOException {
    if (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  private static void error(HttpExchange ex, int status, String reason, String message) throws IOException {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode err = e.putObject("error").put("code", status).put("message", message);
    err.putArray("errors").addObject().put("reason", reason).put("message", message);
    send(ex, status, e);
  }

  private static void send(HttpExchange ex, int status, JsonNode json) throws IOException {
    byte[] b = JSON.writeValueAsBytes(json);
    ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

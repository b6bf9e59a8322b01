package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resumable uploads of load jobs: a session opened by the job's POST, its bytes PUT in one or
 * more chunks, and the load carried out, all or nothing, when the last byte arrives. Not
 * thread-safe: callers hold the stand-in's monitor.
 */
final class Uploads {

  private static final Pattern RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  private final Catalog catalog;
  private final JobBook jobs;
  private final Map<String, Upload> uploads = new HashMap<>();

  private static final class Upload {
    final ObjectNode job;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Upload(ObjectNode job) {
      this.job = job;
    }
  }

  Uploads(Catalog catalog, JobBook jobs) {
    this.catalog = catalog;
    this.jobs = jobs;
  }

  /** Opens a session for the load {@code job}; its Location is under {@code base}. */
  Rest.Answer open(String project, ObjectNode job, String base) {
    String jobId = job.path("jobReference").path("jobId").asText();
    if (!job.path("configuration").has("load")) {
      throw StandInException.invalid("an upload carries a load job");
    }
    JsonNode dest = job.path("configuration").path("load").path("destinationTable");
    catalog.requireLocated(job.path("jobReference").path("location").asText(null), null,
        dest.path("projectId").asText() + "." + dest.path("datasetId").asText());
    jobs.taken(project, jobId);
    String id = "upload" + jobs.nextId();
    uploads.put(id, new Upload(job));
    return new Rest.Answer(200, Http.JSON.createObjectNode(), Map.of("Location",
        base + "/upload/bigquery/v2/projects/" + project + "/jobs?uploadType=resumable"
            + "&upload_id=" + id));
  }

  /** Takes a chunk; the last one carries out the load. */
  Rest.Answer upload(String id, byte[] body, String contentRange) {
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
      return new Rest.Answer(308, null, headers);
    }
    uploads.remove(id);
    String project = upload.job.path("jobReference").path("projectId").asText();
    String jobId = upload.job.path("jobReference").path("jobId").asText();
    jobs.taken(project, jobId);
    ObjectNode config = (ObjectNode) upload.job.path("configuration").deepCopy();
    // A job sent without a location runs where its destination's dataset is, as BigQuery's.
    JsonNode dest = config.path("load").path("destinationTable");
    ObjectNode job = jobs.job(project, jobId,
        upload.job.path("jobReference").path("location").asText(catalog.location(
            dest.path("projectId").asText() + "." + dest.path("datasetId").asText())), config);
    try {
      long rows = load(config.path("load"), upload.data.toByteArray());
      ((ObjectNode) job.path("statistics")).putObject("load")
          .put("outputRows", Long.toString(rows));
    } catch (StandInException e) {
      JobBook.fail(job, e.reason, e.getMessage());
    }
    return Rest.Answer.ok(job);
  }

  /**
   * Whether a load declaring a field {@code declared} where the table has it {@code held}
   * changes whether it is REQUIRED as BigQuery refuses: to REQUIRED ever, from it without
   * {@code ALLOW_FIELD_RELAXATION}.
   */
  private static boolean requiredChanged(String held, String declared, boolean relaxation) {
    if (held.equalsIgnoreCase(declared)) {
      return false;
    }
    return declared.equalsIgnoreCase("REQUIRED")
        || held.equalsIgnoreCase("REQUIRED") && !relaxation;
  }

  /** The mode of the table's field {@code name} (names compared ignoring case). */
  private static String modeOf(StoredTable t, String name) {
    for (JsonNode f : t.resource.path("schema").path("fields")) {
      if (f.path("name").asText().equalsIgnoreCase(name)) {
        return f.path("mode").asText("NULLABLE");
      }
    }
    return "NULLABLE";
  }

  /** Carries out a load, all or nothing; returns the rows added. */
  private long load(JsonNode load, byte[] data) {
    JsonNode ref = load.path("destinationTable");
    String id = ref.path("projectId").asText() + "." + ref.path("datasetId").asText() + "."
        + ref.path("tableId").asText();
    if (!"NEWLINE_DELIMITED_JSON".equals(load.path("sourceFormat").asText())) {
      throw StandInException.invalid("the stand-in loads NEWLINE_DELIMITED_JSON only");
    }
    StoredTable t = catalog.all().get(id);
    List<JsonNode> added = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    List<String> relaxed = new ArrayList<>();
    if (t == null) {
      if ("CREATE_NEVER".equals(load.path("createDisposition").asText())) {
        throw StandInException.notFound("Table " + id);
      }
      catalog.requireMayCreate(id);
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
          if ("REQUIRED".equals(f.path("mode").asText())) {
            throw StandInException.invalid("Provided Schema does not match Table " + id
                + ". Cannot add required fields to an existing schema. (field: "
                + wanted.name() + ")");
          }
          added.add(f);
        } else {
          String held = modeOf(t, wanted.name());
          String declaredMode = f.path("mode").asText("NULLABLE");
          if (requiredChanged(held, declaredMode,
              load.path("schemaUpdateOptions").toString().contains("ALLOW_FIELD_RELAXATION"))) {
            throw StandInException.invalid("Provided Schema does not match Table " + id
                + ". Field " + wanted.name() + " has changed mode from " + held + " to "
                + declaredMode);
          }
          if (held.equalsIgnoreCase("REQUIRED") && declaredMode.equalsIgnoreCase("NULLABLE")) {
            relaxed.add(wanted.name()); // with ALLOW_FIELD_RELAXATION (else refused above)
          }
          if (!have.get().standardType().equals(wanted.standardType())
              || have.get().repeated() != wanted.repeated()) {
            throw StandInException.invalid("Provided Schema does not match Table " + id
                + ". Field " + wanted.name() + " has changed type from "
                + have.get().standardType() + " to " + wanted.standardType());
          }
        }
      }
    }
    for (JsonNode f : added) {
      columns.add(new Column(f.path("name").asText(), f.path("type").asText("STRING"),
          "REPEATED".equals(f.path("mode").asText())));
    }
    boolean ignoreUnknown = load.path("ignoreUnknownValues").asBoolean(false);
    // REQUIRED (NOT NULL) fields, as the table holds them, or as the load makes them.
    List<String> required = new ArrayList<>();
    JsonNode declared = t == null ? load.path("schema").path("fields")
        : t.resource.path("schema").path("fields");
    for (JsonNode f : declared) {
      if ("REQUIRED".equalsIgnoreCase(f.path("mode").asText())
          && relaxed.stream().noneMatch(r -> r.equalsIgnoreCase(f.path("name").asText()))) {
        required.add(f.path("name").asText());
      }
    }
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
      for (String name : required) {
        if (row.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(name))) {
          throw StandInException.invalid("Error while reading data, error message: JSON table"
              + " encountered too many errors, giving up. Rows: " + line
              + "; errors: 1. Missing required field: " + name + ".");
        }
        if (row.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase(name)
            && e.getValue() == null)) {
          throw StandInException.invalid("Error while reading data, error message: JSON table"
              + " encountered too many errors, giving up. Rows: " + line
              + "; errors: 1. Only optional fields can be set to NULL. Field: " + name + ";");
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
      t = catalog.put(id, resource);
    } else {
      added.forEach(t::addField);
      for (JsonNode f : t.resource.path("schema").path("fields")) {
        if (relaxed.stream().anyMatch(r -> r.equalsIgnoreCase(f.path("name").asText()))) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) f).put("mode", "NULLABLE");
        }
      }
    }
    if ("WRITE_TRUNCATE".equals(load.path("writeDisposition").asText())) {
      t.rows.clear();
    }
    t.rows.addAll(rows);
    return rows.size();
  }
}

package dev.pixivdic.examples.rehearsal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/** Reads and writes the metadata of API objects held as JSON trees. */
final class Meta {

  static final ObjectMapper JSON = new ObjectMapper();

  private Meta() {}

  static ObjectNode metadata(ObjectNode object) {
    JsonNode m = object.get("metadata");
    return m instanceof ObjectNode o ? o : object.putObject("metadata");
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText("");
  }

  static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText("");
  }

  static String uid(JsonNode object) {
    return object.path("metadata").path("uid").asText("");
  }

  static Map<String, String> labels(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object
        .path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  static ObjectNode labelsNode(ObjectNode object) {
    ObjectNode m = metadata(object);
    JsonNode l = m.get("labels");
    return l instanceof ObjectNode o ? o : m.putObject("labels");
  }

  /** Threads that never keep the JVM alive: the stand-in serves tests, it must not outlive them. */
  static ThreadFactory daemons(String nameFormat) {
    return new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build();
  }

  /** A timestamp as the API writes {@code metav1.Time}: RFC 3339, whole seconds, UTC. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

package dev.pixivdic.examples.rehearsal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Answers: JSON objects, and failures as the API's {@code Status} objects. */
final class Statuses {

  private Statuses() {}

  /** Sends a {@code Status} and returns the code, for the request log. */
  static int send(HttpExchange ex, int code, String reason, String message) throws IOException {
    ObjectNode s = Meta.JSON.createObjectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return json(ex, code, s);
  }

  static int json(HttpExchange ex, int code, JsonNode body) throws IOException {
    byte[] bytes = Meta.JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return code;
  }
}

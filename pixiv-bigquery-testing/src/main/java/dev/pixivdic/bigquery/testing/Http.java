package dev.pixivdic.bigquery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/** The HTTP side of the stand-in: request bodies, JSON answers, BigQuery's error shape. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  /** A request body, gunzipped when the client compressed it. */
  static byte[] body(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    if (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  static ObjectNode object(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n instanceof ObjectNode o) {
        return o;
      }
      throw StandInException.invalid("the request body is not a JSON object");
    } catch (IOException e) {
      throw StandInException.invalid("the request body is not JSON: " + e.getMessage());
    }
  }

  static void send(HttpExchange ex, int status, JsonNode json) throws IOException {
    byte[] b = JSON.writeValueAsBytes(json);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  static void empty(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  /** BigQuery's error body: {@code {"error": {"code", "message", "errors": [...]}}}. */
  static ObjectNode error(int status, String reason, String message) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode err = e.putObject("error").put("code", status).put("message", message);
    err.putArray("errors").addObject().put("reason", reason).put("message", message)
        .put("domain", "global");
    err.put("status", status == 404 ? "NOT_FOUND" : status == 409 ? "ALREADY_EXISTS"
        : status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT");
    return e;
  }
}

package dev.pixivdic.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads JSON with bounded nesting and finds objects in it by their shape. The search is an
 * explicit breadth-first walk, never recursion, so no input can exhaust the stack; the
 * nesting cap keeps the tree itself shallow.
 */
final class JsonShapes {

  /** Deeper than any response of the site; deeper input is rejected as malformed. */
  static final int MAX_NESTING = 256;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
      .build());

  private JsonShapes() {}

  /**
   * Parses JSON text.
   *
   * @throws MalformedJsonException with the reason when it is not JSON or exceeds a limit
   */
  static JsonNode read(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new MalformedJsonException("empty JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(e.getOriginalMessage());
    }
  }

  /** Like {@link #read(String)} for UTF-8 (or UTF-16/32 with a BOM) bytes. */
  static JsonNode read(byte[] json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new MalformedJsonException("empty JSON");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedJsonException(String.valueOf(e.getMessage()));
    }
  }

  /** The first object, breadth-first (shallowest first), that matches; null if none. */
  static JsonNode find(JsonNode root, Predicate<JsonNode> shape) {
    Deque<JsonNode> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      JsonNode n = queue.poll();
      if (n.isObject() && shape.test(n)) {
        return n;
      }
      if (n.isContainerNode()) {
        n.elements().forEachRemaining(queue::add);
      }
    }
    return null;
  }

  /**
   * The value of the first field, breadth-first, whose name contains {@code keyPart} and whose
   * value matches; null if none. Used for {@code swrFallback}-style maps keyed by API path.
   */
  static JsonNode findByKey(JsonNode root, String keyPart, Predicate<JsonNode> shape) {
    Deque<JsonNode> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      JsonNode n = queue.poll();
      if (n.isObject()) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          if (e.getKey().contains(keyPart) && shape.test(e.getValue())) {
            return e.getValue();
          }
          queue.add(e.getValue());
        }
      } else if (n.isArray()) {
        n.elements().forEachRemaining(queue::add);
      }
    }
    return null;
  }

  /** Not JSON, or JSON beyond the parser's limits. */
  static final class MalformedJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }
}

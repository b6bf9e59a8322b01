package dev.pixivdic.core.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.support.internal.TextFiles;
import java.io.IOException;

/**
 * Reads JSON with bounded nesting, so that no input can make the tree (or a walk over it) deep;
 * {@link JsonEntries} finds the article's objects in it.
 */
final class JsonShapes {

  /** Deeper than any response of the site; deeper input is rejected as malformed. */
  static final int MAX_NESTING = 256;

  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
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
      // A byte order mark before the JSON: the byte reader skips it, so this one does too (the
      // fast path reads a script's bytes, the full path its text; they must agree).
      JsonNode node = MAPPER.readTree(TextFiles.withoutMark(json));
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
    return read(json, 0, json.length);
  }

  /** Like {@link #read(byte[])} for {@code length} bytes from {@code offset}. */
  static JsonNode read(byte[] json, int offset, int length) {
    try {
      JsonNode node = MAPPER.readTree(json, offset, length);
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

  /** Not JSON, or JSON beyond the parser's limits. */
  static final class MalformedJsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message) {
      super(message);
    }
  }
}

package dev.pixivdic.launcher.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pixivdic.support.internal.LogText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the API server's JSON becomes the launcher's records ({@link Job}, {@link Pod},
 * {@link KubeEvent}...): fields the records do not name are ignored, absent ones take the
 * records' defaults. What does not have the shape asked for is a {@link MalformedAnswerException}
 * naming the field and what was wrong, never an empty object: a {@code "items": null} is not an
 * empty list, and a Job without its uid is not another Job. Stateless.
 */
public final class KubeJson {
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  /** The event types of a watch; anything else is a malformed line. */
  private static final Set<String> WATCH_TYPES =
      Set.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR");

  private KubeJson() {}

  /** Reads an answer's text as JSON; an empty body is an empty object. */
  public static JsonNode read(String text) throws MalformedAnswerException {
    try {
      JsonNode tree = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
      return tree == null ? JSON.createObjectNode() : tree;
    } catch (JsonEOFException e) {
      throw new MalformedAnswerException("JSON cut off before its end");
    } catch (JsonProcessingException e) {
      throw new MalformedAnswerException("a body that is not JSON");
    }
  }

  /**
   * One object. A Job must carry its name and uid, a pod its name: without them it could not be
   * told from another.
   *
   * @throws MalformedAnswerException when the JSON does not have the object's shape
   */
  public static <T> T decode(JsonNode json, Class<T> type) throws MalformedAnswerException {
    T value = bind(json, type, "");
    String missing = missingIdentity(value);
    if (!missing.isEmpty()) {
      throw notA(type, missing + " is missing");
    }
    return value;
  }

  /**
   * A list answer ({@code {"metadata": {"resourceVersion": ...}, "items": [...]}}). Its
   * {@code items} must be a list: an absent or {@code null} one is malformed, not empty.
   *
   * @throws MalformedAnswerException when the answer or an item does not have the right shape
   */
  public static <T> ObjectList<T> list(JsonNode json, Class<T> type)
      throws MalformedAnswerException {
    String what = "a list of " + kind(type) + "s";
    if (!json.isObject()) {
      throw new MalformedAnswerException("JSON, but not " + what + ": the answer is "
          + shown(json) + ", not an object");
    }
    JsonNode items = json.get("items");
    if (items == null || !items.isArray()) {
      throw new MalformedAnswerException("JSON, but not " + what + ": items is "
          + (items == null ? "missing" : shown(items)) + ", not a list");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      T item;
      try {
        item = bind(items.get(i), type, "items[" + i + "]");
      } catch (MalformedAnswerException e) {
        throw new MalformedAnswerException("JSON, but not " + what + ": " + detail(e));
      }
      String missing = missingIdentity(item);
      if (!missing.isEmpty()) {
        throw new MalformedAnswerException(
            "JSON, but not " + what + ": items[" + i + "]." + missing + " is missing");
      }
      out.add(item);
    }
    JsonNode version = json.path("metadata").path("resourceVersion");
    return new ObjectList<>(version.isValueNode() ? version.asText("") : "", out);
  }

  /**
   * One line of a watch stream. Only {@code BOOKMARK} lines may come without a whole object.
   *
   * @param path the watched path, for the error's message
   * @throws ApiException for an {@code ERROR} line (410 Gone: the version expired)
   * @throws MalformedAnswerException when the line is not a watch event of this type
   */
  public static <T> WatchEvent<T> watchLine(String line, Class<T> type, String path)
      throws ApiException, MalformedAnswerException {
    String where = "a line of the watch of " + path + " is ";
    JsonNode event;
    try {
      event = read(line);
    } catch (MalformedAnswerException e) {
      throw new MalformedAnswerException(where + e.getMessage());
    }
    if (!event.isObject()) {
      throw new MalformedAnswerException(where + shown(event) + ", not a watch event");
    }
    JsonNode typeNode = event.path("type");
    String kind = typeNode.isTextual() ? typeNode.asText() : "";
    if (!WATCH_TYPES.contains(kind)) {
      throw new MalformedAnswerException(where + "not a watch event: type is "
          + (typeNode.isMissingNode() ? "missing" : shown(typeNode))
          + ", not ADDED, MODIFIED, DELETED, BOOKMARK or ERROR");
    }
    JsonNode object = event.path("object");
    if (kind.equals("ERROR")) {
      throw new ApiException(object.path("code").asInt(500), "WATCH", path,
          object.path("reason").asText(""), object.path("message").asText(""));
    }
    try {
      if (kind.equals("BOOKMARK")) {
        // A bookmark carries only its resource version; it still moves the watch on.
        T value = bind(object.isObject() ? object : JSON.createObjectNode(), type, "object");
        return new WatchEvent<>(kind, value, resourceVersion(object));
      }
      if (!object.isObject()) {
        throw new MalformedAnswerException("object is "
            + (object.isMissingNode() ? "missing" : shown(object)) + ", not a " + kind(type));
      }
      T value = bind(object, type, "object");
      String missing = missingIdentity(value);
      if (!missing.isEmpty()) {
        throw new MalformedAnswerException("object." + missing + " is missing");
      }
      return new WatchEvent<>(kind, value, resourceVersion(object));
    } catch (MalformedAnswerException e) {
      throw new MalformedAnswerException(where + "a " + kind + " event, but " + detail(e));
    }
  }

  private static String resourceVersion(JsonNode object) {
    JsonNode v = object.path("metadata").path("resourceVersion");
    return v.isValueNode() ? v.asText("") : "";
  }

  /** Binds {@code json} to {@code type}; {@code at} is its place in the answer, for messages. */
  private static <T> T bind(JsonNode json, Class<T> type, String at)
      throws MalformedAnswerException {
    String prefix = at.isEmpty() ? "" : at + ".";
    if (!json.isObject()) {
      throw notA(type, (at.isEmpty() ? "the answer" : at) + " is " + shown(json)
          + ", not an object");
    }
    JsonNode kind = json.path("kind");
    if ((type == Job.class || type == Pod.class) && kind.isTextual()
        && !kind.asText().equals(kind(type))) {
      // A Status where a Job was expected, say; list items and bookmarks come without a kind.
      throw notA(type, (at.isEmpty() ? "" : at + " is ") + "a " + shown(kind).replace("\"", "")
          + (at.isEmpty() ? "" : ", not a " + kind(type)));
    }
    String nullEntry = nullEntry(json, "");
    if (!nullEntry.isEmpty()) {
      throw notA(type, prefix + nullEntry + " is null, not an object");
    }
    try {
      return JSON.treeToValue(json, type);
    } catch (JsonMappingException e) {
      String field = path(e.getPath());
      JsonNode value = at(json, e.getPath());
      String expected = e instanceof MismatchedInputException m && m.getTargetType() != null
          ? ", not " + expected(m.getTargetType()) : " (unusable)";
      throw notA(type, (field.isEmpty() ? "the object" : prefix + field) + " is "
          + (value == null ? "unusable" : shown(value)) + expected);
    } catch (JsonProcessingException e) {
      throw notA(type, "it cannot be read");
    }
  }

  /** The first list entry that is {@code null}, by its path, or empty: the API never sends one. */
  private static String nullEntry(JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String p = path + "[" + i + "]";
        String found = node.get(i).isNull() ? p : nullEntry(node.get(i), p);
        if (!found.isEmpty()) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String found = nullEntry(e.getValue(), path.isEmpty() ? e.getKey()
            : path + "." + e.getKey());
        if (!found.isEmpty()) {
          return found;
        }
      }
    }
    return "";
  }

  /** The identifying field a Job (name, uid) or pod (name) lacks, or empty. */
  private static String missingIdentity(Object value) {
    if (value instanceof Job job) {
      return job.metadata().name().isEmpty() ? "metadata.name"
          : job.metadata().uid().isEmpty() ? "metadata.uid" : "";
    }
    if (value instanceof Pod pod) {
      return pod.metadata().name().isEmpty() ? "metadata.name" : "";
    }
    return "";
  }

  /** What was wrong, without the "JSON, but not a Job: " before it. */
  private static String detail(MalformedAnswerException e) {
    return e.getMessage().replaceFirst("^JSON, but not an? \\w+: ", "");
  }

  private static MalformedAnswerException notA(Class<?> type, String what) {
    return new MalformedAnswerException("JSON, but not a " + kind(type) + ": " + what);
  }

  /** The API's name of the kind a record stands for. */
  static String kind(Class<?> type) {
    return type == KubeEvent.class ? "Event" : type.getSimpleName();
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        out.append('[').append(r.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> refs) {
    JsonNode node = root;
    for (JsonMappingException.Reference r : refs) {
      node = r.getFieldName() != null ? node.get(r.getFieldName())
          : r.getIndex() >= 0 ? node.get(r.getIndex()) : node;
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static String expected(Class<?> target) {
    if (target == int.class || target == Integer.class || target == long.class
        || target == Long.class || target == double.class || target == Double.class) {
      return "a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (target == String.class) {
      return "a text";
    }
    if (Collection.class.isAssignableFrom(target)) {
      return "a list";
    }
    return "an object";
  }

  /** A JSON value as a message may show it: short, and one line. */
  static String shown(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "a list";
    }
    String text = value.toString();
    text = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return LogText.escaped(text);
  }
}

package dev.pixivdic.launcher.kube;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
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
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where the API server's JSON becomes the launcher's records ({@link Job}, {@link Pod},
 * {@link KubeEvent}...): fields the records do not name are ignored, absent ones take the
 * records' defaults. What does not have the shape asked for is a {@link MalformedAnswerException}
 * naming the field and what was wrong, never an empty object: a {@code "items": null} is not an
 * empty list, and a Job without its uid is not another Job. Stateless.
 */
public final class KubeJson {
  /**
   * A {@code null} in a list the records read is malformed (the API never sends one); lists no
   * record reads are skipped unread, nulls and all.
   */
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .withConfigOverride(List.class,
          o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
      .build();
  /** How much of a value a message shows. */
  private static final int SHOWN = 40;
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
    try {
      return whole(json, type, "");
    } catch (Unfit e) {
      throw new MalformedAnswerException("JSON, but not a " + kind(type) + ": " + e.detail());
    }
  }

  /**
   * A list answer ({@code {"metadata": {"resourceVersion": ...}, "items": [...]}}). Its
   * {@code items} must be a list: an absent or {@code null} one is malformed, not empty.
   *
   * @throws MalformedAnswerException when the answer or an item does not have the right shape
   */
  public static <T> ObjectList<T> list(JsonNode json, Class<T> type)
      throws MalformedAnswerException {
    String what = "JSON, but not a list of " + kind(type) + "s: ";
    if (!json.isObject()) {
      throw new MalformedAnswerException(what + "the answer is " + shown(json)
          + ", not an object");
    }
    JsonNode items = json.get("items");
    if (items == null || !items.isArray()) {
      throw new MalformedAnswerException(what + "items is "
          + (items == null ? "missing" : shown(items)) + ", not a list");
    }
    List<T> out = new ArrayList<>();
    try {
      for (int i = 0; i < items.size(); i++) {
        out.add(whole(items.get(i), type, "items[" + i + "]"));
      }
    } catch (Unfit e) {
      throw new MalformedAnswerException(what + e.detail());
    }
    JsonNode version = json.path("metadata").path("resourceVersion");
    return new ObjectList<>(version.isValueNode() ? version.asText("") : "", out);
  }

  /**
   * One line of a watch stream. Only {@code BOOKMARK} lines may come without a whole object.
   *
   * @param path the watched path, for the error's message
   * @param scrub makes the server's texts of an {@code ERROR} line safe to print (as those of an
   *     error answer: see {@link KubeApi#watchLine})
   * @throws ApiException for an {@code ERROR} line (410 Gone: the version expired)
   * @throws MalformedAnswerException when the line is not a watch event of this type
   */
  static <T> WatchEvent<T> watchLine(String line, Class<T> type, String path,
      UnaryOperator<String> scrub) throws ApiException, MalformedAnswerException {
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
          scrub.apply(object.path("reason").asText("")),
          scrub.apply(object.path("message").asText("")));
    }
    try {
      if (kind.equals("BOOKMARK")) {
        // A bookmark carries only its resource version; it still moves the watch on.
        T value = bind(object.isObject() ? object : JSON.createObjectNode(), type, "object");
        return new WatchEvent<>(kind, value, resourceVersion(object));
      }
      if (!object.isObject()) {
        throw new Unfit("object is "
            + (object.isMissingNode() ? "missing" : shown(object)) + ", not a " + kind(type));
      }
      return new WatchEvent<>(kind, whole(object, type, "object"), resourceVersion(object));
    } catch (Unfit e) {
      throw new MalformedAnswerException(where + "a " + kind + " event, but " + e.detail());
    }
  }

  private static String resourceVersion(JsonNode object) {
    JsonNode v = object.path("metadata").path("resourceVersion");
    return v.isValueNode() ? v.asText("") : "";
  }

  /** {@link #bind}, then {@link #missingIdentity}: an object that can be told from another. */
  private static <T> T whole(JsonNode json, Class<T> type, String at) throws Unfit {
    T value = bind(json, type, at);
    String missing = missingIdentity(value);
    if (!missing.isEmpty()) {
      throw new Unfit((at.isEmpty() ? "" : at + ".") + missing + " is missing");
    }
    return value;
  }

  /** Binds {@code json} to {@code type}; {@code at} is its place in the answer, for messages. */
  private static <T> T bind(JsonNode json, Class<T> type, String at) throws Unfit {
    String prefix = at.isEmpty() ? "" : at + ".";
    if (!json.isObject()) {
      throw new Unfit((at.isEmpty() ? "the answer" : at) + " is " + shown(json)
          + ", not an object");
    }
    JsonNode kind = json.path("kind");
    if ((type == Job.class || type == Pod.class) && kind.isTextual()
        && !kind.asText().equals(kind(type))) {
      // A Status where a Job was expected, say; list items and bookmarks come without a kind.
      throw new Unfit((at.isEmpty() ? "" : at + " is ") + "a " + shown(kind).replace("\"", "")
          + (at.isEmpty() ? "" : ", not a " + kind(type)));
    }
    try {
      return JSON.treeToValue(json, type);
    } catch (JsonMappingException e) {
      String field = path(e.getPath());
      JsonNode value = at(json, e.getPath());
      String expected = e instanceof MismatchedInputException m && m.getTargetType() != null
          ? ", not " + expected(m.getTargetType()) : " (unusable)";
      throw new Unfit((field.isEmpty() ? "the object" : prefix + field) + " is "
          + (value == null ? "unusable" : shown(value)) + expected);
    } catch (JsonProcessingException e) {
      throw new Unfit("it cannot be read");
    }
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
    return LogText.escaped(value.toString(), SHOWN);
  }

  /**
   * What a value of the wrong shape was, where the answer is made into a message: the detail
   * alone, so that each caller says once which answer it was (a Job, a list, a watch line).
   */
  private static final class Unfit extends Exception {
    private static final long serialVersionUID = 1L;

    Unfit(String detail) {
      super(detail, null, false, false);
    }

    String detail() {
      return getMessage();
    }
  }
}

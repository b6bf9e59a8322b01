package dev.pixivdic.launcher.kube;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the API server's JSON becomes the launcher's records ({@link Job}, {@link Pod},
 * {@link KubeEvent}...): fields the records do not name are ignored, absent ones take the
 * records' defaults. Stateless.
 */
public final class KubeJson {
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private KubeJson() {}

  /**
   * One object.
   *
   * @throws JsonProcessingException when the JSON does not have the object's shape
   */
  public static <T> T decode(JsonNode json, Class<T> type) throws JsonProcessingException {
    T value = JSON.treeToValue(json, type);
    if (value == null) {
      throw JsonMappingException.from((JsonParser) null,
          "no " + type.getSimpleName() + " in the answer");
    }
    return value;
  }

  /**
   * A list answer ({@code {"metadata": {"resourceVersion": ...}, "items": [...]}}).
   *
   * @throws JsonProcessingException when an item does not have the object's shape
   */
  public static <T> ObjectList<T> list(JsonNode json, Class<T> type)
      throws JsonProcessingException {
    List<T> items = new ArrayList<>();
    for (JsonNode item : json.path("items")) {
      items.add(decode(item, type));
    }
    return new ObjectList<>(json.path("metadata").path("resourceVersion").asText(""), items);
  }

  /**
   * One line of a watch stream.
   *
   * @param path the watched path, for the error's message
   * @throws ApiException for an {@code ERROR} line (410 Gone: the version expired)
   * @throws IOException when the line is not a watch event
   */
  public static <T> WatchEvent<T> watchLine(String line, Class<T> type, String path)
      throws IOException {
    JsonNode event = JSON.readTree(line);
    String kind = event.path("type").asText();
    JsonNode object = event.path("object");
    if (kind.equals("ERROR")) {
      throw new ApiException(object.path("code").asInt(500), "WATCH", path,
          object.path("reason").asText(""), object.path("message").asText(""));
    }
    if (!object.isObject()) {
      object = JSON.createObjectNode(); // a line without its object still moves the watch on
    }
    return new WatchEvent<>(kind, decode(object, type),
        object.path("metadata").path("resourceVersion").asText(""));
  }
}

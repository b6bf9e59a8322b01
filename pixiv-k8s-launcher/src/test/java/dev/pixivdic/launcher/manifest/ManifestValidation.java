package dev.pixivdic.launcher.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Job;
import java.io.IOException;

/** Checks a manifest against the official Kubernetes models (client-java-api, test scope only). */
public final class ManifestValidation {
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  private ManifestValidation() {}

  /**
   * Validates recursively (unknown fields, required fields, types) and returns the typed model.
   *
   * @throws IOException or IllegalArgumentException naming the offending field
   */
  public static V1Job validate(JsonNode manifest) throws IOException {
    String json = JSON_MAPPER.writeValueAsString(manifest);
    V1Job.validateJsonElement(JsonParser.parseString(json));
    new JSON();
    return JSON.deserialize(json, V1Job.class);
  }
}

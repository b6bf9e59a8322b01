package dev.pixivdic.launcher.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Refuses a template value of a type Kubernetes does not take where the launcher reads or merges
 * it: a number or boolean where a string is wanted (a YAML reader reads {@code value: 0x1F} as
 * 31, and the API server refuses the Job), a list for an annotation, a string for
 * {@code resources}, a number that is not finite ({@code .inf}, {@code .nan}). The message
 * names the field's path.
 */
final class TemplateTypes {
  private TemplateTypes() {}

  static void check(JsonNode job) {
    meta(job.path("metadata"), "metadata");
    JsonNode pod = job.path("spec").path("template");
    meta(pod.path("metadata"), "spec.template.metadata");
    JsonNode podSpec = pod.path("spec");
    object(podSpec, "spec.template.spec");
    stringMap(podSpec.path("nodeSelector"), "spec.template.spec.nodeSelector");
    for (String list : List.of("containers", "initContainers")) {
      String path = "spec.template.spec." + list;
      array(podSpec.path(list), path);
      int i = 0;
      for (JsonNode c : podSpec.path(list)) {
        container(c, path + "[" + i++ + "]");
      }
    }
    finite(job, "");
  }

  /**
   * Refuses a number that is not finite anywhere in the template ({@code .inf}, {@code -.inf},
   * {@code .nan} in YAML, or too large for a double): no field of a Job takes one, and JSON has
   * none to send.
   */
  private static void finite(JsonNode value, String path) {
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> e : value.properties()) {
        finite(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
      }
    } else if (value.isArray()) {
      int i = 0;
      for (JsonNode item : value) {
        finite(item, path + "[" + i++ + "]");
      }
    } else if (value.isFloatingPointNumber() && !Double.isFinite(value.asDouble())) {
      double d = value.asDouble();
      String found = Double.isNaN(d) ? "not a number (.nan)"
          : d > 0 ? "infinite (.inf)" : "infinite (-.inf)";
      throw new IllegalArgumentException("--job-file's " + path + " must be a finite number,"
          + " as Kubernetes wants it, was " + found);
    }
  }

  private static void meta(JsonNode meta, String path) {
    object(meta, path);
    stringMap(meta.path("labels"), path + ".labels");
    stringMap(meta.path("annotations"), path + ".annotations");
  }

  private static void container(JsonNode c, String path) {
    object(c, path);
    string(c.path("name"), path + ".name");
    string(c.path("image"), path + ".image");
    for (String list : List.of("command", "args")) {
      array(c.path(list), path + "." + list);
      int i = 0;
      for (JsonNode arg : c.path(list)) {
        string(arg, path + "." + list + "[" + i++ + "]");
      }
    }
    array(c.path("env"), path + ".env");
    int i = 0;
    for (JsonNode e : c.path("env")) {
      String at = path + ".env[" + i++ + "]";
      object(e, at);
      string(e.path("name"), at + ".name");
      unshownString(e.path("value"), at + ".value");
      object(e.path("valueFrom"), at + ".valueFrom");
    }
    JsonNode resources = c.path("resources");
    object(resources, path + ".resources");
    object(resources.path("requests"), path + ".resources.requests");
    object(resources.path("limits"), path + ".resources.limits");
    object(c.path("securityContext"), path + ".securityContext");
  }

  private static void stringMap(JsonNode map, String path) {
    object(map, path);
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      string(e.getValue(), path + "." + e.getKey());
    }
  }

  private static void string(JsonNode value, String path) {
    if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
      throw wrong(path, "a string", value);
    }
  }

  /** As {@link #string}, never showing the value: an {@code env} value may be a secret. */
  private static void unshownString(JsonNode value, String path) {
    if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
      boolean scalar = value.isNumber() || value.isBoolean();
      String found = value.isNumber() ? "a number" : value.isBoolean() ? "a boolean"
          : value.isArray() ? "a list" : "an object";
      throw new IllegalArgumentException("--job-file's " + path + " must be a string, as"
          + " Kubernetes wants it, was " + found + " (not shown: it may be a secret"
          + (scalar ? "; a YAML reader reads an unquoted number or boolean so: quote it" : "")
          + ")");
    }
  }

  private static void object(JsonNode value, String path) {
    if (!value.isMissingNode() && !value.isNull() && !value.isObject()) {
      throw wrong(path, "an object", value);
    }
  }

  private static void array(JsonNode value, String path) {
    if (!value.isMissingNode() && !value.isNull() && !value.isArray()) {
      throw wrong(path, "a list", value);
    }
  }

  private static IllegalArgumentException wrong(String path, String wanted, JsonNode value) {
    String found = value.isNumber() ? "the number " + value
        : value.isBoolean() ? "the boolean " + value
        : value.isTextual() ? "a string"
        : value.isArray() ? "a list" : "an object";
    String hint = value.isNumber() || value.isBoolean()
        ? " (a YAML reader reads an unquoted " + value + " so: quote it)" : "";
    return new IllegalArgumentException("--job-file's " + path + " must be " + wanted
        + ", as Kubernetes wants it, was " + found + hint);
  }
}

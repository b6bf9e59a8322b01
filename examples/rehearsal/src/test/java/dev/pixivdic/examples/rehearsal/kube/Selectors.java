package dev.pixivdic.examples.rehearsal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors of list and watch requests. Labels: equality ({@code k=v}, {@code
 * k==v}, {@code k!=v}) and existence ({@code k}, {@code !k}); set-based selectors are refused
 * rather than misread. Fields: the few each kind supports in the API.
 */
final class Selectors {

  /** Field selectors the API server accepts, by kind. */
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "Job", Set.of("metadata.name", "metadata.namespace", "status.successful"),
          "Pod", Set.of("metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"),
          "Event",
              Set.of(
                  "metadata.name",
                  "metadata.namespace",
                  "involvedObject.kind",
                  "involvedObject.name",
                  "involvedObject.namespace",
                  "involvedObject.uid",
                  "reason",
                  "type",
                  "source"));

  private Selectors() {}

  /**
   * The predicate for a request's {@code labelSelector} and {@code fieldSelector}.
   *
   * @throws IllegalArgumentException for a selector the API server would refuse (400)
   */
  static Predicate<ObjectNode> of(String kind, String labelSelector, String fieldSelector) {
    Predicate<ObjectNode> p = o -> true;
    for (String term : terms(labelSelector)) {
      p = p.and(label(term));
    }
    for (String term : terms(fieldSelector)) {
      p = p.and(field(kind, term));
    }
    return p;
  }

  private static List<String> terms(String selector) {
    List<String> out = new ArrayList<>();
    if (selector != null) {
      for (String t : selector.split(",")) {
        if (!t.isBlank()) {
          out.add(t.strip());
        }
      }
    }
    return out;
  }

  private static Predicate<ObjectNode> label(String term) {
    if (term.contains(" in ") || term.contains(" notin ") || term.contains("(")) {
      throw new IllegalArgumentException("set-based label selector not supported here: " + term);
    }
    if (term.contains("!=")) {
      String[] kv = term.split("!=", 2);
      return o -> !kv[1].equals(Meta.labels(o).get(kv[0]));
    }
    if (term.contains("=")) {
      String[] kv = term.replace("==", "=").split("=", 2);
      return o -> kv[1].equals(Meta.labels(o).get(kv[0]));
    }
    if (term.startsWith("!")) {
      return o -> !Meta.labels(o).containsKey(term.substring(1));
    }
    return o -> Meta.labels(o).containsKey(term);
  }

  private static Predicate<ObjectNode> field(String kind, String term) {
    boolean negate = term.contains("!=");
    String[] kv = term.replace("!=", "=").replace("==", "=").split("=", 2);
    if (kv.length != 2 || !FIELDS.getOrDefault(kind, Set.of()).contains(kv[0])) {
      throw new IllegalArgumentException("field label not supported: " + kv[0]);
    }
    return o -> {
      JsonNode n = o;
      for (String part : kv[0].split("\\.")) {
        n = n.path(part);
      }
      return n.asText("").equals(kv[1]) != negate;
    };
  }
}

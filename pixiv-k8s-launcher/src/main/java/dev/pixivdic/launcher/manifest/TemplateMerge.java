package dev.pixivdic.launcher.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the launcher's generated Job over a user's Job template. Objects merge key by key,
 * the generated value winning; lists of named items (containers, env, volumes, volumeMounts)
 * merge by {@code name}; other lists are replaced.
 */
final class TemplateMerge {
  private static final Set<String> NAMED_LISTS =
      Set.of("containers", "env", "volumes", "volumeMounts");

  /**
   * Fields a server sets; a template exported from a cluster carries them and create rejects them.
   */
  private static final List<String> SERVER_METADATA =
      List.of(
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "managedFields",
          "selfLink",
          "ownerReferences");

  /** The top-level fields of a Job. */
  private static final List<String> JOB_FIELDS =
      List.of("apiVersion", "kind", "metadata", "spec", "status");

  private TemplateMerge() {}

  static ObjectNode apply(ObjectNode template, ObjectNode generated) {
    if (!"batch/v1".equals(template.path("apiVersion").asText("batch/v1"))
        || !"Job".equals(template.path("kind").asText("Job"))) {
      throw new IllegalArgumentException(
          "--job-file must hold a batch/v1 Job, found " + template.path("apiVersion").asText() + " "
              + template.path("kind").asText());
    }
    TemplateTypes.check(template);
    List<String> unknown = new java.util.ArrayList<>();
    template.fieldNames().forEachRemaining(f -> {
      if (!JOB_FIELDS.contains(f)) {
        unknown.add(f);
      }
    });
    if (!unknown.isEmpty()) {
      // The API server would refuse them (strict field validation) after the launcher had
      // connected; a typo such as "spce" is cheaper to name here.
      throw new IllegalArgumentException("--job-file has fields a Job does not have: " + unknown
          + "; a Job has " + JOB_FIELDS);
    }
    ObjectNode base = template.deepCopy();
    base.remove("status");
    if (base.get("metadata") instanceof ObjectNode metadata) {
      SERVER_METADATA.forEach(metadata::remove);
      metadata.remove("generateName");
    }
    if (base.path("spec") instanceof ObjectNode spec) {
      // The controller adds these from the Job's uid; a copied selector would not match the new
      // Job.
      spec.remove("selector");
      spec.remove("manualSelector");
      if (spec.path("template").path("metadata").path("labels") instanceof ObjectNode l) {
        l.remove("controller-uid");
        l.remove("batch.kubernetes.io/controller-uid");
        l.remove("job-name");
        l.remove("batch.kubernetes.io/job-name");
      }
      adoptSingleContainer(spec);
      refuseWhatUndoesTheLaunch(spec, generated);
    }
    return ordered(generated, base);
  }

  /**
   * Refuses what a template would carry into the Job that undoes it: a suspended Job starts no
   * pod (and the launcher would wait for it); a success policy ends it before every shard ran;
   * a pod replacement policy other than {@code Failed} is refused by the API next to the
   * failure policy; a {@code command} on the scraper replaces the image's {@code pixiv}, which
   * then never sees its shard or its share of {@code --qps} (a template made from an old Job
   * that ran another scraper); another container of the pixiv image would scrape without them;
   * and a shard variable set for every pod makes them all scrape one shard.
   */
  private static void refuseWhatUndoesTheLaunch(ObjectNode spec, ObjectNode generated) {
    if (spec.path("suspend").asBoolean(false)) {
      throw refused("sets spec.suspend: a suspended Job starts no pod, and pixiv-launch would"
          + " wait for it");
    }
    if (spec.has("successPolicy")) {
      throw refused("sets spec.successPolicy, which would end the Job as succeeded before every"
          + " shard ran");
    }
    JsonNode replacement = spec.get("podReplacementPolicy");
    if (replacement != null && !"Failed".equals(replacement.asText())) {
      throw refused("sets spec.podReplacementPolicy " + replacement + ": with the Job's pod"
          + " failure policy the API accepts only Failed");
    }
    String image = repository(scrapeImage(generated));
    JsonNode podSpec = spec.path("template").path("spec");
    // The container's own runAsUser, if any, is the one its processes run as.
    boolean userOfItsOwn = false;
    for (JsonNode c : podSpec.path("containers")) {
      userOfItsOwn |= c.path("name").asText().equals(ManifestBuilder.CONTAINER)
          && c.path("securityContext").has("runAsUser");
    }
    if (!userOfItsOwn && runsAsRoot(podSpec.path("securityContext"))) {
      throw refused("sets the pod's securityContext.runAsUser: 0, which contradicts the"
          + " launcher's runAsNonRoot: true (the pods would never start)");
    }
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : podSpec.path(list)) {
        String name = c.path("name").asText();
        if (name.equals(ManifestBuilder.CONTAINER) && list.equals("containers")) {
          contradictsTheLaunchersSecurity(c.path("securityContext"));
          if (c.has("command")) {
            throw refused("gives the container " + name + " a command " + c.get("command")
                + ": the image runs pixiv with the launcher's arguments (each pod's shard and"
                + " share of --qps), and a command would run something else with them");
          }
          List<String> env = new java.util.ArrayList<>();
          c.path("env").forEach(e -> env.add(e.path("name").asText()));
          JobSpec.shardVariables(env, "--job-file's container " + name);
          if (env.contains(ManifestBuilder.SHARED_BY)) {
            throw refused("sets " + ManifestBuilder.SHARED_BY + " in the container " + name
                + ": pixiv-launch sets it to --parallelism (the pods that share --qps)");
          }
        } else if (!image.isEmpty() && image.equals(repository(c.path("image").asText()))) {
          throw refused("has a container " + name + " of the pixiv image beside "
              + ManifestBuilder.CONTAINER + ": it would run without the launcher's shard and"
              + " share of --qps");
        }
      }
    }
  }

  /**
   * Refuses a scraper's securityContext that contradicts the launcher's
   * ({@code runAsNonRoot: true}, {@code allowPrivilegeEscalation: false}): the API server refuses
   * {@code privileged} next to the latter, and a pod that must run as root never starts.
   */
  private static void contradictsTheLaunchersSecurity(JsonNode security) {
    for (String key : List.of("privileged", "allowPrivilegeEscalation")) {
      if (security.path(key).asBoolean(false)) {
        throw refused("sets securityContext." + key + ": true on the container "
            + ManifestBuilder.CONTAINER + ", which contradicts the launcher's"
            + " allowPrivilegeEscalation: false (the API server would refuse the Job)");
      }
    }
    if (runsAsRoot(security)) {
      throw refused("sets securityContext.runAsUser: 0 on the container "
          + ManifestBuilder.CONTAINER + ", which contradicts the launcher's runAsNonRoot: true"
          + " (the pods would never start)");
    }
  }

  private static boolean runsAsRoot(JsonNode security) {
    JsonNode user = security.get("runAsUser");
    return user != null && user.isIntegralNumber() && user.asLong() == 0;
  }

  private static IllegalArgumentException refused(String what) {
    return new IllegalArgumentException("--job-file " + what + "; leave it out of the template");
  }

  private static String scrapeImage(ObjectNode generated) {
    for (JsonNode c : generated.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals(ManifestBuilder.CONTAINER)) {
        return c.path("image").asText();
      }
    }
    return "";
  }

  /** An image reference without its tag or digest. */
  private static String repository(String image) {
    String s = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = s.lastIndexOf(':');
    return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
  }

  /** A template with one container not named {@code scrape} means "this is the scraper". */
  private static void adoptSingleContainer(ObjectNode spec) {
    JsonNode containers = spec.path("template").path("spec").path("containers");
    if (containers instanceof ArrayNode list
        && list.size() == 1
        && list.get(0) instanceof ObjectNode only) {
      only.put("name", ManifestBuilder.CONTAINER);
    }
  }

  /** Generated keys first in their order, then the template's extra keys. */
  private static ObjectNode ordered(ObjectNode generated, ObjectNode template) {
    ObjectNode out = generated.objectNode();
    for (Map.Entry<String, JsonNode> e : generated.properties()) {
      JsonNode t = template.get(e.getKey());
      out.set(e.getKey(), merge(e.getKey(), t, e.getValue()));
    }
    for (Map.Entry<String, JsonNode> e : template.properties()) {
      if (!generated.has(e.getKey())) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  private static JsonNode merge(String key, JsonNode template, JsonNode generated) {
    if (template instanceof ObjectNode t && generated instanceof ObjectNode g) {
      return ordered(g, t);
    }
    if (NAMED_LISTS.contains(key)
        && template instanceof ArrayNode t
        && generated instanceof ArrayNode g) {
      ArrayNode out = g.arrayNode();
      for (JsonNode item : g) {
        JsonNode match = byName(t, item.path("name").asText());
        out.add(match == null ? item.deepCopy() : merge("", match, item));
      }
      for (JsonNode item : t) {
        if (byName(g, item.path("name").asText()) == null) {
          out.add(item.deepCopy());
        }
      }
      return out;
    }
    return generated.deepCopy();
  }

  private static JsonNode byName(ArrayNode list, String name) {
    for (JsonNode item : list) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    return null;
  }
}

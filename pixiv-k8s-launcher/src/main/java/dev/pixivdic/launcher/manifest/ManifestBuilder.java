package dev.pixivdic.launcher.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the {@code batch/v1} Job for a {@link JobSpec}, optionally over a user's Job template.
 * The result is a Jackson tree whose field order is fixed, so the same spec always gives the same
 * bytes. Stateless and thread-safe.
 */
public final class ManifestBuilder {
  /** Name of the scraping container; the pod failure policy refers to it. */
  public static final String CONTAINER = "scrape";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  /** Carries the Job name, so pods of one launch can be told apart. */
  public static final String LABEL_LAUNCH = "pixivdic.dev/launch";
  /** A hash of the whole manifest: a re-attach only happens to a Job built from the same spec. */
  public static final String LABEL_SPEC_HASH = "pixivdic.dev/spec-hash";

  /** The labels the launcher sets on every Job and pod, and finds them by: no {@code --label}. */
  public static final Set<String> OWN_LABELS =
      Set.of(LABEL_NAME, LABEL_MANAGED_BY, LABEL_LAUNCH, LABEL_SPEC_HASH);
  /**
   * The labels the Job controller sets on the pods, and the launcher finds them by
   * ({@code controller-uid}): a {@code --label} would be copied onto the pods with them.
   */
  public static final Set<String> CONTROLLER_LABELS = Set.of("controller-uid",
      "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name",
      "batch.kubernetes.io/job-completion-index");
  static final String MANAGED_BY = "pixiv-launch";
  static final String APP = "pixiv-scrape";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestBuilder() {}

  /** Builds the Job for {@code spec} alone. */
  /** The labels of a built Job, by key: those that tell its launch's Job from another's. */
  public static Map<String, String> labels(ObjectNode manifest) {
    Map<String, String> labels = new LinkedHashMap<>();
    manifest.path("metadata").path("labels").properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return Collections.unmodifiableMap(labels);
  }

  public static ObjectNode build(JobSpec spec) {
    return build(spec, Optional.empty());
  }

  /**
   * Builds the Job for {@code spec}; when a template is given, the fields the launcher controls
   * are applied over it and the template's other fields (tolerations, affinity, volumes, sidecars,
   * annotations...) are kept.
   *
   * @throws IllegalArgumentException when the template is not a batch/v1 Job
   */
  public static ObjectNode build(JobSpec spec, Optional<ObjectNode> template) {
    requireNonNull(spec, "spec");
    ObjectNode generated = generate(spec);
    ObjectNode job = template.map(t -> TemplateMerge.apply(t, generated)).orElse(generated);
    if (template.isPresent()) {
      // The template's env reaches the pods as --env does: held to the same rules.
      spec.refuseEnvironment(scraperEnvironment(job),
          "--job-file's container " + CONTAINER + " env");
    }
    ObjectNode labels = (ObjectNode) job.path("metadata").path("labels");
    labels.put(LABEL_SPEC_HASH, hash(job));
    return job;
  }

  /**
   * The variables the scraper container sets by value (an entry without a value sets the empty
   * string); those taken from a Secret or a field ({@code valueFrom}) are not in the Job's spec.
   */
  private static Map<String, String> scraperEnvironment(ObjectNode job) {
    Map<String, String> env = new LinkedHashMap<>();
    for (var c : job.path("spec").path("template").path("spec").path("containers")) {
      if (c.path("name").asText().equals(CONTAINER)) {
        for (var e : c.path("env")) {
          if (!e.has("valueFrom") || e.get("valueFrom").isNull()) {
            env.put(e.path("name").asText(), e.path("value").asText(""));
          }
        }
      }
    }
    return env;
  }

  private static ObjectNode generate(JobSpec spec) {
    ObjectNode job = NODES.objectNode();
    job.put("apiVersion", "batch/v1");
    job.put("kind", "Job");
    ObjectNode metadata = job.putObject("metadata");
    metadata.put("name", spec.name());
    spec.namespace().ifPresent(ns -> metadata.put("namespace", ns));
    metadata.set("labels", labels(spec));

    ObjectNode jobSpec = job.putObject("spec");
    jobSpec.put("completionMode", "Indexed");
    jobSpec.put("completions", spec.shards());
    jobSpec.put("parallelism", spec.parallelism());
    jobSpec.put("backoffLimitPerIndex", spec.backoffLimitPerIndex());
    jobSpec.set("podFailurePolicy", podFailurePolicy());
    jobSpec.put("activeDeadlineSeconds", spec.activeDeadline().toSeconds());
    jobSpec.put("ttlSecondsAfterFinished", spec.ttl().toSeconds());

    ObjectNode template = jobSpec.putObject("template");
    template.putObject("metadata").set("labels", labels(spec));
    template.set("spec", podSpec(spec));
    return job;
  }

  private static ObjectNode labels(JobSpec spec) {
    ObjectNode labels = NODES.objectNode();
    spec.labels().forEach(labels::put);
    labels.put(LABEL_NAME, APP);
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    labels.put(LABEL_LAUNCH, spec.name());
    return labels;
  }

  private static ObjectNode podFailurePolicy() {
    ObjectNode policy = NODES.objectNode();
    ArrayNode rules = policy.putArray("rules");
    // Evictions, preemptions and node drains are not the scraper's fault: retry them for free.
    ObjectNode ignore = rules.addObject();
    ignore.put("action", "Ignore");
    ObjectNode pattern = ignore.putArray("onPodConditions").addObject();
    pattern.put("type", "DisruptionTarget");
    pattern.put("status", "True");
    ObjectNode fail = rules.addObject();
    fail.put("action", "FailJob");
    ObjectNode codes = fail.putObject("onExitCodes");
    codes.put("containerName", CONTAINER);
    codes.put("operator", "In");
    ArrayNode values = codes.putArray("values");
    // Usage error and parse breakage, as pixiv defines them: no retry can fix them.
    ScrapeModel.bundled().doNotRetryExitCodes().forEach(values::add);
    return policy;
  }

  private static ObjectNode podSpec(JobSpec spec) {
    ObjectNode pod = NODES.objectNode();
    pod.put("restartPolicy", "Never");
    spec.serviceAccount().ifPresent(sa -> pod.put("serviceAccountName", sa));
    pod.put("automountServiceAccountToken", spec.mountServiceAccountToken());
    if (!spec.nodeSelector().isEmpty()) {
      ObjectNode selector = pod.putObject("nodeSelector");
      spec.nodeSelector().forEach(selector::put);
    }
    ObjectNode security = pod.putObject("securityContext");
    security.put("runAsNonRoot", true);
    security.putObject("seccompProfile").put("type", "RuntimeDefault");
    pod.putArray("containers").add(container(spec));
    ObjectNode tmp = pod.putArray("volumes").addObject();
    tmp.put("name", "tmp");
    tmp.putObject("emptyDir");
    return pod;
  }

  /** The variable that tells each pod how many pods share the site's budget at once. */
  static final String SHARED_BY = "PIXIV_QPS_SHARED_BY";

  private static ObjectNode container(JobSpec spec) {
    ObjectNode c = NODES.objectNode();
    c.put("name", CONTAINER);
    c.put("image", spec.image());
    c.put("imagePullPolicy", spec.imagePullPolicy());
    ArrayNode args = c.putArray("args");
    spec.podArgs().forEach(args::add);
    ArrayNode env = c.putArray("env");
    // The pods that run at once share the site's budget: each spaces a robots.txt Crawl-delay
    // by this many, so the site sees the delay across them all (docs/fetching.md).
    env.addObject().put("name", SHARED_BY).put("value", Integer.toString(spec.parallelism()));
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      ObjectNode var = env.addObject();
      var.put("name", e.getKey());
      var.put("value", e.getValue());
    }
    if (!spec.envFromSecrets().isEmpty()) {
      ArrayNode envFrom = c.putArray("envFrom");
      spec.envFromSecrets().forEach(s -> envFrom.addObject().putObject("secretRef").put("name", s));
    }
    ObjectNode resources = c.putObject("resources");
    for (String kind : new String[] {"requests", "limits"}) {
      ObjectNode r = resources.putObject(kind);
      r.put("cpu", spec.cpu());
      r.put("memory", spec.memory());
    }
    ObjectNode security = c.putObject("securityContext");
    security.put("allowPrivilegeEscalation", false);
    security.put("readOnlyRootFilesystem", true);
    security.put("runAsNonRoot", true);
    security.putObject("capabilities").putArray("drop").add("ALL");
    security.putObject("seccompProfile").put("type", "RuntimeDefault");
    c.put("terminationMessagePolicy", "FallbackToLogsOnError");
    ObjectNode mount = c.putArray("volumeMounts").addObject();
    mount.put("name", "tmp");
    mount.put("mountPath", "/tmp");
    return c;
  }

  private static String hash(ObjectNode job) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(JSON.writeValueAsString(job).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash the manifest", e);
    }
  }
}

package dev.pixivdic.launcher.manifest;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.Redaction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the launcher needs to build one Job. Immutable; maps keep the caller's order so the
 * manifest is deterministic. The compact constructor rejects nonsense with a message naming the
 * option ({@code --shards must be > 0, was 0}), and arguments that {@code pixiv scrape} would
 * refuse in every pod ({@link ScrapeModel}).
 *
 * @param name Job name, a DNS-1123 label of at most 63 characters
 * @param namespace namespace, empty to leave it to the connection's default
 * @param serviceAccount service account name, empty for the namespace default
 * @param image container image by tag or digest
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param shards number of shards, the Job's {@code completions}
 * @param parallelism pods that run at once
 * @param qps global request budget, divided by {@code parallelism} per pod
 * @param backoffLimitPerIndex retries of each index
 * @param activeDeadline Job-level deadline
 * @param ttl time a finished Job is kept by the cluster if the launcher cannot delete it
 * @param cpu CPU request and limit
 * @param memory memory request and limit
 * @param env environment variables of the container
 * @param envFromSecrets secrets whose keys become environment variables
 * @param labels extra labels on the Job and its pods
 * @param nodeSelector node selector of the pods
 * @param mountServiceAccountToken whether the pod gets its service-account token (Workload Identity
 *     needs it)
 * @param scrapeArgs arguments passed after {@code pixiv scrape --shards N --qps Q/P}
 */
public record JobSpec(
    String name,
    Optional<String> namespace,
    Optional<String> serviceAccount,
    String image,
    String imagePullPolicy,
    int shards,
    int parallelism,
    BigDecimal qps,
    int backoffLimitPerIndex,
    Duration activeDeadline,
    Duration ttl,
    String cpu,
    String memory,
    Map<String, String> env,
    List<String> envFromSecrets,
    Map<String, String> labels,
    Map<String, String> nodeSelector,
    boolean mountServiceAccountToken,
    List<String> scrapeArgs) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final BigDecimal MIN_QPS = new BigDecimal("0.0001");
  private static final BigDecimal MAX_QPS = new BigDecimal("10000");
  /**
   * An image reference as the kubelet parses it (the grammar of the distribution project's
   * {@code reference} package): {@code [HOST[:PORT]/]PATH[:TAG][@ALGORITHM:HEX]}, the path in
   * lower case. The API server stores any other string, and the pods then never start
   * ({@code InvalidImageName}).
   */
  private static final Pattern IMAGE_REFERENCE;

  static {
    String alphanumeric = "[a-z0-9]+";
    String pathComponent = alphanumeric + "(?:(?:[._]|__|-+)" + alphanumeric + ")*";
    String domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    String host = "(?:" + domainComponent + "(?:\\." + domainComponent + ")*"
        + "|\\[[a-fA-F0-9:]+\\])";
    String name = "(?:" + host + "(?::[0-9]+)?/)?" + pathComponent + "(?:/" + pathComponent + ")*";
    String tag = "[\\w][\\w.-]{0,127}";
    String digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    IMAGE_REFERENCE = Pattern.compile("(" + name + ")(?::" + tag + ")?(?:@" + digest + ")?");
  }

  /** The most characters the name part of an image reference may have. */
  private static final int IMAGE_NAME_MAX = 255;

  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  /** The variables pixiv reads a proxy URL from (see {@link ProxySettings}). */
  private static final Pattern PROXY_VARIABLE =
      Pattern.compile("(?i)https?_proxy|all_proxy");

  public JobSpec {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    requireNonNull(serviceAccount, "serviceAccount");
    requireNonNull(image, "image");
    requireNonNull(imagePullPolicy, "imagePullPolicy");
    requireNonNull(qps, "qps");
    requireNonNull(activeDeadline, "activeDeadline");
    requireNonNull(ttl, "ttl");
    requireNonNull(cpu, "cpu");
    requireNonNull(memory, "memory");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(env, "env")));
    envFromSecrets = List.copyOf(envFromSecrets);
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(labels, "labels")));
    nodeSelector =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(nodeSelector, "nodeSelector")));
    scrapeArgs = List.copyOf(scrapeArgs);

    if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "--name must be a DNS-1123 label (lower case letters, digits, '-', at most 63"
              + " characters), was '"
              + LogText.escaped(name)
              + "'");
    }
    // An Indexed Job's pods are named and hostnamed NAME-INDEX, a DNS label too: a name that
    // leaves no room for the last index makes a Job whose pods can never be created.
    int room = 63 - 1 - String.valueOf(Math.max(shards, 1) - 1).length();
    if (name.length() > room) {
      throw new IllegalArgumentException("--name must be at most " + room + " characters for "
          + shards + " shards (each pod is named NAME-INDEX, at most 63), was " + name.length()
          + " characters: '" + name + "'");
    }
    serviceAccount.ifPresent(sa -> subdomain("--service-account", sa));
    envFromSecrets.forEach(JobSpec::secretName);
    namespace.ifPresent(
        ns -> {
          if (!isNamespace(ns)) {
            throw new IllegalArgumentException(
                "--namespace must be a DNS-1123 label, was '" + LogText.escaped(ns) + "'");
          }
        });
    if (image.isBlank()) {
      throw new IllegalArgumentException("--image is required");
    }
    Matcher reference = IMAGE_REFERENCE.matcher(image);
    if (!reference.matches()) {
      throw new IllegalArgumentException("--image must be an image reference,"
          + " [REGISTRY[:PORT]/]REPOSITORY[:TAG][@sha256:DIGEST] with the repository in lower case"
          + " (the pods could never pull it), was '" + LogText.escaped(image) + "'");
    }
    if (reference.group(1).length() > IMAGE_NAME_MAX) {
      throw new IllegalArgumentException("--image must name a repository of at most "
          + IMAGE_NAME_MAX + " characters, was " + reference.group(1).length());
    }
    if (!PULL_POLICIES.contains(imagePullPolicy)) {
      throw new IllegalArgumentException(
          "--image-pull-policy must be one of "
              + PULL_POLICIES
              + ", was '"
              + imagePullPolicy
              + "'");
    }
    positive("--shards", shards);
    // Before the share of --qps, which --shards 1000000000 (the parallelism's default) spoils.
    ScrapeModel.bundled().outOfRange("--shards", shards).ifPresent(why -> {
      throw new IllegalArgumentException(why + " (pixiv's own range: every pod gets --shards)");
    });
    positive("--parallelism", parallelism);
    if (parallelism > shards) {
      throw new IllegalArgumentException(
          "--parallelism must be <= --shards (" + shards + "), was " + parallelism);
    }
    if (qps.signum() <= 0) {
      throw new IllegalArgumentException("--qps must be > 0, was " + qps);
    }
    // Checked before any arithmetic: 1e999999999 is a valid BigDecimal whose plain form would not
    // fit in memory. The bounds are those of pixiv's own --qps.
    if (qps.compareTo(MIN_QPS) < 0 || qps.compareTo(MAX_QPS) > 0) {
      throw new IllegalArgumentException("--qps must be from " + MIN_QPS.toPlainString() + " to "
          + MAX_QPS.toPlainString() + ", was " + qps);
    }
    if (backoffLimitPerIndex < 0) {
      throw new IllegalArgumentException(
          "--backoff-limit-per-index must be >= 0, was " + backoffLimitPerIndex);
    }
    if (activeDeadline.toSeconds() <= 0) {
      throw new IllegalArgumentException(
          "--active-deadline must be >= 1s, was " + Durations.format(activeDeadline));
    }
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("--ttl must be >= 0, was " + Durations.format(ttl));
    }
    wholeSeconds("--active-deadline", activeDeadline);
    wholeSeconds("--ttl", ttl);
    for (String key : env.keySet()) {
      // As the API: '.', '..' and a leading '..' are refused (they would be paths in a volume).
      if (!ENV_NAME.matcher(key).matches() || key.equals(".") || key.startsWith("..")) {
        throw new IllegalArgumentException(
            "--env name must be a C identifier-like name, was '"
                + LogText.escaped(Redaction.unlessKeyMaterial(key)) + "'");
      }
    }
    envSize(env);
    shardVariables(env.keySet(), "--env");
    if (env.containsKey(ManifestBuilder.SHARED_BY)) {
      throw new IllegalArgumentException("--env sets " + ManifestBuilder.SHARED_BY + ", which"
          + " pixiv-launch sets to --parallelism (the pods that share --qps); leave it out");
    }
    proxyVariables(env, "--env");
    quantity("--cpu", cpu);
    quantity("--memory", memory);
    labels.forEach((k, v) -> {
      label("--label", k, v);
      if (ManifestBuilder.OWN_LABELS.contains(k)) {
        // It was replaced without a word: the launcher finds its Jobs and pods by these.
        throw new IllegalArgumentException("--label " + k + " is set by pixiv-launch, which"
            + " finds its Jobs and pods by it; choose another key");
      }
      if (ManifestBuilder.CONTROLLER_LABELS.contains(k)) {
        throw new IllegalArgumentException("--label " + k + " is set on the pods by the Job"
            + " controller, which finds its pods by it; choose another key");
      }
    });
    nodeSelector.forEach((k, v) -> label("--node-selector", k, v));
    List<String> launcherArgs = launcherArgs(shards, perPodQps(qps, parallelism));
    ScrapeModel.bundled().refusal(launcherArgs, scrapeArgs, env).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
  }

  /**
   * Refuses proxy variables among {@code --env} that every pod's {@code pixiv} would refuse (by
   * its own rules, {@link ProxySettings}), and proxy URLs with credentials, which the Job's spec
   * would show.
   */
  /**
   * The variables that say which shard a pod is: Kubernetes sets {@code JOB_COMPLETION_INDEX} in
   * each pod of an Indexed Job only when the container does not set it, so one set for all would
   * make every pod scrape the same shard, and the Job succeed with the others never scraped.
   */
  static final List<String> SHARD_VARIABLES =
      List.of("JOB_COMPLETION_INDEX", "CLOUD_RUN_TASK_INDEX", "CLOUD_RUN_TASK_COUNT");

  /** Refuses the shard variables among {@code --env} or a template's container environment. */
  static void shardVariables(java.util.Collection<String> names, String where) {
    for (String name : names) {
      if (SHARD_VARIABLES.contains(name)) {
        throw new IllegalArgumentException(where + " sets " + name + ", which says which shard a"
            + " pod scrapes: set for every pod, every pod would scrape the same shard and the"
            + " others none; the Job gives each pod its index, leave it out");
      }
    }
  }

  /**
   * The most characters all {@code --env} names and values may have together: 1 MiB, what
   * Kubernetes allows a ConfigMap or a Secret, leaving room for the rest of the Job and its pods
   * in the 1.5 MiB the API server stores of one object.
   */
  static final int ENV_MAX_CHARS = 1 << 20;

  /** Refuses {@code --env} values the API server would refuse, as the Job too large to store. */
  private static void envSize(Map<String, String> env) {
    long total = 0;
    for (Map.Entry<String, String> e : env.entrySet()) {
      total += e.getKey().length() + e.getValue().length();
      if (total > ENV_MAX_CHARS) {
        throw new IllegalArgumentException("--env " + LogText.escaped(e.getKey(), 100)
            + ": its value has " + e.getValue().length() + " characters (not shown), and all"
            + " --env together may have at most " + ENV_MAX_CHARS + " (1 MiB: the API server"
            + " stores a Job in at most 1.5 MiB); keep large values in a file the image reads,"
            + " or in a volume of --job-file");
      }
    }
  }

  private static void proxyVariables(Map<String, String> env, String where) {
    for (String key : env.keySet()) {
      boolean proxyName = PROXY_VARIABLE.matcher(key).matches() || key.equalsIgnoreCase("no_proxy");
      if (proxyName && !key.equals(key.toLowerCase(Locale.ROOT))
          && !key.equals(key.toUpperCase(Locale.ROOT))) {
        // pixiv reads https_proxy or HTTPS_PROXY: the pods would go direct without a word.
        throw new IllegalArgumentException(where + " " + key + ": pixiv reads "
            + key.toLowerCase(Locale.ROOT) + " or " + key.toUpperCase(Locale.ROOT)
            + " only, so every pod would ignore it; write the name in one case");
      }
    }
    try {
      ProxySettings.fromEnvironment(env::get);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": pixiv would refuse it and every pod would"
          + " exit 2: " + e.getMessage(), e);
    }
    env.forEach((key, value) -> {
      if (PROXY_VARIABLE.matcher(key).matches() && !value.isBlank()
          && ScrapeModel.hasCredentials(ProxySettings.only(key, value))) {
        throw new IllegalArgumentException(where + " " + key + "="
            + ProxySettings.mask(value.strip())
            + " carries " + ScrapeModel.CREDENTIALS + ", which the Job's spec would show"
            + ScrapeModel.useSecret(key));
      }
    });
  }

  /**
   * Refuses the scraper container's whole environment as a Job template leaves it (its
   * {@code env} merged with {@link #env()}) by the rules {@code --env} is held to: what every
   * pod's {@code pixiv} would refuse, and a proxy, origin or BigQuery endpoint carrying a secret
   * that the Job's spec would show. The messages name {@code where}, never a value's secret.
   *
   * @throws IllegalArgumentException when the pods could not take it
   */
  void refuseEnvironment(Map<String, String> environment, String where) {
    proxyVariables(environment, where);
    ScrapeModel.bundled()
        .refusal(launcherArgs(shards, qpsPerPod()), scrapeArgs, environment, where)
        .ifPresent(why -> {
          throw new IllegalArgumentException(why);
        });
  }

  /** The container's arguments: {@code scrape}, the launcher's own, then {@link #scrapeArgs()}. */
  public List<String> podArgs() {
    List<String> args = new java.util.ArrayList<>();
    args.add("scrape");
    args.addAll(launcherArgs(shards, qpsPerPod()));
    args.addAll(scrapeArgs);
    return List.copyOf(args);
  }

  private static List<String> launcherArgs(int shards, BigDecimal qpsPerPod) {
    return List.of("--shards", Integer.toString(shards), "--qps", qpsPerPod.toPlainString());
  }

  private static final Pattern QUANTITY =
      Pattern.compile("(\\d+(\\.\\d+)?|\\.\\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private static void quantity(String option, String value) {
    java.util.regex.Matcher m = QUANTITY.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          option
              + " must be a Kubernetes quantity such as 500m, 2, 512Mi or 2Gi, was '"
              + LogText.escaped(value, QUANTITY_SHOWN)
              + "'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    if (number.signum() == 0) {
      // A limit of 0 is no limit: the pod would lose the guaranteed resources it asks for.
      throw new IllegalArgumentException(
          option + " must be more than 0, was '" + LogText.escaped(value) + "'");
    }
    if (option.equals("--memory") && "m".equals(m.group(3))) {
      throw new IllegalArgumentException("--memory " + value + " is in thousandths of a byte;"
          + " write mebibytes as Mi, e.g. 512Mi");
    }
    // Kubernetes holds no quantity above 2^63-1 (in bytes, or in cores): the API server
    // refused the Job only once it was sent.
    BigDecimal base = number.multiply(SUFFIXES.get(m.group(3) == null ? "" : m.group(3)));
    if (base.compareTo(QUANTITY_MAX) > 0) {
      throw new IllegalArgumentException(option + " must be at most 2^63-1 "
          + (option.equals("--memory") ? "bytes (just under 8Ei)" : "cores")
          + ", the largest quantity Kubernetes holds, was '"
          + LogText.escaped(value, QUANTITY_SHOWN) + "'");
    }
    if (option.equals("--memory") && base.compareTo(BigDecimal.ONE) < 0) {
      throw new IllegalArgumentException("--memory must be at least one byte, was '" + value
          + "'; write mebibytes as Mi, e.g. 512Mi");
    }
  }

  /** The most characters of a refused quantity a message shows. */
  private static final int QUANTITY_SHOWN = 40;
  private static final BigDecimal QUANTITY_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final Map<String, BigDecimal> SUFFIXES = suffixes();

  private static Map<String, BigDecimal> suffixes() {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("", BigDecimal.ONE);
    m.put("m", new BigDecimal("0.001"));
    String decimal = "kMGTPE";
    String binary = "KMGTPE";
    for (int i = 0; i < decimal.length(); i++) {
      m.put(String.valueOf(decimal.charAt(i)), BigDecimal.TEN.pow(3 * (i + 1)));
      m.put(binary.charAt(i) + "i", BigDecimal.valueOf(2).pow(10 * (i + 1)));
    }
    return Collections.unmodifiableMap(m);
  }

  private static void label(String option, String key, String value) {
    int slash = key.lastIndexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    boolean keyOk = !name.isEmpty() && LABEL_NAME.matcher(name).matches()
        && (slash < 0 || (prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches()));
    if (!keyOk) {
      throw new IllegalArgumentException(
          option + " key must be a label key such as team or example.com/team, was '"
              + LogText.escaped(key) + "'");
    }
    if (!LABEL_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          option
              + " "
              + key
              + " value must be at most 63 letters, digits, '-', '_'"
              + " or '.', starting and ending alphanumeric, was '"
              + LogText.escaped(value)
              + "'");
    }
  }

  /** The Job holds whole seconds: a fraction would be cut off without a word. */
  private static void wholeSeconds(String option, Duration d) {
    if (d.toNanosPart() != 0) {
      throw new IllegalArgumentException(option + " must be whole seconds (the Job holds"
          + " seconds), was " + Durations.format(d));
    }
  }

  /** Service accounts and secrets are named by DNS-1123 subdomains; the API refuses others. */
  private static void subdomain(String option, String value) {
    if (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
      throw new IllegalArgumentException(option + " must be a DNS-1123 subdomain (lower case"
          + " letters, digits, '-' and '.', at most 253 characters), was '"
          + LogText.escaped(Redaction.unlessKeyMaterial(value)) + "'");
    }
  }

  /**
   * Refuses a {@code --env-from-secret} that is no Secret's name, without showing what follows
   * an {@code =}: {@code KEY=VALUE} there is a variable meant for {@code --env}, its value often
   * the secret itself.
   */
  private static void secretName(String value) {
    int eq = value.indexOf('=');
    if (eq >= 0) {
      throw new IllegalArgumentException("--env-from-secret takes the name of a Secret (a"
          + " DNS-1123 subdomain), was '" + LogText.escaped(value.substring(0, eq)) + "=***'"
          + " (the value not shown: it may be a secret); set one variable with --env NAME=VALUE,"
          + " or keep it in a Secret and give that Secret's name");
    }
    subdomain("--env-from-secret", value);
  }

  private static void positive(String option, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " must be > 0, was " + value);
    }
  }

  /** The share of the global budget each pod gets, rounded down so the sum never exceeds it. */
  public BigDecimal qpsPerPod() {
    return perPodQps(qps, parallelism);
  }

  private static BigDecimal perPodQps(BigDecimal qps, int parallelism) {
    BigDecimal share = qps.divide(BigDecimal.valueOf(parallelism), 6, RoundingMode.DOWN);
    if (share.signum() <= 0) {
      throw new IllegalArgumentException(
          "--qps " + qps + " divided by --parallelism " + parallelism
              + " leaves less than 0.000001 per pod");
    }
    return share.stripTrailingZeros();
  }

  /** Whether {@code namespace} can name a namespace: a DNS-1123 label of at most 63 characters. */
  public static boolean isNamespace(String namespace) {
    return namespace.length() <= 63 && DNS_LABEL.matcher(namespace).matches();
  }
}

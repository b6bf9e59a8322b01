package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Kubernetes API server and one node on this machine, for running a Job launcher against: the API
 * over HTTPS reached through a generated kubeconfig, with authentication and the RBAC of the given
 * manifests; a Job controller for Indexed Jobs; a kubelet that runs each pod as a local process of
 * the image's entrypoint. What it does not model is listed in docs/decisions.md.
 *
 * <p>Start it with the cluster's objects (namespaces, service accounts, Roles and RoleBindings, as
 * YAML manifests), the images its registry holds, and the environment its node gives every
 * container (where a real cluster's network would route the pods, say). Close it to end every
 * process it started. Thread-safe.
 */
public final class StandInCluster implements AutoCloseable {

  /**
   * What the cluster is started with.
   *
   * @param manifests YAML files of Namespaces, ServiceAccounts, Roles and RoleBindings
   * @param user the identity the kubeconfig authenticates as, e.g. {@code
   *     system:serviceaccount:pixiv:pixiv-launcher}
   * @param images the registry: image references and what a container of each runs
   * @param nodeEnv environment every container gets, below the pod spec's own
   * @param scratch where pods get their working directories and the kubeconfig is written
   */
  public record Setup(
      List<Path> manifests,
      String user,
      List<Image> images,
      Map<String, String> nodeEnv,
      Path scratch) {
    public Setup {
      manifests = List.copyOf(manifests);
      requireNonNull(user, "user");
      images = List.copyOf(images);
      nodeEnv = Map.copyOf(nodeEnv);
      requireNonNull(scratch, "scratch");
    }
  }

  /** A container that ended, as the cluster's hook reports it. */
  public record PodExit(String namespace, String pod, int index, int exitCode) {}

  /**
   * A pod's container process as the node ran it.
   *
   * @param index the completion index, or -1
   * @param exitCode empty while it runs
   */
  public record PodRun(
      String namespace,
      String pod,
      int index,
      List<String> command,
      Map<String, String> env,
      String log,
      boolean alive,
      Optional<Integer> exitCode) {}

  /** A request the API server answered. */
  public record ApiRequest(String method, String uri, String user, int status) {}

  private final Changes changes = new Changes();
  private final Store store = new Store(changes);
  private final Kubelet kubelet;
  private final JobController jobs;
  private final ApiServer api;
  private final Path kubeconfig;

  private StandInCluster(Setup setup) throws IOException {
    Set<String> namespaces = new TreeSet<>();
    Set<String> serviceAccounts = new TreeSet<>();
    List<V1Role> roles = new ArrayList<>();
    List<V1RoleBinding> bindings = new ArrayList<>();
    new JSON();
    for (Path manifest : setup.manifests()) {
      for (JsonNode doc : documents(manifest)) {
        String kind = doc.path("kind").asText();
        String ns = Meta.namespace(doc);
        switch (kind) {
          case "Namespace" -> namespaces.add(Meta.name(doc));
          case "ServiceAccount" -> serviceAccounts.add(ns + "/" + Meta.name(doc));
          case "Role" -> roles.add(JSON.deserialize(doc.toString(), V1Role.class));
          case "RoleBinding" -> bindings.add(JSON.deserialize(doc.toString(), V1RoleBinding.class));
          default ->
              throw new IOException(manifest + ": the stand-in cluster does not take a " + kind);
        }
      }
    }
    // Every namespace has its default service account, as the API server makes it.
    namespaces.forEach(ns -> serviceAccounts.add(ns + "/default"));
    Map<String, Image> images = new java.util.HashMap<>();
    setup.images().forEach(i -> images.put(i.reference(), i));
    Files.createDirectories(setup.scratch());
    JobController[] controller = new JobController[1];
    kubelet =
        new Kubelet(
            images,
            setup.nodeEnv(),
            setup.scratch().resolve("pods"),
            (ns, pod, code) -> controller[0].exited(ns, pod, code),
            changes);
    jobs = new JobController(store, kubelet, serviceAccounts);
    controller[0] = jobs;
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    ServerCertificate cert = ServerCertificate.create(setup.scratch());
    api =
        new ApiServer(
            cert,
            store,
            jobs,
            kubelet,
            new Rbac(roles, bindings),
            Map.of(token, setup.user()),
            namespaces);
    kubeconfig = setup.scratch().resolve("kubeconfig");
    // JSON is YAML: kubectl and the launcher read it as any kubeconfig.
    ObjectNode config = Meta.JSON.createObjectNode();
    config.put("apiVersion", "v1").put("kind", "Config").put("current-context", "rehearsal");
    config
        .putArray("clusters")
        .addObject()
        .put("name", "rehearsal")
        .putObject("cluster")
        .put("server", api.url().toString())
        .put(
            "certificate-authority-data",
            Base64.getEncoder().encodeToString(cert.pem().getBytes(StandardCharsets.US_ASCII)));
    config
        .putArray("users")
        .addObject()
        .put("name", "rehearsal")
        .putObject("user")
        .put("token", token);
    config
        .putArray("contexts")
        .addObject()
        .put("name", "rehearsal")
        .putObject("context")
        .put("cluster", "rehearsal")
        .put("user", "rehearsal");
    Files.writeString(kubeconfig, config.toPrettyString(), StandardCharsets.UTF_8);
  }

  /**
   * The cluster objects this repository ships in {@code examples/k8s}: the namespace, the service
   * accounts, and the launcher's Role and RoleBinding.
   */
  public static List<Path> shippedManifests(Path repositoryRoot) {
    Path k8s = repositoryRoot.resolve("examples/k8s");
    return List.of(
        k8s.resolve("namespace.yaml"),
        k8s.resolve("serviceaccounts.yaml"),
        k8s.resolve("rbac.yaml"));
  }

  /** Starts the API server; the kubeconfig is ready when this returns. */
  public static StandInCluster start(Setup setup) throws IOException {
    return new StandInCluster(requireNonNull(setup, "setup"));
  }

  /** A kubeconfig whose current context reaches this cluster as the setup's user. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Runs {@code listener} whenever a container ends, before the Job controller reacts. */
  public void onPodExit(Consumer<PodExit> listener) {
    jobs.onExit(listener);
  }

  /**
   * Evicts a running pod (a node drain): it is marked {@code DisruptionTarget}, then terminated.
   */
  public void evict(String namespace, String pod) {
    jobs.evict(namespace, pod);
  }

  /**
   * From now on, a failed index gets its next pod only after the Job controller's pod failure
   * backoff: {@code first}, doubled per failure of the index, at most 6 min (Kubernetes: 10 s).
   * Zero, the default, retries at once.
   */
  public void podFailureBackoff(Duration first) {
    jobs.podFailureBackoff(first);
  }

  /**
   * From now on, every container of this completion index is killed (SIGKILL) as soon as it
   * starts, as the out-of-memory killer would; null stops it.
   */
  public void killAtStart(Integer index) {
    kubelet.killAtStart(index);
  }

  public List<ApiRequest> requests() {
    return api.requests().stream()
        .map(r -> new ApiRequest(r.method(), r.uri(), r.user(), r.status()))
        .toList();
  }

  /** Every container the node ran, in start order. */
  public List<PodRun> pods() {
    List<PodRun> out = new ArrayList<>();
    for (Kubelet.Container c : kubelet.containers()) {
      Process p = c.process();
      int index = Integer.parseInt(c.env().getOrDefault("JOB_COMPLETION_INDEX", "-1"));
      out.add(
          new PodRun(
              c.namespace(),
              c.pod(),
              index,
              c.command(),
              c.env(),
              c.log().text(),
              p.isAlive(),
              p.isAlive() ? Optional.empty() : Optional.of(p.exitValue())));
    }
    return out;
  }

  /** The Jobs the API holds now. */
  public List<JsonNode> jobs(String namespace) {
    return List.copyOf(store.list("Job", namespace, j -> true));
  }

  /**
   * Every Job as it was when it reached {@code Complete} or {@code Failed}, deleted ones included.
   */
  public List<JsonNode> finishedJobs() {
    return jobs.finished();
  }

  /** The pods the API holds now (finished pods of an existing Job included). */
  public List<JsonNode> podObjects(String namespace) {
    return List.copyOf(store.list("Pod", namespace, p -> true));
  }

  /**
   * Waits until {@code condition} holds, checking it again whenever the cluster changes (an
   * object stored or removed, a container started or ended, a log line); returns whether it held
   * within {@code timeout}.
   */
  public boolean await(Duration timeout, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    return changes.await(timeout, condition);
  }

  /** Waits until no container process runs; returns whether that happened in time. */
  public boolean awaitNoContainerRunning(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    for (Kubelet.Container c : kubelet.containers()) {
      long left = end - System.nanoTime();
      if (left <= 0 || !c.process().waitFor(left, TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    api.close();
    jobs.close();
    kubelet.close();
  }

  /**
   * The documents of a YAML file. Read with SnakeYAML's own API: Digdag pins SnakeYAML 1.x on this
   * classpath, which Jackson's YAML module cannot run on.
   */
  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (java.io.Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(in)) {
        if (doc instanceof Map<?, ?>) {
          docs.add(Meta.JSON.valueToTree(doc));
        }
      }
    }
    return docs;
  }
}

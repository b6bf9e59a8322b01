package dev.pixivdic.examples.rehearsal.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Job;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's REST front: HTTPS on 127.0.0.1, bearer-token authentication, RBAC, and the parts
 * of the API a Job launcher uses: Jobs (create, get, list, watch, delete), pods (get, list, watch,
 * log with follow) and events (list). Created Jobs are checked as the API server checks them:
 * strict field validation against the official models, then the semantic rules that matter for
 * Indexed Jobs. Every request is recorded with its answer's status.
 */
final class ApiServer implements AutoCloseable {

  /** A request as the server answered it. */
  record Request(String method, String uri, String user, int status) {}

  private static final Pattern PATH =
      Pattern.compile(
          "^/(?:api/v1|apis/(batch)/v1)/namespaces/([^/]+)/([a-z]+)(?:/([^/]+))?(?:/([a-z]+))?$");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Map<String, String> KINDS =
      Map.of("jobs", "Job", "pods", "Pod", "events", "Event");
  private static final Map<String, String> GROUPS =
      Map.of("jobs", "batch", "pods", "", "events", "");

  private final HttpsServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(Meta.daemons("kube-apiserver-%d"));
  private final Store store;
  private final JobController jobs;
  private final Kubelet kubelet;
  private final Rbac rbac;
  private final Map<String, String> users;
  private final Set<String> namespaces;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  ApiServer(
      ServerCertificate cert,
      Store store,
      JobController jobs,
      Kubelet kubelet,
      Rbac rbac,
      Map<String, String> usersByToken,
      Set<String> namespaces)
      throws IOException {
    this.store = requireNonNull(store, "store");
    this.jobs = requireNonNull(jobs, "jobs");
    this.kubelet = requireNonNull(kubelet, "kubelet");
    this.rbac = requireNonNull(rbac, "rbac");
    this.users = Map.copyOf(usersByToken);
    this.namespaces = Set.copyOf(namespaces);
    new JSON(); // the generated models need their Gson set up once
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(cert.ssl()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    String user = "";
    int[] status = {0};
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      user =
          auth != null && auth.startsWith("Bearer ")
              ? users.getOrDefault(auth.substring(7), "")
              : "";
      if (user.isEmpty()) {
        status[0] = Statuses.send(ex, 401, "Unauthorized", "Unauthorized");
        return;
      }
      Matcher m = PATH.matcher(ex.getRequestURI().getRawPath());
      if (!m.matches()
          || !KINDS.containsKey(m.group(3))
          || !GROUPS.get(m.group(3)).equals(m.group(1) == null ? "" : m.group(1))) {
        status[0] =
            Statuses.send(ex, 404, "NotFound", "the server could not find the requested resource");
        return;
      }
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      String ns = m.group(2);
      String resource = m.group(3);
      String name = m.group(4) == null ? "" : m.group(4);
      String sub = m.group(5) == null ? "" : m.group(5);
      String verb = verb(ex.getRequestMethod(), name, query);
      Rbac.Attributes a =
          new Rbac.Attributes(user, verb, GROUPS.get(resource), resource, sub, ns, name);
      if (!rbac.allows(a)) {
        status[0] = Statuses.send(ex, 403, "Forbidden", a.refusal());
        return;
      }
      if (!namespaces.contains(ns)) {
        status[0] = Statuses.send(ex, 404, "NotFound", "namespaces \"" + ns + "\" not found");
        return;
      }
      status[0] = route(ex, verb, ns, resource, name, sub, query);
    } catch (IllegalArgumentException e) {
      status[0] = Statuses.send(ex, 400, "BadRequest", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      if (ex.getResponseCode() == -1) {
        // Nothing answered yet: the stand-in itself failed; say so instead of hanging up.
        e.printStackTrace(System.err);
        status[0] = Statuses.send(ex, 500, "InternalError", "stand-in failure: " + e);
      } else {
        // A client that went away mid-stream (a stopped watch or log follower) lands here.
        status[0] = status[0] == 0 ? 599 : status[0];
      }
    } finally {
      requests.add(
          new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), user, status[0]));
    }
  }

  private static String verb(String method, String name, Map<String, String> query) {
    return switch (method) {
      case "GET" -> name.isEmpty() ? ("true".equals(query.get("watch")) ? "watch" : "list") : "get";
      case "POST" -> "create";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
  }

  private int route(
      HttpExchange ex,
      String verb,
      String ns,
      String resource,
      String name,
      String sub,
      Map<String, String> query)
      throws IOException, InterruptedException {
    String kind = KINDS.get(resource);
    if (!sub.isEmpty()) {
      if (resource.equals("pods") && sub.equals("log") && verb.equals("get")) {
        return log(ex, ns, name, query);
      }
      return Statuses.send(ex, 404, "NotFound", "the server could not find the requested resource");
    }
    switch (verb) {
      case "list" -> {
        return list(ex, kind, resource, ns, query);
      }
      case "watch" -> {
        return watch(ex, kind, ns, query);
      }
      case "get" -> {
        Optional<ObjectNode> o = store.get(kind, ns, name);
        return o.isPresent() ? Statuses.json(ex, 200, o.get()) : notFound(ex, resource, name);
      }
      case "create" -> {
        if (!resource.equals("jobs")) {
          return Statuses.send(
              ex, 405, "MethodNotAllowed", "create " + resource + " is not served here");
        }
        return create(ex, ns, query);
      }
      case "delete" -> {
        if (!resource.equals("jobs")) {
          return Statuses.send(
              ex, 405, "MethodNotAllowed", "delete " + resource + " is not served here");
        }
        if (store.get(kind, ns, name).isEmpty()) {
          return notFound(ex, resource, name);
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String policy =
            query.getOrDefault(
                "propagationPolicy",
                body.isBlank()
                    ? "Orphan"
                    : Meta.JSON.readTree(body).path("propagationPolicy").asText("Orphan"));
        if (!List.of("Background", "Foreground", "Orphan").contains(policy)) {
          return Statuses.send(ex, 400, "BadRequest", "unsupported propagationPolicy " + policy);
        }
        return Statuses.json(ex, 200, jobs.delete(ns, name, policy));
      }
      default -> {
        return Statuses.send(
            ex, 405, "MethodNotAllowed", verb + " " + resource + " is not served here");
      }
    }
  }

  private int notFound(HttpExchange ex, String resource, String name) throws IOException {
    String group = GROUPS.get(resource).isEmpty() ? "" : "." + GROUPS.get(resource);
    return Statuses.send(ex, 404, "NotFound", resource + group + " \"" + name + "\" not found");
  }

  private int list(
      HttpExchange ex, String kind, String resource, String ns, Map<String, String> query)
      throws IOException {
    Predicate<ObjectNode> filter =
        Selectors.of(kind, query.get("labelSelector"), query.get("fieldSelector"));
    ObjectNode list = Meta.JSON.createObjectNode();
    list.put("kind", kind + "List").put("apiVersion", resource.equals("jobs") ? "batch/v1" : "v1");
    long version;
    List<ObjectNode> items;
    synchronized (store) {
      version = store.resourceVersion();
      items = store.list(kind, ns, filter);
    }
    list.putObject("metadata").put("resourceVersion", Long.toString(version));
    // List items carry no kind or apiVersion in the API's answers.
    items.forEach(i -> list.withArray("items").add(i.remove(List.of("kind", "apiVersion"))));
    if (items.isEmpty()) {
      list.putArray("items");
    }
    return Statuses.json(ex, 200, list);
  }

  private int watch(HttpExchange ex, String kind, String ns, Map<String, String> query)
      throws IOException, InterruptedException {
    Predicate<ObjectNode> filter =
        Selectors.of(kind, query.get("labelSelector"), query.get("fieldSelector"));
    String rv = query.getOrDefault("resourceVersion", "");
    long timeout = Long.parseLong(query.getOrDefault("timeoutSeconds", "1800"));
    List<ObjectNode> initial = List.of();
    Store.Subscription sub;
    synchronized (store) {
      if (rv.isEmpty() || rv.equals("0")) {
        // "Any version": the current objects as ADDED, then what follows.
        initial = store.list(kind, ns, filter);
        sub = store.watch(kind, ns, filter, store.resourceVersion());
      } else {
        sub = store.watch(kind, ns, filter, Long.parseLong(rv));
      }
    }
    try (sub) {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (ObjectNode o : initial) {
        event(out, "ADDED", o);
      }
      out.flush();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
      while (System.nanoTime() < end) {
        Store.Change c = sub.changes().poll(200, TimeUnit.MILLISECONDS);
        if (c != null) {
          event(out, c.type(), c.object());
        }
      }
      out.close();
      return 200;
    }
  }

  private static void event(OutputStream out, String type, JsonNode object) throws IOException {
    ObjectNode e = Meta.JSON.createObjectNode();
    e.put("type", type);
    e.set("object", object);
    out.write((e + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private int log(HttpExchange ex, String ns, String name, Map<String, String> query)
      throws IOException, InterruptedException {
    Optional<ObjectNode> pod = store.get("Pod", ns, name);
    if (pod.isEmpty()) {
      return notFound(ex, "pods", name);
    }
    JsonNode cs = pod.get().path("status").path("containerStatuses").path(0);
    String container = query.getOrDefault("container", cs.path("name").asText());
    if (!container.equals(cs.path("name").asText())) {
      return Statuses.send(
          ex, 400, "BadRequest", "container " + container + " is not valid for pod " + name);
    }
    Optional<Kubelet.Container> c = kubelet.container(ns, name);
    if (c.isEmpty()) {
      String reason = cs.path("state").path("waiting").path("reason").asText("ContainerCreating");
      return Statuses.send(
          ex,
          400,
          "BadRequest",
          "container \"" + container + "\" in pod \"" + name + "\" is waiting to start: " + reason);
    }
    Instant since = query.containsKey("sinceTime") ? Instant.parse(query.get("sinceTime")) : null;
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      c.get()
          .log()
          .copyTo(
              out,
              since,
              "true".equals(query.get("timestamps")),
              "true".equals(query.get("follow")),
              () -> store.get("Pod", ns, name).isPresent());
    }
    return 200;
  }

  private int create(HttpExchange ex, String ns, Map<String, String> query) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    ObjectNode job = (ObjectNode) Meta.JSON.readTree(body);
    if (!"batch/v1".equals(job.path("apiVersion").asText())
        || !"Job".equals(job.path("kind").asText())) {
      return Statuses.send(ex, 400, "BadRequest", "the body is not a batch/v1 Job");
    }
    if ("Strict".equals(query.get("fieldValidation"))) {
      try {
        V1Job.validateJsonElement(JsonParser.parseString(body));
      } catch (IllegalArgumentException e) {
        return Statuses.send(ex, 400, "BadRequest", "strict decoding error: " + e.getMessage());
      }
    }
    V1Job model = JSON.deserialize(body, V1Job.class);
    String name = Meta.name(job);
    String given = Meta.namespace(job);
    if (!given.isEmpty() && !given.equals(ns)) {
      return Statuses.send(
          ex,
          400,
          "BadRequest",
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    Meta.metadata(job).put("namespace", ns);
    model.getMetadata().setNamespace(ns);
    Optional<String> invalid = JobValidation.problem(model);
    if (invalid.isPresent()) {
      return Statuses.send(
          ex, 422, "Invalid", "Job.batch \"" + name + "\" is invalid: " + invalid.get());
    }
    synchronized (store) {
      if (store.get("Job", ns, name).isPresent()) {
        return Statuses.send(
            ex, 409, "AlreadyExists", "jobs.batch \"" + name + "\" already exists");
      }
      return Statuses.json(ex, 201, jobs.create(job, model));
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        String[] p = kv.split("=", 2);
        out.put(
            URLDecoder.decode(p[0], StandardCharsets.UTF_8),
            p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
      }
    }
    return out;
  }

  static boolean isDnsLabel(String s) {
    return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

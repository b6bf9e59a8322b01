package dev.pixivdic.launcher.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.Redaction;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the cluster to talk to, as kubectl does: {@code --kubeconfig}, else the files listed in
 * {@code KUBECONFIG} (merged, the first file to define a name wins), else the in-cluster service
 * account, else {@code ~/.kube/config}.
 */
// One piece although long: kubectl's rules (merge the files, pick the context, then its cluster,
// user and their credentials) read one YAML tree in that order, and each step names the file and
// entry in its errors; split, every part would pass the same tree and "where" along.
public final class KubeConfig {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KubeConfig.class);
  private static final YAMLMapper YAML = new YAMLMapper();

  private KubeConfig() {}

  /** Where to look; the process environment in production, fixtures in tests. */
  public record Environment(
      Map<String, String> env, Path home, Path serviceAccountDir, Clock clock) {
    public static Environment system() {
      return new Environment(
          System.getenv(),
          Path.of(System.getProperty("user.home")),
          InCluster.DEFAULT_DIR,
          Clock.systemUTC());
    }
  }

  /**
   * Resolves the connection.
   *
   * @throws IOException naming the file and entry when a kubeconfig is missing, unreadable or
   *     refers to a name it does not define
   */
  public static Cluster resolve(
      Optional<Path> kubeconfig, Optional<String> context, Environment environment)
      throws IOException {
    List<Path> files = new ArrayList<>();
    if (kubeconfig.isPresent()) {
      files.add(kubeconfig.get());
    } else if (!environment.env().getOrDefault("KUBECONFIG", "").isEmpty()) {
      for (String p : environment.env().get("KUBECONFIG").split(File.pathSeparator)) {
        if (!p.isEmpty()) {
          files.add(Path.of(p));
        }
      }
    } else if (context.isEmpty()
        && InCluster.available(environment.env(), environment.serviceAccountDir())) {
      return InCluster.load(environment.env(), environment.serviceAccountDir());
    } else {
      files.add(environment.home().resolve(".kube").resolve("config"));
    }
    return fromFiles(files, context, environment);
  }

  private static Cluster fromFiles(List<Path> files, Optional<String> contextOverride,
      Environment environment) throws IOException {
    Map<String, Entry> clusters = new LinkedHashMap<>();
    Map<String, Entry> users = new LinkedHashMap<>();
    Map<String, Entry> contexts = new LinkedHashMap<>();
    String current = null;
    boolean any = false;
    for (Path file : files) {
      if (!Files.exists(file) && files.size() > 1) {
        continue; // kubectl skips missing files of a KUBECONFIG list
      }
      JsonNode root;
      try {
        // A cap: /dev/zero named by mistake ran the JVM out of memory.
        root = YAML.readTree(dev.pixivdic.support.internal.TextFiles.read(file, 16 << 20));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IOException("kubeconfig " + file + " does not exist", e);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        // The parser's own message quotes the offending line, which may hold a token: name the
        // place only.
        var at = e.getLocation();
        throw new IOException(
            "kubeconfig "
                + file
                + " is not valid YAML"
                + (at == null
                    ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
      } catch (IOException e) {
        throw new IOException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
      }
      if (root == null || root.isMissingNode() || root.isNull()) {
        continue;
      }
      any = true;
      Path dir = file.toAbsolutePath().getParent();
      collect(root, "clusters", "cluster", dir, clusters);
      collect(root, "users", "user", dir, users);
      collect(root, "contexts", "context", dir, contexts);
      if (current == null && !root.path("current-context").asText("").isEmpty()) {
        current = root.path("current-context").asText();
      }
    }
    if (!any) {
      throw new IOException("no kubeconfig found in " + files);
    }
    String where = "kubeconfig " + files;
    String contextName = contextOverride.orElse(current);
    if (contextName == null) {
      throw new IOException(where + " has no current-context; pass --context");
    }
    Entry context = require(contexts, "context", contextName, where);
    String clusterName = context.node().path("cluster").asText();
    Entry cluster = require(clusters, "cluster", clusterName, where);
    String userName = context.node().path("user").asText("");
    Entry user =
        userName.isEmpty()
            ? new Entry(JsonNodeFactory.instance.objectNode(), cluster.dir())
            : require(users, "user", userName, where);
    String namespace = context.node().path("namespace").asText("");
    return build(cluster, user, namespace.isEmpty() ? "default" : namespace,
        where + " context " + contextName, environment);
  }

  private record Entry(JsonNode node, Path dir) {}

  private static void collect(
      JsonNode root, String list, String field, Path dir, Map<String, Entry> into) {
    for (JsonNode item : root.path(list)) {
      into.putIfAbsent(item.path("name").asText(), new Entry(item.path(field), dir));
    }
  }

  private static Entry require(Map<String, Entry> map, String kind, String name, String where)
      throws IOException {
    Entry e = map.get(name);
    if (e == null) {
      throw new IOException(where + " defines no " + kind + " named '" + name + "'");
    }
    return e;
  }

  private static Cluster build(Entry cluster, Entry user, String namespace, String where,
      Environment environment) throws IOException {
    Clock clock = environment.clock();
    JsonNode c = cluster.node();
    String serverText = c.path("server").asText("");
    URI server = server(serverText, where);
    ProxySettings proxy;
    String proxyUrl = c.path("proxy-url").asText("");
    try {
      // As kubectl: the cluster's proxy-url wins over the environment, NO_PROXY included.
      proxy = proxyUrl.isEmpty() ? environmentProxy(environment.env(), where)
          : ProxySettings.only(where + " proxy-url", proxyUrl);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    Optional<byte[]> ca = bytes(c, "certificate-authority", cluster.dir(), where);
    String tlsServerName = c.path("tls-server-name").asText("");
    boolean insecure = c.path("insecure-skip-tls-verify").asBoolean(false);
    String expectedHost =
        tlsServerName.isEmpty()
            ? server.getHost().replace("[", "").replace("]", "")
            : tlsServerName;

    JsonNode u = user.node();
    Optional<Tls.ClientCertificate> clientCert = Optional.empty();
    Optional<byte[]> cert = bytes(u, "client-certificate", user.dir(), where);
    Optional<byte[]> key = bytes(u, "client-key", user.dir(), where);
    if (cert.isPresent() != key.isPresent()) {
      throw new IOException(where + ": client-certificate and client-key must be given together");
    }
    if (cert.isPresent()) {
      clientCert =
          Optional.of(
              new Tls.ClientCertificate(
                  Pem.certificates(cert.get(), where + " client-certificate"),
                  Pem.privateKey(key.get(), where + " client-key")));
    }
    var caCerts =
        ca.isPresent()
            ? Pem.certificates(ca.get(), where + " certificate-authority")
            : List.<java.security.cert.X509Certificate>of();
    var ssl = Tls.context(caCerts, expectedHost, insecure, clientCert);
    return new Cluster(
        server,
        ssl,
        credentials(u, user.dir(), where, c, server.toString(), clock),
        namespace,
        where,
        proxy);
  }

  /**
   * The proxy the environment names for a cluster without {@code proxy-url}.
   *
   * @throws IOException naming {@code where} and the variable when a proxy URL is unusable
   */
  static ProxySettings environmentProxy(Map<String, String> env, String where)
      throws IOException {
    try {
      return ProxySettings.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * The server's base URL without what must not be sent or shown. User-info is refused (it would
   * be basic authentication, which is not supported); a query string or fragment is dropped, as
   * kubectl does. Messages show the URL masked, and one that cannot be read by its scheme alone
   * ({@link Redaction#origin}).
   */
  private static URI server(String text, String where) throws IOException {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      // Not chained: the parser's message repeats the whole URL.
      throw new IOException(where + ": bad server URL '" + Redaction.origin(text) + "'");
    }
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IOException(
          where + ": server must be an https:// URL, was '"
              + LogText.escaped(Redaction.origin(text)) + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IOException(
          where
              + ": the server URL '"
              + Redaction.origin(text)
              + "' carries a user name and password, which pixiv-launch never sends (basic"
              + " authentication is not supported); remove them and authenticate with a token, a"
              + " client certificate or an exec plugin");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      LOG.warn("{}: the query string of the server URL '{}' is ignored, as kubectl does", where,
          Redaction.origin(text));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    try {
      return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    } catch (URISyntaxException e) {
      throw new IOException(where + ": bad server URL '" + Redaction.origin(text) + "'");
    }
  }

  private static Credentials credentials(
      JsonNode u, Path dir, String where, JsonNode cluster, String server, Clock clock)
      throws IOException {
    if (u.has("auth-provider")) {
      throw new IOException(
          where
              + ": auth-provider '"
              + u.path("auth-provider").path("name").asText()
              + "' is not supported; use an exec plugin such as gke-gcloud-auth-plugin");
    }
    if (u.has("username") || u.has("password")) {
      throw new IOException(where + ": basic authentication (username/password) is not supported");
    }
    if (u.hasNonNull("token")) {
      return Credentials.token(u.get("token").asText());
    }
    if (u.hasNonNull("tokenFile")) {
      return Credentials.tokenFile(dir.resolve(u.get("tokenFile").asText()));
    }
    if (u.has("exec")) {
      JsonNode exec = u.get("exec");
      String command = exec.path("command").asText("");
      if (command.isEmpty()) {
        throw new IOException(where + ": exec.command is empty");
      }
      // A relative path with a slash is relative to the kubeconfig; a bare name is looked up on
      // PATH.
      if (command.contains("/") && !Path.of(command).isAbsolute()) {
        command = dir.resolve(command).toString();
      }
      List<String> args = new ArrayList<>();
      exec.path("args").forEach(a -> args.add(a.asText()));
      Map<String, String> env = new LinkedHashMap<>();
      exec.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
      Optional<ObjectNode> clusterInfo = Optional.empty();
      if (exec.path("provideClusterInfo").asBoolean(false)) {
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        info.put("server", server);
        if (cluster.hasNonNull("certificate-authority-data")) {
          info.put(
              "certificate-authority-data", cluster.get("certificate-authority-data").asText());
        }
        if (cluster.hasNonNull("tls-server-name")) {
          info.put("tls-server-name", cluster.get("tls-server-name").asText());
        }
        if (cluster.path("insecure-skip-tls-verify").asBoolean(false)) {
          info.put("insecure-skip-tls-verify", true);
        }
        clusterInfo = Optional.of(info);
      }
      try {
        return new ExecCredentials(
            ExecCredentials.commandLine(command, args),
            env,
            exec.path("apiVersion").asText(""),
            Optional.ofNullable(exec.path("installHint").textValue()),
            clusterInfo,
            clock);
      } catch (IllegalArgumentException e) {
        throw new IOException(where + ": " + e.getMessage(), e);
      }
    }
    return Credentials.none();
  }

  /**
   * Reads {@code field} (a path, relative to the kubeconfig's directory) or {@code field-data}
   * (base64).
   */
  private static Optional<byte[]> bytes(JsonNode node, String field, Path dir, String where)
      throws IOException {
    String data = node.path(field + "-data").asText("");
    if (!data.isEmpty()) {
      try {
        return Optional.of(Base64.getMimeDecoder().decode(data));
      } catch (IllegalArgumentException e) {
        throw new IOException(where + ": " + field + "-data is not base64", e);
      }
    }
    String path = node.path(field).asText("");
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Path file = dir.resolve(path);
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException(
          where + ": cannot read " + field + " " + file + ": " + e.getMessage(), e);
    }
  }
}

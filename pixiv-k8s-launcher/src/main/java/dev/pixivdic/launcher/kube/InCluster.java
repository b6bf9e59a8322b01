package dev.pixivdic.launcher.kube;

import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The service account of the pod the launcher runs in. */
final class InCluster {
  static final Path DEFAULT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  private static final String SOURCE = "in-cluster service account";
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private InCluster() {}

  /**
   * Whether this looks like a pod with a mounted service-account token. An empty
   * KUBERNETES_SERVICE_HOST does not, as for client-go.
   */
  static boolean available(Map<String, String> env, Path dir) {
    return !env.getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank()
        && Files.isReadable(dir.resolve("token"));
  }

  /**
   * The cluster of the pod's service account.
   *
   * @throws IOException naming the variable or file that is unusable: a port that is none, a host
   *     that is no host, a CA certificate that is missing or unreadable
   */
  static Cluster load(Map<String, String> env, Path dir) throws IOException {
    String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").trim();
    if (host.isEmpty()) {
      throw new IOException("not in a cluster: KUBERNETES_SERVICE_HOST is not set");
    }
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "").trim();
    port = port.isEmpty() ? "443" : port;
    int number = PORT.matcher(port).matches() ? Integer.parseInt(port) : 0;
    if (number < 1 || number > 65535) {
      throw new IOException(SOURCE + ": KUBERNETES_SERVICE_PORT must be a port from 1 to 65535,"
          + " was '" + LogText.escaped(port) + "'");
    }
    URI server = server(host, number);
    Path ca = dir.resolve("ca.crt");
    byte[] caBytes;
    try {
      caBytes = Files.readAllBytes(ca);
    } catch (IOException e) {
      throw new IOException(SOURCE + ": cannot read the cluster's CA certificate " + ca + " ("
          + e.getClass().getSimpleName() + "); is the service-account token mounted"
          + " (automountServiceAccountToken)?", e);
    }
    var caCerts = Pem.certificates(caBytes, ca.toString());
    Path nsFile = dir.resolve("namespace");
    String namespace = Files.isReadable(nsFile) ? Files.readString(nsFile).trim() : "";
    return new Cluster(server, Tls.context(caCerts, host, false, Optional.empty()),
        Credentials.tokenFile(dir.resolve("token")), namespace.isEmpty() ? "default" : namespace,
        SOURCE, KubeConfig.environmentProxy(env, SOURCE));
  }

  private static URI server(String host, int port) throws IOException {
    try {
      // The multi-argument constructor puts an IPv6 address in brackets.
      URI server = new URI("https", null, host, port, null, null, null);
      if (server.getHost() != null) {
        return server;
      }
    } catch (URISyntaxException e) {
      // named below
    }
    throw new IOException(SOURCE + ": KUBERNETES_SERVICE_HOST must be a host name or address,"
        + " was '" + LogText.escaped(host) + "'");
  }
}

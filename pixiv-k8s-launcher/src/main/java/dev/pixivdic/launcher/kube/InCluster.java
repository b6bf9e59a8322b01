package dev.pixivdic.launcher.kube;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The service account of the pod the launcher runs in. */
final class InCluster {
  static final Path DEFAULT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private InCluster() {}

  /** Whether this looks like a pod with a mounted service-account token. */
  static boolean available(Map<String, String> env, Path dir) {
    return env.containsKey("KUBERNETES_SERVICE_HOST") && Files.isReadable(dir.resolve("token"));
  }

  static Cluster load(Map<String, String> env, Path dir) throws IOException {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null) {
      throw new IOException("not in a cluster: KUBERNETES_SERVICE_HOST is not set");
    }
    String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    URI server = URI.create("https://" + authority + ":" + port);
    Path ca = dir.resolve("ca.crt");
    var caCerts = Pem.certificates(Files.readAllBytes(ca), ca.toString());
    Path nsFile = dir.resolve("namespace");
    String namespace = Files.isReadable(nsFile) ? Files.readString(nsFile).trim() : "default";
    String source = "in-cluster service account";
    return new Cluster(server, Tls.context(caCerts, host, false, Optional.empty()),
        Credentials.tokenFile(dir.resolve("token")), namespace, source,
        KubeConfig.environmentProxy(env, source));
  }
}

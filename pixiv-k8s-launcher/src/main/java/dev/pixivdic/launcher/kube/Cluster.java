package dev.pixivdic.launcher.kube;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.support.ProxySettings;
import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * Where and how to reach one API server.
 *
 * @param server base URL such as {@code https://10.0.0.1:443}, perhaps with a path prefix (a
 *     proxy's); never user-info nor a query string, so it may be shown in messages
 * @param ssl TLS context that trusts the cluster's CA, checks the expected host name and presents
 *     the client certificate if any
 * @param credentials bearer token source
 * @param namespace namespace of the context, {@code default} when none is set
 * @param source where the settings came from, for messages
 * @param proxy the HTTP proxy on the way to the server, if any (the cluster's {@code proxy-url},
 *     else {@code HTTPS_PROXY} and its kin)
 */
public record Cluster(URI server, SSLContext ssl, Credentials credentials, String namespace,
    String source, ProxySettings proxy) {
  public Cluster {
    requireNonNull(server, "server");
    requireNonNull(ssl, "ssl");
    requireNonNull(credentials, "credentials");
    requireNonNull(namespace, "namespace");
    requireNonNull(source, "source");
    requireNonNull(proxy, "proxy");
  }

  /** A cluster reached directly, without a proxy. */
  public Cluster(URI server, SSLContext ssl, Credentials credentials, String namespace,
      String source) {
    this(server, ssl, credentials, namespace, source, ProxySettings.none());
  }
}

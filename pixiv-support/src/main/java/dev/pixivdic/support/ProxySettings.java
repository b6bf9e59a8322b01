package dev.pixivdic.support;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

// One piece although just over 300 lines, most of them the contract in Javadoc: which variable
// wins and how a URL is read. NO_PROXY matching lives in NoProxy.
/**
 * Which HTTP proxy a request goes through: {@code --proxy URL} (or a kubeconfig cluster's
 * {@code proxy-url}, {@link #only}), else the environment read the way curl reads it. Both
 * {@code pixiv} and {@code pixiv-launch} use this class, so they read the variables alike.
 * Depends on the JDK alone. Immutable and thread-safe; {@link #toString()} masks the
 * credentials.
 *
 * <ul>
 *   <li>https targets: {@code https_proxy}, {@code HTTPS_PROXY}, then {@code all_proxy},
 *       {@code ALL_PROXY}; http targets: {@code http_proxy}, then {@code HTTP_PROXY} (curl
 *       reads only the lower-case one, kubectl both), then the {@code all_proxy} pair. The first
 *       non-empty one wins; {@code --proxy} replaces them all.</li>
 *   <li>{@code no_proxy} / {@code NO_PROXY}, read as kubectl reads it (Go's rules):
 *       comma-separated host names ({@code example.com} also matches {@code www.example.com}),
 *       subdomains only ({@code .example.com}, {@code *.example.com}), IP addresses, CIDR ranges
 *       ({@code 10.0.0.0/8}), any of the names and addresses with a port
 *       ({@code example.com:8443}: that port only), or {@code *} for every host; it applies to
 *       {@code --proxy} too.</li>
 *   <li>A proxy is {@code [http://][user:password@]host[:port]}, port 1080 when left out (as
 *       curl); user and password may be percent-encoded. Proxies speaking TLS or SOCKS are
 *       refused.</li>
 * </ul>
 */
public final class ProxySettings {

  /** The port of a proxy URL without one, as curl has it. */
  public static final int DEFAULT_PORT = 1080;

  /** One proxy: where it listens, and the credentials it wants, if any. */
  public record Endpoint(String host, int port, Optional<String> user, Optional<String> password) {
    public Endpoint {
      requireNonNull(host, "host");
      requireNonNull(user, "user");
      requireNonNull(password, "password");
    }

    /** The address to connect to, left unresolved so that the proxy's name is looked up late. */
    public InetSocketAddress address() {
      return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * {@code http://user:***@host:port}, or {@code http://***@host:port} for a user alone (as
     * {@link #mask}: often a token): safe for any log line.
     */
    @Override
    public String toString() {
      // An IPv6 address goes in brackets, as in a URL: http://[::1]:3128.
      String shownHost = host.contains(":") ? "[" + host + "]" : host;
      String info = user.map(u -> password.isPresent() ? u + ":***@" : "***@").orElse("");
      return "http://" + info + shownHost + ":" + port;
    }
  }

  private static final ProxySettings NONE =
      new ProxySettings(Optional.empty(), Optional.empty(), NoProxy.parse(""));

  private final Optional<Endpoint> forHttp;
  private final Optional<Endpoint> forHttps;
  private final NoProxy noProxy;

  private ProxySettings(Optional<Endpoint> forHttp, Optional<Endpoint> forHttps,
      NoProxy noProxy) {
    this.forHttp = forHttp;
    this.forHttps = forHttps;
    this.noProxy = noProxy;
  }

  /** No proxy for any request. */
  public static ProxySettings none() {
    return NONE;
  }

  /**
   * The proxies the environment names ({@code System.getenv()} in production).
   *
   * @throws IllegalArgumentException when a variable holds no usable proxy URL (the message
   *     names the variable and masks the credentials)
   */
  public static ProxySettings fromEnvironment(Map<String, String> env) {
    requireNonNull(env, "env");
    return fromEnvironment(env::get);
  }

  /**
   * The proxies the environment names, looked up by {@code env} (null for an unset variable).
   *
   * @throws IllegalArgumentException as {@link #fromEnvironment(Map)}
   */
  public static ProxySettings fromEnvironment(Function<String, String> env) {
    requireNonNull(env, "env");
    Optional<Endpoint> http = first(env, "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY");
    Optional<Endpoint> https = first(env, "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");
    String no = value(env, "no_proxy").or(() -> value(env, "NO_PROXY")).orElse("");
    return new ProxySettings(http, https, NoProxy.parse(no));
  }

  /**
   * These settings with {@code proxy} for every target (curl's {@code --proxy}); the
   * {@code NO_PROXY} list still applies.
   *
   * @throws IllegalArgumentException when {@code proxy} is no usable proxy URL
   */
  public ProxySettings withProxy(String proxy) {
    Endpoint e = parse("--proxy", requireNonNull(proxy, "proxy"));
    return new ProxySettings(Optional.of(e), Optional.of(e), noProxy);
  }

  /**
   * {@code proxy} for every target, whatever the environment says (a kubeconfig cluster's
   * {@code proxy-url}, which kubectl uses even for hosts in {@code NO_PROXY}).
   *
   * @param source where the URL came from, for the message
   * @throws IllegalArgumentException when {@code proxy} is no usable proxy URL
   */
  public static ProxySettings only(String source, String proxy) {
    Endpoint e = parse(requireNonNull(source, "source"), requireNonNull(proxy, "proxy"));
    return new ProxySettings(Optional.of(e), Optional.of(e), NoProxy.parse(""));
  }

  /** The proxy for a request to {@code target}, or empty to connect directly. */
  public Optional<Endpoint> proxyFor(URI target) {
    requireNonNull(target, "target");
    String host = target.getHost();
    boolean https = "https".equalsIgnoreCase(target.getScheme());
    int port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
    if (host == null || noProxy.bypasses(host, port)) {
      return Optional.empty();
    }
    return https ? forHttps : forHttp;
  }

  /** Whether any target goes through a proxy. */
  public boolean isUsed() {
    return forHttp.isPresent() || forHttps.isPresent();
  }

  /** Whether a proxy wants credentials (they go as Basic, also inside CONNECT tunnels). */
  public boolean hasCredentials() {
    return forHttp.flatMap(Endpoint::user).isPresent()
        || forHttps.flatMap(Endpoint::user).isPresent();
  }

  /** A selector for {@code HttpClient.Builder.proxy} and {@code URL.openConnection}. */
  public ProxySelector selector() {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        return List.of(javaProxy(uri));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException e) {
        // Nothing to fall back to: the request fails with the connection's error.
      }
    };
  }

  /** The {@link Proxy} for {@code target}: {@link Proxy#NO_PROXY} for a direct connection. */
  public Proxy javaProxy(URI target) {
    return proxyFor(target).<Proxy>map(e -> new Proxy(Proxy.Type.HTTP, e.address()))
        .orElse(Proxy.NO_PROXY);
  }

  /**
   * The {@code Proxy-Authorization} value for a request to {@code target}: Basic credentials of
   * the proxy it goes through, when that proxy has some, for a client that sends them with the
   * first request rather than after a 407: {@code pixiv-launch}, whose client would also take
   * the API server's 401 (a token to renew) for the proxy's with an {@link #authenticator()},
   * and the webhook notices.
   */
  public Optional<String> authorization(URI target) {
    return proxyFor(target).filter(e -> e.user().isPresent()).map(e -> "Basic "
        + Base64.getEncoder().encodeToString((e.user().get() + ":" + e.password().orElse(""))
            .getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Answers a proxy's request for credentials (407) with the ones of its URL, and nothing
   * else: an origin server asking (401) gets no answer from here.
   */
  public Authenticator authenticator() {
    return new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        if (getRequestorType() != RequestorType.PROXY) {
          return null;
        }
        for (Optional<Endpoint> candidate : List.of(forHttps, forHttp)) {
          if (candidate.isPresent() && candidate.get().user().isPresent()
              && candidate.get().host().equalsIgnoreCase(getRequestingHost())
              && candidate.get().port() == getRequestingPort()) {
            Endpoint e = candidate.get();
            return new PasswordAuthentication(e.user().get(),
                e.password().orElse("").toCharArray());
          }
        }
        return null;
      }
    };
  }

  /**
   * Lets Basic credentials reach a proxy inside CONNECT tunnels (https targets), which the
   * JDK refuses by default ({@code jdk.http.auth.tunneling.disabledSchemes}); curl and kubectl
   * send them.
   * The JDK reads the property once, so this must run before the first HTTP request of the
   * process; a value set on the command line is left as it is.
   */
  public static void allowBasicInTunnels() {
    if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
      System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
    }
  }

  /**
   * {@code proxy} with its password (or user alone) replaced by {@code ***}. Works on text that
   * is no URL too: everything up to the last {@code @} is the user-info (a host never holds one,
   * a sloppy password may), and a user name that is not plain (a blank, a slash) goes as well.
   */
  public static String mask(String proxy) {
    if (proxy == null) {
      return null;
    }
    int scheme = proxy.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = proxy.lastIndexOf('@');
    if (at < start) {
      return proxy;
    }
    String info = proxy.substring(start, at);
    int colon = info.indexOf(':');
    String user = colon < 0 ? "" : info.substring(0, colon);
    boolean plain = !user.isEmpty()
        && user.chars().noneMatch(c -> c == '/' || c == '@' || Character.isWhitespace(c));
    return proxy.substring(0, start) + (plain ? user + ":" : "") + "***" + proxy.substring(at);
  }

  @Override
  public String toString() {
    if (!isUsed()) {
      return "no proxy";
    }
    return "http: " + forHttp.map(Endpoint::toString).orElse("direct")
        + ", https: " + forHttps.map(Endpoint::toString).orElse("direct")
        + (noProxy.isEmpty() ? "" : ", not for " + noProxy);
  }

  private static Optional<Endpoint> first(Function<String, String> env, String... names) {
    for (String name : names) {
      Optional<String> v = value(env, name);
      if (v.isPresent()) {
        return Optional.of(parse(name, v.get()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> value(Function<String, String> env, String name) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /**
   * The form of a proxy, as the messages give it: written as no URL with user-info, which the
   * masking of every message would have garbled ({@code http://***@]host[:port]}).
   */
  private static final String FORM = "a proxy is http://host[:port], with user:password@ before"
      + " the host when it asks for credentials";

  /**
   * {@code proxy} as a message may show it: up to its host and port, the user-info masked. A
   * query or path may hold a key, as the user-info may, and is left out.
   */
  private static String shown(String proxy) {
    int end = proxy.indexOf("://") + 3;
    while (end < proxy.length() && "/?#".indexOf(proxy.charAt(end)) < 0) {
      end++;
    }
    return mask(proxy.substring(0, end));
  }

  /** Parses a proxy URL; {@code source} names where it came from in the message. */
  static Endpoint parse(String source, String value) {
    String v = value.strip();
    String withScheme = v.contains("://") ? v : "http://" + v;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + ": '" + shown(withScheme)
          + "' is not a proxy URL (a path or query after it not shown); " + FORM);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(source + ": only http:// proxies are supported (the "
          + "connection to the proxy is plain HTTP; https targets are tunnelled with CONNECT), "
          + "not " + scheme + "://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(source + ": '" + mask(v)
          + "' names no proxy host; " + FORM);
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw new IllegalArgumentException(source + ": '" + shown(withScheme)
          + "' is followed by a path or query (not shown); " + FORM);
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      // The JDK would only refuse it at the first request, as an internal error.
      throw new IllegalArgumentException(source + ": '" + mask(v) + "' has port "
          + uri.getPort() + "; a port is from 1 to 65535");
    }
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
      password = colon < 0 ? Optional.empty() : Optional.of(decode(info.substring(colon + 1)));
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Endpoint(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}

package dev.pixivdic.launcher.kube;

import dev.pixivdic.support.ProxySettings;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A request got no answer from the API server: the connection was refused or reset, the name did
 * not resolve, the request timed out, or TLS failed. The message names the server and the cause
 * in words ({@code connection refused}), never {@code null}.
 */
public final class ApiConnectionException extends IOException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;
  private final boolean mayHaveArrived;

  private ApiConnectionException(String message, IOException cause, boolean retryable,
      boolean mayHaveArrived) {
    super(message, cause);
    this.retryable = retryable;
    this.mayHaveArrived = mayHaveArrived;
  }

  /**
   * Wraps a failure of {@code method url} sent to {@code server}.
   *
   * @param server the server's base URL, without secrets
   * @param timeout the request's time limit, named when it passed
   */
  static ApiConnectionException of(String method, String url, String server, Duration timeout,
      IOException e) {
    return of(method, url, server, Optional.empty(), timeout, e, true);
  }

  /**
   * Wraps a failure of {@code method url} sent to {@code server} through {@code proxy}: when the
   * connection that failed was the one to the proxy (refused, its name unresolved, connecting
   * timed out), the message names the proxy, not the API server.
   *
   * @param proxy the proxy the request went through, if any; shown without its password
   * @param written false when the client never began to write the request (it asks for a body
   *     only once connected, the TLS handshake done): then it never left, whatever ended it (a
   *     timeout while connecting or in the handshake, a server that speaks no TLS)
   */
  static ApiConnectionException of(String method, String url, String server,
      Optional<ProxySettings.Endpoint> proxy, Duration timeout, IOException e, boolean written) {
    String cause = describe(e, timeout);
    // Refused or unresolved: the request never left; anything else may have reached the server.
    boolean connecting = find(e, UnresolvedAddressException.class) != null
        || find(e, UnknownHostException.class) != null
        || find(e, HttpConnectTimeoutException.class) != null
        || (find(e, ConnectException.class) != null && find(e, HttpTimeoutException.class) == null);
    // The request is sent only once the handshake is done, whatever ended the handshake.
    boolean neverSent = !written || connecting || find(e, SSLHandshakeException.class) != null
        || find(e, SSLPeerUnverifiedException.class) != null;
    String from;
    if (proxy.isPresent() && connecting) {
      // Through a proxy, the only connection the client makes is the one to the proxy.
      from = "cannot connect to the proxy " + shown(proxy.get()) + " on the way to the API server "
          + server;
    } else if (proxy.isPresent() && String.valueOf(e.getMessage()).contains("Unable to tunnel")) {
      from = "the proxy " + shown(proxy.get()) + " could not open a tunnel to the API server "
          + server;
      cause = firstMessage(e, "").replaceFirst(".*Proxy returns ", "it answered ");
    } else {
      from = "no answer from the API server " + server
          + proxy.map(p -> " through the proxy " + shown(p)).orElse("");
    }
    return new ApiConnectionException(method + " " + url + ": " + from + ": " + cause, e,
        !tlsRefused(e), !neverSent);
  }

  /**
   * Whether TLS failed for a reason that stays: every TLS failure but a handshake cut short by
   * the connection's end or reset, which the JDK's client reports as
   * {@code SSLHandshakeException("Remote host terminated the handshake")} (an EOF or a reset
   * under it) and which is what an API server or load balancer that restarts does: that one is
   * tried again like a reset connection. A certificate that does not verify or does not name the
   * server, a fatal alert (the server refused the handshake) and a server that speaks no TLS
   * ({@code https://} to a plain HTTP port: "Unrecognized SSL message") stay.
   */
  private static boolean tlsRefused(Throwable e) {
    if (find(e, CertificateException.class) != null
        || find(e, CertPathValidatorException.class) != null
        || find(e, CertPathBuilderException.class) != null
        || find(e, SSLPeerUnverifiedException.class) != null) {
      return true;
    }
    if (find(e, SSLException.class) == null) {
      return false;
    }
    boolean cutShort = find(e, EOFException.class) != null
        || find(e, SocketException.class) != null;
    for (Throwable c = e; c != null && !cutShort; c = c.getCause()) {
      cutShort = c instanceof SSLHandshakeException && String.valueOf(c.getMessage())
          .toLowerCase(Locale.ROOT).contains("remote host terminated the handshake");
    }
    return !cutShort;
  }

  /**
   * The request was served ({@code status}) but the answer could not be used (not JSON, or JSON
   * of another shape, which {@code e} names): its effect is unknown.
   */
  static ApiConnectionException garbled(
      String method, String url, String server, int status, MalformedAnswerException e) {
    return new ApiConnectionException(method + " " + url + ": the API server " + server
        + " answered " + status + " with " + e.getMessage(), e, true, true);
  }

  /** A proxy as a message shows it: where it listens, without its user or password. */
  private static String shown(ProxySettings.Endpoint proxy) {
    String host = proxy.host().contains(":") ? "[" + proxy.host() + "]" : proxy.host();
    return "http://" + host + ":" + proxy.port();
  }

  /**
   * Whether trying again may help: true for refused and reset connections (a TLS handshake cut
   * short too), DNS failures and timeouts; false when TLS failed over a certificate or the server
   * refused the handshake (neither fixes itself).
   */
  public boolean isTransient() {
    return retryable;
  }

  /**
   * Whether the request may have reached the server, so its effect (a created Job) is unknown:
   * false only when it never left: the connection or its TLS handshake was never done (refused,
   * timed out, no TLS spoken, a certificate refused). For a request with a body (a create) that
   * is known for sure; for one without, it is told from the failure's type.
   */
  public boolean mayHaveArrived() {
    return mayHaveArrived;
  }

  /** The cause in words, for messages; never null. */
  static String describe(Throwable e, Duration timeout) {
    if (find(e, UnresolvedAddressException.class) != null
        || find(e, UnknownHostException.class) != null) {
      Throwable u = find(e, UnknownHostException.class);
      return "the host name does not resolve (DNS)" + (u != null && u.getMessage() != null
          ? ": " + u.getMessage() : "");
    }
    if (find(e, HttpConnectTimeoutException.class) != null) {
      return "connecting timed out after " + human(timeout);
    }
    if (find(e, HttpTimeoutException.class) != null) {
      return "no answer within " + human(timeout);
    }
    Throwable tls = find(e, SSLException.class);
    if (tls != null) {
      return "TLS failed: " + firstMessage(tls, "handshake failed");
    }
    if (find(e, ConnectException.class) != null) {
      String m = firstMessage(find(e, ConnectException.class), "");
      return m.isEmpty() || m.equalsIgnoreCase("Connection refused") ? "connection refused" : m;
    }
    if (find(e, EOFException.class) != null
        || String.valueOf(e.getMessage()).contains("received no bytes")) {
      return "the connection closed before an answer";
    }
    Throwable s = find(e, SocketException.class);
    if (s != null) {
      return firstMessage(s, "connection failed").toLowerCase(Locale.ROOT);
    }
    return firstMessage(e, e.getClass().getSimpleName());
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static Throwable find(Throwable e, Class<?> type) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }

  /** The first non-empty message along the cause chain from {@code e}, else {@code fallback}. */
  private static String firstMessage(Throwable e, String fallback) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        return c.getMessage();
      }
    }
    return fallback;
  }
}

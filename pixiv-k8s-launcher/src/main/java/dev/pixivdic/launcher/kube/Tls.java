package dev.pixivdic.launcher.kube;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** Builds the TLS context of a cluster connection. */
final class Tls {
  private Tls() {}

  /**
   * @param caCertificates certificates to trust; empty to use the JDK's trust store
   * @param expectedHost name the server certificate must carry: {@code tls-server-name} if set,
   *     else the host of the server URL
   * @param insecure skip all server verification ({@code insecure-skip-tls-verify: true})
   * @param clientCertificate certificate chain and key to present, if any
   */
  static SSLContext context(
      List<X509Certificate> caCertificates,
      String expectedHost,
      boolean insecure,
      Optional<ClientCertificate> clientCertificate)
      throws IOException {
    try {
      KeyManager[] keyManagers = null;
      if (clientCertificate.isPresent()) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] password = new char[0];
        ks.setKeyEntry("client", clientCertificate.get().key(), password,
            clientCertificate.get().chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        keyManagers = kmf.getKeyManagers();
      }
      TrustManager trust =
          insecure ? new TrustAll() : new HostChecking(delegate(caCertificates), expectedHost);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(keyManagers, new TrustManager[] {trust}, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  record ClientCertificate(List<X509Certificate> chain, PrivateKey key) {}

  private static X509TrustManager delegate(List<X509Certificate> ca)
      throws GeneralSecurityException, IOException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (ca.isEmpty()) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < ca.size(); i++) {
        ks.setCertificateEntry("ca-" + i, ca.get(i));
      }
      tmf.init(ks);
    }
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  /**
   * Checks the chain against the CA, then the host name itself. Being an extended trust manager,
   * it replaces the JDK's own host check, which would compare against the URL's host and so could
   * not honour {@code tls-server-name}.
   */
  static final class HostChecking extends X509ExtendedTrustManager {
    private final X509TrustManager delegate;
    private final String expectedHost;

    HostChecking(X509TrustManager delegate, String expectedHost) {
      this.delegate = delegate;
      this.expectedHost = expectedHost.toLowerCase(Locale.ROOT);
    }

    private void check(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
      if (!matches(chain[0], expectedHost)) {
        throw new CertificateException("the API server's certificate does not name '" + expectedHost
            + "' (subject alternative names: " + names(chain[0]) + ")");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }

  static boolean matches(X509Certificate cert, String host) throws CertificateParsingException {
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    if (sans == null) {
      return false;
    }
    boolean ip = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    for (List<?> san : sans) {
      int type = (Integer) san.get(0);
      String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
      if (ip && type == 7 && sameAddress(value, host)) {
        return true;
      }
      if (!ip && type == 2 && dnsMatch(value, host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameAddress(String a, String b) {
    try {
      // Both are literals, so no lookup happens.
      return InetAddress.getByName(a)
          .equals(InetAddress.getByName(b.replace("[", "").replace("]", "")));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean dnsMatch(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  private static String names(X509Certificate cert) {
    try {
      return String.valueOf(cert.getSubjectAlternativeNames());
    } catch (CertificateParsingException e) {
      return "unreadable";
    }
  }

  /** Only for {@code insecure-skip-tls-verify: true}, which the user asked for explicitly. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

    @Override
    public void checkClientTrusted(X509Certificate[] c, String a) {}

    @Override
    public void checkServerTrusted(X509Certificate[] c, String a) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}

package dev.pixivdic.examples.rehearsal.kube;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The API server's certificate: a self-signed key pair for 127.0.0.1 made by the JDK's own {@code
 * keytool}, so clients trust exactly this server (the certificate is its own CA in the kubeconfig)
 * and nothing here has to hand-build certificates.
 */
final class ServerCertificate {

  private static final char[] PASSWORD = "rehearsal".toCharArray();

  private final SSLContext ssl;
  private final String pem;

  private ServerCertificate(SSLContext ssl, String pem) {
    this.ssl = ssl;
    this.pem = pem;
  }

  private static ServerCertificate made;

  /** The certificate, made once per JVM: keytool takes seconds, and every stand-in may share it. */
  static synchronized ServerCertificate create(Path dir) throws IOException {
    if (made == null) {
      made = make(dir);
    }
    return made;
  }

  private static ServerCertificate make(Path dir) throws IOException {
    Path store = dir.resolve("apiserver.p12");
    Files.deleteIfExists(store);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "apiserver",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=kube-apiserver",
                    "-ext",
                    "san=ip:127.0.0.1,dns:localhost",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    store.toString(),
                    "-storepass",
                    new String(PASSWORD)))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool could not make the API server's certificate: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the API server's certificate", e);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), null, null);
      Certificate cert = ks.getCertificate("apiserver");
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(cert.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      return new ServerCertificate(ssl, pem);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the API server's certificate: " + e.getMessage(), e);
    }
  }

  SSLContext ssl() {
    return ssl;
  }

  /** The certificate in PEM, for a kubeconfig's {@code certificate-authority-data}. */
  String pem() {
    return pem;
  }
}

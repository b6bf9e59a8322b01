package dev.pixivdic.launcher.fake;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A CA, a server certificate for 127.0.0.1/localhost and client certificates, made at test time.
 */
public final class TestPki {
  public final KeyPair caKeys;
  public final X509Certificate ca;
  public final KeyPair serverKeys;
  public final X509Certificate server;
  private long serial = 1;

  public TestPki() throws GeneralSecurityException {
    caKeys = rsa();
    ca = sign(new X500Name("CN=test-ca"), caKeys, true, null);
    serverKeys = rsa();
    server = sign(new X500Name("CN=kube-apiserver"), serverKeys, false,
        new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.dNSName, "localhost")}));
  }

  /** TLS for a server presenting {@link #server} and trusting client certificates from the CA. */
  public SSLContext serverContext() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", serverKeys.getPrivate(), new char[0], new Certificate[] {server, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), trustManagers(), null);
    return ssl;
  }

  /** TLS for a client that trusts the CA (and presents no certificate). */
  public SSLContext clientContext() throws GeneralSecurityException, IOException {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustManagers(), null);
    return ssl;
  }

  private javax.net.ssl.TrustManager[] trustManagers()
      throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf.getTrustManagers();
  }

  public static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  public static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A client certificate signed by the CA for {@code keys}. */
  public X509Certificate client(String cn, KeyPair keys) throws GeneralSecurityException {
    return sign(new X500Name("CN=" + cn), keys, false, null);
  }

  private X509Certificate sign(X500Name subject, KeyPair keys, boolean isCa, GeneralNames sans)
      throws GeneralSecurityException {
    try {
      Instant now = Instant.now();
      X500Name issuer = isCa ? subject : new X500Name("CN=test-ca");
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(serial++),
              Date.from(now.minus(1, ChronoUnit.DAYS)),
              Date.from(now.plus(1, ChronoUnit.DAYS)),
              subject,
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (sans != null) {
        b.addExtension(Extension.subjectAlternativeName, false, sans);
      }
      PrivateKey signer = isCa ? keys.getPrivate() : caKeys.getPrivate();
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
    } catch (OperatorCreationException | IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  public static String pem(X509Certificate cert) throws IOException {
    return write(cert);
  }

  /** PKCS#1 for RSA keys, SEC1 for EC keys: the "traditional" OpenSSL forms. */
  public static String traditionalPem(KeyPair keys) throws IOException {
    if (!keys.getPrivate().getAlgorithm().equals("EC")) {
      return write(keys.getPrivate());
    }
    // As openssl writes it: with the named curve and the public key, which Java's encoding omits.
    var info =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    var pub =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    var full =
        new org.bouncycastle.asn1.sec.ECPrivateKey(
            256,
            inner.getKey(),
            pub.getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters());
    return write(new PemObject("EC PRIVATE KEY", full.getEncoded()));
  }

  public static String pkcs8Pem(PrivateKey key) throws IOException {
    return write(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  private static String write(Object o) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    }
    return s.toString();
  }

  public static String base64(String pem) {
    return java.util.Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}

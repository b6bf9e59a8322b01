package dev.pixivdic.launcher.kube;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads PEM certificates and private keys (PKCS#8, PKCS#1 RSA, SEC1 EC). */
final class Pem {
  private Pem() {}

  static List<X509Certificate> certificates(byte[] pem, String what) throws IOException {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IOException(what + " holds no PEM certificate");
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException(what + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(byte[] pem, String what) throws IOException {
    try (Reader reader =
            new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          // SEC1 keys may omit the public key, so convert the private part alone.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
      throw new IOException(
          what + " holds no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1)");
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(what)) {
        throw e;
      }
      throw new IOException(what + " cannot be read as a PEM private key: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Bouncy Castle's decoders throw unchecked exceptions on a block that is not base64 or
      // not a key; their messages never quote the key, but are left out all the same.
      throw new IOException(what + " cannot be read as a PEM private key: its PEM block is not"
          + " a well-formed key (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}

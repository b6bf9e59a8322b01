package dev.pixivdic.examples.rehearsal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A bare client of the stand-in for its own tests: reads the kubeconfig it wrote. */
final class KubeClient {

  record Answer(int status, JsonNode body, String text) {}

  private final HttpClient http;
  private final URI server;
  private final String token;

  KubeClient(Path kubeconfig) throws IOException, GeneralSecurityException {
    JsonNode config = Meta.JSON.readTree(kubeconfig.toFile()); // written as JSON
    JsonNode cluster = config.path("clusters").path(0).path("cluster");
    server = URI.create(cluster.path("server").asText());
    token = config.path("users").path(0).path("user").path("token").asText();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(
                    Base64.getDecoder()
                        .decode(cluster.path("certificate-authority-data").asText()))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
  }

  Answer send(String method, String path, String body) throws IOException, InterruptedException {
    return send(method, path, body, token);
  }

  Answer send(String method, String path, String body, String bearer)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.resolve(path))
            .header("Authorization", "Bearer " + bearer)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    try {
      json = Meta.JSON.readTree(r.body());
    } catch (IOException e) {
      json = null; // a log is text
    }
    return new Answer(r.statusCode(), json, r.body());
  }
}

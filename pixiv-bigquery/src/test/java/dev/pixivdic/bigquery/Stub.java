package dev.pixivdic.bigquery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A loopback BigQuery REST stub (WireMock on 127.0.0.1) and the real client pointed at it.
 * Request bodies arrive gzip-compressed; {@link #body} decodes them.
 */
final class Stub implements AutoCloseable {

  static final String PROJECT = "test-project";
  static final ObjectMapper JSON = new ObjectMapper();

  final WireMockServer server;

  Stub() {
    server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    // Anything not stubbed is a 500 with a readable message, so a missing stub fails loudly.
    server.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().withStatus(599)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"code\":400,\"message\":\"unstubbed request\","
            + "\"errors\":[{\"reason\":\"unstubbed\",\"message\":\"unstubbed request\"}]}}")));
    // A job no test stubbed is one BigQuery does not know, as a lookup after a lost answer finds.
    server.stubFor(get(urlPathMatching("/bigquery/v2/projects/[^/]+/jobs/[^/]+")).atPriority(90)
        .willReturn(Fixtures.error(404, "notFound", "Not found: Job")));
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  BigQueryConnection connection(int attempts) {
    try {
      return BigQueryConnection.create(Optional.of(URI.create(base())), Optional.of("US"),
          PROJECT, BigQueryRetry.fixed(attempts, Duration.ofMillis(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request body, gunzipped when the client compressed it. */
  static String body(LoggedRequest r) {
    byte[] raw = r.getBody();
    if (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  static JsonNode json(LoggedRequest r) {
    try {
      return JSON.readTree(body(r));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<LoggedRequest> all() {
    return server.getAllServeEvents().stream().map(e -> e.getRequest())
        .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).toList();
  }

  @Override
  public void close() {
    server.stop();
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.bigquery.BigQueryConnection;
import dev.pixivdic.bigquery.BigQueryRetry;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.BigQuerySettings;
import dev.pixivdic.support.internal.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Settings for bq: sources and sinks that every command shares. */
final class BigQueryOptions {

  @Option(names = "--project", paramLabel = "ID",
      description = "Project that runs the BigQuery jobs (default: the table's project).")
  String project;

  @Option(names = "--location", paramLabel = "LOCATION",
      description = "BigQuery location of the datasets, e.g. asia-northeast1 or US.")
  String location;

  @Option(names = "--bigquery-endpoint", paramLabel = "URL",
      defaultValue = "${env:BIGQUERY_EMULATOR_HOST}",
      description = "Talk to this BigQuery endpoint without credentials (an emulator or a local "
          + "stub; default: $BIGQUERY_EMULATOR_HOST, which BigQuery's Python and Node.js clients "
          + "read too).")
  String endpoint; // read here, not by picocli, whose refusal would quote a password in it

  @Option(names = "--max-bytes-billed", paramLabel = "BYTES", defaultValue = "1073741824",
      description = "Refuse a source query that would bill more than this, "
          + "from 1 to 1000000000000000 bytes (default: ${DEFAULT-VALUE}).")
  long maxBytesBilled;

  @Option(names = "--bigquery-timeout", paramLabel = "DURATION", defaultValue = "2m",
      converter = DurationConverter.BigQueryTimeout.class,
      description = "Deadline of each BigQuery call, from 100ms to 24d; a call that takes longer "
          + "is retried like an outage (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--bigquery-attempts", paramLabel = "N", defaultValue = "5",
      description = "Attempts per BigQuery step on outages, deadlines and 5xx before exit 69, "
          + "from 1 to 20 (default: ${DEFAULT-VALUE}).")
  int attempts;

  @Option(names = "--proxy", paramLabel = "URL",
      description = "HTTP proxy for the site and BigQuery, http://[user:password@]host[:port] "
          + "(port 1080 if left out); CONNECT tunnels for https. Default: https_proxy / "
          + "HTTPS_PROXY, http_proxy / HTTP_PROXY, all_proxy, read as curl reads them; "
          + "no_proxy / NO_PROXY lists hosts to reach directly. Credentials are never logged.")
  String proxy;

  private ProxySettings proxySettings;
  private final Map<List<Object>, BigQueryConnection> connections = new HashMap<>();

  /**
   * The connection to BigQuery for jobs run by {@code project}, made once for the source, the
   * sink and the ledger of a run alike: each client made costs a pod's start time.
   */
  BigQueryConnection connection(String project) throws IOException {
    BigQueryRetry retry = retry();
    ProxySettings proxies = proxy();
    // Keyed by every setting, so a command object parsed again gets the connection it asks for.
    List<Object> key = Arrays.asList(project, endpoint, location, retry, proxy);
    BigQueryConnection c = connections.get(key);
    if (c == null) {
      c = BigQueryConnection.create(endpoint(), Optional.ofNullable(location), project, retry,
          proxies);
      connections.put(key, c);
    }
    return c;
  }

  private Optional<URI> endpoint() {
    if (endpoint == null) {
      return Optional.empty();
    }
    if (endpoint.isBlank()) {
      // An empty variable in a pod's spec is a mistake either way: say where it comes from.
      throw new ConfigException("--bigquery-endpoint (or $BIGQUERY_EMULATOR_HOST) is empty: give"
          + " a URL such as http://127.0.0.1:9050, or unset it to use BigQuery");
    }
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      throw new ConfigException("--bigquery-endpoint (or $BIGQUERY_EMULATOR_HOST) '"
          + Redaction.origin(endpoint) + "' is not a URL: " + e.getReason(), e);
    }
    // A user, password, query or fragment (a key) would be shown wherever the endpoint is named.
    BigQuerySettings.endpointProblem(uri).ifPresent(why -> {
      throw new ConfigException("--bigquery-endpoint (or $BIGQUERY_EMULATOR_HOST): " + why);
    });
    return Optional.of(uri);
  }

  /**
   * The proxies of this run: {@code --proxy}, else the environment's.
   *
   * @throws ConfigException naming the option or variable when a proxy URL is unusable
   */
  ProxySettings proxy() {
    if (proxySettings == null) {
      try {
        ProxySettings s = ProxySettings.fromEnvironment(System.getenv());
        proxySettings = proxy == null ? s : s.withProxy(proxy);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      if (proxySettings.hasCredentials()) {
        ProxySettings.allowBasicInTunnels();
      }
    }
    return proxySettings;
  }

  /**
   * The deadlines and retries of the BigQuery calls.
   *
   * @throws ConfigException naming the option when a value is out of range
   */
  BigQueryRetry retry() {
    BigQueryRetry d = BigQueryRetry.defaults();
    return new BigQueryRetry(attempts, d.initialDelay(), d.maxDelay(), d.quotaInitialDelay(),
        d.quotaMaxDelay(), timeout, d.jobTimeout());
  }
}

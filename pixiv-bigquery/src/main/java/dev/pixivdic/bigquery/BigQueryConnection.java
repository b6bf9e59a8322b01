package dev.pixivdic.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;
import com.google.common.base.Throwables;
import dev.pixivdic.support.ProxySettings;
import dev.pixivdic.support.internal.BigQuerySettings;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * A BigQuery client for one billing project, with the job location and the retry policy that
 * the source, sink and ledger share. Thread-safe.
 *
 * <p>The client's own retries are off ({@link ServiceOptions#getNoRetrySettings()}): every step
 * is retried as a whole by {@link BigQueryRetry}, which knows which BigQuery errors are worth
 * retrying and keeps load job ids deterministic across attempts.
 */
public final class BigQueryConnection {

  private final BigQuery bigQuery;
  private final String projectId;
  private final Optional<String> location;
  private final BigQueryRetry retry;

  private BigQueryConnection(BigQuery bigQuery, String projectId, Optional<String> location,
      BigQueryRetry retry) {
    this.bigQuery = bigQuery;
    this.projectId = projectId;
    this.location = location;
    this.retry = retry;
  }

  /**
   * Connects with default retries. See {@link #create(Optional, Optional, String, BigQueryRetry)}.
   */
  public static BigQueryConnection create(Optional<URI> endpoint, Optional<String> location,
      String projectId) throws IOException {
    return create(endpoint, location, projectId, BigQueryRetry.defaults());
  }

  /**
   * Connects to BigQuery.
   *
   * @param endpoint a BigQuery REST endpoint to use instead of Google's (an emulator or a local
   *     stub, e.g. {@code http://127.0.0.1:9050}); with one, no credentials are sent. Without
   *     one, Application Default Credentials are used (on GKE: Workload Identity).
   * @param location where jobs run ({@code US}, {@code asia-northeast1}); empty lets BigQuery
   *     infer it from the tables
   * @param projectId the project that runs and pays for the jobs
   * @param retry how steps are retried
   * @throws BigQueryRejectedException when no endpoint is given and Application Default
   *     Credentials cannot be found
   * @throws IllegalArgumentException when the endpoint is not an absolute http(s) URI or has a
   *     user or password, or the project id is blank
   */
  public static BigQueryConnection create(Optional<URI> endpoint, Optional<String> location,
      String projectId, BigQueryRetry retry) throws IOException {
    return create(endpoint, location, projectId, retry, ProxySettings.none());
  }

  /**
   * Connects to BigQuery through the proxies of {@code proxy}: the API calls and the token
   * requests of the credentials alike. Otherwise as
   * {@link #create(Optional, Optional, String, BigQueryRetry)}.
   */
  public static BigQueryConnection create(Optional<URI> endpoint, Optional<String> location,
      String projectId, BigQueryRetry retry, ProxySettings proxy) throws IOException {
    requireNonNull(proxy, "proxy");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(location, "location");
    requireNonNull(projectId, "projectId");
    requireNonNull(retry, "retry");
    if (projectId.isBlank()) {
      throw new IllegalArgumentException("a BigQuery project id must not be blank");
    }
    location.ifPresent(l -> {
      if (!l.matches("[A-Za-z0-9-]{1,64}")) {
        throw new IllegalArgumentException("invalid BigQuery location '" + l + "'");
      }
    });
    BigQueryOptions.Builder options = BigQueryOptions.newBuilder()
        .setProjectId(projectId)
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .setTransportOptions(transportOptions(retry, proxy));
    location.ifPresent(options::setLocation);
    if (endpoint.isPresent()) {
      URI uri = endpoint.get();
      BigQuerySettings.endpointProblem(uri).ifPresent(why -> {
        throw new IllegalArgumentException(why);
      });
      String host = uri.toString();
      options.setHost(host.endsWith("/") ? host.substring(0, host.length() - 1) : host)
          .setCredentials(NoCredentials.getInstance());
    } else {
      try {
        options.setCredentials(proxy.isUsed()
            ? GoogleCredentials.getApplicationDefault(transport(proxy))
            : GoogleCredentials.getApplicationDefault());
      } catch (IOException e) {
        throw new BigQueryRejectedException("no Google Application Default Credentials: "
            + e.getMessage() + " (run 'gcloud auth application-default login', set"
            + " GOOGLE_APPLICATION_CREDENTIALS, or use Workload Identity)", 0, "credentials", e);
      } catch (IllegalArgumentException e) {
        // A key file whose private key is not base64 fails in Guava's decoder, whose message
        // ("Invalid input length 17") names neither the file nor the key.
        String file = System.getenv("GOOGLE_APPLICATION_CREDENTIALS");
        throw new BigQueryRejectedException("the Google Application Default Credentials"
            + (file == null || file.isBlank() ? "" : " in GOOGLE_APPLICATION_CREDENTIALS ('"
                + file + "')")
            + " hold a key that cannot be read (" + Throwables.getRootCause(e).getMessage()
            + "): download the key file again, or use Workload Identity", 0, "credentials", e);
      }
    }
    return new BigQueryConnection(options.build().getService(), projectId, location, retry);
  }

  /**
   * HTTP for the client and its credentials: each connection goes through the proxy that
   * {@code proxy} names for its URL (or directly), answering only that proxy's 407.
   */
  private static HttpTransportOptions transportOptions(BigQueryRetry retry,
      ProxySettings proxy) {
    HttpTransportOptions.Builder b = HttpTransportOptions.newBuilder()
        .setConnectTimeout((int) retry.callTimeout().toMillis())
        .setReadTimeout((int) retry.callTimeout().toMillis());
    if (proxy.isUsed()) {
      b.setHttpTransportFactory(transport(proxy));
    }
    return b.build();
  }

  private static HttpTransportFactory transport(ProxySettings proxy) {
    java.net.Authenticator authenticator = proxy.authenticator();
    NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory(url -> {
      java.net.HttpURLConnection c;
      try {
        c = (java.net.HttpURLConnection) url.openConnection(proxy.javaProxy(url.toURI()));
      } catch (java.net.URISyntaxException e) {
        throw new IOException("not a URI: " + e.getMessage(), e);
      }
      c.setAuthenticator(authenticator);
      return c;
    }).build();
    return () -> transport;
  }

  /**
   * Wraps an existing client. Its own retry settings and HTTP timeouts are left as they are;
   * {@code retry}'s attempts and job wait apply, its call deadline is the client's to set.
   */
  public static BigQueryConnection of(BigQuery bigQuery, Optional<String> location,
      BigQueryRetry retry) {
    requireNonNull(bigQuery, "bigQuery");
    return new BigQueryConnection(bigQuery, bigQuery.getOptions().getProjectId(),
        requireNonNull(location, "location"), requireNonNull(retry, "retry"));
  }

  /** The client. */
  public BigQuery bigQuery() {
    return bigQuery;
  }

  /** The project that runs the jobs. */
  public String projectId() {
    return projectId;
  }

  /** The job location, if set. */
  public Optional<String> location() {
    return location;
  }

  /** The retry policy. */
  public BigQueryRetry retry() {
    return retry;
  }
}

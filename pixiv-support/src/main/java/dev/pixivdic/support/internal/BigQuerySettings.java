package dev.pixivdic.support.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of the settings that say which BigQuery tables and endpoint a run uses:
 * {@code bq:PROJECT.DATASET.TABLE} names and {@code --bigquery-endpoint}. pixiv enforces them,
 * and the launcher checks the values it would give every pod against the same rules before it
 * creates a Job whose pods could only exit 2.
 */
public final class BigQuerySettings {
  /** The prefix of a table spec on the command line. */
  public static final String SCHEME = "bq:";

  private static final Pattern PROJECT =
      Pattern.compile("(?:[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");
  private static final Pattern TABLE =
      Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd}\\p{Zs}]+");

  private BigQuerySettings() {}

  /**
   * Why {@code project}, {@code dataset} and {@code table} cannot name a BigQuery table, naming
   * the part and the value, or empty when they can.
   */
  public static Optional<String> tableIdProblem(String project, String dataset, String table) {
    if (!PROJECT.matcher(project).matches()) {
      return Optional.of("invalid BigQuery project id '" + shown(project)
          + "': 6-30 lower-case letters, digits or hyphens, starting with a letter"
          + " (optionally 'domain:' before it)");
    }
    if (!DATASET.matcher(dataset).matches()) {
      return Optional.of("invalid BigQuery dataset id '" + shown(dataset)
          + "': 1-1024 letters, digits or underscores");
    }
    if (!TABLE.matcher(table).matches()
        || table.getBytes(StandardCharsets.UTF_8).length > 1024) {
      return Optional.of("invalid BigQuery table id '" + shown(table)
          + "': 1-1024 bytes of letters, marks, numbers, underscores, dashes or spaces");
    }
    return Optional.empty();
  }

  /**
   * The project, dataset and table of {@code bq:PROJECT.DATASET.TABLE}, not yet checked against
   * the naming rules, or empty when {@code spec} is not of that form.
   */
  public static Optional<String[]> split(String spec) {
    if (!spec.startsWith(SCHEME)) {
      return Optional.empty();
    }
    String rest = spec.substring(SCHEME.length());
    // The table id cannot hold a dot and the dataset id neither; a domain-scoped project can.
    int lastDot = rest.lastIndexOf('.');
    int secondDot = lastDot <= 0 ? -1 : rest.lastIndexOf('.', lastDot - 1);
    if (secondDot <= 0) {
      return Optional.empty();
    }
    return Optional.of(new String[] {rest.substring(0, secondDot),
        rest.substring(secondDot + 1, lastDot), rest.substring(lastDot + 1)});
  }

  /**
   * Why {@code spec} cannot name a BigQuery table ({@code bq:PROJECT.DATASET.TABLE} within
   * BigQuery's naming rules), as pixiv says it, or empty when it can.
   */
  public static Optional<String> tableProblem(String spec) {
    Optional<String[]> parts = split(spec);
    if (parts.isEmpty()) {
      return Optional.of("a BigQuery table is written bq:PROJECT.DATASET.TABLE; got '"
          + shown(spec) + "'");
    }
    String[] p = parts.get();
    return tableIdProblem(p[0], p[1], p[2])
        .map(why -> "bad BigQuery table '" + shown(spec) + "': " + why);
  }

  /**
   * {@code spec} as a message shows it: up to the first character that begins a query, a
   * fragment, a parameter or user info ({@code ? # & = @}), which no table name holds and which
   * may carry a secret pasted by mistake (a key, a token), the rest replaced by {@code [...]}.
   */
  static String shown(String spec) {
    for (int i = 0; i < spec.length(); i++) {
      if ("?#&=@".indexOf(spec.charAt(i)) >= 0) {
        return spec.substring(0, i) + "[...]";
      }
    }
    return spec;
  }

  /**
   * Why {@code endpoint} cannot be a BigQuery endpoint (an absolute http(s) URL with a host and
   * no user info, query or fragment: it is used without credentials, and messages name it), or
   * empty when it can. The message shows the value with its secrets masked
   * ({@link Redaction#origin}).
   */
  public static Optional<String> endpointProblem(String endpoint) {
    if (endpoint.isBlank()) {
      return Optional.of("it is empty: give a URL such as http://127.0.0.1:9050, or unset it to"
          + " use BigQuery");
    }
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      return Optional.of("'" + Redaction.origin(endpoint) + "' is not a URL: " + e.getReason());
    }
    return endpointProblem(uri);
  }

  /** As {@link #endpointProblem(String)}, for a URI. */
  public static Optional<String> endpointProblem(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null
        || !(scheme.equals("http") || scheme.equals("https"))) {
      return Optional.of("a BigQuery endpoint is an absolute http(s) URL, e.g."
          + " http://127.0.0.1:9050; got '" + Redaction.origin(uri.toString()) + "'");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      // Sent to no one (the endpoint is used without credentials), but every message that
      // names the endpoint, a failure's or the run report's, showed the secret.
      return Optional.of("a BigQuery endpoint takes no user, password, query or fragment (it"
          + " is used without credentials, and messages name it); got '"
          + Redaction.origin(uri.toString()) + "'");
    }
    return Optional.empty();
  }
}

package dev.pixivdic.support.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of the settings that say how the site is reached, {@code --origin} and
 * {@code --user-agent}: the fetcher enforces them, and the launcher checks the values it would
 * give every pod against the same rules before it creates a Job whose pods could only exit 2.
 */
public final class SiteSettings {

  private SiteSettings() {}

  /**
   * Why {@code origin} cannot be an origin (an http(s) URL with a host and no query, fragment or
   * user info), or empty when it can. The message shows the value without its credentials.
   */
  public static Optional<String> originProblem(String origin) {
    URI uri;
    try {
      uri = new URI(origin.strip());
    } catch (URISyntaxException e) {
      return Optional.of("origin '" + Redaction.origin(origin) + "' is not a URL");
    }
    return originProblem(uri);
  }

  /** As {@link #originProblem(String)}, for a URI. */
  public static Optional<String> originProblem(URI origin) {
    String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
    if (!origin.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
        || origin.getHost() == null || origin.getRawQuery() != null
        || origin.getRawFragment() != null || origin.getRawUserInfo() != null) {
      return Optional.of(
          "origin must be an http(s) URL with a host and no query, fragment or user info, was '"
              + Redaction.origin(origin.toString()) + "'");
    }
    if (origin.getPort() == 0 || origin.getPort() > 65535) {
      // URI takes any number; the first request failed ("port out of range", or refused) and
      // was retried as if the site were down.
      return Optional.of("origin's port must be from 1 to 65535, was " + origin.getPort()
          + " in '" + Redaction.origin(origin.toString()) + "'");
    }
    return Optional.empty();
  }

  /**
   * Why {@code userAgent} cannot be sent as one (printable ASCII, spaces and tabs, not blank:
   * what every client and server takes as a header value), or empty when it can.
   */
  public static Optional<String> userAgentProblem(String userAgent) {
    if (userAgent.isBlank()
        || !userAgent.chars().allMatch(c -> c == '\t' || c >= 0x20 && c <= 0x7e)) {
      return Optional.of("userAgent must be non-blank printable ASCII on one line, was '"
          + LogText.escaped(userAgent) + "'");
    }
    return Optional.empty();
  }
}

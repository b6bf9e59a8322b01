package dev.pixivdic.core.internal;

import dev.pixivdic.support.internal.Redaction;
import java.net.URI;

/** How a message names the origin a fetcher sends requests to. */
public final class OriginNames {

  private OriginNames() {}

  /**
   * {@code scheme://host[:port]} of {@code origin}, masked as {@link Redaction#origin} masks it:
   * its path is left out (a caching proxy's path may hold a token).
   */
  public static String named(URI origin) {
    String authority = origin.getRawAuthority();
    return Redaction.origin(origin.getScheme() + "://" + (authority == null ? "" : authority));
  }
}

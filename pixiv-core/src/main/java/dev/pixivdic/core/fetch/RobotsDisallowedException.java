package dev.pixivdic.core.fetch;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/** robots.txt of the site forbids the path to our User-Agent; nothing was requested for it. */
public final class RobotsDisallowedException extends FetchException {
  private static final long serialVersionUID = 1L;

  private final URI robotsUri;

  public RobotsDisallowedException(URI uri, URI robotsUri, String agent) {
    super("robots.txt " + requireNonNull(robotsUri, "robotsUri") + " disallows " + uri
        + " for user-agent '" + requireNonNull(agent, "agent")
        + "'; not fetched (use --ignore-robots to override)", uri, 0, -1, null);
    this.robotsUri = robotsUri;
  }

  /** The robots.txt that forbids the path. */
  public URI robotsUri() {
    return robotsUri;
  }
}

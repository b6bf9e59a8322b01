package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;

/**
 * Why a run stopped as {@link dev.pixivdic.core.run.StopReason#BLOCKED}: robots.txt of the site
 * disallows the items it met, all of them or most (as broken pages would trip the drift guard).
 * A site that changed its robots.txt so would otherwise leave a weekly run a success that stores
 * nothing.
 */
final class RefusedByRobotsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The robots.txt that refused them. */
  private final URI robotsUri;

  RefusedByRobotsException(String message, URI robotsUri) {
    super(message);
    this.robotsUri = requireNonNull(robotsUri, "robotsUri");
  }

  /** The robots.txt that refused them. */
  URI robotsUri() {
    return robotsUri;
  }
}

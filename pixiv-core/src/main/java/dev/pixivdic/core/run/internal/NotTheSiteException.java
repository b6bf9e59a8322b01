package dev.pixivdic.core.run.internal;

import java.io.IOException;

/**
 * The origin answered "not found" for every page of a run and never with an article: it does not
 * serve the site, so the run ended without storing those answers.
 */
public final class NotTheSiteException extends IOException {
  private static final long serialVersionUID = 1L;

  NotTheSiteException(String message) {
    super(message);
  }
}

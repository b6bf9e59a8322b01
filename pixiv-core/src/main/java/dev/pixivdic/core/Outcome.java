package dev.pixivdic.core;

/**
 * What a fetched page turned out to be. Only {@link #ARTICLE} and {@link #NOT_FOUND} are stored
 * as rows; the others are counted and reported.
 */
public enum Outcome {
  /** An article page (or its API JSON) that yielded a row. */
  ARTICLE,
  /** The article does not exist (HTTP 404 or the site's not-found page). */
  NOT_FOUND,
  /** A bot challenge, HTTP 403 or 429: back off, and stop after several in a row. */
  BLOCKED,
  /** The site announces maintenance. */
  MAINTENANCE,
  /** A page of the site whose layout is not recognised: a sign of markup drift. */
  UNRECOGNIZED;

  /** Whether a page with this outcome is written to the sink as a row. */
  public boolean isStored() {
    return this == ARTICLE || this == NOT_FOUND;
  }
}

package dev.pixivdic.embedder;

import dev.pixivdic.core.internal.ScraperVersion;

/** An application class that uses an internal class of pixiv-core, for InternalPackagesTest. */
public final class ReachesIn {
  public String version() {
    return ScraperVersion.get();
  }
}

package dev.pixivdic.embedder;

import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.support.internal.LogText;

/**
 * An application class that uses internal classes of pixiv-core and pixiv-support, for
 * InternalPackagesTest.
 */
public final class ReachesIn {
  public String version() {
    return LogText.escaped(ScraperVersion.get());
  }
}

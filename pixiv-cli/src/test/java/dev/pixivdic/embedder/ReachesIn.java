package dev.pixivdic.embedder;

import dev.pixivdic.core.internal.Durations;
import java.time.Duration;

/** An application class that uses an internal class of pixiv-core, for InternalPackagesTest. */
public final class ReachesIn {
  public String format(Duration d) {
    return Durations.format(d);
  }
}

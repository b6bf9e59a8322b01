package dev.pixivdic.cli;

import dev.pixivdic.core.internal.ScraperVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * Prints the version written into every row's {@code scraper_version} and the git commit it
 * was built from.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "pixiv " + ScraperVersion.get() + " (commit " + ScraperVersion.commit() + ")",
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.core.ScraperVersion;
import picocli.CommandLine.IVersionProvider;

/** Prints the version written into every row's {@code scraper_version}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "pixiv " + ScraperVersion.get(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}

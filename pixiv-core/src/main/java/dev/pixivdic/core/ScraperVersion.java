package dev.pixivdic.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this software, as written into every row's {@code scraper_version}. */
public final class ScraperVersion {

  private static final String VERSION = load();

  private ScraperVersion() {}

  /** The Maven project version, e.g. {@code 0.1.0}; {@code unknown} when not packaged. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = ScraperVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}

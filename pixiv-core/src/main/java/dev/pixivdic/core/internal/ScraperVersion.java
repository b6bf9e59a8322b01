package dev.pixivdic.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this software, as written into every row's {@code scraper_version}. */
public final class ScraperVersion {

  private static final Properties BUILD = load();

  private ScraperVersion() {}

  /** The Maven project version, e.g. {@code 0.1.0}; {@code unknown} when not packaged. */
  public static String get() {
    return value("version");
  }

  /**
   * The git commit the classes were built from (40 hex digits), or {@code unknown} when they
   * were built without a {@code .git} directory and no commit was given.
   */
  public static String commit() {
    return value("commit");
  }

  private static String value(String key) {
    String v = BUILD.getProperty(key, "");
    // An unfiltered placeholder means the build did not know the value.
    return v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = ScraperVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Not packaged with its resources: every value is "unknown".
    }
    return p;
  }
}

package dev.pixivdic.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version line of {@code pixiv-launch --version}: the release and the git commit the jar was
 * built from (the same commit as the jar manifest's {@code Implementation-Commit}).
 */
final class VersionProvider implements IVersionProvider {

  private static final Properties BUILD = load();

  /** The Maven project version; {@code unknown} when the classes were not built by Maven. */
  static String version() {
    return value("version");
  }

  /** The git commit (40 hex digits), or {@code unknown} when built without {@code .git}. */
  static String commit() {
    return value("commit");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "pixiv-launch " + version() + " (commit " + commit() + ")",
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  private static String value(String key) {
    String v = BUILD.getProperty(key, "");
    // An unfiltered placeholder means the build did not know the value.
    return v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Not packaged with its resources: every value is "unknown".
    }
    return p;
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.internal.ScraperVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an embedder copies stays true: the {@code <dependency>} snippets name the version being
 * built, and the BOM names every published module at that version.
 */
class EmbedderKitTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern PIXIV_DEPENDENCY = Pattern.compile(
      "<groupId>dev\\.pixivdic</groupId>\\s*<artifactId>([a-z0-9-]+)</artifactId>\\s*"
          + "<version>([^<]+)</version>");

  @Test
  void theDependencySnippetsInTheDocsNameTheVersionBeingBuilt() throws IOException {
    for (String doc : List.of("README.md", "docs/faq.md")) {
      List<String> versions = new ArrayList<>();
      Matcher m = PIXIV_DEPENDENCY.matcher(read(doc));
      while (m.find()) {
        versions.add(m.group(2));
      }
      assertThat(versions).as(doc + " has a copy-paste <dependency> with a version").isNotEmpty()
          .allSatisfy(v -> assertThat(v).isEqualTo(ScraperVersion.get()));
    }
    assertThat(read("README.md")).contains("mvn -B -DskipTests install");
  }

  @Test
  void theBomManagesEveryPublishedModuleAtTheReactorsVersion() throws IOException {
    String bom = read("pixiv-bom/pom.xml");
    assertThat(bom).doesNotContain("<parent>");
    assertThat(projectVersion(bom)).isEqualTo(ScraperVersion.get());
    String parent = read("pom.xml");
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>(pixiv-[a-z0-9-]+)</module>").matcher(parent);
    while (m.find()) {
      if (!m.group(1).equals("pixiv-bom")) {
        modules.add(m.group(1));
      }
    }
    assertThat(modules).contains("pixiv-core", "pixiv-bigquery", "pixiv-cli");
    for (String module : modules) {
      assertThat(bom).as("pixiv-bom manages " + module)
          .contains("<artifactId>" + module + "</artifactId>\n        <version>${project.version}");
    }
  }

  @Test
  void theLicenceAndTheChangelogAreThere() throws IOException {
    assertThat(read("LICENSE")).contains("Apache License", "Version 2.0, January 2004");
    assertThat(read("pom.xml")).contains("<name>Apache-2.0</name>");
    assertThat(read("CHANGELOG.md")).contains("Keep a Changelog", "## [Unreleased]");
  }

  private static String projectVersion(String pom) {
    Matcher m = Pattern.compile("<artifactId>pixiv-bom</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(pom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String read(String file) throws IOException {
    return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
  }
}

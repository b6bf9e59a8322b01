package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tests of pixiv-cli and pixiv-core left their pages and JSON files in /tmp, one set per
 * build (70 article*.json and more page*.html after a few weeks). A test's files go into a JUnit
 * {@code @TempDir}, which is removed after it: a temporary file or directory made in the system's
 * default place is refused here.
 */
class TestTempFilesTest {

  /** {@code Files.createTempFile(prefix, suffix)} with a literal prefix: a file made in /tmp. */
  private static final Pattern IN_DEFAULT_PLACE = Pattern.compile(
      "createTemp(File|Directory)\\(\\s*\"");

  @Test
  void noTestMakesTemporaryFilesOutsideItsTempDir() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path root : List.of(Path.of("src", "test"), Path.of("..", "pixiv-core", "src", "test"))) {
      try (Stream<Path> all = Files.walk(root)) {
        List<Path> sources = all.filter(p -> p.toString().endsWith(".java")).toList();
        for (Path f : sources) {
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            if (IN_DEFAULT_PLACE.matcher(lines.get(i)).find()) {
              found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
          }
        }
      }
    }
    assertThat(found).as("make them in a @TempDir: Files.createTempFile(dir, ...)").isEmpty();
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class VersionTest {

  private static final Pattern FIRST_LINE =
      Pattern.compile("pixiv (\\S+) \\(commit ([0-9a-f]{40}|unknown)\\)");

  @Test
  void versionNamesTheReleaseAndTheCommitItWasBuiltFrom() throws Exception {
    Cli.Result version = Cli.run("--version");

    assertThat(version.code()).isZero();
    Matcher m = FIRST_LINE.matcher(version.lines().get(0));
    assertThat(m.matches()).as(version.out()).isTrue();
    assertThat(m.group(1)).isEqualTo(dev.pixivdic.core.internal.ScraperVersion.get())
        .isNotEqualTo("unknown");
    // In a clone the build knows its commit (a source tarball says "unknown"; a linked worktree
    // gets the main checkout's HEAD from the plugin, so only a plain clone is compared).
    Optional<String> head = head(Path.of("..").toAbsolutePath().normalize());
    head.ifPresent(h -> assertThat(m.group(2)).isEqualTo(h));
  }

  private static Optional<String> head(Path repo) throws InterruptedException {
    if (!Files.isDirectory(repo.resolve(".git"))) {
      return Optional.empty();
    }
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(repo.toFile())
          .redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0
          ? Optional.of(out) : Optional.empty();
    } catch (IOException noGit) {
      return Optional.empty();
    }
  }
}

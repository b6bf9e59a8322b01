package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CliReferenceTest {

  @Test
  void docsCliMdIsTheReferenceGeneratedFromTheCommand() throws IOException {
    assertFresh(CliReference.FILE, CliReference.render());
  }

  @Test
  void docsLauncherCliMdIsTheReferenceGeneratedFromPixivLaunch() throws IOException {
    assertFresh(CliReference.LAUNCHER_FILE, CliReference.renderLauncher());
  }

  /** The file holds what was generated; with -Dpixiv.docs.write=true it is rewritten first. */
  private static void assertFresh(Path file, String generated) throws IOException {
    if (Boolean.getBoolean("pixiv.docs.write")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    String onDisk = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(onDisk)
        .as("%s is stale: regenerate it with%n  %s", file.getFileName(), CliReference.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void theLauncherReferenceNamesEveryCommandAndEveryOption() {
    String md = CliReference.renderLauncher();
    CliReference.launcherModel().getSubcommands().values().forEach(sub -> {
      assertThat(md).contains("## pixiv-launch " + sub.getCommandName());
      sub.getCommandSpec().options()
          .forEach(o -> assertThat(md).contains("`" + o.longestName() + "`"));
    });
    assertThat(md).contains("`--shards`", "`--ttl`", "`KEY=VALUE`", "`--log-format`",
        "(option of `pixiv-launch`)", "**Required.**");
    assertThat(md).doesNotContain("${DEFAULT-VALUE}", "Default: []");
  }

  @Test
  void theReferenceNamesEveryCommandAndEveryOption() {
    String md = CliReference.render();
    CliReference.model().getSubcommands().values().forEach(sub -> {
      assertThat(md).contains("## pixiv " + sub.getCommandName());
      sub.getCommandSpec().options()
          .forEach(o -> assertThat(md).contains("`" + o.longestName() + "`"));
    });
    assertThat(md).contains("`--sink-mode`", "`--refresh-after`", "`--log-format`",
        "**Required.**");
    assertThat(md).doesNotContain("${DEFAULT-VALUE}");
  }
}

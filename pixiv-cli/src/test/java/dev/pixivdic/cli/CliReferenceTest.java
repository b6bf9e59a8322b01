package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class CliReferenceTest {

  @Test
  void docsCliMdIsTheReferenceGeneratedFromTheCommand() throws IOException {
    String generated = CliReference.render();
    if (Boolean.getBoolean("pixiv.docs.write")) {
      Files.writeString(CliReference.FILE, generated, StandardCharsets.UTF_8);
    }
    String onDisk = Files.exists(CliReference.FILE)
        ? Files.readString(CliReference.FILE, StandardCharsets.UTF_8) : "";
    assertThat(onDisk)
        .as("docs/cli.md is stale: regenerate it with%n  %s", CliReference.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void theReferenceNamesEveryCommandAndEveryOption() {
    String md = CliReference.render();
    CliReference.model().getSubcommands().values().forEach(sub -> {
      assertThat(md).contains("## pixiv " + sub.getCommandName());
      sub.getCommandSpec().options().forEach(o -> assertThat(md).contains("`" + o.longestName() + "`"));
    });
    assertThat(md).contains("`--sink-mode`", "`--refresh-after`", "`--log-format`", "**Required.**");
    assertThat(md).doesNotContain("${DEFAULT-VALUE}");
  }
}

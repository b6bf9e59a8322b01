package dev.pixivdic.support.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** picocli reads an {@code @FILE} whole: {@code @/dev/zero} hung, a huge file ran out of memory. */
class ArgumentFilesTest {

  @TempDir Path dir;

  @Test
  void aDeviceADirectoryOrAFileOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
    Path big = dir.resolve("big.args");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(ArgumentFiles.MAX_BYTES + 1);
    }

    assertThat(ArgumentFiles.problem(new String[] {"scrape", "@/dev/zero"}))
        .hasValue("@/dev/zero: an argument file must be a regular file (this one is a directory,"
            + " a pipe or a device)");
    assertThat(ArgumentFiles.problem(new String[] {"@" + dir})).isPresent();
    assertThat(ArgumentFiles.problem(new String[] {"x", "--", "@" + big}))
        .hasValue("@" + big + ": an argument file holds options, at most 1048576 bytes; this one"
            + " has 1048577");
  }

  @Test
  void aSmallFileAMissingOneAndAnEscapedAtAreLeftToPicocli() throws IOException {
    Path args = Files.writeString(dir.resolve("ok.args"), "--qps 1\n");

    assertThat(ArgumentFiles.problem(new String[] {"@" + args, "@" + dir.resolve("missing"),
        "@@/dev/zero", "@", "--source", "u.txt"})).isEmpty();
  }

  @Test
  void aMissingArgumentFileBeforeTheEndOfOptionsIsNamed() throws IOException {
    Path args = Files.writeString(dir.resolve("ok.args"), "--qps 1\n");
    String missing = dir.resolve("missing.args").toString();

    assertThat(ArgumentFiles.missing(new String[] {"@" + args, "@" + missing, "@@x", "@", "--",
        "@" + dir.resolve("after.args")}))
        .containsExactly("argument file " + missing + ": no such file or directory");
  }
}

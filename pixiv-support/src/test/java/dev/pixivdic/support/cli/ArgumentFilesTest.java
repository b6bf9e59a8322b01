package dev.pixivdic.support.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
    Path args = Files.writeString(dir.resolve("ok.args"), "# \u9031\u6B21\n--qps 1\n");

    assertThat(ArgumentFiles.problem(new String[] {"@" + args, "@" + dir.resolve("missing"),
        "@@/dev/zero", "@", "--source", "u.txt"})).isEmpty();
  }

  /**
   * UTF-16 or UTF-32 text (a spreadsheet's "Unicode text"), with a byte order mark or without,
   * is refused naming the file and the encoding; picocli read it as words with NULs in them.
   */
  @Test
  void anArgumentFileInUtf16OrUtf32IsRefusedSayingItMustBeUtf8() throws IOException {
    String text = "--source urls.txt\n";
    String save = "; an argument file must be UTF-8: save it as UTF-8 text without a byte order"
        + " mark";
    Map<String, String> said = new LinkedHashMap<>();
    said.put("UTF-16LE", "is UTF-16 text (by the NUL bytes beside its characters)");
    said.put("UTF-16BE", "is UTF-16 text (by the NUL bytes beside its characters)");
    said.put("UTF-32LE", "is UTF-32 text (by the NUL bytes beside its characters)");
    said.put("UTF-32BE", "is UTF-32 text (by the NUL bytes beside its characters)");
    for (Map.Entry<String, String> e : said.entrySet()) {
      Charset charset = Charset.forName(e.getKey());
      Path bare = Files.write(dir.resolve(e.getKey() + ".args"), text.getBytes(charset));
      Path marked = Files.write(dir.resolve(e.getKey() + "-bom.args"),
          ("\uFEFF" + text).getBytes(charset));

      assertThat(ArgumentFiles.problem(new String[] {"scrape", "@" + bare}))
          .hasValue("@" + bare + ": the argument file " + e.getValue() + save);
      assertThat(ArgumentFiles.problem(new String[] {"scrape", "@" + marked}))
          .hasValue("@" + marked + ": the argument file "
              + e.getValue().replace("the NUL bytes beside its characters", "its byte order mark")
              + save);
    }
    // Not at the start: a first line of a comment in Japanese shows no NUL beside its first
    // characters.
    Path later = Files.write(dir.resolve("later.args"),
        "#\u9031\u6B21\n--qps 1\n".getBytes(StandardCharsets.UTF_16LE));
    assertThat(ArgumentFiles.problem(new String[] {"@" + later})).hasValue("@" + later
        + ": the argument file holds NUL bytes, which no option holds (is it UTF-16 text?)"
        + save);
  }

  @Test
  void anArgumentFileWithAUtf8ByteOrderMarkIsRefusedNamingTheMark() throws IOException {
    Path marked = Files.writeString(dir.resolve("bom.args"), "\uFEFF--qps 1\n");

    assertThat(ArgumentFiles.problem(new String[] {"@" + marked})).hasValue("@" + marked
        + ": the argument file begins with a UTF-8 byte order mark; save it as UTF-8 without"
        + " one (a plain text file)");
  }

  @Test
  void aMissingArgumentFileBeforeTheEndOfOptionsIsNamed() throws IOException {
    Path args = Files.writeString(dir.resolve("ok.args"), "--qps 1\n");
    String missing = dir.resolve("missing.args").toString();

    assertThat(ArgumentFiles.missing(new String[] {"@" + args, "@" + missing, "@@x", "@", "--",
        "@" + dir.resolve("after.args")}))
        .containsExactly("argument file " + missing + ": no such file or directory");
  }

  @Test
  void aMissingArgumentFileNamedInAnotherIsNamedWithIt() throws IOException {
    String missing = dir.resolve("missing.args").toString();
    Path outer = Files.writeString(dir.resolve("outer.args"), "--qps 1\n@" + missing + "\n");
    Path self = Files.writeString(dir.resolve("self.args"), "@" + dir.resolve("self.args"));

    assertThat(ArgumentFiles.missing(new String[] {"@" + outer, "@" + self}))
        .containsExactly("argument file " + missing + ": no such file or directory (named in"
            + " the argument file " + outer + ")");
    assertThat(ArgumentFiles.problemInAll(new String[] {"--user-agent", "@" + missing}))
        .isEmpty();
  }

  /** One walk answers every question: a cycle, a missing file and the words, by file and line. */
  @Test
  void theWordsOfArgumentFilesBeforeTheEndOfOptionsComeWithTheirFileLineAndQuoting()
      throws IOException {
    String missing = dir.resolve("missing.args").toString();
    Path inner = Files.writeString(dir.resolve("inner.args"), "# none\n--env A=\"x y\"\n");
    Path outer = Files.writeString(dir.resolve("outer.args"), "--qps 1 @" + inner + "\n@"
        + missing + "\n@" + dir.resolve("outer.args") + "\n");
    String[] args = {"@" + outer, "--", "@" + inner};

    assertThat(ArgumentFiles.words(args)).extracting(ArgumentFiles.Word::text)
        .containsExactly("--qps", "1", "@" + inner, "--env", "A=", "x y", "@" + missing,
            "@" + dir.resolve("outer.args"));
    assertThat(ArgumentFiles.words(args).get(5))
        .isEqualTo(new ArgumentFiles.Word("x y", inner.toString(), 2, true));
    assertThat(ArgumentFiles.missing(args)).containsExactly("argument file " + missing
        + ": no such file or directory (named in the argument file " + outer + ")");
    assertThat(ArgumentFiles.problemInAll(args)).hasValueSatisfying(p -> assertThat(p)
        .startsWith("argument file " + outer + " includes itself"));
  }
}

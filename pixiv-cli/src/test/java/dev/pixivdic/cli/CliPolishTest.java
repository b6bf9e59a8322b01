package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, typos, completion and argument files: the command as a person meets it. */
class CliPolishTest {

  @TempDir Path dir;

  /** picocli read the argument file whole: {@code @/dev/zero} hung the command. */
  @Test
  void anArgumentFileThatIsADeviceIsRefusedUnread() {
    Cli.Result r = Cli.run("parse", "@/dev/zero");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("pixiv: @/dev/zero: an argument file must be a regular file"
        + " (this one is a directory, a pipe or a device)" + System.lineSeparator());
  }

  /** Saved by an editor with a byte order mark, its first option was "unknown". */
  @Test
  void anArgumentFileWithAByteOrderMarkIsNamedAsTheCause() throws java.io.IOException {
    java.nio.file.Path utf8 = dir.resolve("utf8.args");
    java.nio.file.Files.writeString(utf8, "\uFEFF--source urls.txt\n");

    Cli.Result r = Cli.run("scrape", "@" + utf8, "--dry-run");

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("@" + utf8 + ": the argument file begins with a UTF-8 byte"
        + " order mark; save it as UTF-8 without one").doesNotContain("Missing required");
  }

  /**
   * Saved as "Unicode text" (UTF-16, with or without a byte order mark, or UTF-32), its options
   * were read with NULs between their letters, or as UTF-16 when they were UTF-32.
   */
  @Test
  void anArgumentFileInUtf16OrUtf32IsRefusedAsNotUtf8() throws java.io.IOException {
    String text = "--source urls.txt\n";
    List<Path> files = List.of(
        Files.write(dir.resolve("utf16.args"), text.getBytes(StandardCharsets.UTF_16BE)),
        Files.write(dir.resolve("utf16-bom.args"),
            ("\uFEFF" + text).getBytes(StandardCharsets.UTF_16LE)),
        Files.write(dir.resolve("utf32-bom.args"),
            ("\uFEFF" + text).getBytes(java.nio.charset.Charset.forName("UTF-32LE"))));

    for (Path args : files) {
      Cli.Result r = Cli.run("scrape", "@" + args, "--dry-run");

      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("pixiv: @" + args + ": the argument file is UTF-")
          .contains("an argument file must be UTF-8: save it as UTF-8 text without a byte order"
              + " mark")
          .doesNotContain("Missing required");
    }
  }

  @Test
  void aMissingArgumentFileIsNamedAsTheCause() {
    Cli.Result alone = Cli.run("scrape", "@" + dir.resolve("nosuch.args"));
    Cli.Result among = Cli.run("scrape", "--source", "urls.txt", "@" + dir.resolve("nosuch.args"));

    assertThat(alone.code()).isEqualTo(2);
    assertThat(among.code()).isEqualTo(2);
    for (Cli.Result r : List.of(alone, among)) {
      assertThat(r.err()).startsWith("pixiv: argument file " + dir.resolve("nosuch.args")
          + ": no such file or directory" + System.lineSeparator());
    }
  }

  /** {@code err} less its last line, the final line a usage error of {@code scrape} ends with. */
  private static String withoutFinalLine(String err) {
    String marker = FinalLine.MARKER + " ";
    assertThat(err.lines().reduce((a, b) -> b)).hasValueSatisfying(l -> assertThat(l)
        .startsWith(marker).contains("\"stop_reason\":\"REFUSED\"", "\"exit_code\":2"));
    return err.substring(0, err.lastIndexOf(marker));
  }

  /**
   * A missing argument file was said twice: by name, then as picocli's "Unmatched argument",
   * which it had taken the word for. Also when another argument file names it.
   */
  @Test
  void aMissingArgumentFileIsOneErrorNamingIt() throws IOException {
    Path missing = dir.resolve("nosuch.args");
    Path outer = Files.writeString(dir.resolve("weekly.args"), "--qps 1\n@" + missing + "\n");

    Cli.Result direct = Cli.run("scrape", "--source", "urls.txt", "@" + missing);
    Cli.Result nested = Cli.run("scrape", "--source", "urls.txt", "@" + outer);

    String tryHelp = "Try 'pixiv scrape --help'." + System.lineSeparator();
    assertThat(direct.code()).isEqualTo(2);
    assertThat(withoutFinalLine(direct.err())).isEqualTo("pixiv: argument file " + missing
        + ": no such file or directory" + System.lineSeparator() + tryHelp);
    assertThat(nested.code()).isEqualTo(2);
    assertThat(withoutFinalLine(nested.err())).isEqualTo("pixiv: argument file " + missing
        + ": no such file or directory (named in the argument file " + outer + ")"
        + System.lineSeparator() + tryHelp);
  }

  /**
   * picocli takes an {@code @word} that names no file as the word itself, a value such as
   * {@code --strip-pattern @.*} or a User-Agent: that is no missing argument file.
   */
  @Test
  void aValueBeginningWithAtThatNamesNoFileIsTakenAsItIs() throws IOException {
    Path src = Files.writeString(dir.resolve("urls.txt"), "https://dic.pixiv.net/a/x\n");
    Path weekly = Files.writeString(dir.resolve("weekly.args"),
        "--source " + src + "\n--user-agent @crawler\n");

    Cli.Result direct = Cli.run("scrape", "--source", src.toString(), "--user-agent", "@bot",
        "--dry-run", "--sink", dir.resolve("rows.ndjson").toString());
    Cli.Result inFile = Cli.run("scrape", "@" + weekly, "--dry-run",
        "--sink", dir.resolve("rows.ndjson").toString());

    assertThat(direct.code()).as(direct.err()).isZero();
    assertThat(direct.out()).contains("https://dic.pixiv.net/a/x");
    assertThat(inFile.code()).as(inFile.err()).isZero();
    assertThat(inFile.out()).contains("https://dic.pixiv.net/a/x");
  }

  /** An argument file that named itself, directly or through another, was skipped unsaid. */
  @Test
  void anArgumentFileThatIncludesItselfIsAUsageError() throws IOException {
    Path self = dir.resolve("self.args");
    Files.writeString(self, "--qps 1\n@" + self + "\n");
    Path a = dir.resolve("a.args");
    Path b = dir.resolve("b.args");
    Files.writeString(a, "--source urls.txt\n@" + b + "\n");
    Files.writeString(b, "# the rate\n--qps 1 @" + a + "\n");

    Cli.Result direct = Cli.run("scrape", "@" + self, "--dry-run");
    Cli.Result cycle = Cli.run("scrape", "@" + a, "--dry-run");

    assertThat(direct.code()).isEqualTo(2);
    assertThat(direct.err()).isEqualTo("pixiv: argument file " + self + " includes itself; an"
        + " argument file cannot include itself, directly or through another: remove @" + self
        + " from " + self + System.lineSeparator());
    assertThat(cycle.code()).isEqualTo(2);
    assertThat(cycle.err()).isEqualTo("pixiv: argument file " + a + " includes itself through "
        + a + " -> " + b + " -> " + a + "; an argument file cannot include itself, directly or"
        + " through another: remove @" + a + " from " + b + System.lineSeparator());
  }

  /** One file named twice on the command line, or by two files, is no loop. */
  @Test
  void anArgumentFileGivenTwiceIsReadTwice() throws IOException {
    Path src = Files.writeString(dir.resolve("urls.txt"), "https://dic.pixiv.net/a/x\n");
    Path rate = Files.writeString(dir.resolve("rate.args"), "--qps 1\n");
    Path weekly = Files.writeString(dir.resolve("weekly.args"),
        "--source " + src + "\n@" + rate + "\n");

    Cli.Result r = Cli.run("scrape", "@" + weekly, "@" + rate, "--dry-run",
        "--sink", dir.resolve("rows.ndjson").toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("https://dic.pixiv.net/a/x");
  }

  @Test
  void noCommandIsAUsageErrorSaidOnStandardError() {
    Cli.Result r = Cli.run();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("pixiv: a command is required").contains("Usage: pixiv");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void helpCommandShowsTheHelpOfTheCommandItNames() {
    Cli.Result help = Cli.run("help", "scrape");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: pixiv scrape", "--source", "--refresh-after");
    assertThat(help.err()).doesNotContain("Missing required option");
    assertThat(Cli.run("help").out()).contains("Usage: pixiv", "Commands:");
  }

  @Test
  void everyCommandSummaryInTheHelpIsAWholeSentence() {
    List<String> summaries = summaries(Cli.run("--help").out());

    assertThat(summaries).hasSizeGreaterThanOrEqualTo(7);
    assertThat(summaries).allSatisfy(s -> assertThat(s).as(s).matches("[a-z-]+ +[A-Z].*[.?!]"));
  }

  @Test
  void aMisspeltRequiredOptionIsNamedWithTheRightSpelling() {
    Cli.Result r = Cli.run("scrape", "--sorce", "urls.txt");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown option '--sorce'; did you mean --source?")
        .contains("Try 'pixiv scrape --help'");
  }

  @Test
  void aMisspeltOptionAmongGoodOnesGetsItsSuggestion() {
    Cli.Result r = Cli.run("--log-format", "text", "scrape", "--source", "urls.txt",
        "--snk", "out.ndjson", "--refresh-afer=7d");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown option '--snk'; did you mean --sink?",
        "unknown option '--refresh-afer'; did you mean --refresh-after?");
  }

  @Test
  void aMisspeltCommandGetsItsSuggestionAndNonsenseGetsNone() {
    assertThat(Cli.run("scarpe", "--source", "x").err())
        .contains("unknown command 'scarpe'; did you mean scrape?");
    Cli.Result nonsense = Cli.run("scrape", "--source", "x", "--zzzzzzzz");
    assertThat(nonsense.code()).isEqualTo(2);
    assertThat(nonsense.err())
        .contains("unknown option '--zzzzzzzz'")
        .doesNotContain("did you mean");
  }

  @Test
  void bashCompletionScriptIsValidBashAndCompletesOptions() throws Exception {
    Cli.Result r = Cli.run("completion", "bash");
    assertThat(r.code()).isZero();
    Path script = dir.resolve("pixiv.bash");
    Files.writeString(script, r.out(), StandardCharsets.UTF_8);

    assertThat(run("bash", "-n", script.toString()).code()).as("bash -n").isZero();
    // Load it and ask for the completions of "pixiv scrape --sou" as bash would (compopt only
    // works while bash itself runs a completion, so it is a no-op here).
    Sh completed = complete(script, "pixiv scrape --sou");
    assertThat(completed.code()).isZero();
    assertThat(completed.out().lines()).contains("--source");
    Sh commands = complete(script, "pixiv re");
    assertThat(commands.out().lines()).contains("resolve", "replay");
    assertThat(complete(script, "pixiv scrape --source-format N").out().lines())
        .containsExactly("NDJSON");
  }

  @Test
  void zshLoadsTheSameScript() throws Exception {
    Cli.Result r = Cli.run("completion", "zsh");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("bashcompinit");
    assumeThat(onPath("zsh")).as("zsh installed").isTrue();
    Path script = dir.resolve("pixiv.zsh");
    Files.writeString(script, r.out(), StandardCharsets.UTF_8);
    assertThat(run("zsh", "-n", script.toString()).code()).as("zsh -n").isZero();
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Cli.Result r = Cli.run("completion", "fish");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bash", "zsh");
  }

  @Test
  void optionsKeptInAnArgumentFileWorkLikeOptionsGiven() throws IOException {
    try (FakeSite site = new FakeSite()) {
      Path urls = dir.resolve("urls.txt");
      Files.write(urls, ScrapeCommandTest.urls(3));
      Path args = dir.resolve("weekly.args");
      Files.writeString(args, String.join("\n",
          "# the weekly configuration",
          "--source " + urls,
          "--sink " + dir.resolve("rows.ndjson"),
          "--origin " + site.origin(),
          "--qps 0.5"), StandardCharsets.UTF_8);

      Cli.Result r = Cli.run("scrape", "@" + args, "--dry-run");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.lines()).containsExactlyInAnyOrderElementsOf(ScrapeCommandTest.urls(3));
      assertThat(r.err()).contains("3 items to fetch", "at 0.5 requests/s");
      assertThat(site.articleRequests.get()).isZero();
    }
  }

  /** The lines of the "Commands:" block, each command's summary joined into one line. */
  private static List<String> summaries(String help) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : help.lines().toList()) {
      if (line.equals("Commands:")) {
        in = true;
      } else if (in && line.isBlank()) {
        break;
      } else if (in && line.startsWith("  ") && !line.startsWith("    ")) {
        out.add(line.strip());
      } else if (in) {
        int last = out.size() - 1;
        out.set(last, out.get(last) + " " + line.strip());
      }
    }
    return out;
  }

  private record Sh(int code, String out) {}

  /** The completions bash would offer for {@code line}, the script loaded. */
  private static Sh complete(Path script, String line) throws IOException, InterruptedException {
    int cword = line.split(" ").length - 1;
    return run("bash", "-c", "source " + script + "; compopt() { :; }; "
        + "COMP_WORDS=(" + line + "); COMP_CWORD=" + cword + "; COMP_LINE='" + line + "'; "
        + "COMP_POINT=${#COMP_LINE}; _complete_pixiv; printf '%s\\n' \"${COMPREPLY[@]}\"");
  }

  private static Sh run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Sh(p.exitValue(), out);
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}

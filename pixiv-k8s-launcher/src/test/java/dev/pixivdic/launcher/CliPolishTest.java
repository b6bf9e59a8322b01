package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.run.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Version, logging options, help, typos, completion and argument files of pixiv-launch. */
class CliPolishTest {

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Result runWith(java.util.Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    Main.execute(java.util.Map.of(), new PrintWriter(new StringWriter(), true),
        new PrintWriter(new StringWriter(), true), "--version");
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * picocli warned of the unbalanced quote on the process's stderr, echoing the value (here a
   * token), and as plain text under --log-format json.
   */
  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void anEnvValueWithAnUnbalancedQuoteIsEchoedNowhere(String format) {
    String secret = "s3cr\"et-token-4711";
    Result[] r = new Result[1];
    String stderr = stderrOf(() -> r[0] = run("--log-format", format, "run", "--kubeconfig",
        dir.resolve("none").toString(), "--name", "j", "--image", "img:1", "--env",
        "TOKEN=" + secret, "--", "--source", "urls.txt"));

    assertThat(r[0].code()).as(r[0].err()).isEqualTo(2);
    assertThat(r[0].err()).contains("kubeconfig");
    assertThat(stderr + r[0].out() + r[0].err()).doesNotContain("et-token-4711", "s3cr");
  }

  @Test
  void anEnvValueWithAnUnbalancedQuoteIsTakenAsGiven() {
    Result r = run("manifest", "--name", "j", "--image", "img:1", "--env", "TOKEN=ab\"c", "--",
        "--source", "urls.txt");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("value: ab\"c");
  }

  /**
   * picocli's own message quoted the value: a token given to --env without its name and '='
   * ended on stderr, in the terminal and the scheduler's log.
   */
  @ParameterizedTest
  @ValueSource(strings = {"--env", "--env=", "--label", "--node-selector"})
  void aKeyValueOptionWithoutItsEqualsSignIsNamedWithoutShowingTheValue(String option) {
    String secret = "SECRET_TOKEN_abc123";
    List<String> args = new ArrayList<>(List.of("run", "--kubeconfig",
        dir.resolve("none").toString(), "--name", "j", "--image", "img:1"));
    if (option.endsWith("=")) {
      args.add(option + secret);
    } else {
      args.addAll(List.of(option, secret));
    }
    args.addAll(List.of("--", "--source", "urls.txt"));
    Result[] r = new Result[1];
    String stderr = stderrOf(() -> r[0] = run(args.toArray(String[]::new)));

    assertThat(r[0].code()).isEqualTo(ExitCodes.USAGE);
    String name = option.replace("=", "");
    assertThat(r[0].err()).contains("pixiv-launch: Invalid value for option '" + name
        + "' (" + (name.equals("--env") ? "NAME" : "KEY") + "=VALUE): no '=' in it (19"
        + " characters, not shown");
    assertThat(stderr + r[0].out() + r[0].err()).doesNotContain("abc123");
  }

  /** An option that does not exist, given a value with '=', is named without its value. */
  @Test
  void anUnknownOptionIsNamedWithoutTheValueItWasGiven() {
    Result r = run("manifest", "--name", "j", "--image", "img:1", "-e=TOKEN=s3cret-4711", "--",
        "--source", "urls.txt");
    Result command = run("TOKEN=s3cret-4711");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("'-e=***'").doesNotContain("s3cret");
    assertThat(command.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(command.err()).contains("TOKEN=***").doesNotContain("s3cret");
  }

  /**
   * picocli's own warnings go to the process's stderr (they are on: a warning about the
   * command's model is worth seeing); none comes of what a user gives, quotes in a KEY=VALUE
   * value included, nor of the help of any command.
   */
  @Test
  void picocliWarnsOfNothingAUserGivesNorOfTheHelp() {
    Result[] r = new Result[1];
    String stderr = stderrOf(() -> {
      r[0] = run("manifest", "--name", "j", "--image", "img:1", "--env", "T=a\"b",
          "--label", "team=\"x", "--node-selector", "pool='a", "--", "--source", "urls.txt");
      for (String command : List.of("manifest", "run", "notify", "completion", "help")) {
        run("help", command);
      }
      run("--help");
    });

    assertThat(r[0].code()).as(r[0].err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r[0].err()).contains("--label team value");
    assertThat(stderr).isEmpty();
  }

  /** A token given where a number or a duration belongs is not shown either. */
  @Test
  void aValueThatLooksLikeATokenIsNotQuotedInPicoclisMessage() {
    String token = "ghp_" + "A1b2C3d4E5".repeat(4);
    Result r = run("manifest", "--name", "j", "--image", "img:1", "--shards", token, "--",
        "--source", "urls.txt");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--shards").contains("44 characters that look like key material")
        .doesNotContain("A1b2C3d4E5");
  }

  /** picocli read the argument file whole: {@code @/dev/zero} hung the command. */
  @Test
  void anArgumentFileThatIsADeviceIsRefusedUnread() {
    Result r = run("manifest", "@/dev/zero");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("pixiv-launch: @/dev/zero: an argument file must be a regular"
        + " file (this one is a directory, a pipe or a device)" + System.lineSeparator());
  }

  @Test
  void aLogFormatInTheEnvironmentThatIsNeitherTextNorJsonIsAUsageErrorWithoutAStackTrace() {
    Result r = runWith(java.util.Map.of("PIXIV_LOG_FORMAT", "xml"), "completion", "bash");

    assertThat(r.code()).isEqualTo(dev.pixivdic.launcher.run.ExitCodes.USAGE);
    assertThat(r.err()).contains("PIXIV_LOG_FORMAT is text or json, was 'xml'")
        .doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
    assertThat(runWith(java.util.Map.of("PIXIV_LOG_FORMAT", " "), "completion", "bash").code())
        .as("empty is as unset").isZero();
    assertThat(runWith(java.util.Map.of("PIXIV_LOG_FORMAT", "xml"), "--log-format", "json",
        "completion", "bash").code()).as("--log-format replaces it").isZero();
    assertThat(runWith(java.util.Map.of("PIXIV_LOG_FORMAT", "xml"), "--help").code())
        .as("help needs no logging").isZero();
    assertThat(runWith(java.util.Map.of("PIXIV_LOG_FORMAT", "xml"), "--version").code())
        .isZero();
  }

  @Test
  void aBadValueInTheEnvironmentIsShownWithControlCharactersEscapedAndCut() {
    Result r = runWith(java.util.Map.of("PIXIV_LOG_FORMAT", "json\u001b[31m\r" + "x".repeat(500)),
        "completion", "bash");

    assertThat(r.code()).isEqualTo(dev.pixivdic.launcher.run.ExitCodes.USAGE);
    assertThat(r.err()).contains("was 'json\\u001b[31m\\u000dxxx").doesNotContain("\u001b")
        .doesNotContain("x".repeat(100));
  }

  @Test
  void aLogLevelInTheEnvironmentThatNamesNoLevelIsAUsageErrorUnlessVerbosityIsGiven() {
    Result r = runWith(java.util.Map.of("PIXIV_LAUNCH_LOG_LEVEL", "DEBGU"), "completion", "bash");

    assertThat(r.code()).isEqualTo(dev.pixivdic.launcher.run.ExitCodes.USAGE);
    assertThat(r.err()).contains("PIXIV_LAUNCH_LOG_LEVEL is one of TRACE, DEBUG, INFO, "
        + "WARN, ERROR, OFF, was 'DEBGU'");
    assertThat(r.out()).isEmpty();
    assertThat(runWith(java.util.Map.of("PIXIV_LAUNCH_LOG_LEVEL", "DEBGU"), "-q", "completion",
        "bash").code()).as("-q replaces it").isZero();
    for (String fine : new String[] {"debug", " WARN ", "", "off"}) {
      assertThat(runWith(java.util.Map.of("PIXIV_LAUNCH_LOG_LEVEL", fine), "completion", "bash")
          .code()).as(fine).isZero();
    }
  }

  @Test
  void versionNamesTheReleaseAndTheCommit() {
    Result r = run("--version");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines().findFirst().orElse(""))
        .matches("pixiv-launch \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{40}|unknown)\\)");
    assertThat(VersionProvider.version()).isNotEqualTo("unknown");
  }

  @Test
  void helpCommandShowsTheHelpOfACommandWithRequiredOptions() {
    Result help = run("help", "run");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: pixiv-launch run", "--name=NAME", "--image=IMAGE");
    assertThat(help.err()).doesNotContain("Missing required option");
    assertThat(run("help").out()).contains("Usage: pixiv-launch", "Commands:", "completion");
  }

  @Test
  void helpLabelsAreWrittenForPeopleAndEachDefaultShowsOnce() {
    String help = run("help", "run").out();

    assertThat(help).contains("--ttl=DURATION", "--active-deadline=DURATION",
        "--label=KEY=VALUE", "--env=NAME=VALUE", "--node-selector=KEY=VALUE", "--qps=RATE");
    assertThat(help).doesNotContain("Default: []", "Default: {}", "<String=String>",
        "<activeDeadline>", "${DEFAULT-VALUE}");
    assertThat(help.split("Default: 0\\.2", -1)).as("the --qps default").hasSize(2);
    assertThat(run("help", "manifest").out()).contains("-o, --output=yaml|json")
        .doesNotContain("Default: []");
  }

  @Test
  void everyCommandSummaryInTheHelpIsAWholeSentence() {
    List<String> summaries = summaries(run("--help").out());

    assertThat(summaries).hasSizeGreaterThanOrEqualTo(4);
    assertThat(summaries).allSatisfy(s -> assertThat(s).as(s).matches("[a-z-]+ +[A-Z].*[.?!]"));
  }

  @Test
  void aMisspeltRequiredOptionIsNamedWithTheRightSpelling() {
    Result r = run("run", "--nmae", "j", "--image", "i", "--shrads", "3");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("unknown option '--nmae'; did you mean --name?",
        "unknown option '--shrads'; did you mean --shards?", "Try 'pixiv-launch run --help'");
    assertThat(run("manfest", "--name", "j").err())
        .contains("unknown command 'manfest'; did you mean manifest?");
    assertThat(run("manifest", "--name", "j", "--image", "i", "--zzzzzzzz").err())
        .contains("unknown option '--zzzzzzzz'").doesNotContain("did you mean");
  }

  @Test
  void optionsKeptInAnArgumentFileWorkLikeOptionsGiven() throws IOException {
    Path args = dir.resolve("weekly.args");
    Files.writeString(args, String.join("\n",
        "# the weekly Job",
        "--name pixiv-weekly",
        "--image registry.example/pixiv:1.0",
        "--shards 8"), StandardCharsets.UTF_8);

    Result r = run("manifest", "@" + args, "--shards", "4", "--", "--source", "bq:myproj.d.t");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("name: pixiv-weekly", "completions: 4",
        "registry.example/pixiv:1.0",
        "bq:myproj.d.t");
  }

  @Test
  void jsonLogLinesAreStructuredForCloudLoggingAndQuietHidesInfo() throws Exception {
    // A server URL with a query string makes the kubeconfig loader warn; a proxy-url makes the
    // run say (info) which proxy it goes through. Nothing listens on port 1: the run ends 69.
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        current-context: c
        contexts: [{name: c, context: {cluster: c}}]
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1/?token=abc",
          proxy-url: "http://ops:hunter2@127.0.0.1:1"}}]
        """);
    List<String> run = List.of("run", "--kubeconfig", kubeconfig.toString(), "--name", "j",
        "--image", "i", "--api-retry-timeout", "0s", "--", "--source", "x");

    String json = stderrOf(() -> run(concat(List.of("--log-format", "json"), run)));
    ObjectMapper mapper = new ObjectMapper();
    JsonNode warning = mapper.readTree(line(json, "query string"));
    assertThat(warning.path("severity").asText()).isEqualTo("WARNING");
    assertThat(warning.path("message").asText()).contains("?***").doesNotContain("token=abc");
    assertThat(warning.path("time").asText()).isNotEmpty();
    JsonNode info = mapper.readTree(line(json, "through the proxy"));
    assertThat(info.path("severity").asText()).isEqualTo("INFO");
    assertThat(info.path("message").asText()).contains("http://***@127.0.0.1:1");
    assertThat(json).doesNotContain("hunter2");

    String quiet = stderrOf(() -> run(concat(List.of("-q"), run)));
    assertThat(quiet).contains("query string").doesNotContain("through the proxy");
    assertThat(stderrOf(() -> run(concat(List.of(), run)))).contains("through the proxy");
    assertThat(run("--log-format", "xml", "manifest", "--name", "j", "--image", "i").err())
        .contains("--log-format is text or json, was 'xml'");
  }

  private static String line(String lines, String containing) {
    return lines.lines().filter(l -> l.contains(containing)).findFirst()
        .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in:\n" + lines));
  }

  @Test
  void bashCompletionScriptIsValidBashAndCompletesOptions() throws Exception {
    Result r = run("completion", "bash");
    assertThat(r.code()).isZero();
    Path script = dir.resolve("pixiv-launch.bash");
    Files.writeString(script, r.out(), StandardCharsets.UTF_8);

    assertThat(sh("bash", "-n", script.toString()).code()).as("bash -n").isZero();
    assertThat(complete(script, "pixiv-launch run --sha").out().lines()).contains("--shards");
    assertThat(complete(script, "pixiv-launch ma").out().lines()).containsExactly("manifest");
  }

  @Test
  void zshLoadsTheSameScript() throws Exception {
    Result r = run("completion", "zsh");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("bashcompinit");
    assumeThat(onPath("zsh")).as("zsh installed").isTrue();
    Path script = dir.resolve("pixiv-launch.zsh");
    Files.writeString(script, r.out(), StandardCharsets.UTF_8);
    assertThat(sh("zsh", "-n", script.toString()).code()).as("zsh -n").isZero();
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Result r = run("completion", "fish");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("bash", "zsh");
  }

  private static String[] concat(List<String> head, List<String> rest) {
    List<String> all = new ArrayList<>(head);
    all.addAll(rest);
    return all.toArray(String[]::new);
  }

  /** What the launcher's log lines (stderr of the process) hold while {@code body} runs. */
  private static String stderrOf(Runnable body) {
    PrintStream saved = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(saved);
    }
    return buffer.toString(StandardCharsets.UTF_8);
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
    return sh("bash", "-c", "source " + script + "; compopt() { :; }; "
        + "COMP_WORDS=(" + line + "); COMP_CWORD=" + cword + "; COMP_LINE='" + line + "'; "
        + "COMP_POINT=${#COMP_LINE}; _complete_pixiv-launch; printf '%s\\n' \"${COMPREPLY[@]}\"");
  }

  private static Sh sh(String... command) throws IOException, InterruptedException {
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

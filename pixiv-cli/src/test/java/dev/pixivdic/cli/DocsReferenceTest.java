package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every {@code pixiv} command line written in README.md, docs/*.md and the Digdag workflows
 * names commands and options that exist. Only code (fenced blocks and code spans) that starts
 * with {@code pixiv} or {@code ./pixiv} is read, so prose and other tools are left alone.
 *
 * <p>Not checked yet, on purpose: the options of {@code pixiv-launch} before its {@code --}
 * (that command is built in another module; what follows {@code --} is {@code pixiv scrape}'s
 * and is checked), and the commands in {@link #PENDING_COMMANDS}. Both lists are to shrink to
 * nothing when those parts are in the build.
 */
class DocsReferenceTest {

  /** Commands that documents may name before they are part of this build. */
  static final Set<String> PENDING_COMMANDS = Set.of("resolve");

  /**
   * The options of {@code pixiv-launch}, until its picocli model can be asked: documents others
   * write (docs/launcher.md) and ours may name them in a standalone code span.
   */
  static final Set<String> PENDING_LAUNCHER_OPTIONS = Set.of("--name", "--namespace", "--service-account",
      "--image", "--image-pull-policy", "--shards", "--parallelism", "--qps",
      "--backoff-limit-per-index", "--active-deadline", "--ttl", "--cpu", "--memory", "--env",
      "--env-from-secret", "--label", "--node-selector", "--startup-timeout", "--keep-on-failure",
      "--kubeconfig", "--context", "--job-file", "--no-service-account-token", "-o");

  /** Documents this project's operators read first; their standalone option spans are checked too. */
  static final Set<String> OPERATOR_DOCS = Set.of("architecture.md", "configuration.md", "operations.md",
      "migration.md", "faq.md", "image.md");

  /** Options of other tools that operator documents mention in standalone spans. */
  static final Set<String> OTHER_TOOLS = Set.of("--target", "--build-arg", "--tag", "--config",
      "--substitutions", "--read-only", "--tmpfs", "--user", "--memory", "--role", "--member",
      "--workload-pool", "--project", "--help");

  private static final Path ROOT = Path.of("..");
  private static final CommandLine MODEL = CliReference.model();
  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```[^\\n]*\\n(.*?)^\\s*```");
  private static final Pattern SPAN = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern STANDALONE_OPTION = Pattern.compile("(--[a-zA-Z][a-zA-Z0-9-]*)(?:[ =].*)?");

  @Test
  void everyPixivCommandLineInTheDocsNamesRealCommandsAndOptions() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path file : documents()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (String code : code(file, text)) {
        for (String segment : segments(code)) {
          checked += check(segment, problems::add, ROOT.relativize(file) + ": `" + segment.strip() + "`");
        }
      }
    }
    assertThat(problems).as("commands or options named in the docs that do not exist").isEmpty();
    assertThat(checked).as("command lines checked").isGreaterThan(10);
  }

  @Test
  void everyStandaloneOptionInTheOperatorDocsExists() throws IOException {
    Set<String> known = new TreeSet<>(allPixivOptions());
    known.addAll(PENDING_LAUNCHER_OPTIONS);
    known.addAll(OTHER_TOOLS);
    List<String> problems = new ArrayList<>();
    for (Path file : documents()) {
      if (!OPERATOR_DOCS.contains(file.getFileName().toString())) {
        continue;
      }
      Matcher spans = SPAN.matcher(withoutFences(Files.readString(file, StandardCharsets.UTF_8)));
      while (spans.find()) {
        Matcher m = STANDALONE_OPTION.matcher(spans.group(1));
        if (m.matches() && !known.contains(m.group(1))) {
          problems.add(file.getFileName() + ": `" + spans.group(1) + "`");
        }
      }
    }
    assertThat(problems).as("options named in the operator docs that no command has").isEmpty();
  }

  @Test
  void theCheckNoticesAnUnknownCommandOrOption() {
    List<String> problems = new ArrayList<>();
    check("./pixiv scrape --source urls.txt --qpss 1", problems::add, "a");
    check("pixiv scrub --source urls.txt", problems::add, "b");
    check("./pixiv-launch run --shards 40 -- --source bq:p.d.t --sinks bq:p.d.u", problems::add, "c");
    check("pixiv --log-format json parse page.html", problems::add, "ok");
    check("pixiv resolve --anything", problems::add, "pending");
    assertThat(problems).hasSize(3).anySatisfy(p -> assertThat(p).contains("--qpss"))
        .anySatisfy(p -> assertThat(p).contains("scrub")).anySatisfy(p -> assertThat(p).contains("--sinks"));
  }

  /**
   * Checks one command line; returns 1 when it was a pixiv command line that was checked.
   */
  static int check(String segment, java.util.function.Consumer<String> problems, String where) {
    List<String> tokens = new ArrayList<>(List.of(segment.strip().split("\\s+")));
    while (!tokens.isEmpty() && (tokens.get(0).equals("$") || tokens.get(0).equals("exec"))) {
      tokens.remove(0);
    }
    if (tokens.isEmpty()) {
      return 0;
    }
    String program = tokens.get(0);
    CommandLine root = MODEL;
    if (program.equals("pixiv-launch") || program.equals("./pixiv-launch")) {
      int sep = tokens.indexOf("--");
      if (sep < 0) {
        return 0;
      }
      checkOptions(root.getSubcommands().get("scrape").getCommandSpec(), tokens.subList(sep + 1, tokens.size()),
          problems, where);
      return 1;
    }
    if (!program.equals("pixiv") && !program.equals("./pixiv")) {
      return 0;
    }
    CommandSpec spec = root.getCommandSpec();
    int i = 1;
    while (i < tokens.size() && tokens.get(i).startsWith("-")) {
      String opt = optionName(tokens.get(i));
      if (spec.findOption(opt) == null) {
        problems.accept(where + ": pixiv has no option " + opt);
      } else if (spec.findOption(opt).arity().max() > 0 && !tokens.get(i).contains("=")) {
        i++;
      }
      i++;
    }
    if (i >= tokens.size()) {
      return 1;
    }
    String command = tokens.get(i);
    if (!command.matches("[a-z][a-z0-9-]*")) {
      return 1; // a placeholder such as [OPTIONS] or COMMAND
    }
    if (PENDING_COMMANDS.contains(command)) {
      return 0;
    }
    CommandLine sub = root.getSubcommands().get(command);
    if (sub == null) {
      problems.accept(where + ": pixiv has no command '" + command + "'");
      return 1;
    }
    checkOptions(sub.getCommandSpec(), tokens.subList(i + 1, tokens.size()), problems, where);
    return 1;
  }

  private static void checkOptions(CommandSpec spec, List<String> tokens,
      java.util.function.Consumer<String> problems, String where) {
    for (String t : tokens) {
      if (t.startsWith("-") && t.length() > 1 && !t.equals("--") && Character.isLetter(t.charAt(t.startsWith("--") ? 2 : 1))) {
        String opt = optionName(t);
        if (spec.findOption(opt) == null) {
          problems.accept(where + ": " + spec.qualifiedName() + " has no option " + opt);
        }
      }
    }
  }

  private static String optionName(String token) {
    int eq = token.indexOf('=');
    return eq < 0 ? token : token.substring(0, eq);
  }

  private static Set<String> allPixivOptions() {
    Set<String> names = new TreeSet<>();
    CommandLine root = MODEL;
    names.addAll(root.getCommandSpec().optionsMap().keySet());
    root.getSubcommands().values().forEach(s -> names.addAll(s.getCommandSpec().optionsMap().keySet()));
    return names;
  }

  private static List<Path> documents() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    Path digdag = ROOT.resolve("examples/digdag");
    if (Files.isDirectory(digdag)) {
      try (Stream<Path> digs = Files.list(digdag)) {
        digs.filter(p -> p.toString().endsWith(".dig")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /** The code of a document: fenced blocks and code spans of Markdown; all of a workflow. */
  private static List<String> code(Path file, String text) {
    List<String> out = new ArrayList<>();
    if (!file.toString().endsWith(".md")) {
      out.add(text);
      return out;
    }
    Matcher fences = FENCE.matcher(text);
    while (fences.find()) {
      out.add(fences.group(1));
    }
    Matcher spans = SPAN.matcher(withoutFences(text));
    while (spans.find()) {
      out.add(spans.group(1));
    }
    return out;
  }

  private static String withoutFences(String text) {
    return FENCE.matcher(text).replaceAll("");
  }

  /** Shell commands of a piece of code: continuations joined, comments dropped, split at ; && || |. */
  static List<String> segments(String code) {
    String joined = code.replaceAll("\\\\\\r?\\n", " ");
    List<String> out = new ArrayList<>();
    for (String line : joined.split("\\r?\\n")) {
      String noComment = line.replaceAll("(^|\\s)#.*$", "");
      for (String s : noComment.split("\\s*(?:&&|\\|\\||;|\\s\\|\\s)\\s*")) {
        if (!s.isBlank()) {
          out.add(s);
        }
      }
    }
    return out;
  }
}

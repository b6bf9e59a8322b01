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
 * <p>{@code pixiv-launch} command lines are checked against the launcher's own model before
 * {@code --}, and against {@code pixiv scrape}'s after it.
 */
class DocsReferenceTest {

  /**
   * Documents this project's operators read first; their standalone option spans are checked too.
   */
  static final Set<String> OPERATOR_DOCS = Set.of("architecture.md", "configuration.md",
      "operations.md", "migration.md", "faq.md", "image.md");

  /** Options of other tools that operator documents mention in standalone spans. */
  static final Set<String> OTHER_TOOLS = Set.of("--target", "--build-arg", "--tag", "--config",
      "--substitutions", "--read-only", "--tmpfs", "--user", "--memory", "--role", "--member",
      "--workload-pool", "--project", "--help");

  private static final Path ROOT = Path.of("..");
  private static final CommandLine MODEL = CliReference.model();
  private static final CommandLine LAUNCHER = dev.pixivdic.launcher.Main.model();
  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```[^\\n]*\\n(.*?)^\\s*```");
  private static final Pattern SPAN = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern STANDALONE_OPTION =
      Pattern.compile("(--[a-zA-Z][a-zA-Z0-9-]*)(?:[ =].*)?");

  @Test
  void everyPixivCommandLineInTheDocsNamesRealCommandsAndOptions() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path file : documents()) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (String code : code(file, text)) {
        for (String segment : segments(code)) {
          checked += check(segment, problems::add,
              ROOT.relativize(file) + ": `" + segment.strip() + "`");
        }
      }
    }
    assertThat(problems).as("commands or options named in the docs that do not exist").isEmpty();
    assertThat(checked).as("command lines checked").isGreaterThan(10);
  }

  @Test
  void everyStandaloneOptionInTheOperatorDocsExists() throws IOException {
    Set<String> known = new TreeSet<>(allPixivOptions());
    known.addAll(options(LAUNCHER));
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
    check("./pixiv-launch run --shards 40 -- --source bq:p.d.t --sinks bq:p.d.u", problems::add,
        "c");
    check("./pixiv-launch run --shardz 40 -- --source bq:p.d.t", problems::add, "d");
    check("pixiv --log-format json parse page.html", problems::add, "ok");
    check("./pixiv-launch manifest --shards 4 -o json -- --qps 1", problems::add, "ok");
    assertThat(problems).hasSize(4)
        .anySatisfy(p -> assertThat(p).contains("--shardz"))
        .anySatisfy(p -> assertThat(p).contains("--qpss"))
        .anySatisfy(p -> assertThat(p).contains("scrub"))
        .anySatisfy(p -> assertThat(p).contains("--sinks"));
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
      List<String> own = tokens.subList(1, sep < 0 ? tokens.size() : sep);
      String first = own.stream().filter(t -> !t.startsWith("-")).findFirst().orElse(null);
      String command = first != null && first.matches("[a-z][a-z0-9-]*") ? first : null;
      if (first != null && command == null) {
        return 0; // not a command line: a diagram or a placeholder such as COMMAND
      }
      if (command != null && LAUNCHER.getSubcommands().containsKey(command)) {
        checkOptions(LAUNCHER.getSubcommands().get(command).getCommandSpec(), own, problems, where);
      } else if (command != null) {
        problems.accept(where + ": pixiv-launch has no command '" + command + "'");
      }
      if (sep >= 0) {
        checkOptions(root.getSubcommands().get("scrape").getCommandSpec(),
            tokens.subList(sep + 1, tokens.size()), problems, where);
      }
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
      if (t.startsWith("-") && t.length() > 1 && !t.equals("--")
          && Character.isLetter(t.charAt(t.startsWith("--") ? 2 : 1))) {
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
    return options(MODEL);
  }

  private static Set<String> options(CommandLine root) {
    Set<String> names = new TreeSet<>();
    names.addAll(root.getCommandSpec().optionsMap().keySet());
    root.getSubcommands().values()
        .forEach(s -> names.addAll(s.getCommandSpec().optionsMap().keySet()));
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

  /**
   * Shell commands of a piece of code: continuations joined, comments dropped, split at ; && || |.
   */
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

package dev.pixivdic.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders docs/cli.md from the command's picocli model, so the reference cannot drift from the
 * code. {@link CliReferenceTest} fails when the file is stale and rewrites it on request.
 */
final class CliReference {

  static final Path FILE = Path.of("..", "docs", "cli.md");
  static final String REGENERATE = "mvn -B -q -pl pixiv-cli -am verify -Dtest=CliReferenceTest "
      + "-Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dpixiv.docs.write=true";

  private CliReference() {}

  static CommandLine model() {
    return Main.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
  }

  static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# CLI reference: `pixiv`\n\n");
    md.append("<!-- Generated from the command's picocli model by CliReferenceTest: "
        + "do not edit by hand.\n");
    md.append("     Regenerate: ").append(REGENERATE).append(" -->\n\n");
    md.append("Every command and option of `pixiv` (`./pixiv` in a checkout, `pixiv` in the "
        + "image). ");
    md.append("Durations are written like `500ms`, `90s`, `30m`, `1h30m`, `7d`, or ISO-8601 "
        + "`PT6H`; a ");
    md.append("bare number is refused ([configuration.md](configuration.md#durations)). ");
    md.append("Options of the whole command (`--log-format`, ");
    md.append("`-v`, `-q`) work before or after the subcommand. `pixiv-launch` is described in ");
    md.append("[launcher.md](launcher.md); `pixiv resolve` in [resolve.md](resolve.md).\n\n");
    md.append("Options can be kept in an argument file, given as `@FILE` anywhere on the command ");
    md.append("line: one or more options per line, `#` starts a comment, quotes keep spaces, and ");
    md.append("options given after it win ([configuration.md](configuration.md#argument-files)). ");
    md.append("`pixiv help COMMAND` shows a command's help; `pixiv completion bash` (or `zsh`) ");
    md.append("prints a completion script.\n\n");
    commands(md, model());
    return md.toString();
  }

  /** docs/launcher-cli.md: the same reference for {@code pixiv-launch}. */
  static final Path LAUNCHER_FILE = Path.of("..", "docs", "launcher-cli.md");

  static CommandLine launcherModel() {
    return dev.pixivdic.launcher.Main.model();
  }

  static String renderLauncher() {
    StringBuilder md = new StringBuilder();
    md.append("# CLI reference: `pixiv-launch`\n\n");
    md.append("<!-- Generated from the command's picocli model by CliReferenceTest: "
        + "do not edit by hand.\n");
    md.append("     Regenerate: ").append(REGENERATE).append(" -->\n\n");
    md.append("Every command and option of `pixiv-launch` (`./pixiv-launch` in a checkout). ");
    md.append("[launcher.md](launcher.md) explains the Job it builds, its exit codes, and how it ");
    md.append("reaches the API server (kubeconfig, proxies). Durations are written like `90s`, ");
    md.append("`30m`, `1h30m`, `7d`, or ISO-8601 `PT6H`, as for `pixiv` ");
    md.append("([configuration.md](configuration.md#durations)). Options of the whole command ");
    md.append("(`--log-format`, `-v`, `-q`) work before or after the subcommand; what follows ");
    md.append("`--` goes to `pixiv scrape` in every pod ([cli.md](cli.md#pixiv-scrape)).\n\n");
    md.append("Options can be kept in an argument file, given as `@FILE`: one or more options "
        + "per ");
    md.append("line, `#` starts a comment, quotes keep spaces, and options given after it win. ");
    md.append("Keep the `-- SCRAPE_ARGS` part last: `pixiv-launch run @weekly.args --shards 8 -- ");
    md.append("--source urls.txt` ([launcher.md](launcher.md#argument-files)). ");
    md.append("`pixiv-launch help COMMAND` shows a command's help; "
        + "`pixiv-launch completion bash` ");
    md.append("(or `zsh`) prints a completion script.\n\n");
    commands(md, launcherModel());
    return md.toString();
  }

  private static void commands(StringBuilder md, CommandLine root) {
    md.append("Commands:\n\n");
    for (CommandLine sub : root.getSubcommands().values()) {
      CommandSpec s = sub.getCommandSpec();
      md.append("- [`").append(s.qualifiedName()).append("`](#").append(anchor(s.qualifiedName()))
          .append("): ").append(summary(s)).append('\n');
    }
    md.append('\n');
    section(md, root.getCommandSpec());
    for (CommandLine sub : root.getSubcommands().values()) {
      section(md, sub.getCommandSpec());
    }
  }

  private static void section(StringBuilder md, CommandSpec spec) {
    md.append("## ").append(spec.qualifiedName()).append("\n\n");
    md.append("```text\n").append(synopsis(spec)).append("\n```\n\n");
    for (String line : spec.usageMessage().header()) {
      md.append(line.replace("%n", " ").strip()).append('\n');
    }
    for (String line : spec.usageMessage().description()) {
      md.append(line.replace("%n", " ").strip()).append('\n');
    }
    md.append('\n');
    List<PositionalParamSpec> params = spec.positionalParameters();
    if (!params.isEmpty()) {
      md.append("| parameter | description |\n| --- | --- |\n");
      for (PositionalParamSpec p : params) {
        md.append("| `").append(cell(p.paramLabel())).append("` | ")
            .append(cell(description(p))).append(" |\n");
      }
      md.append('\n');
    }
    md.append("| option | value | description |\n| --- | --- | --- |\n");
    for (OptionSpec o : ordered(spec)) {
      if (o.hidden()) {
        continue;
      }
      String names = String.join("`, `", o.names());
      String value = o.arity().max() == 0 ? "" : "`" + cell(o.paramLabel()) + "`";
      String desc = description(o);
      if (o.group() != null) {
        String heading = o.group().heading() == null ? ""
            : o.group().heading().replace("%n", " ").strip();
        desc = "(" + (heading.endsWith(":") ? heading.substring(0, heading.length() - 1) : heading)
            + (o.required() ? "; required when the group is used" : "") + ") " + desc;
      } else if (o.required()) {
        desc = "**Required.** " + desc;
      }
      if (spec.usageMessage().showDefaultValues() && o.defaultValue() != null
          && o.showDefaultValue() != CommandLine.Help.Visibility.NEVER
          && !String.join(" ", o.description()).contains("${DEFAULT-VALUE}")) {
        desc = desc + " Default: `" + o.defaultValue() + "`.";
      }
      if (o.inherited()) {
        desc = desc + " (option of `" + spec.root().name() + "`)";
      }
      md.append("| `").append(names).append("` | ").append(value).append(" | ")
          .append(cell(desc)).append(" |\n");
    }
    md.append('\n');
    String[] footer = spec.usageMessage().footer();
    if (footer.length > 0) {
      StringBuilder f = new StringBuilder();
      for (String line : footer) {
        f.append(line.strip()).append(' ');
      }
      if (!f.toString().isBlank()) {
        md.append(f.toString().strip()).append("\n\n");
      }
    }
  }

  /**
   * The command's own options in declaration order, then the inherited ones by name: options
   * declared on methods (the global ones) come back from reflection in no fixed order.
   */
  private static List<OptionSpec> ordered(CommandSpec spec) {
    List<OptionSpec> own = new ArrayList<>();
    List<OptionSpec> global = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      (o.inherited() || spec.parent() == null ? global : own).add(o);
    }
    global.sort(java.util.Comparator.comparing(o -> o.longestName().replaceFirst("^-+", "")));
    own.addAll(global);
    return own;
  }

  private static String synopsis(CommandSpec spec) {
    StringBuilder s = new StringBuilder(spec.qualifiedName());
    if (!spec.subcommands().isEmpty()) {
      s.append(" [OPTIONS] COMMAND");
      return s.toString();
    }
    List<String> required = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.required() && o.group() == null) {
        required.add(o.longestName() + " " + o.paramLabel());
      }
    }
    required.forEach(r -> s.append(' ').append(r));
    s.append(" [OPTIONS]");
    for (PositionalParamSpec p : spec.positionalParameters()) {
      s.append(' ').append(p.paramLabel()).append(p.arity().max() > 1 ? "..." : "");
    }
    return s.toString();
  }

  private static String description(ArgSpec a) {
    String d = String.join(" ", a.description());
    String def = a.defaultValue() == null ? "" : a.defaultValue();
    return d.replace("${DEFAULT-VALUE}", def);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** The command's one-sentence summary, as `pixiv --help` lists it. */
  private static String summary(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    return header.length > 0 ? String.join(" ", header).strip()
        : firstSentence(spec.usageMessage().description());
  }

  private static String firstSentence(String[] description) {
    String d = String.join(" ", description);
    int dot = d.indexOf(". ");
    return dot < 0 ? d : d.substring(0, dot + 1);
  }

  static String anchor(String heading) {
    return heading.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
  }
}

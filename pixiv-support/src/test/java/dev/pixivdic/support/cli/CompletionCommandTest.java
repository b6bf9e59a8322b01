package dev.pixivdic.support.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {

  @Command(name = "my-tool", subcommands = {CompletionCommand.class})
  static final class Tool {
    @Option(names = "--shards") int shards;
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Tool());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void theScriptCompletesTheCommandItIsPartOf() {
    String script = run("completion", "bash");

    assertThat(script).contains("complete -F", "my-tool", "--shards", "completion");
    assertThat(run("completion", "zsh")).isEqualTo(script);
  }

  @Test
  void theShellIsTakenInAnyCaseWhateverTheCommandsParserAllows() {
    String script = run("completion", "bash");

    assertThat(run("completion", "BASH")).isEqualTo(script);
    assertThat(run("completion", " Zsh")).isEqualTo(script);
    StringWriter err = new StringWriter();
    CommandLine strict = new CommandLine(new Tool()).setCaseInsensitiveEnumValuesAllowed(false);
    strict.setErr(new PrintWriter(err, true));
    strict.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(strict.execute("completion", "fish")).isEqualTo(2);
    assertThat(err.toString()).contains("expected bash or zsh but was 'fish'");
  }

  @Test
  void theHelpNamesTheCommandItIsPartOf() {
    String help = run("completion", "--help");

    assertThat(help).contains("Print a shell completion script for my-tool (bash or zsh).",
        "source <(my-tool completion bash)",
        "completions/my-tool.")
        .doesNotContain("${");
  }
}

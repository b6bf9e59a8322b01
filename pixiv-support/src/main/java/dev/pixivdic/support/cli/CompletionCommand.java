package dev.pixivdic.support.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code COMMAND completion bash|zsh}, a subcommand of {@code pixiv} and of {@code pixiv-launch}:
 * the completion script picocli's {@link AutoComplete} generates from the command model, so it
 * cannot miss an option. The help names the command it is part of ({@code ROOT-COMMAND-NAME}).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    header = "Print a shell completion script for ${ROOT-COMMAND-NAME} (bash or zsh).",
    description = {
        "Load it in the current shell with: source <(${ROOT-COMMAND-NAME} completion bash)",
        "or keep it: ${ROOT-COMMAND-NAME} completion bash"
            + " > ~/.local/share/bash-completion/completions/${ROOT-COMMAND-NAME}.",
        "In zsh the same script runs through bashcompinit, which it loads itself."})
public final class CompletionCommand implements Callable<Integer> {

  /** The shells the script is written for. */
  enum Shell { bash, zsh }

  @Spec CommandSpec spec;

  // Its own converter: the shell's name in any case, whatever the command's parser allows for
  // enums (pixiv allows any case, pixiv-launch does not), so both commands take the same.
  @Parameters(paramLabel = "SHELL", description = "bash or zsh.", converter = ShellName.class)
  Shell shell;

  /** Reads a shell's name in any case. */
  static final class ShellName implements CommandLine.ITypeConverter<Shell> {
    @Override
    public Shell convert(String value) {
      for (Shell s : Shell.values()) {
        if (s.name().equalsIgnoreCase(value.strip())) {
          return s;
        }
      }
      throw new CommandLine.TypeConversionException("expected bash or zsh but was '" + value
          + "'");
    }
  }

  @Override
  public Integer call() {
    // picocli writes one script for both: under zsh it starts bashcompinit first.
    String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}

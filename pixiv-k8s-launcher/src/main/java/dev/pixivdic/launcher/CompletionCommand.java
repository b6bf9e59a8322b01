package dev.pixivdic.launcher;

import dev.pixivdic.launcher.run.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pixiv-launch completion bash|zsh}: the completion script picocli's {@link AutoComplete}
 * generates from the command model, so it cannot miss an option.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    header = "Print a shell completion script for pixiv-launch (bash or zsh).",
    description = {"Load it in the current shell with: source <(pixiv-launch completion bash)",
        "or keep it: pixiv-launch completion bash"
            + " > ~/.local/share/bash-completion/completions/pixiv-launch.",
        "In zsh the same script runs through bashcompinit, which it loads itself."})
final class CompletionCommand implements Callable<Integer> {

  /** The shells the script is written for. */
  enum Shell { bash, zsh }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    // picocli writes one script for both: under zsh it starts bashcompinit first.
    String script = AutoComplete.bash("pixiv-launch", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.SUCCESS;
  }
}

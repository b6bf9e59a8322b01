package dev.pixivdic.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code pixiv-launch}. Pod log lines go to stdout, everything else to stderr. */
@Command(
    name = "pixiv-launch",
    showDefaultValues = true,
    description = "Builds, submits and follows the Kubernetes Job that runs 'pixiv scrape'.",
    subcommands = {ManifestCommand.class, RunCommand.class, NotifyCommand.class})
public final class Main implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  private Main() {}

  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** The command's picocli model (commands and options), for tools that document or check it. */
  public static CommandLine model() {
    return new CommandLine(new Main());
  }

  /** Runs the command line and returns the exit code; never calls {@code System.exit}. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> e instanceof IllegalArgumentException || e instanceof IOException
        ? ExitCodes.USAGE : ExitCodes.FAILED);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("pixiv-launch: " + e.getMessage());
      return commandLine.getExitCodeExceptionMapper().getExitCode(e);
    });
    cli.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("pixiv-launch: " + e.getMessage());
      return ExitCodes.USAGE;
    });
    return cli.execute(args);
  }
}

package dev.pixivdic.launcher;

import dev.pixivdic.launcher.run.ExitCodes;
import dev.pixivdic.support.cli.ArgumentFiles;
import dev.pixivdic.support.cli.CompletionCommand;
import dev.pixivdic.support.cli.EnvironmentValue;
import dev.pixivdic.support.cli.LogOptions;
import dev.pixivdic.support.cli.Typos;
import dev.pixivdic.support.cli.WholeNumbers;
import dev.pixivdic.support.internal.LogText;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;

/** Entry point of {@code pixiv-launch}. Pod log lines go to stdout, everything else to stderr. */
@Command(
    name = "pixiv-launch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    // The help of -v names the variable that sets the level when no option does.
    resourceBundle = "dev.pixivdic.launcher.Options",
    description = "Builds, submits and follows the Kubernetes Job that runs 'pixiv scrape'.",
    subcommands = {ManifestCommand.class, RunCommand.class, NotifyCommand.class,
        CompletionCommand.class, HelpCommand.class},
    footer = {"", "Exit codes: 0 every shard done, 1 failed, 2 usage, 3 refused by the API server,",
        "4 Job deleted by someone else, 5 pods could not start, 69 API unreachable (retry),",
        "124 Job deadline, 130/143 interrupted after deleting the Job; a pod's own code is passed",
        "on when a pod decided the failure. See docs/launcher.md.",
        "", "Options can be kept in a file, one per line (# starts a comment), and given as @FILE:",
        "  pixiv-launch run @weekly.args --shards 8"})
public final class Main implements Callable<Integer> {

  private Main() {}

  @Mixin LogOptions logging = new LogOptions(Logging::format, Logging::verbosity);

  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    System.exit(
        execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** The command's picocli model (commands and options), for tools that document or check it. */
  public static CommandLine model() {
    return new CommandLine(new Main());
  }

  /** Runs the command line and returns the exit code; never calls {@code System.exit}. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(System.getenv(), out, err, args);
  }

  /** As {@link #execute(PrintWriter, PrintWriter, String...)}, with the given environment. */
  static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    Optional<String> atFile = ArgumentFiles.problemBeforeEnd(args)
        .or(() -> UsageErrors.splitPair(args));
    if (atFile.isPresent()) {
      err.println("pixiv-launch: " + LogText.escaped(atFile.get()));
      return ExitCodes.USAGE;
    }
    Logging.reset(env);
    CommandLine cli = new CommandLine(new Main());
    // A bad PIXIV_LOG_FORMAT or PIXIV_LAUNCH_LOG_LEVEL stops a command that would log (it
    // ended the launcher with a stack trace and exit 1), not one whose options replaced it,
    // nor a request for help.
    cli.setExecutionStrategy(EnvironmentValue.refusingFirst(Logging::environmentProblem,
        new CommandLine.RunLast()));
    cli.setOut(out);
    cli.setErr(err);
    // Integer.parseInt, picocli's own reading, takes any script's digits (--shards ٢ was 2);
    // every number takes ASCII digits only, as pixiv's do.
    cli.registerConverter(Integer.class, WholeNumbers.INT);
    cli.registerConverter(int.class, WholeNumbers.INT);
    cli.registerConverter(Long.class, WholeNumbers.LONG);
    cli.registerConverter(long.class, WholeNumbers.LONG);
    // BigDecimal reads them too (--qps ٢ was 2), where pixiv's --qps takes ASCII digits only.
    cli.registerConverter(java.math.BigDecimal.class, v -> {
      if (v.chars().anyMatch(c -> c > 0x7f)) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a number");
      }
      return new java.math.BigDecimal(v);
    });
    // Last one wins, as in pixiv: an @FILE keeps the configuration, options after it adjust it.
    cli.setOverwrittenOptionsAllowed(true);
    cli.setExitCodeExceptionMapper(
        e ->
            e instanceof IllegalArgumentException || e instanceof IOException
                ? ExitCodes.USAGE
                : ExitCodes.FAILED);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("pixiv-launch: " + e.getMessage());
      return commandLine.getExitCodeExceptionMapper().getExitCode(e);
    });
    cli.setParameterExceptionHandler((e, a) -> {
      CommandLine c = e.getCommandLine();
      List<String> typos = Typos.unknown(c.getCommandSpec(), UsageErrors.expanded(a));
      List<String> missing = ArgumentFiles.missing(a);
      Optional<String> beforeEnd = UsageErrors.valueMissingBeforeEnd(c.getCommandSpec(), a);
      if (!missing.isEmpty()) {
        // picocli keeps an @FILE that does not exist as a plain argument: that is the cause, and
        // its own message ("Unmatched argument") would only say it again.
        missing.forEach(m -> c.getErr().println("pixiv-launch: " + LogText.escaped(m)));
      } else if (beforeEnd.isPresent()) {
        c.getErr().println("pixiv-launch: " + LogText.escaped(beforeEnd.get()));
      } else if (typos.isEmpty()) {
        c.getErr().println("pixiv-launch: " + UsageErrors.message(e, a));
      } else {
        // A misspelt option is the cause of what picocli reports (often "Missing required").
        typos.forEach(t -> c.getErr().println(
            "pixiv-launch: " + UsageErrors.masked(t, c.getCommandSpec(), a)));
      }
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      return ExitCodes.USAGE;
    });
    return cli.execute(podsArgumentFilesKept(args));
  }

  /**
   * {@code args} with each {@code @FILE} after {@code --} written {@code @@FILE}, which picocli
   * reads as the word {@code @FILE}: an argument file among the scrape arguments is the pods'
   * (refused as such), and picocli read it from the launcher's host when one of that name was
   * there.
   */
  private static String[] podsArgumentFilesKept(String[] args) {
    String[] kept = args.clone();
    int end = List.of(args).indexOf("--");
    for (int i = end + 1; end >= 0 && i < kept.length; i++) {
      if (kept[i].length() > 1 && kept[i].startsWith("@") && !kept[i].startsWith("@@")) {
        kept[i] = "@" + kept[i];
      }
    }
    return kept;
  }
}

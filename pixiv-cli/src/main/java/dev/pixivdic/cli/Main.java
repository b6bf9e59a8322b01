package dev.pixivdic.cli;

import dev.pixivdic.core.run.internal.VmErrors;
import dev.pixivdic.support.cli.ArgumentFiles;
import dev.pixivdic.support.cli.EnvironmentValue;
import dev.pixivdic.support.cli.Typos;
import dev.pixivdic.support.cli.WholeNumbers;
import dev.pixivdic.support.internal.LogText;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code pixiv} command. */
public final class Main {

  /** A decimal number, as picocli's own converter reads it minus Java's type suffixes. */
  private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile(
      "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity)");

  private Main() {}

  public static void main(String[] args) {
    // A pod stopped in its first second (reading the command line takes that long on a cold
    // JVM) ended its log with no line at all. The handlers come first, before anything else is
    // loaded or read (the argument files that name the command): until then the JVM's own
    // handling ends the process with 143 and no line. Until the process exits (a signal after a
    // command put back its handlers ended it with the JVM's 143, whatever its final line said):
    // for every command, with the line if it has one. The command takes up the same line, so
    // two signals, or a signal and a refusal, print one.
    StartupLine startup = new StartupLine(args);
    PrintWriter early = new PrintWriter(System.err, true);
    StopOnSignal.atStartup(code -> startup.line().map(l -> l.interrupted(code, early))
        .orElse(code));
    StandardInput.guard();
    PrintWriter err = early;
    Optional<FinalLine.Pending> line = startup.line();
    if (line.isPresent()) {
      // A usage error printed as a signal's line is: the line last, or no line after it.
      err = new PrintWriter(line.get().gate(new java.io.OutputStreamWriter(System.err)), true);
      // The log's lines too: one that a run's thread writes as a signal's line is printed
      // comes before the line or not at all.
      Logging.route(line.get().logs(System.err));
    }
    // Not System.out: a PrintStream swallows the error of a write that failed.
    int ran = execute(args, new StandardOutput(new FileOutputStream(FileDescriptor.out)), err);
    // A signal's line printed while the command line was read is the process's exit code; one
    // that comes from now on exits with this code.
    int code = StopOnSignal.exitCode(() -> line.map(l -> l.finish(ran)).orElse(ran));
    beforeExit.accept(code);
    System.exit(code);
  }

  /**
   * The final line of the command {@code main} runs ({@link #lineCommand}), made once: by
   * {@code main} once its handlers are in place, or by a signal that comes before.
   */
  private static final class StartupLine {
    private final String[] args;
    private Optional<FinalLine.Pending> line; // guarded by this

    StartupLine(String[] args) {
      this.args = args;
    }

    synchronized Optional<FinalLine.Pending> line() {
      if (line == null) {
        line = lineCommand(args).map(FinalLine.Pending::atStartup);
      }
      return line;
    }
  }

  /** Called with the exit code decided, just before {@code System.exit}: a test's seam. */
  static volatile java.util.function.IntConsumer beforeExit = code -> { };

  /** The options of {@code pixiv} itself that take a value as the next argument. */
  private static final java.util.Set<String> GLOBAL_WITH_VALUE = java.util.Set.of("--log-format");

  /** The commands whose log ends with a final line, unless they only list or explain. */
  private static final java.util.Set<String> LINE_COMMANDS = java.util.Set.of("scrape", "resolve",
      "replay");

  /**
   * The command {@code args} run, when it is one that ends its log with a final line: the first
   * argument past the global options (and {@code --log-format}'s value). Empty for anything else
   * (help, a dry run, also asked for in an argument file; a command named in one), whose
   * handlers come later.
   */
  static Optional<String> lineCommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (GLOBAL_WITH_VALUE.contains(arg)) {
        i++; // its value, whatever it is, is no command
        continue;
      }
      if (arg.equals("--") || arg.startsWith("@") || !arg.startsWith("-")) {
        // Help or a version before the command (pixiv -h scrape) explains as one after it does.
        return LINE_COMMANDS.contains(arg) && !listsOrExplains(args)
            ? Optional.of(arg) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the words before {@code --}, those of the argument files too, ask for a dry run, help
   * or the version.
   */
  private static boolean listsOrExplains(String[] args) {
    List<String> all = List.of(args);
    int end = all.indexOf("--");
    return all.subList(0, end < 0 ? all.size() : end).stream().anyMatch(Main::listsOrExplains)
        || ArgumentFiles.words(args).stream().map(ArgumentFiles.Word::text)
            .anyMatch(Main::listsOrExplains);
  }

  /** An option after which the command prints no final line: a dry run, help, the version. */
  private static boolean listsOrExplains(String arg) {
    return arg.matches("--(dry-run|help|version)(=.*)?") || arg.matches("-[A-Za-z]*[hV][A-Za-z]*");
  }

  /**
   * Runs the command line and returns its exit code, printing to the given writers. What goes
   * to {@code err} (messages, the summary) is masked like the log lines. A command whose
   * results could not all be written to {@code out} exits {@link ExitCodes#NOT_RECORDED}
   * ({@link StandardOutput#checked}).
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, System.getenv());
  }

  /** As {@link #execute(String[], PrintWriter, PrintWriter)}, with the given environment. */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    PrintWriter masked = new PrintWriter(new MaskingWriter(err), true);
    // Every argument file, those named in one too: one that includes itself was skipped
    // without a word. A missing one is a word picocli takes as it is, named below if the
    // command line does not parse.
    Optional<String> atFile = ArgumentFiles.problemInAll(args);
    if (atFile.isPresent()) {
      masked.println("pixiv: " + LogText.escaped(atFile.get()));
      return ExitCodes.USAGE;
    }
    Logging.reset(env);
    CommandLine cli = commandLine(out, masked);
    try {
      return StandardOutput.checked(cli.execute(args), out, masked);
    } catch (VirtualMachineError e) {
      // Out of memory outside a run's engine (a dry run listing a shard too large for the
      // heap): the message, not a stack trace, and the final line when the command prints one.
      masked.println("pixiv: internal error: " + Logging.escape(VmErrors.advice(e)));
      ParseResult parsed = cli.getParseResult();
      Object command = parsed == null ? null
          : parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1).getCommand();
      if (command instanceof FinalLine.Command c) {
        c.pending().ifPresent(p -> p.printIfEarly(ExitCodes.INTERNAL,
            FinalLine.Pending.INTERNAL_ERROR, masked));
      }
      return ExitCodes.INTERNAL;
    } finally {
      masked.flush();
    }
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new PixivCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // `pixiv scrape -V` answers as `pixiv -V` does: the subcommands declare no version of their
    // own, and picocli printed nothing for them.
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null
          && sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().versionProvider(cli.getCommandSpec().versionProvider());
      }
    }
    // Java reads "7d" and "2f" as the numbers 7 and 2; a user writing --qps 7d meant a rate
    // per day, not seven a second.
    CommandLine.ITypeConverter<Double> plainNumber = v -> {
      if (!PLAIN_NUMBER.matcher(v.strip()).matches()) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a number");
      }
      return Double.valueOf(v.strip());
    };
    cli.registerConverter(Double.class, plainNumber);
    cli.registerConverter(double.class, plainNumber);
    // Integer.parseInt reads any script's digits ("٣" is 3), where --qps refuses a "１": both
    // kinds of number take ASCII digits only.
    cli.registerConverter(Integer.class, WholeNumbers.INT);
    cli.registerConverter(int.class, WholeNumbers.INT);
    cli.registerConverter(Long.class, WholeNumbers.LONG);
    cli.registerConverter(long.class, WholeNumbers.LONG);
    // Path.of("") is the working directory: an empty --archive filled it with the archive.
    cli.registerConverter(java.nio.file.Path.class, v -> {
      if (v.isBlank()) {
        throw new CommandLine.TypeConversionException("an empty path names no file");
      }
      return java.nio.file.Path.of(v);
    });
    // Last one wins: wrappers (pixiv-launch, Digdag) add defaults that the user's own args
    // override.
    cli.setOverwrittenOptionsAllowed(true);
    // A bad PIXIV_LOG_FORMAT stops a command that would log, not one that replaced it with
    // --log-format, nor a request for help.
    cli.setExecutionStrategy(EnvironmentValue.refusingFirst(Logging::environmentProblem,
        OptionRanges.thenRunLast()));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      java.util.Optional<FinalLine.Pending> pending =
          commandLine.getCommand() instanceof FinalLine.Command c ? c.pending()
              : java.util.Optional.empty();
      java.util.Optional<Integer> printed = pending.flatMap(FinalLine.Pending::printedCode);
      if (printed.isPresent()) {
        // Nothing follows the final line, and the process exits with its code. The run closed
        // everything before printing it, so only a bug in the command's last steps gets here.
        return printed.get();
      }
      commandLine.getErr().println("pixiv: internal error: " + Logging.escape(String.valueOf(e)));
      org.slf4j.LoggerFactory.getLogger(Main.class).error("internal error", e);
      // A pod's log ends with the final line, also when the run never started its engine.
      pending.ifPresent(p -> p.printIfEarly(ExitCodes.INTERNAL,
          FinalLine.Pending.INTERNAL_ERROR, commandLine.getErr()));
      return ExitCodes.INTERNAL;
    });
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine c = e.getCommandLine();
      // A run's log ends with the final line, also when its command line cannot be read (a pod
      // given an option this version does not know): taken up before the error is said, so the
      // line follows it.
      Optional<FinalLine.Pending> line = refusedLine(c, args);
      java.util.List<String> typos = Typos.unknown(c.getCommandSpec(), java.util.List.of(args));
      java.util.List<String> missing = ArgumentFiles.missing(args);
      if (!missing.isEmpty()) {
        // picocli kept an @FILE that does not exist as a plain word: that is the cause, and its
        // own message ("Unmatched argument") would only say it again.
        missing.forEach(m -> c.getErr().println("pixiv: " + Logging.escape(m)));
      } else if (typos.isEmpty()) {
        c.getErr().println("pixiv: " + Logging.escape(e.getMessage()));
      } else {
        // A misspelt option is the cause of what picocli reports (often "Missing required").
        typos.forEach(t -> c.getErr().println("pixiv: " + Logging.escape(t)));
      }
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      line.ifPresent(p -> p.printIfEarly(ExitCodes.USAGE, FinalLine.Pending.REFUSED,
          c.getErr()));
      return ExitCodes.USAGE;
    });
    return cli;
  }

  /**
   * The final line of a command line that could not be read, when it runs a command that prints
   * one: the command picocli was reading ({@code pixiv scrape --bogus}, also from an argument
   * file), else the one {@link #lineCommand} finds ({@code pixiv --bogus scrape}); none for a dry
   * run, help or the version.
   */
  private static Optional<FinalLine.Pending> refusedLine(CommandLine failed, String[] args) {
    if (listsOrExplains(args)) {
      return Optional.empty();
    }
    Optional<String> command = failed.getCommand() instanceof FinalLine.Command
        ? Optional.of(failed.getCommandName()) : lineCommand(args);
    return command.map(FinalLine.Pending::of);
  }
}

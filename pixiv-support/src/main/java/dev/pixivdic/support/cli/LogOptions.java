package dev.pixivdic.support.cli;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The logging options of {@code pixiv} and {@code pixiv-launch}, for a top command's
 * {@code @Mixin} field; every subcommand inherits them. Each command applies them to its own
 * logging setup. A command gives its {@code -v} a longer help text with the key
 * {@code verbose} in its resource bundle.
 */
public final class LogOptions {

  /** The log line formats, as {@code --log-format} and {@code PIXIV_LOG_FORMAT} name them. */
  public static final List<String> FORMATS = List.of("text", "json");

  private final Consumer<String> format;
  private final IntConsumer verbosity;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  /**
   * Options that set the command's logging.
   *
   * @param format sets the log line format; throws picocli's {@code TypeConversionException}
   *     when it is neither text nor json
   * @param verbosity sets the verbosity: 0 as configured, -1 warnings only, 1 debug, 2 or more
   *     trace
   */
  public LogOptions(Consumer<String> format, IntConsumer verbosity) {
    this.format = requireNonNull(format, "format");
    this.verbosity = requireNonNull(verbosity, "verbosity");
  }

  // Each with its order: picocli finds annotated methods in reflection's order, which varies
  // from one JVM to the next, and a command that does not sort its options showed these in
  // that order (help differed between two runs, 1 in 20).
  @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "text|json",
      order = 3,
      description = "Log line format on stderr: text, or json (Cloud Logging structured lines). "
          + "Default: $PIXIV_LOG_FORMAT, else text.")
  void logFormat(String format) {
    try {
      this.format.accept(format);
    } catch (TypeConversionException e) {
      // Thrown from a setter, picocli would quote every argument of the command line in its
      // message, secrets included (a --notify URL); a ParameterException is printed as it is.
      throw new ParameterException(command.commandLine(), e.getMessage(), e);
    }
  }

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, descriptionKey = "verbose",
      order = 1,
      description = "Log more (repeat for trace).")
  void verbose(boolean[] v) {
    verbosity.accept(v.length);
  }

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, order = 2,
      description = "Log warnings and errors only.")
  void quiet(boolean q) {
    if (q) {
      verbosity.accept(-1);
    }
  }
}

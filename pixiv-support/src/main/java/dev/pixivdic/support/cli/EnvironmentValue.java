package dev.pixivdic.support.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Checks an environment variable that takes one of a few words ({@code PIXIV_LOG_FORMAT},
 * {@code PIXIV_LAUNCH_LOG_LEVEL}), for {@code pixiv} and {@code pixiv-launch} alike. Empty is as
 * unset; any case and surrounding white space are accepted. A bad value is reported only when
 * it would be used: an option that replaces it, or a request for help or the version, goes on.
 */
public final class EnvironmentValue {

  /** The longest part of a bad value that a message repeats. */
  static final int SHOWN = 64;

  private EnvironmentValue() {}

  /**
   * Why {@code value} of {@code variable} is not one of {@code allowed}, or empty when it is,
   * or is unset or blank. The value is shown with control characters escaped, cut at
   * {@value #SHOWN} characters.
   */
  public static Optional<String> problem(String variable, String value, List<String> allowed) {
    return accepted(value, allowed) ? Optional.empty() : Optional.of(variable + " is "
        + words(allowed) + ", was '" + shown(value) + "'; correct it or unset it");
  }

  /**
   * As {@link #problem}, for a value set for another process ({@code pixiv-launch --env}, a Job
   * template's environment), whose values may be secrets: the message names the variable and
   * the words it takes, and gives the value's length, never the value.
   */
  public static Optional<String> problemNotShown(String variable, String value,
      List<String> allowed) {
    return accepted(value, allowed) ? Optional.empty() : Optional.of(variable + " is "
        + words(allowed) + ", was another value (" + value.length() + " characters, not shown: a"
        + " value may be a secret); correct it or unset it");
  }

  /** Whether {@code value} is unset, blank, or one of {@code allowed} in any case. */
  private static boolean accepted(String value, List<String> allowed) {
    if (value == null || value.isBlank()) {
      return true;
    }
    String v = value.strip();
    return allowed.stream().anyMatch(a -> a.equalsIgnoreCase(v));
  }

  private static String words(List<String> allowed) {
    return allowed.size() == 2 ? allowed.get(0) + " or " + allowed.get(1)
        : "one of " + String.join(", ", allowed);
  }

  /**
   * The word of {@code allowed} that {@code value} stands for, in {@code allowed}'s spelling;
   * {@code fallback} when it is unset, blank or not one of them (a {@link #problem}).
   */
  public static String wordOr(String value, List<String> allowed, String fallback) {
    if (value == null) {
      return fallback;
    }
    String v = value.strip();
    return allowed.stream().filter(a -> a.equalsIgnoreCase(v)).findFirst().orElse(fallback);
  }

  /**
   * An execution strategy that refuses, as a usage error, a command line that would use an
   * environment value with a {@code problem} (read after the options were parsed, so an option
   * that replaced the value has cleared it), unless it only asks for help or the version; then
   * runs {@code then}.
   */
  public static IExecutionStrategy refusingFirst(Supplier<Optional<String>> problem,
      IExecutionStrategy then) {
    return parsed -> {
      Optional<String> why = problem.get();
      if (why.isPresent() && !helpAsked(parsed)) {
        throw new ParameterException(parsed.commandSpec().commandLine(), why.get());
      }
      return then.execute(parsed);
    };
  }

  /** Whether the command line asks only for help or the version, which need no logging. */
  static boolean helpAsked(ParseResult parsed) {
    for (ParseResult r = parsed; r != null; r = r.subcommand()) {
      if (r.isUsageHelpRequested() || r.isVersionHelpRequested()
          || r.commandSpec().helpCommand()) {
        return true;
      }
    }
    return false;
  }

  private static String shown(String value) {
    StringBuilder out = new StringBuilder();
    int n = Math.min(value.length(), SHOWN);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return value.length() > SHOWN ? out + "..." : out.toString();
  }
}

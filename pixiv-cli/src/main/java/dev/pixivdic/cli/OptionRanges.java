package dev.pixivdic.cli;

import dev.pixivdic.core.internal.SettingRanges;
import dev.pixivdic.core.internal.SettingRanges.Range;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The documented range of every numeric option of {@code pixiv}, checked before a command runs:
 * a value outside it (or NaN) exits 2 with a message naming the option and the range, instead
 * of overflowing somewhere later or ending as an internal error. Duration options carry their
 * ranges in their converters ({@link DurationConverter}). Each option's description states its
 * range; a test holds the two together. The options that {@code PixivScraper.Builder} has too
 * take their ranges from {@link SettingRanges}, so the library takes what the command takes.
 */
final class OptionRanges {

  static final Map<String, Range> RANGES = Map.ofEntries(
      Map.entry("--qps", SettingRanges.QPS),
      Map.entry("--concurrency", SettingRanges.CONCURRENCY),
      Map.entry("--threads", new Range(1, 256)),
      Map.entry("--max-attempts", SettingRanges.MAX_ATTEMPTS),
      Map.entry("--flush-rows", SettingRanges.FLUSH_ROWS),
      Map.entry("--limit", SettingRanges.LIMIT),
      Map.entry("--blocked-limit", SettingRanges.BLOCKED_IN_A_ROW),
      Map.entry("--drift-min-pages", SettingRanges.DRIFT_MIN_PAGES),
      Map.entry("--drift-min-broken", new Range(1, 1_000_000)),
      Map.entry("--drift-threshold", new Range(0.01, 1)),
      Map.entry("--shards", new Range(1, 100_000)),
      Map.entry("--batch-index", new Range(0, 1_000_000)),
      Map.entry("--batch-size", new Range(1, 1_000_000)),
      Map.entry("--max-pages", new Range(1, 100)),
      Map.entry("--status", new Range(0, 599)),
      Map.entry("--max-bytes-billed", new Range(1, 1e15)),
      Map.entry("--bigquery-attempts", new Range(1, 20)));

  private OptionRanges() {}

  /** The range of an option, by its longest name. */
  static Optional<Range> of(String option) {
    return Optional.ofNullable(RANGES.get(option));
  }

  /**
   * Checks the options given on the command line of {@code parsed} and its subcommands.
   *
   * @throws ParameterException naming the option and its range
   */
  static void check(ParseResult parsed) {
    for (ParseResult r = parsed; r != null; r = r.subcommand()) {
      for (OptionSpec o : r.matchedOptions()) {
        Range range = RANGES.get(o.longestName());
        Object value = o.getValue();
        if (range != null && value instanceof Number n && !range.contains(n.doubleValue())) {
          throw new ParameterException(r.commandSpec().commandLine(),
              o.longestName() + " must be " + range + ", was " + shown(o, n));
        }
      }
    }
  }

  private static String shown(OptionSpec o, Number n) {
    java.util.List<String> given = o.stringValues();
    return given.isEmpty() ? n.toString() : given.get(given.size() - 1);
  }

  /** An execution strategy that checks the ranges, then runs the last subcommand. */
  static CommandLine.IExecutionStrategy thenRunLast() {
    CommandLine.RunLast runLast = new CommandLine.RunLast();
    return parsed -> {
      check(parsed);
      return runLast.execute(parsed);
    };
  }
}

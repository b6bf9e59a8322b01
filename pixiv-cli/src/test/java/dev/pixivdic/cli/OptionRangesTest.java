package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every value checked at the door: each numeric and duration option of each command gets its
 * edge values (0, -1, the type's maximum, NaN, huge numbers and durations, a bare number for a
 * duration), and every one outside the option's range exits 2 with a message naming the option.
 */
class OptionRangesTest {

  /** The arguments a command needs besides the option under test. */
  private static final Map<String, List<String>> BASE = Map.of(
      "scrape", List.of("--source", "urls.txt"),
      "resolve", List.of("--names", "names.txt"),
      "replay", List.of("--archive", "archive"),
      "parse", List.of("page.html"),
      "demo", List.of());

  private static final List<String> NUMBER_EDGES = List.of("0", "-1", "2147483647",
      "9223372036854775807", "NaN", "1e308", "99999999999999999999", "1e-300", "Infinity");
  private static final List<String> DURATION_EDGES = List.of("0", "-1", "6", "-1s",
      "99999999999d", "999999999999999999d", "NaN", "P99999999999D");

  private static boolean numeric(Class<?> t) {
    return t == int.class || t == Integer.class || t == long.class || t == Long.class
        || t == double.class || t == Double.class;
  }

  static Stream<Arguments> edges() {
    CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    List<Arguments> out = new ArrayList<>();
    for (var sub : cli.getSubcommands().entrySet()) {
      for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
        String name = o.longestName();
        if (o.type() == Duration.class) {
          DURATION_EDGES.forEach(v -> out.add(Arguments.of(sub.getKey(), name, v)));
        } else if (numeric(o.type())) {
          var range = OptionRanges.of(name).orElseThrow(
              () -> new AssertionError(sub.getKey() + " " + name + " has no documented range"));
          for (String v : NUMBER_EDGES) {
            double d;
            try {
              d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
              d = Double.NaN;
            }
            if (!range.contains(d)) {
              out.add(Arguments.of(sub.getKey(), name, v));
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("edges")
  void aValueOutsideTheRangeExitsTwoNamingTheOption(String command, String option,
      String value) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(BASE.get(command));
    if (option.equals("--batch-size")) {
      args.addAll(List.of("--batch-index", "0"));
    }
    args.addAll(List.of(option, value));

    Cli.Result r = Cli.run(args.toArray(String[]::new));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains(option).doesNotContain("internal error")
        .doesNotContain("overflow");
  }

  @Test
  void theTableReachesEveryCommandAndManyOptions() {
    List<Arguments> all = edges().toList();
    assertThat(all).extracting(a -> a.get()[0]).contains("scrape", "resolve", "replay", "parse",
        "demo");
    assertThat(all).extracting(a -> a.get()[1]).contains("--qps", "--concurrency",
        "--refresh-after", "--request-timeout", "--flush-interval", "--drift-threshold",
        "--limit", "--max-pages");
  }

  @Test
  void everyRangedOptionStatesItsRangeInItsHelp() {
    CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    int seen = 0;
    for (CommandLine sub : cli.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        var range = OptionRanges.of(o.longestName());
        if (range.isPresent()) {
          assertThat(String.join(" ", o.description())).as(o.longestName())
              .contains(range.get().toString());
          seen++;
        }
      }
    }
    assertThat(seen).isGreaterThan(10);
  }

  @Test
  void aWholeNumberInDigitsOfAnotherScriptIsRefusedAsARateIs() {
    Cli.Result arabicIndic = Cli.run("scrape", "--source", "urls.txt", "--concurrency", "\u0663");
    Cli.Result fullWidth = Cli.run("scrape", "--source", "urls.txt", "--limit", "\uff11");

    assertThat(arabicIndic.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(arabicIndic.err()).contains("--concurrency", "is not an int");
    assertThat(fullWidth.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(fullWidth.err()).contains("--limit", "is not a long");
  }

  @Test
  void aNumberWithAJavaTypeSuffixIsRefusedNotReadAsTheNumber() {
    Cli.Result perDay = Cli.run("scrape", "--source", "urls.txt", "--qps", "7d");
    Cli.Result hex = Cli.run("scrape", "--source", "urls.txt", "--drift-threshold", "0x1p-1");

    assertThat(perDay.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(perDay.err()).contains("--qps", "'7d' is not a number");
    assertThat(hex.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(hex.err()).contains("--drift-threshold");
  }

  @Test
  void theQpsOfTheIssueIsRefusedAndTheBudgetIsNeverPrintedWithThreeHundredDigits() {
    Cli.Result r = Cli.run("scrape", "--source", "urls.txt", "--qps", "1e-300");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--qps must be from 0.0001 to 10000, was 1e-300");
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.pixivdic.core.internal.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * One table of durations (durations.tsv) runs through an option of {@code pixiv} and one of
 * {@code pixiv-launch}, each parsed by its command's own model: the launcher's copy of the
 * grammar cannot drift from this one.
 */
class DurationGrammarTest {

  record Case(String input, String expected) {
    boolean refused() {
      return expected.startsWith("refused: ");
    }

    String message() {
      return expected.substring("refused: ".length());
    }

    @Override
    public String toString() {
      return "'" + input + "' -> " + expected;
    }
  }

  static List<Case> table() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = DurationGrammarTest.class.getResourceAsStream("durations.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] cols = line.split("\t", 2);
          cases.add(new Case(cols[0], cols[1]));
        }
      }
    }
    return cases;
  }

  /** What {@code pixiv scrape --refresh-after VALUE} makes of the value. */
  private static Duration pixiv(String value) {
    CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    CommandLine.ParseResult r = cli.parseArgs("scrape", "--source", "x", "--refresh-after", value);
    return r.subcommand().matchedOptionValue("--refresh-after", null);
  }

  /** What {@code pixiv-launch manifest --ttl VALUE} makes of the value. */
  private static Duration launcher(String value) {
    CommandLine cli = dev.pixivdic.launcher.Main.model();
    CommandLine.ParseResult r = cli.parseArgs("manifest", "--name", "j", "--image", "i",
        "--ttl", value);
    return r.subcommand().matchedOptionValue("--ttl", null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void bothCommandsReadTheTableAlike(Case c) {
    if (c.refused()) {
      assertThatThrownBy(() -> pixiv(c.input())).isInstanceOf(ParameterException.class)
          .hasMessageContaining("--refresh-after").hasMessageContaining(c.message());
      assertThatThrownBy(() -> launcher(c.input())).isInstanceOf(ParameterException.class)
          .hasMessageContaining("--ttl").hasMessageContaining(c.message());
    } else {
      assertThat(Durations.format(pixiv(c.input()))).isEqualTo(c.expected());
      assertThat(dev.pixivdic.launcher.manifest.Durations.format(launcher(c.input())))
          .isEqualTo(c.expected());
      assertThat(pixiv(c.input())).isEqualTo(launcher(c.input()))
          .isEqualTo(Durations.parse(c.expected()));
    }
  }

  @Test
  void theTableCoversEveryFormTheDocsPromise() throws IOException {
    assertThat(table()).extracting(Case::input)
        .contains("500ms", "90s", "30m", "6h", "7d", "1h30m", "2d12h", "PT6H", "P7D", "6");
  }

  static Stream<Duration> roundTrips() {
    return Stream.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(50),
        Duration.ofSeconds(90), Duration.ofHours(168), Duration.ofMillis(86_400_000L + 3_723_004),
        Duration.ofDays(3650));
  }

  @ParameterizedTest
  @MethodSource("roundTrips")
  void whatIsPrintedReadsBackToTheSameDuration(Duration d) {
    assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    assertThat(Durations.format(d)).doesNotContain("PT");
  }

  @Test
  void aWeekIsPrintedAsSevenDaysNotHours() {
    assertThat(Durations.format(Duration.ofHours(168))).isEqualTo("7d");
    assertThat(Durations.format(Duration.ofMillis(50))).isEqualTo("50ms");
    assertThat(Durations.human(Duration.ofMillis(3_723_456))).isEqualTo("1h2m3s");
  }

  /** Every duration option of pixiv states its converter's range in its description. */
  @Test
  void everyDurationOptionDescribesItsRange() throws Exception {
    CommandLine cli = Main.commandLine(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    int seen = 0;
    for (CommandLine sub : cli.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (o.type() != Duration.class) {
          continue;
        }
        if (o.converters().length == 0 || !(o.converters()[0] instanceof DurationConverter dc)) {
          fail(sub.getCommandName() + " " + o.longestName() + " has no ranged converter");
          return;
        }
        String range = dc.range().substring("from ".length());
        assertThat(String.join(" ", o.description())).as(o.longestName()).contains(range);
        seen++;
      }
    }
    assertThat(seen).isGreaterThanOrEqualTo(4);
  }
}

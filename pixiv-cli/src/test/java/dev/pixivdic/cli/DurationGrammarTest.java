package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.DurationsTest;
import dev.pixivdic.support.internal.DurationsTest.Case;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The table of the duration grammar (pixiv-support's durations.tsv) runs through an option of
 * {@code pixiv} and one of {@code pixiv-launch}, each parsed by its command's own model: both
 * commands read durations through the one grammar.
 */
class DurationGrammarTest {

  static List<Case> table() throws IOException {
    return DurationsTest.table();
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
      assertThat(Durations.format(launcher(c.input())))
          .isEqualTo(c.expected());
      assertThat(pixiv(c.input())).isEqualTo(launcher(c.input()))
          .isEqualTo(Durations.parse(c.expected()));
    }
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

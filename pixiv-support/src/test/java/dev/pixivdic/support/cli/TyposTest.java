package dev.pixivdic.support.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

class TyposTest {

  @Command(name = "tool", subcommands = {Scrape.class})
  static final class Tool {}

  @Command(name = "scrape")
  static final class Scrape {
    @Option(names = "--source", required = true) String source;
    @Option(names = "--sink") String sink;
    @Option(names = "--dry-run") boolean dryRun;
  }

  private static CommandSpec scrape() {
    return new CommandLine(new Tool()).getSubcommands().get("scrape").getCommandSpec();
  }

  @Test
  void typoDistanceCountsSwapsAsOneEdit() {
    assertThat(Typos.distance("--soruce", "--source")).isEqualTo(1);
    assertThat(Typos.distance("scarpe", "scrape")).isEqualTo(1);
    assertThat(Typos.distance("", "abc")).isEqualTo(3);
  }

  @Test
  void anUnknownOptionIsNamedWithTheNearestOneAndNonsenseWithNone() {
    assertThat(Typos.unknown(scrape(), List.of("--sorce", "x", "--snk=out", "--zzzzzzzz")))
        .containsExactly("unknown option '--sorce'; did you mean --source?",
            "unknown option '--snk'; did you mean --sink?", "unknown option '--zzzzzzzz'");
  }

  @Test
  void theValueOfAKnownOptionAndWhatFollowsTheDoubleDashAreNoOptions() {
    assertThat(Typos.unknown(scrape(), List.of("--source", "--sorce", "--", "--snk"))).isEmpty();
    assertThat(Typos.unknown(scrape(), List.of("--dry-run", "--sorce")))
        .containsExactly("unknown option '--sorce'; did you mean --source?");
  }

  @Test
  void anUnknownCommandIsNamedWithTheNearestOne() {
    CommandSpec tool = new CommandLine(new Tool()).getCommandSpec();

    assertThat(Typos.unknown(tool, List.of("scarpe", "--whatever")))
        .containsExactly("unknown command 'scarpe'; did you mean scrape?");
    assertThat(Typos.unknown(tool, List.of("scrape", "--whatever"))).isEmpty();
  }

  @Test
  void aNameIsNearWithinAThirdOfItsLength() {
    assertThat(Typos.nearest("--refresh-afer", Set.of("--refresh-after", "--source")))
        .hasValue("--refresh-after");
    assertThat(Typos.nearest("--src", Set.of("--source"))).isEmpty();
  }
}

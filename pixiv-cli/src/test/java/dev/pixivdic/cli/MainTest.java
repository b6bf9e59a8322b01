package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which command lines get signal handlers from main's first steps (ScrapeProcessIT signals). */
class MainTest {
  private static String command(String... args) {
    return Main.lineCommand(args).orElse("none");
  }

  @Test
  void theRunsThatEndTheirLogWithTheFinalLineGetHandlersFromTheStart() {
    assertThat(command("scrape", "--source", "urls.txt")).isEqualTo("scrape");
    assertThat(command("--verbose", "resolve", "--names", "n.txt")).isEqualTo("resolve");
    assertThat(command("replay", "--archive", "a")).isEqualTo("replay");
    // Past "--", an argument is no option.
    assertThat(command("scrape", "--source", "urls.txt", "--", "-h")).isEqualTo("scrape");
    // Before, the log format's value was taken for the command: no line for a signal then, nor
    // a gate, so a second signal's line could be followed by the summary.
    assertThat(command("-v", "--log-format", "json", "resolve", "--names", "n.txt"))
        .isEqualTo("resolve");
    assertThat(command("--log-format", "scrape", "scrape")).isEqualTo("scrape");
    assertThat(command("--log-format=json", "replay", "--archive", "a")).isEqualTo("replay");
    assertThat(command("--log-format")).isEqualTo("none");
  }

  @Test
  void commandsThatPrintNoFinalLineAndLinesNotYetKnownGetNone() {
    assertThat(command("parse", "--url", "https://dic.pixiv.net/a/x", "page.html"))
        .isEqualTo("none");
    assertThat(command("scrape", "--dry-run")).isEqualTo("none");
    assertThat(command("scrape", "--help")).isEqualTo("none");
    assertThat(command("scrape", "-hV")).isEqualTo("none");
    // Before the command too: a signal printed an INTERRUPTED line for a help request.
    assertThat(command("-h", "scrape")).isEqualTo("none");
    assertThat(command("--version", "scrape")).isEqualTo("none");
    assertThat(command("-vh", "resolve")).isEqualTo("none");
    assertThat(command("scrape", "--dry-run=true")).isEqualTo("none");
    assertThat(command("help", "scrape")).isEqualTo("none");
    assertThat(command("@weekly.args")).isEqualTo("none");
    assertThat(command()).isEqualTo("none");
  }

  @Test
  void theCommandsMainGivesALineFromTheStartAreThoseThatPrintOne() {
    // Main names them before picocli builds the commands: a new command that prints the line
    // must be named there too, or a signal while its command line is read prints none.
    java.io.PrintWriter none = new java.io.PrintWriter(java.io.Writer.nullWriter());
    picocli.CommandLine cli = Main.commandLine(none, none);

    java.util.Set<String> printing = new java.util.TreeSet<>();
    cli.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommand() instanceof FinalLine.Command) {
        printing.add(name);
      }
    });
    java.util.Set<String> named = new java.util.TreeSet<>();
    for (String name : cli.getSubcommands().keySet()) {
      Main.lineCommand(new String[] {name}).ifPresent(named::add);
    }

    assertThat(named).isEqualTo(printing).isNotEmpty();
  }
}

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
  }

  @Test
  void commandsThatPrintNoFinalLineAndLinesNotYetKnownGetNone() {
    assertThat(command("parse", "--url", "https://dic.pixiv.net/a/x", "page.html"))
        .isEqualTo("none");
    assertThat(command("scrape", "--dry-run")).isEqualTo("none");
    assertThat(command("scrape", "--help")).isEqualTo("none");
    assertThat(command("scrape", "-hV")).isEqualTo("none");
    assertThat(command("scrape", "--dry-run=true")).isEqualTo("none");
    assertThat(command("help", "scrape")).isEqualTo("none");
    assertThat(command("@weekly.args")).isEqualTo("none");
    assertThat(command("--log-format", "json", "scrape")).isEqualTo("none");
    assertThat(command()).isEqualTo("none");
  }
}

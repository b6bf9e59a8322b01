package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The duration grammar, one table (durations.tsv) of what a user writes and what it means. The
 * commands' own tests run the same table through one of their options.
 */
public class DurationsTest {

  /** One line of the table. */
  public record Case(String input, String expected) {
    /** Whether the input is refused; then {@link #message()} is a part of the message. */
    public boolean refused() {
      return expected.startsWith("refused: ");
    }

    /** The part of the message a refused input gets. */
    public String message() {
      return expected.substring("refused: ".length());
    }

    @Override
    public String toString() {
      return "'" + input + "' -> " + expected;
    }
  }

  /** The lines of durations.tsv. */
  public static List<Case> table() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = DurationsTest.class.getResourceAsStream("durations.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] cols = line.split("\t", 2);
          cases.add(new Case(cols[0], cols[1]));
        }
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void eachLineOfTheTableReadsAsItSays(Case c) {
    if (c.refused()) {
      assertThatThrownBy(() -> Durations.parse(c.input()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c.message());
    } else {
      assertThat(Durations.format(Durations.parse(c.input()))).isEqualTo(c.expected());
      assertThat(Durations.parse(c.input())).isEqualTo(Durations.parse(c.expected()));
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
  void aSettingIsRefusedAtOnceWhenNullNegativeZeroOrBeyondTenYears() {
    assertThat(Durations.setting(Duration.ofDays(3650), "x", false)).hasDays(3650);
    assertThat(Durations.setting(Duration.ZERO, "x", true)).isZero();
    assertThatThrownBy(() -> Durations.setting(null, "flushInterval", false))
        .isInstanceOf(NullPointerException.class).hasMessage("flushInterval");
    assertThatThrownBy(() -> Durations.setting(Duration.ZERO, "flushInterval", false))
        .hasMessage("flushInterval must be > 0, was 0s");
    assertThatThrownBy(() -> Durations.setting(Duration.ofSeconds(-1), "refreshAfter", true))
        .hasMessage("refreshAfter must be >= 0, was -1s");
    assertThatThrownBy(() -> Durations.setting(
        java.time.temporal.ChronoUnit.FOREVER.getDuration(), "requestTimeout", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestTimeout must be at most 3650d (ten years), was"
            + " 106751991167300d15h30m7s999ms");
  }

  @Test
  void aWeekIsPrintedAsSevenDaysNotHours() {
    assertThat(Durations.format(Duration.ofHours(168))).isEqualTo("7d");
    assertThat(Durations.format(Duration.ofMillis(50))).isEqualTo("50ms");
    assertThat(Durations.human(Duration.ofMillis(3_723_456))).isEqualTo("1h2m3s");
  }
}

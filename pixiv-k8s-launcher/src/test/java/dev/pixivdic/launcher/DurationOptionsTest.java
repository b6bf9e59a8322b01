package dev.pixivdic.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.launcher.run.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The duration options of {@code pixiv-launch}: the shipped workflows' values, and refusals. */
class DurationOptionsTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void theShippedWorkflowsTtlOfSevenDaysBecomesAWeekOfSeconds() throws Exception {
    int code = run("manifest", "--name", "j", "--image", "img:1", "--ttl", "7d",
        "--active-deadline", "23h", "-o", "json", "--", "--source", "urls.txt");

    assertThat(code).as(err.toString()).isZero();
    JsonNode job = new ObjectMapper().readTree(out.toString());
    assertThat(job.at("/spec/ttlSecondsAfterFinished").asLong()).isEqualTo(7 * 86400);
    assertThat(job.at("/spec/activeDeadlineSeconds").asLong()).isEqualTo(23 * 3600);
  }

  @Test
  void isoDurationsAreAcceptedToo() throws Exception {
    int code = run("manifest", "--name", "j", "--image", "img:1", "--ttl", "P7D",
        "--active-deadline", "PT6H", "-o", "json", "--", "--source", "urls.txt");

    assertThat(code).as(err.toString()).isZero();
    JsonNode job = new ObjectMapper().readTree(out.toString());
    assertThat(job.at("/spec/ttlSecondsAfterFinished").asLong()).isEqualTo(7 * 86400);
    assertThat(job.at("/spec/activeDeadlineSeconds").asLong()).isEqualTo(6 * 3600);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--active-deadline, 6, no unit",
      "--active-deadline, 0s, from 1s to 30d",
      "--active-deadline, 999999999999d, from 1s to 30d",
      "--active-deadline, 99999999999999999999d, too large",
      "--ttl, -1, negative",
      "--ttl, 31d, from 0s to 30d",
      "--ttl, 1 hour, not a duration",
      "--startup-timeout, 2d, from 1s to 1d",
      "--log-idle-timeout, 0s, from 1s to 1d",
      "--drain-timeout, 2h, from 0s to 1h",
      "--api-retry-timeout, 2d, from 0s to 1d"})
  void aDurationOutsideItsRangeOrGrammarExitsTwoNamingTheOption(String option, String value,
      String says) {
    int code = run("run", "--name", "j", "--image", "img:1", option, value);

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains(option).contains(says);
  }

  @Test
  void theHelpShowsDefaultsInTheShortForm() {
    run("run", "--help");

    assertThat(out.toString()).contains("Default: 6h").contains("Default: 1h")
        .doesNotContain("Default: PT");
  }
}

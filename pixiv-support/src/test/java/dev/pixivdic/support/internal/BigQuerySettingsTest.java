package dev.pixivdic.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BigQuerySettingsTest {

  /** A key pasted after a table name by mistake was quoted in the refusal of the table. */
  @ParameterizedTest
  @ValueSource(strings = {"bq:proj-abc.d.t?key=PASSW0RDC", "bq:proj-abc.d.t#PASSW0RDC",
      "bq:proj-abc.d.t&sig=PASSW0RDC", "bq:user@PASSW0RDC.d.t", "bq:t?key=PASSW0RDC",
      "bq:proj-abc.d?key=PASSW0RDC.t"})
  void aRefusedTableIsNamedWithoutWhatFollowsAQueryOrParameter(String spec) {
    assertThat(BigQuerySettings.tableProblem(spec)).hasValueSatisfying(problem -> assertThat(
        problem).doesNotContain("PASSW0RDC").contains("[...]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bq:proj-abc.d.t/x", "bq:p.d.t", "bq:proj-abc.d!.t"})
  void aRefusedTableWithoutSuchCharactersIsQuotedWhole(String spec) {
    assertThat(BigQuerySettings.tableProblem(spec))
        .hasValueSatisfying(problem -> assertThat(problem).doesNotContain("[...]"));
  }
}

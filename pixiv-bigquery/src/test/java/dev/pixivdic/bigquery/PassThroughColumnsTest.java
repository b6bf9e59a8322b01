package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PassThroughColumnsTest {

  /** A raw NullPointerException without a message named neither the setter nor the column. */
  @Test
  void aNullListOrColumnIsRefusedNamingTheSetting() throws IOException {
    BigQueryConnection bq = SqlAnalysisTest.connection(URI.create("http://127.0.0.1:9"));

    assertThatThrownBy(() -> BigQuerySource.builder(bq, SqlAnalysisTest.SOURCE)
        .passThroughColumns(null))
        .isInstanceOf(NullPointerException.class).hasMessage("passThroughColumns");
    assertThatThrownBy(() -> BigQueryNameSource.builder(bq, SqlAnalysisTest.NAMES)
        .passThroughColumns(null))
        .isInstanceOf(NullPointerException.class).hasMessage("passThroughColumns");
    assertThatThrownBy(() -> BigQuerySource.builder(bq, SqlAnalysisTest.SOURCE)
        .passThroughColumns(Arrays.asList("genre", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("passThroughColumns holds null at 1");
  }
}

package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BigQueryRetryTest {

  @Test
  void delaysDoubleUpToTheCapAndQuotaWaitsLonger() {
    BigQueryRetry r = BigQueryRetry.defaults();
    assertThat(r.delayAfter(1, false)).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.delayAfter(2, false)).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.delayAfter(3, false)).isEqualTo(Duration.ofSeconds(4));
    assertThat(r.delayAfter(10, false)).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.delayAfter(1, true)).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.delayAfter(4, true)).isEqualTo(Duration.ofMinutes(4));
    assertThat(r.delayAfter(60, true)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void nonsenseSettingsFailFastWithTheValue() {
    assertThatThrownBy(() -> BigQueryRetry.fixed(0, Duration.ofMillis(1)))
        .hasMessage("maxAttempts must be >= 1, was 0");
    assertThatThrownBy(() -> BigQueryRetry.fixed(3, Duration.ZERO))
        .hasMessageContaining("initialDelay must be > 0");
  }

  @Test
  void anEndpointMustBeAnAbsoluteHttpUrl() {
    assertThatThrownBy(() -> BigQueryConnection.create(Optional.of(URI.create("localhost:9050")),
        Optional.empty(), "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'localhost:9050'");
    assertThatThrownBy(() -> BigQueryConnection.create(Optional.empty(), Optional.of("US; x"), "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'US; x'");
  }

  /** A password in the endpoint was shown by every message that named it. */
  @Test
  void anEndpointWithAUserOrPasswordIsRefusedWithoutShowingThePassword() {
    assertThatThrownBy(() -> BigQueryConnection.create(
        Optional.of(URI.create("http://bob:s3cr3tPW@127.0.0.1:9050")), Optional.empty(), "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes no user, password")
        .hasMessageNotContaining("s3cr3tPW");
  }

  /** A key in the query or fragment was taken, and shown wherever the endpoint was named. */
  @Test
  void anEndpointWithAQueryOrFragmentIsRefusedWithoutShowingIt() {
    for (String endpoint : List.of("http://127.0.0.1:9050/x?key=s3cr3tK",
        "http://127.0.0.1:9050/x#s3cr3tK")) {
      assertThatThrownBy(() -> BigQueryConnection.create(Optional.of(URI.create(endpoint)),
          Optional.empty(), "p"))
          .as(endpoint)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("query or fragment")
          .hasMessageNotContaining("s3cr3tK");
    }
  }

  @Test
  void runRecordsRefuseNegativeCountsAndBadShards() {
    assertThatThrownBy(() -> RunRecord.builder("r", "scrape", 0, 1).requests(-1).build())
        .hasMessage("counts must be >= 0, was -1");
    assertThatThrownBy(() -> RunRecord.builder("r", "scrape", 2, 2).build())
        .hasMessageContaining("2/2");
  }

  @Test
  void mergeModeNeedsARunId() {
    BigQueryConnection c = BigQueryConnection.of(
        com.google.cloud.bigquery.BigQueryOptions.newBuilder().setProjectId("p")
            .setCredentials(com.google.cloud.NoCredentials.getInstance()).build().getService(),
        Optional.empty(), BigQueryRetry.defaults());
    assertThatThrownBy(() -> BigQuerySink.builder(c, TableRef.parse("bq:my-project.ds.t"))
        .mode(BigQuerySink.Mode.MERGE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run id");
  }
}

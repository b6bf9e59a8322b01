package dev.pixivdic.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixivdic.core.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

  private static RunReport.Builder minimal() {
    return RunReport.builder().runId("r1").shard("0/1").startedAt(START)
        .finishedAt(START.plusSeconds(90)).stopReason(StopReason.COMPLETED);
  }

  @Test
  void aReportNeedsOnlyItsIdentityAndDefaultsTheRestToZeroAndEmpty() {
    RunReport r = minimal().build();

    assertThat(r.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(r.byOutcome()).containsOnlyKeys(Outcome.values()).allSatisfy((o, n) ->
        assertThat(n).isZero());
    assertThat(r.processed()).isZero();
    assertThat(r.problems()).isEmpty();
    assertThat(r.failureCause()).isEmpty();
    assertThat(r.drift().judged()).isZero();
  }

  @Test
  void theBuilderCopiesItsValuesSoLaterChangesDoNotReachABuiltReport() {
    RunReport.Builder b = minimal().processed(3).byOutcome(Map.of(Outcome.ARTICLE, 3L))
        .problems(List.of("one"));
    RunReport first = b.build();
    b.processed(4).problems(List.of("one", "two"));

    assertThat(first.processed()).isEqualTo(3);
    assertThat(first.count(Outcome.ARTICLE)).isEqualTo(3);
    assertThat(first.count(Outcome.BLOCKED)).isZero();
    assertThat(first.problems()).containsExactly("one");
    assertThat(b.build().processed()).isEqualTo(4);
  }

  @Test
  void aMissingIdentityOrANegativeCountIsRefusedByName() {
    assertThatThrownBy(() -> RunReport.builder().shard("0/1").build())
        .isInstanceOf(NullPointerException.class).hasMessage("runId");
    assertThatThrownBy(() -> minimal().rowsWritten(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rowsWritten must be >= 0, was -1");
  }

  @Test
  void aReportDerivedWithToBuilderKeepsEveryValueButTheChangedOnes() {
    RunReport r = minimal().processed(3).failed(1).rowsWritten(7).rowsDropped(2)
        .byOutcome(Map.of(Outcome.ARTICLE, 3L)).problems(List.of("one"))
        .coverage(Map.of("title", 1.0)).build();

    RunReport same = r.toBuilder().build();
    RunReport sinkFailed = r.toBuilder().stopReason(StopReason.SINK_FAILED).build();

    assertThat(same).hasToString(r.toString());
    assertThat(sinkFailed.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(sinkFailed.toString().replace("SINK_FAILED", "COMPLETED")).isEqualTo(r.toString());
  }

  @Test
  void problemsKeepTheFirstAndTheLastWhenMoreThanTheLimitAreGiven() {
    // A line put first (the strip rules at fault) or a failure added last (an internal error
    // while closing the sink) made a full list 51 lines long.
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < RunReport.MAX_PROBLEMS + 5; i++) {
      many.add("problem " + i);
    }

    List<String> kept = minimal().problems(many).build().problems();

    assertThat(kept).hasSize(RunReport.MAX_PROBLEMS).startsWith("problem 0", "problem 1")
        .endsWith("problem " + (RunReport.MAX_PROBLEMS - 2), "problem " + (many.size() - 1));
    assertThat(minimal().problems(many.subList(0, 3)).build().problems())
        .containsExactly("problem 0", "problem 1", "problem 2");
  }
}

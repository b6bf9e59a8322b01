package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.Outcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftGuardTest {

  private static Processed<String> unrecognised() {
    return Processed.noRow(Outcome.UNRECOGNIZED, "not a search page");
  }

  @Test
  void aGuardWatchingNoColumnNamesOnlyThePagesNotRecognised() {
    // resolve's guard: before, "20 of 20 pages lack [], are not recognised, ...".
    DriftGuard guard = new DriftGuard(Set.of(), Set.of(), 20, 10, 0.5);
    for (int i = 0; i < 20; i++) {
      guard.observe(unrecognised());
    }

    assertThat(guard.tripped(false)).isTrue();
    assertThat(guard.why()).isEqualTo("20 of 20 pages judged are broken: 20 not recognised");
  }

  @Test
  void theFaultsSeenAreCountedEachByName() {
    DriftGuard guard = new DriftGuard(Set.of("title"), Set.of("title"), 5, 2, 0.5);
    guard.observe(unrecognised());
    guard.observe(unrecognised());
    guard.observe(new Processed<>(Outcome.ARTICLE, List.of("row"), Set.of(), "no title"));
    guard.observe(new Processed<>(Outcome.ARTICLE, List.of("row"), Set.of("title"), "ok",
        Set.of("views")));
    guard.observe(new Processed<>(Outcome.ARTICLE, List.of("row"), Set.of("title"), "ok"));

    assertThat(guard.tripped(false)).isTrue();
    assertThat(guard.why()).isEqualTo("4 of 5 pages judged are broken: 2 not recognised,"
        + " 1 without title, 1 reading a column two ways");
  }
}

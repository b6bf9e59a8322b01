package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the run tells apart the targets of its redirects for now. */
class RunTallyTest {

  /**
   * A run redirected to ever new targets keeps 1,000 of them apart: a target that comes once
   * the table is full (a login wall after many one-off notices) was counted nowhere, so the stop
   * named a one-off target. It takes the place of the least counted one, and is named with the
   * items it surely had.
   */
  @Test
  void aTargetThatComesWhenAThousandAreKeptIsStillCountedAndNamed() {
    RunTally tally = new RunTally(Set.of());
    for (int i = 0; i < RunTally.MAX_REDIRECT_TARGETS; i++) {
      redirect(tally, "https://dic.pixiv.net/notice/" + i);
    }
    redirect(tally, "https://dic.pixiv.net/notice/7?x=1");
    for (int i = 0; i < 5; i++) {
      redirect(tally, "https://dic.pixiv.net/late");
    }

    assertThat(tally.redirectedForNow()).isEqualTo(RunTally.MAX_REDIRECT_TARGETS + 6);
    assertThat(tally.commonestRedirectTarget()).hasValueSatisfying(e -> {
      assertThat(e.getKey()).isEqualTo(URI.create("https://dic.pixiv.net/late"));
      assertThat(e.getValue()).isEqualTo(5);
    });
    for (int i = 0; i < 3; i++) {
      redirect(tally, "https://dic.pixiv.net/notice/7");
    }
    // The first seen of equals, each with the items it surely had.
    assertThat(tally.commonestRedirectTarget()).hasValueSatisfying(e -> {
      assertThat(e.getKey()).isEqualTo(URI.create("https://dic.pixiv.net/notice/7"));
      assertThat(e.getValue()).isEqualTo(5);
    });
  }

  private static void redirect(RunTally tally, String target) {
    tally.notJudged("sent to " + target,
        new RedirectedForNowException("sent to " + target, URI.create(target)));
  }
}

package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the run tells apart the targets of its redirects for now. */
class RunTallyTest {

  /** A run redirected to ever new targets keeps 1,000 of them apart, the rest as elsewhere. */
  @Test
  void atMostAThousandTargetsAreKeptApartAndTheRestCountAsElsewhere() {
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
      assertThat(e.getKey()).isEqualTo(URI.create("https://dic.pixiv.net/notice/7"));
      assertThat(e.getValue()).isEqualTo(2);
    });
  }

  private static void redirect(RunTally tally, String target) {
    tally.notJudged("sent to " + target,
        new RedirectedForNowException("sent to " + target, URI.create(target)));
  }
}

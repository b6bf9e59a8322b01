package dev.pixivdic.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterruptionTest {
  private final AtomicInteger deletions = new AtomicInteger();
  private final Interruption interruption = new Interruption();

  @Test
  void theRunAndASignalTogetherDeleteOnce() {
    interruption.beginCreate(deletions::incrementAndGet);
    interruption.createAnswered(true);

    interruption.onSignal(143, Duration.ofSeconds(1));
    interruption.deleteOnce();
    interruption.onSignal(143, Duration.ofSeconds(1));

    assertThat(deletions).hasValue(1);
    assertThat(interruption.signalExitCode()).isEqualTo(143);
  }

  @Test
  void aSignalAtNormalExitAfterAFailedCreateDoesNothing() {
    interruption.beginCreate(deletions::incrementAndGet);
    interruption.createAnswered(false);
    interruption.finished();

    interruption.onSignal(143, Duration.ofSeconds(1));

    assertThat(deletions).hasValue(0);
    assertThat(interruption.isInterrupted()).isFalse();
  }

  @Test
  void aSignalBeforeCreatePreventsIt() {
    int code = interruption.onSignal(130, Duration.ofSeconds(1));

    assertThat(code).isEqualTo(130);
    assertThat(interruption.beginCreate(deletions::incrementAndGet)).isFalse();
    assertThat(deletions).hasValue(0);
  }

  @Test
  void aCreateThatIsNeverAnsweredDoesNotHoldTheSignalBeyondItsBound() {
    interruption.beginCreate(deletions::incrementAndGet);

    int code = interruption.onSignal(143, Duration.ofMillis(1));

    assertThat(code).isEqualTo(143);
    assertThat(deletions).hasValue(0);
  }
}

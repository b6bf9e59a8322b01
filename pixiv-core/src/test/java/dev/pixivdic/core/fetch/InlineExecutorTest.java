package dev.pixivdic.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class InlineExecutorTest {

  private final InlineExecutor executor = new InlineExecutor();

  @Test
  void aTaskRunsOnTheThreadThatHandsItOverBeforeExecuteReturns() {
    List<Thread> ranOn = new ArrayList<>();

    executor.execute(() -> ranOn.add(Thread.currentThread()));

    assertThat(ranOn).containsExactly(Thread.currentThread());
  }

  @Test
  void aTaskThatFailsDoesNotLookLikeARefusalToTheClient() {
    List<String> ran = new ArrayList<>();

    executor.execute(() -> {
      throw new IllegalStateException("a bug in one task");
    });
    executor.execute(() -> ran.add("next"));

    assertThat(ran).containsExactly("next");
  }

  @Test
  void afterShutdownEveryTaskIsRefusedAndNoneRuns() {
    List<String> ran = new ArrayList<>();
    executor.shutdown();

    assertThatThrownBy(() -> executor.execute(() -> ran.add("late")))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("closed");
    assertThat(ran).isEmpty();
  }
}

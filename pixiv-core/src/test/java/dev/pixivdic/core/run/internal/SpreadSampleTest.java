package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpreadSampleTest {

  @Test
  void keepsItemsSpreadEvenlyOverAllOfferedAndReadsTheMiddleFirst() {
    SpreadSample<Integer> s = new SpreadSample<>(4);
    IntStream.range(0, 9).forEach(s::offer);

    assertThat(s.spreadOrder()).containsExactly(4, 0, 8);
  }

  @Test
  void keepsEveryItemWhileThereAreFewerThanItsCapacity() {
    SpreadSample<Integer> s = new SpreadSample<>(16);
    IntStream.range(0, 5).forEach(s::offer);

    assertThat(s.spreadOrder()).containsExactlyInAnyOrder(0, 1, 2, 3, 4).startsWith(2);
  }

  @Test
  void keepsAtMostItsCapacityHoweverManyCome() {
    SpreadSample<Integer> s = new SpreadSample<>(16);
    IntStream.range(0, 100_000).forEach(s::offer);

    assertThat(s.spreadOrder()).hasSizeBetween(8, 16).contains(0)
        .allMatch(i -> i % 8192 == 0);
  }
}

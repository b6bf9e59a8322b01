package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkersTest {

  @Test
  @Timeout(60)
  void aDrainAfterACloseDoesNotWaitForAnItemNoWorkerEverStarted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    ItemProcessor<String, String> untilInterrupted = item -> {
      started.countDown();
      new CountDownLatch(1).await(); // never released: until interrupted
      return null;
    };
    Workers<String, String> workers = new Workers<>(1, untilInterrupted);
    // The one worker is busy, so the second item waits in the pool's queue, as an item does
    // that was submitted while its worker was still returning from the last one.
    workers.submit("a");
    started.await();
    workers.submit("b");

    workers.close();
    List<Workers.Done<String, String>> drained = new ArrayList<>();
    workers.drain(Duration.ofHours(1), drained::add);

    assertThat(drained).singleElement().satisfies(d -> assertThat(d.cancelled()).isTrue());
    assertThat(workers.inFlight()).as("still counted, so the run counts it as abandoned")
        .isEqualTo(1);
  }
}

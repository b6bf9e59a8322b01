package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.fetch.HandedBack;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkersTest {

  private static final URI PAGE = URI.create("https://dic.pixiv.net/a/busy");

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
    workers.submit("a", null);
    started.await();
    workers.submit("b", null);

    workers.close();
    List<Workers.Done<String, String>> drained = new ArrayList<>();
    workers.drain(Duration.ofHours(1), drained::add);

    assertThat(drained).singleElement().satisfies(d -> assertThat(d.cancelled()).isTrue());
    assertThat(workers.inFlight()).as("still counted, so the run counts it as abandoned")
        .isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void aRetrySubmittedAgainThatNoWorkerStartedIsGivenUpWhenTheRunIsOver() throws Exception {
    AtomicInteger abandoned = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    Workers<String, String> workers = new Workers<>(1, item -> {
      started.countDown();
      new CountDownLatch(1).await(); // never released: until interrupted
      return null;
    });
    workers.submit("a", null);
    started.await();
    // The retry of b waits in the pool's queue behind a; the close takes it out unstarted.
    workers.submit("b", HandedBack.retryLater(PAGE, Duration.ofSeconds(2),
        abandoned::incrementAndGet));

    workers.close();
    workers.drain(Duration.ofHours(1), d -> { });
    workers.abandonRetries();

    assertThat(abandoned).as("the fetcher forgets the retry no one will make").hasValue(1);
  }

  @Test
  @Timeout(60)
  void aRetryThatFinishedButWasNeverPolledIsGivenUpWhenTheRunIsOver() throws Exception {
    AtomicInteger abandoned = new AtomicInteger();
    CountDownLatch secondStarted = new CountDownLatch(1);
    Workers<String, String> workers = new Workers<>(1, item -> {
      if (item.equals("a")) {
        throw HandedBack.retryLater(PAGE, Duration.ofSeconds(2), abandoned::incrementAndGet);
      }
      secondStarted.countDown();
      new CountDownLatch(1).await(); // never released: until interrupted
      return null;
    });
    workers.submit("a", null);
    workers.submit("b", null);
    // One worker: b starts once a has finished, its retry handed back and never polled.
    secondStarted.await();

    workers.abandonRetries();
    assertThat(abandoned).hasValue(1);
    workers.close();
  }

  @Test
  @Timeout(60)
  void aRetryHandedBackAfterTheRunIsOverIsGivenUpByItsWorker() throws Exception {
    AtomicInteger abandoned = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    Workers<String, String> workers = new Workers<>(1, item -> {
      go.await();
      throw HandedBack.retryLater(PAGE, Duration.ofSeconds(2), abandoned::incrementAndGet);
    });
    workers.submit("a", null);

    workers.abandonRetries();
    assertThat(abandoned).hasValue(0);
    go.countDown();
    Workers.Done<String, String> done = workers.poll(Duration.ofMinutes(1).toMillis());

    assertThat(done.error()).isNotNull();
    assertThat(abandoned).as("given up once, by the worker").hasValue(1);
    workers.close();
  }

  @Test
  @Timeout(60)
  void aRetryPolledBeforeTheRunIsOverIsTheRunsToGiveUp() throws Exception {
    AtomicInteger abandoned = new AtomicInteger();
    Workers<String, String> workers = new Workers<>(1, item -> {
      throw HandedBack.retryLater(PAGE, Duration.ofSeconds(2), abandoned::incrementAndGet);
    });
    workers.submit("a", null);
    assertThat(workers.poll(Duration.ofMinutes(1).toMillis())).isNotNull();

    workers.abandonRetries();

    // The run queued it (or handled it): it gives it up there, once.
    assertThat(abandoned).hasValue(0);
    workers.close();
  }
}

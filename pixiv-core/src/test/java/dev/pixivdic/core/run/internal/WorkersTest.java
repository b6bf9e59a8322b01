package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.fetch.HandedBack;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * A close (a stop) while one worker writes a page's copy (a {@link StopShield#write}) and the
   * other waits for an answer: the waiting one is interrupted at once, the writing one only once
   * its write is over, so that the copy is whole, the file stays open, and the item comes back.
   */
  @Test
  @Timeout(60)
  void aCloseInterruptsAWorkerInsideAWriteOnlyOnceTheWriteIsOver(@TempDir Path dir)
      throws Exception {
    Path copy = dir.resolve("copy");
    CountDownLatch busy = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interruptedAfterTheWrite = new AtomicBoolean();
    try (FileChannel file = FileChannel.open(copy, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      Workers<String, String> workers = new Workers<>(2, item -> {
        if (item.equals("waiting")) {
          busy.countDown();
          new CountDownLatch(1).await(); // an answer that never comes: until interrupted
          return null;
        }
        StopShield.write(() -> {
          busy.countDown();
          // Held inside the write until the close is over; an interrupt meanwhile stays set.
          Uninterruptibles.awaitUninterruptibly(release);
          file.write(ByteBuffer.wrap((item + "\n").getBytes(StandardCharsets.UTF_8)));
          file.force(true);
          return null;
        });
        interruptedAfterTheWrite.set(Thread.currentThread().isInterrupted());
        return new Processed<>(Outcome.ARTICLE, List.of(item), Set.of(), "ok");
      });
      workers.submit("writing", null);
      workers.submit("waiting", null);
      busy.await();

      workers.close();
      // The writing worker is still held: what comes back first is the waiting one, interrupted.
      Workers.Done<String, String> first = workers.poll(Duration.ofMinutes(1).toMillis());
      release.countDown();
      Workers.Done<String, String> second = workers.poll(Duration.ofMinutes(1).toMillis());

      assertThat(first.cancelled()).as("the worker waiting for an answer, interrupted at once")
          .isTrue();
      assertThat(second.error()).isNull();
      assertThat(second.result().rows()).containsExactly("writing");
      assertThat(file.isOpen()).as("the file written to, open for the run's later writes")
          .isTrue();
      assertThat(interruptedAfterTheWrite).as("the close's interrupt, once the write was over")
          .isTrue();
    }
    assertThat(Files.readAllLines(copy)).containsExactly("writing");
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

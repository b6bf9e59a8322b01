package dev.pixivdic.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A call of the client made apart ({@link Retrier#apart}) and left at an interrupt: its thread
 * is interrupted, and what the call did later is not lost.
 */
class RetrierApartTest {

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory())
      .getLogger(Retrier.class);

  @BeforeEach
  void attach() {
    log.setContext(logger.getLoggerContext());
    log.start();
    logger.addAppender(log);
    logger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(log);
    logger.setLevel(null);
    Thread.interrupted();
  }

  @Test
  @Timeout(30)
  void anErrorOfACallLeftAtAnInterruptIsLoggedAsAWarning() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch fail = new CountDownLatch(1);
    AtomicReference<Thread> call = new AtomicReference<>();
    interruptWhen(started);

    Throwable thrown = catchThrowable(() -> Retrier.apart("query q", () -> {
      call.set(Thread.currentThread());
      started.countDown();
      awaitUninterruptibly(fail);
      throw new OutOfMemoryError("Java heap space");
    }));
    assertThat(thrown).isInstanceOf(InterruptedIOException.class);
    assertThat(Thread.interrupted()).as("the caller's interrupt flag is kept").isTrue();
    fail.countDown();
    call.get().join(TimeUnit.SECONDS.toMillis(20));

    assertThat(call.get().isAlive()).isFalse();
    assertThat(log.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains("query q", "OutOfMemoryError",
          "Java heap space");
    });
  }

  @Test
  @Timeout(30)
  void theThreadOfACallLeftAtAnInterruptIsInterrupted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> call = new AtomicReference<>();
    CountDownLatch callInterrupted = new CountDownLatch(1);
    interruptWhen(started);

    Throwable thrown = catchThrowable(() -> Retrier.apart("jobs.get j", () -> {
      call.set(Thread.currentThread());
      started.countDown();
      try {
        // A wait of the call's own (a retry delay, a sleep): ends at once when interrupted.
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        callInterrupted.countDown();
      }
      return "late";
    }));

    assertThat(thrown).isInstanceOf(InterruptedIOException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(callInterrupted.await(20, TimeUnit.SECONDS)).as("the call's wait ends").isTrue();
    call.get().join(TimeUnit.SECONDS.toMillis(20));
    assertThat(call.get().isAlive()).isFalse();
  }

  /** Interrupts the calling thread once {@code started} is counted down. */
  private static void interruptWhen(CountDownLatch started) {
    Thread caller = Thread.currentThread();
    new Thread(() -> {
      try {
        started.await();
      } catch (InterruptedException e) {
        return;
      }
      caller.interrupt();
    }).start();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

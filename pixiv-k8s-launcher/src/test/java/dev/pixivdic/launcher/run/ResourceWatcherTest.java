package dev.pixivdic.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.launcher.fake.FakeKube;
import dev.pixivdic.launcher.fake.Responses;
import dev.pixivdic.launcher.fake.Streams;
import dev.pixivdic.launcher.fake.TestPki;
import dev.pixivdic.launcher.kube.Job;
import dev.pixivdic.launcher.kube.KubeApi;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often a watch is reopened when the server ends it early, measured on the fake API server's
 * record of requests and on the waits the watcher asks for (recorded, not slept).
 */
@Timeout(60)
class ResourceWatcherTest {
  private static final String JOBS = "/apis/batch/v1/namespaces/b/jobs?fieldSelector=x";
  private static final String LIST = "^/apis/batch/v1/namespaces/b/jobs\\?fieldSelector=x$";
  private static final String WATCH = "watch=true";
  private static final String EVENT = "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":"
      + "{\"name\":\"j\",\"uid\":\"u\",\"resourceVersion\":\"6\"}}}\n";
  private static TestPki pki;
  @TempDir Path dir;
  private FakeKube fake;
  private KubeApi api;
  private final List<IOException> failures = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstEvent = new CountDownLatch(1);

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki();
  }

  @BeforeEach
  void start() throws Exception {
    fake = FakeKube.start(pki);
    api = Harness.api(pki, fake.url().toString(), "t", dir, Duration.ofSeconds(10));
    fake.always("GET", LIST, Responses.json(200, Fixtures.list("5")));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /** Records the waits asked for; its clock moves only when told to. */
  private static final class Recorded implements ResourceWatcher.Pacing {
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final AtomicLong nanos = new AtomicLong();
    final CountDownLatch enough;
    final Semaphore opened = new Semaphore(0);
    final DoubleSupplier random;
    volatile long stepPerReading;
    volatile ResourceWatcher<?> watcher;

    Recorded(int waits, DoubleSupplier random) {
      this.enough = new CountDownLatch(waits);
      this.random = random;
    }

    @Override
    public void sleep(Duration d) {
      waits.add(d);
      enough.countDown();
      if (enough.getCount() == 0) {
        watcher.stop();
      }
    }

    @Override
    public long nanoTime() {
      return nanos.addAndGet(stepPerReading);
    }

    @Override
    public DoubleSupplier random() {
      return random;
    }

    @Override
    public void opened() {
      opened.release();
    }
  }

  private ResourceWatcher<Job> watcher(Recorded pacing) {
    ResourceWatcher<Job> w = new ResourceWatcher<>(api, JOBS, Job.class,
        ResourceWatcher.Listener.of(items -> {}, (type, job) -> {
          events.add(type);
          firstEvent.countDown();
        }, failures::add),
        "test", Duration.ofSeconds(1), Duration.ofHours(1), pacing);
    pacing.watcher = w;
    return w;
  }

  private long watches() {
    return fake.requests().stream().filter(r -> r.uri().contains(WATCH)).count();
  }

  @Test
  void aBugInTheWatchIsReportedAsAFailureOfItsOwnNotAHang() throws Exception {
    assertThat(failureWhenTheListenerThrows(
        new IllegalStateException("a bug with a SECRET in its message")).getMessage())
        .contains("IllegalStateException").doesNotContain("SECRET");
  }

  @Test
  void anErrorInTheWatchThreadIsReportedAsAFailureNotASilentHang() throws Exception {
    assertThat(failureWhenTheListenerThrows(new OutOfMemoryError("simulated")).getMessage())
        .contains("OutOfMemoryError");
  }

  /** What the watcher reports when its listener throws {@code thrown} (unchecked) at the list. */
  private IOException failureWhenTheListenerThrows(Throwable thrown) throws Exception {
    CountDownLatch failed = new CountDownLatch(1);
    ResourceWatcher<Job> w = new ResourceWatcher<>(api, JOBS, Job.class,
        ResourceWatcher.Listener.of(items -> {
          if (thrown instanceof Error e) {
            throw e;
          }
          throw (RuntimeException) thrown;
        }, (type, job) -> { }, e -> {
          failures.add(e);
          failed.countDown();
        }),
        "test", Duration.ofSeconds(1), Duration.ofHours(1), new Recorded(100, () -> 0.5));

    w.start();

    assertThat(failed.await(30, TimeUnit.SECONDS)).as("the listener hears of it").isTrue();
    w.stop();
    assertThat(failures).singleElement().isInstanceOf(ResourceWatcher.Bug.class);
    return failures.get(0);
  }

  @Test
  void aWatchLineLongerThanTheCapFailsTheWatchWhichListsAgainAndGoesOn() throws Exception {
    Streams.Stream endless = fake.newStream();
    fake.on("GET", WATCH, Responses.stream(endless));
    fake.always("GET", WATCH, Responses.text(200, EVENT));
    ResourceWatcher<Job> w = watcher(new Recorded(100, () -> 0.5));

    w.start();
    endless.awaitOpened().send("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"");
    String mebibyte = "A".repeat(1 << 20);
    for (int i = 0; i <= WatchLines.MAX_LINE >> 20; i++) {
      endless.send(mebibyte); // no end of line, ever
    }

    assertThat(firstEvent.await(20, TimeUnit.SECONDS)).as("watched again after the line")
        .isTrue();
    w.stop();
    assertThat(fake.requests()).filteredOn(r -> !r.uri().contains(WATCH))
        .as("listed again, as the watch missed what the line held").hasSizeGreaterThan(1);
    assertThat(failures).isEmpty();
  }

  @Test
  void aWatchTheServerEndsAtOnceIsReopenedAfterGrowingJitteredBoundedWaits() throws Exception {
    fake.always("GET", WATCH, Responses.text(200, ""));
    AtomicInteger n = new AtomicInteger();
    Recorded pacing = new Recorded(8, () -> n.getAndIncrement() % 2 == 0 ? 0.0 : 0.75);

    watcher(pacing).start();
    assertThat(pacing.enough.await(30, TimeUnit.SECONDS)).isTrue();

    // 1s, 2s, 4s... up to 30s, each 20% shorter or 10% longer in turn, never above 30s.
    assertThat(pacing.waits).map(Duration::toMillis)
        .containsExactly(800L, 2200L, 3200L, 8800L, 12800L, 30000L, 24000L, 30000L);
    awaitRequests(8);
    assertThat(watches()).as("one watch per wait, none in between").isEqualTo(8);
    assertThat(failures).as("an hour of patience is not spent").isEmpty();
  }

  @Test
  void aWatchThatBroughtEventsStartsTheBackoffAgainButStillWaitsBeforeReopening()
      throws Exception {
    fake.always("GET", WATCH, Responses.text(200, EVENT));
    Recorded pacing = new Recorded(4, () -> 0.5);

    watcher(pacing).start();
    assertThat(pacing.enough.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(pacing.waits).containsOnly(Duration.ofSeconds(1)).hasSize(4);
    awaitRequests(4);
    assertThat(watches()).isEqualTo(4);
    assertThat(events).hasSize(4).containsOnly("MODIFIED");
  }

  @Test
  void aWatchThatStayedOpenLongEnoughIsReopenedAtOnce() throws Exception {
    AtomicInteger served = new AtomicInteger();
    Recorded pacing = new Recorded(1, () -> 0.5);
    pacing.stepPerReading = ResourceWatcher.HEALTHY.toNanos(); // each watch "lasts" that long
    ResourceWatcher<Job> w = watcher(pacing);
    fake.always("GET", WATCH, ex -> {
      if (served.incrementAndGet() == 5) {
        w.stop();
      }
      Responses.text(200, "").respond(ex);
    });

    w.start();
    awaitRequests(5);

    assertThat(pacing.waits).as("no wait after a healthy watch").isEmpty();
    assertThat(failures).isEmpty();
  }

  @Test
  void aWatchSilentPastTheServersOwnEndIsClosedAndOpenedAgainFromItsLastVersion()
      throws Exception {
    Streams.Stream dead = fake.newStream(); // headers, then nothing: a connection a NAT dropped
    fake.on("GET", WATCH, Responses.stream(dead));
    fake.always("GET", WATCH, Responses.text(200, EVENT));
    Recorded pacing = new Recorded(3, () -> 0.5);
    ResourceWatcher<Job> w = watcher(pacing);

    w.start();
    dead.awaitOpened();
    pacing.nanos.addAndGet(ResourceWatcher.SILENCE.minusSeconds(1).toNanos());
    assertThat(w.closeIfSilent()).as("quiet, but not yet past the server's own end").isFalse();
    pacing.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(pacing.opened.tryAcquire(20, TimeUnit.SECONDS)).as("the client holds the stream")
        .isTrue();
    assertThat(w.closeIfSilent()).as("silent past the server's own end").isTrue();
    awaitRequests(2);

    assertThat(fake.requests().get(fake.requests().size() - 1).uri())
        .contains("resourceVersion=5").contains("timeoutSeconds=300");
    assertThat(firstEvent.await(20, TimeUnit.SECONDS)).as("an event after reopening").isTrue();
    w.stop();
    assertThat(events).as("the change made while the watch was dead is seen").contains("MODIFIED");
    assertThat(failures).isEmpty();
  }

  /** Waits until the fake has seen {@code n} watch requests (they are recorded on arrival). */
  private void awaitRequests(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (watches() < n && System.nanoTime() < deadline) {
      fake.awaitRequest();
    }
  }
}

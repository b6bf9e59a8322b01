package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.fetch.DeadSite;
import dev.pixivdic.core.fetch.FetcherClosedException;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.testing.InMemorySink;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "not found" hold's proof of the origin: what a run without an article page reads at its
 * end (items skipped as stored, items its limit left out) before it stores its "not found" rows
 * or ends as a wrong origin's.
 */
class OriginProofTest {

  private static List<String> keys(String prefix, int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "https://dic.pixiv.net/a/" + prefix + i)
        .toList();
  }

  private static Processed<String> article(String key) {
    return new Processed<>(Outcome.ARTICLE, List.of(key), Set.of("title", "view_count"), "ok");
  }

  private static Processed<String> notFound(String key) {
    return new Processed<>(Outcome.NOT_FOUND, List.of(key), Set.of(), "HTTP 404");
  }

  private static InMemorySink<String> sink() {
    return InMemorySink.of(k -> k, k -> Instant.MAX);
  }

  private static RunConfig.Builder config() {
    return RunConfig.builder().runId("run-test").flushRows(10).driftMinPages(5).workers(4)
        .notFoundAlone(20);
  }

  /** Deleted articles ("/D...") answer "not found", live ones ("/L...") are articles. */
  private static ItemProcessor<String, String> site(List<String> calls) {
    return k -> {
      synchronized (calls) {
        calls.add(k);
      }
      return k.contains("/a/D") ? notFound(k) : article(k);
    };
  }

  private static RunReport run(List<String> items, ItemProcessor<String, String> p,
      InMemorySink<String> sink, RunConfig cfg) {
    return RunEngine.create(Source.of(items, k -> k), k -> k, p, sink, cfg).run();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  @Test
  void aLimitThatEndsTheRunAmongDeletedArticlesLetsAnItemItLeftOutShowTheOrigin() {
    InMemorySink<String> sink = sink();
    List<String> shard = concat(keys("D", 0, 30), keys("L", 0, 20));
    List<String> calls = new ArrayList<>();

    RunReport r = run(shard, site(calls), sink, config().limit(25).build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.count(Outcome.NOT_FOUND)).isEqualTo(25);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(shard.subList(0, 25));
    // One item the limit left out, read and not stored: a live one, as most of them are.
    assertThat(calls).hasSize(26);
    assertThat(calls.get(25)).contains("/a/L");
    assertThat(r.problems()).singleElement().asString()
        .startsWith("25 pages answered 'not found' before any article; the origin was confirmed"
            + " by reading ")
        .contains("(left out by the limit) as an article (1 page read to check it");

    // The next run with the same limit goes on where this one ended.
    RunReport next = run(shard, site(calls), sink, config().limit(25).build());
    assertThat(next.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(shard);
  }

  @Test
  void aLimitedRunOfAWrongOriginStoresNothingAfterThreeOfTheItemsItLeftOutAnsweredToo() {
    InMemorySink<String> sink = sink();
    List<String> calls = new ArrayList<>();

    RunReport r = run(keys("D", 0, 50), site(calls), sink, config().limit(25).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(r.failure()).isInstanceOf(NotTheSiteException.class)
        .hasMessageContaining("nor were the 3 pages read to check it (0 stored before, 3 left"
            + " out by the limit)");
    assertThat(calls).hasSize(28);
    assertThat(sink.batches()).isEmpty();
  }

  @Test
  void aLimitedRunWhoseLeftOutItemsDoNotAnswerEndsWithAWarningNotAsAWrongOrigin() {
    InMemorySink<String> sink = sink();
    List<String> calls = new ArrayList<>();
    ItemProcessor<String, String> leftOutFail = k -> {
      calls.add(k);
      if (calls.size() > 25) {
        throw new IOException("connection reset");
      }
      return notFound(k);
    };

    RunReport r = run(keys("D", 0, 50), leftOutFail, sink,
        config().workers(1).limit(25).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.batches()).isEmpty();
    assertThat(r.problems()).singleElement().asString()
        .startsWith("25 pages answered 'not found' and no page of the run was an article before"
            + " its limit ended it");
  }

  @Test
  void storedDeletedArticlesAtTheShardsStartDoNotHideTheStoredLiveOnesAfterThem() {
    InMemorySink<String> sink = sink();
    List<String> stored = concat(keys("D", 1, 6), keys("L", 1, 41));
    List<String> calls = new ArrayList<>();
    // An earlier run stored D1..D5 (not found) and L1..L40, then was stopped.
    assertThat(run(stored, site(calls), sink, config().build()).rowsWritten()).isEqualTo(45);
    calls.clear();

    RunReport r = run(concat(stored, keys("D", 6, 201)), site(calls), sink, config().build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.skipped()).isEqualTo(45);
    assertThat(r.rowsWritten()).isEqualTo(195);
    assertThat(calls).hasSize(196);
    assertThat(calls.get(195)).contains("/a/L");
    assertThat(r.problems()).singleElement().asString()
        .contains("(stored before) as an article (1 page read to check it");
  }

  /** Stored items answer as {@code stored} says; the others "not found"; calls recorded. */
  private static ItemProcessor<String, String> storedAnswer(List<String> calls,
      Predicate<String> isStored, ItemProcessor<String, String> stored) {
    return k -> {
      synchronized (calls) {
        calls.add(k);
      }
      return isStored.test(k) ? stored.process(k) : notFound(k);
    };
  }

  private static InMemorySink<String> storedArticles(List<String> keys) {
    InMemorySink<String> sink = sink();
    run(keys, OriginProofTest::article, sink, config().build());
    return sink;
  }

  @Test
  void aLongRetryAfterWhileReadingAStoredItemEndsTheRunAsBlockedNotAsAWrongOrigin() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(calls, live::contains, k -> {
      throw DeadSite.askedToWaitADay(URI.create(k));
    }), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.failure()).hasMessageContaining("Retry-After");
    assertThat(r.failure()).isNotInstanceOf(NotTheSiteException.class);
    assertThat(calls).hasSize(26);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  @Test
  void aFailedPageArchiveWhileReadingAStoredItemEndsTheRunAsTheSinksFailure() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(new ArrayList<>(),
        live::contains, k -> {
          throw new StorageFailedException("the page archive", new IOException("disk full"));
        }), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).isInstanceOf(StorageFailedException.class);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  @Test
  void aStoredPageThatDoesNotAnswerIsNotCountedAsReadAndAnotherIsReadInItsPlace() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();
    List<String> failedOnce = new ArrayList<>();

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(calls, live::contains, k -> {
      if (failedOnce.isEmpty()) {
        failedOnce.add(k);
        throw new IOException("connection reset");
      }
      return notFound(k);
    }), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(r.failure()).hasMessageContaining("nor were the 3 pages stored before");
    assertThat(calls).hasSize(29);
  }

  @Test
  void pagesThatNeverAnswerAreReadSixteenAtMost() {
    List<String> stored = keys("L", 0, 16);
    InMemorySink<String> sink = storedArticles(stored);
    List<String> calls = new ArrayList<>();
    List<String> items = concat(concat(stored, keys("D", 0, 25)), keys("X", 0, 16));

    RunReport r = run(items, storedAnswer(calls, k -> !k.contains("/a/D"), k -> {
      throw new IOException("connection reset");
    }), sink, config().limit(25).build());

    assertThat(calls).hasSize(25 + 16);
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(stored);
  }

  @Test
  void aGuardThatTripsAtTheEndLeavesTheStoredItemsUnread() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();
    List<String> items = concat(concat(live, keys("D", 0, 25)), keys("U", 0, 6));

    RunReport r = run(items, k -> {
      synchronized (calls) {
        calls.add(k);
      }
      return k.contains("/a/U") ? Processed.noRow(Outcome.UNRECOGNIZED, "no title")
          : live.contains(k) ? article(k) : notFound(k);
    }, sink, config().driftMinPages(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(calls).hasSize(31).doesNotContainAnyElementsOf(live);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  @Test
  void aStopInterruptsAStoredItemsReadAndTheRunEndsAtOnce() throws Exception {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    RunEngine<String, String> engine = RunEngine.create(
        Source.of(concat(live, keys("D", 0, 25)), k -> k), k -> k,
        storedAnswer(new ArrayList<>(), live::contains, k -> {
          reading.countDown();
          // A page that takes long (a slow site, a rate far below one a second).
          never.await(5, TimeUnit.MINUTES);
          return article(k);
        }), sink, config().build());
    CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
    CompletableFuture<RunReport> report = CompletableFuture.supplyAsync(() -> {
      RunReport rr = engine.run();
      interruptedAfter.complete(Thread.currentThread().isInterrupted());
      return rr;
    });
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();

    engine.stop();

    RunReport r = report.get(30, TimeUnit.SECONDS);
    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(interruptedAfter.get()).as("the stop's interrupt left on the thread").isFalse();
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
    assertThat(r.count(Outcome.NOT_FOUND)).isEqualTo(25);
  }

  /**
   * A stop (a signal) while the origin is being shown: while the held pages are archived as
   * their rows are released, and while the page read to check it is archived. Neither write
   * meets an interrupt (which closes a file as a failed disk would): the run ends as a stopped
   * one, not as a failed sink, and the pages archived are those whose rows are stored.
   */
  @Test
  void aStopWhileTheHeldPagesAreArchivedOnReleaseEndsTheRunAsStoppedNotAsAFailedSink(
      @TempDir Path dir) throws Exception {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> deleted = keys("D", 0, 25);
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    List<String> archived = new ArrayList<>();
    ItemProcessor<String, String> p = storedAnswer(new ArrayList<>(), live::contains,
        OriginProofTest::article);
    ItemProcessor<String, String> archiving = k -> {
      Processed<String> r = p.process(k);
      return r.outcome() != Outcome.NOT_FOUND ? r : r.withOnStored(() -> {
        // The signal comes as the first held page is written to the archive.
        engine.get().stop();
        appendLine(dir.resolve("index.ndjson"), k);
        archived.add(k);
      });
    };
    engine.set(RunEngine.create(Source.of(concat(live, deleted), k -> k), k -> k, archiving,
        sink, config().build()));

    RunReport r = engine.get().run();

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(Files.readAllLines(dir.resolve("index.ndjson")))
        .containsExactlyInAnyOrderElementsOf(deleted);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(concat(live, deleted));
    assertThat(archived).containsExactlyInAnyOrderElementsOf(deleted);
  }

  @Test
  void aStopWhileThePageReadToCheckTheOriginIsArchivedEndsTheRunAsStoppedNotAsAFailedSink(
      @TempDir Path dir) {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    ItemProcessor<String, String> p = storedAnswer(new ArrayList<>(), live::contains, k -> {
      // The signal comes as the page read is copied to the archive.
      engine.get().stop();
      try {
        appendLine(dir.resolve("blob"), k);
      } catch (IOException e) {
        throw new StorageFailedException("the copy of " + k + " could not be kept", e);
      }
      return article(k);
    });
    engine.set(RunEngine.create(Source.of(concat(live, keys("D", 0, 25)), k -> k), k -> k, p,
        sink, config().build()));

    RunReport r = engine.get().run();

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  /**
   * A stop while the page read to check the origin is copied (the archive's write, which the
   * processor marks as a {@link StopShield#write}): the stop's interrupt waits for the write's
   * end, so the copy is whole and the file stays open to the run's later writes.
   */
  @Test
  void aStopDuringTheCopyOfThePageReadToCheckTheOriginLetsTheCopyBeWritten(@TempDir Path dir)
      throws IOException {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    List<Boolean> interruptedAfterTheCopy = new ArrayList<>();
    try (FileChannel archive = FileChannel.open(dir.resolve("index.ndjson"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ItemProcessor<String, String> p = storedAnswer(new ArrayList<>(), live::contains, k -> {
        StopShield.write(() -> {
          // The signal comes as the page read is copied to the archive.
          engine.get().stop();
          archive.write(ByteBuffer.wrap((k + "\n").getBytes(StandardCharsets.UTF_8)));
          archive.force(true);
          return null;
        });
        interruptedAfterTheCopy.add(Thread.currentThread().isInterrupted());
        return article(k);
      });
      engine.set(RunEngine.create(Source.of(concat(live, keys("D", 0, 25)), k -> k), k -> k,
          p, sink, config().build()));

      RunReport r = engine.get().run();

      assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.INTERRUPTED);
      assertThat(archive.isOpen()).as("the archive's file, open for the run's next writes")
          .isTrue();
      assertThat(interruptedAfterTheCopy).as("the stop's interrupt, once the copy was written")
          .containsExactly(true);
      assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
    assertThat(Files.readAllLines(dir.resolve("index.ndjson"))).singleElement().asString()
        .contains("/a/L");
  }

  /** A stop during the reads says that the run was stopped, not that it had no article. */
  @Test
  void aStopWhileCheckingTheOriginIsWhatTheRunsWarningSays() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    ItemProcessor<String, String> p = storedAnswer(new ArrayList<>(), live::contains, k -> {
      engine.get().stop();
      throw new InterruptedException("the stop's");
    });
    engine.set(RunEngine.create(Source.of(concat(live, keys("D", 0, 25)), k -> k), k -> k, p,
        sink, config().build()));

    RunReport r = engine.get().run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(r.problems()).singleElement().asString()
        .startsWith("25 pages answered 'not found' and the run was stopped (a signal, or its"
            + " thread interrupted) while it read pages it had skipped or left out to check the"
            + " origin, before any page showed that the origin serves the site: not stored")
        .doesNotContain("no page of the run was an article");
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  /** A closed fetcher fails every read alike: the run ends as a worker's closed fetcher ends it. */
  @Test
  void aClosedFetcherWhileCheckingTheOriginEndsTheRunAsInAWorker() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(calls, live::contains, k -> {
      throw new FetcherClosedException(URI.create(k));
    }), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("the fetcher is closed"));
    assertThat(calls).as("one read: the next would fail alike").hasSize(26);
    assertThat(r.cancelled()).isZero();
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  /**
   * A stack overflow is one page's (a parse recursing too deep on it), as in a worker: that
   * read shows nothing, the next shows the origin, and the run is no internal error.
   */
  @Test
  void aStackOverflowWhileCheckingTheOriginFailsThatPageOnly() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();
    List<String> deleted = keys("D", 0, 25);

    RunReport r = run(concat(live, deleted), storedAnswer(calls, live::contains, k -> {
      if (calls.size() == 26) {
        throw new StackOverflowError();
      }
      return article(k);
    }), sink, config().build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(calls).hasSize(27);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(concat(live, deleted));
  }

  /**
   * A maintenance page read to check the origin is the site's own, or a proxy's: it neither
   * shows the origin nor counts against it. Another page is read in its place, and reads that
   * met only such pages end the run as the site's pushing back (75), not as a wrong origin's.
   */
  @Test
  void maintenancePagesReadToCheckTheOriginShowNothingEitherWay() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(calls, live::contains,
        k -> Processed.noRow(Outcome.MAINTENANCE, "maintenance until 12:00")), sink,
        config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.failure()).isNull();
    assertThat(calls).as("each of the 5 stored pages read in turn").hasSize(30);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("5 pages read to check the origin"
        + " answered as the site pushing back, redirecting for now or down for maintenance"));
    assertThat(r.problems()).noneMatch(p -> p.contains("wrong origin"));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  /**
   * A page the site redirects for now (a notice, a login wall) read to check the origin is the
   * site's own answer: it shows nothing either way, as a maintenance page.
   */
  @Test
  void pagesRedirectedForNowReadToCheckTheOriginShowNothingEitherWay() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(calls, live::contains, k -> {
      throw new RedirectedForNowException("redirected for now (302) to the notice",
          URI.create("https://dic.pixiv.net/notice"));
    }), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("5 pages read to check the origin"
        + " answered as the site pushing back, redirecting for now")
        && p.contains("https://dic.pixiv.net/notice"));
    assertThat(r.problems()).noneMatch(p -> p.contains("wrong origin"));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  /**
   * A few pages redirected for now among many deleted articles are no site redirecting its
   * pages: the run completes and stores the "not found" rows its articles confirmed.
   */
  @Test
  void aFewPagesRedirectedForNowAmongManyDeletedArticlesDoNotStopTheRun() {
    InMemorySink<String> sink = sink();
    List<String> items = concat(concat(keys("D", 0, 200), keys("R", 0, 5)), keys("L", 0, 3));

    RunReport r = run(items, k -> {
      if (k.contains("/a/R")) {
        throw new RedirectedForNowException("redirected for now (302) to the notice",
            URI.create("https://dic.pixiv.net/notice"));
      }
      return k.contains("/a/D") ? notFound(k) : article(k);
    }, sink, config().build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.redirectedTemporarily()).isEqualTo(5);
    assertThat(sink.rows()).hasSize(203);
  }

  /**
   * Every page answered 404 with its own article page (a CDN serving the site under a wrong
   * status): each was not judged, and the run ended 0 having stored nothing. They dominate as
   * redirects for now do, and the run stops BLOCKED, to be retried later; a few among many pages
   * had do not.
   */
  @Test
  void pagesAnsweredNotFoundWithTheirOwnArticleDominatingStopTheRunAsBlocked() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys("L", 0, 40), k -> {
      throw new NotFoundWithArticleException(k + ": HTTP 404 with the article's own page");
    }, sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.problems().get(0)).matches("^\\d+ pages answered 404 or 410 with their own"
        + " article page as the body: .*retry later.*");
    assertThat(sink.rows()).isEmpty();

    List<String> items = concat(keys("A", 0, 200), keys("O", 0, 3));
    RunReport few = run(items, k -> {
      if (k.contains("/a/O")) {
        throw new NotFoundWithArticleException(k + ": HTTP 404 with the article's own page");
      }
      return article(k);
    }, sink, config().build());

    assertThat(few.stopReason()).as("%s", few.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(few.notFoundWithArticle()).isEqualTo(3);
  }

  /**
   * A login wall sends every page to one path, with the page (and perhaps a token) in its query:
   * the stop named one page's whole URL, query and all, "(and 41 elsewhere)". Targets are told
   * apart by scheme, host, port and path as sent, so the wall is one target, named without its
   * query, its user information or its fragment.
   */
  @Test
  void pagesRedirectedForNowToOnePathWithPerPageQueriesAreNamedAsOneTarget() {
    AtomicInteger nth = new AtomicInteger();
    RunReport r = run(keys("L", 0, 40), k -> {
      throw new RedirectedForNowException("redirected for now (302) to the login wall",
          URI.create("https://guest:pw@dic.pixiv.net/a/%E5%88%9D?return_to=" + k
              + "&token=t0k3n" + nth.incrementAndGet() + "#form"));
    }, sink(), config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    // All the pages redirected when the run stopped, and none elsewhere.
    String stop = "^\\d+ pages redirected temporarily to https://dic\\.pixiv\\.net/a/%E5%88%9D:"
        + " the site is redirecting; retry later \\(none of them was stored.*";
    assertThat(r.problems().get(0)).matches(stop).doesNotContain("t0k3n", "guest", "form");
    assertThat(r.failure()).isInstanceOf(RedirectedForNowException.class)
        .hasMessageMatching(stop);
    assertThat(((RedirectedForNowException) r.failure()).target())
        .isEqualTo(URI.create("https://dic.pixiv.net/a/%E5%88%9D"));
  }

  /** Blocked pages read to check the origin stop the run after as many in a row as a worker's. */
  @Test
  void blockedPagesReadToCheckTheOriginStopTheRunAsBlockedPagesOfAWorkerDo() {
    List<String> live = keys("L", 0, 10);
    InMemorySink<String> sink = storedArticles(live);
    List<String> calls = new ArrayList<>();

    RunReport r = run(concat(live, keys("D", 0, 25)), storedAnswer(calls, live::contains,
        k -> Processed.noRow(Outcome.BLOCKED, "HTTP 403")), sink,
        config().blockedInARow(4).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.failure()).isNull();
    assertThat(calls).as("4 in a row").hasSize(29);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(live);
  }

  /**
   * Each read may take a page's whole retry schedule: the run publishes its progress after
   * each, so that what watches it (a progress line) sees it alive.
   */
  @Test
  void theRunPublishesItsProgressWhileItReadsToCheckTheOrigin() {
    List<String> live = keys("L", 0, 5);
    InMemorySink<String> sink = storedArticles(live);
    AtomicInteger published = new AtomicInteger();
    List<Integer> publishedAtEachRead = new ArrayList<>();
    ItemProcessor<String, String> p = storedAnswer(new ArrayList<>(), live::contains, k -> {
      publishedAtEachRead.add(published.get());
      throw new IOException("timed out");
    });

    RunEngine.create(Source.of(concat(live, keys("D", 0, 25)), k -> k), k -> k, p, sink,
        config().build()).withListener(progress -> published.incrementAndGet()).run();

    assertThat(publishedAtEachRead).hasSize(5);
    for (int i = 1; i < publishedAtEachRead.size(); i++) {
      assertThat(publishedAtEachRead.get(i)).as("published before read %d", i + 1)
          .isGreaterThan(publishedAtEachRead.get(i - 1));
    }
  }

  /**
   * A limited run samples the items its limit left out from a few thousand read past it, not
   * from the whole rest of the source (a large shard, a pipe that stays open).
   */
  @Test
  void aLimitedRunReadsOnlyAFewThousandItemsPastItsLimitToSampleThem() {
    AtomicInteger read = new AtomicInteger();
    Source<String> endless = shard -> Stream.iterate(0, i -> i + 1).limit(100_000)
        .map(i -> "https://dic.pixiv.net/a/" + (i < 25 ? "D" : "L") + i)
        .peek(k -> read.incrementAndGet());
    InMemorySink<String> sink = sink();

    RunReport r = RunEngine.create(endless, k -> k, site(new ArrayList<>()), sink,
        config().limit(25).build()).run();

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).hasSize(25);
    assertThat(read.get()).isLessThanOrEqualTo(25 + Scheduler.LEFT_OUT_READ + 1);
  }

  /** A source that fails past the limit ends the sample, not the run its limit completed. */
  @Test
  void aSourceThatFailsPastTheLimitEndsTheSampleNotTheRun() {
    Source<String> failing = shard -> Stream.iterate(0, i -> i + 1).map(i -> {
      if (i == 40) {
        throw new IllegalStateException("a bug of the source");
      }
      return "https://dic.pixiv.net/a/" + (i < 25 ? "D" : "L") + i;
    });
    InMemorySink<String> sink = sink();

    RunReport r = RunEngine.create(failing, k -> k, site(new ArrayList<>()), sink,
        config().limit(25).build()).run();

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).hasSize(25);
  }

  /** A line appended and forced to disk through a {@link FileChannel}, as the archive does. */
  private static void appendLine(Path file, String line) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }
}

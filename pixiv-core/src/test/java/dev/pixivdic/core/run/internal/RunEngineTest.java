package dev.pixivdic.core.run.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.fetch.DeadSite;
import dev.pixivdic.core.fetch.FetcherClosedException;
import dev.pixivdic.core.fetch.RetryLaterException;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.testing.InMemorySink;
import dev.pixivdic.support.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RunEngineTest {

  private static final Set<String> GOOD = Set.of("title", "view_count");

  private static List<String> keys(int n) {
    return IntStream.range(0, n).mapToObj(i -> "https://dic.pixiv.net/a/item" + i).toList();
  }

  private static Processed<String> article(String key) {
    return new Processed<>(Outcome.ARTICLE, List.of(key), GOOD, "ok");
  }

  /** An article page whose title is gone: a page the drift guard counts as broken. */
  private static Processed<String> untitled(String key) {
    return new Processed<>(Outcome.ARTICLE, List.of(key), Set.of("view_count"), "ok");
  }

  /** Pages as {@code page} makes them, until the site is gone at item6. */
  private static ItemProcessor<String, String> goneAtItem6(
      Function<String, Processed<String>> page) {
    return k -> {
      if (k.endsWith("item6")) {
        throw DeadSite.unreachable();
      }
      return page.apply(k);
    };
  }

  /** The shipped test sink, holding keys whose rows never age out of the refresh window. */
  private static InMemorySink<String> sink() {
    return InMemorySink.of(k -> k, k -> Instant.MAX);
  }

  private static RunConfig.Builder config() {
    return RunConfig.builder().runId("run-test").flushRows(10).driftMinPages(5);
  }

  private static RunReport run(List<String> items, ItemProcessor<String, String> p,
      InMemorySink<String> sink, RunConfig cfg) {
    return RunEngine.create(Source.of(items, k -> k), k -> k, p, sink, cfg).run();
  }

  @Test
  void writesEveryRowInWholeBatchesOfFlushRows() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(25), RunEngineTest::article, sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(25));
    assertThat(sink.batches()).extracting(List::size).containsExactly(10, 10, 5);
    assertThat(r.rowsWritten()).isEqualTo(25);
    assertThat(r.count(Outcome.ARTICLE)).isEqualTo(25);
    assertThat(r.coverage()).containsEntry("title", 1.0);
  }

  @Test
  void reRunOfAFinishedShardProcessesNothing() {
    InMemorySink<String> sink = sink();
    run(keys(12), RunEngineTest::article, sink, config().build());
    AtomicInteger calls = new AtomicInteger();

    RunReport again = run(keys(12), k -> { calls.incrementAndGet(); return article(k); }, sink,
        config().build());

    assertThat(calls).hasValue(0);
    assertThat(again.skipped()).isEqualTo(12);
    assertThat(sink.rows()).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void onlyItemsOfTheShardAreProcessed() {
    InMemorySink<String> sink = sink();
    List<String> all = keys(200);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Shard s = new Shard(i, 3);
      run(all, RunEngineTest::article, sink, config().shard(s).build());
    }
    seen.addAll(sink.rows());
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void driftGuardStopsBeforeAnythingIsWrittenWhenTitlesVanish() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(30), RunEngineTest::untitled, sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(sink.batches()).isEmpty();
    assertThat(r.rowsDropped()).isPositive();
  }

  /** A page the site says is gone: a row is stored, and the drift guard does not judge it. */
  private static Processed<String> notFound(String key) {
    return new Processed<>(Outcome.NOT_FOUND, List.of(key), Set.of(), "HTTP 404");
  }

  @Test
  void rowsOfPagesTheGuardDoesNotJudgeAreWrittenInBatchesBeforeItHasJudgedAny() {
    InMemorySink<String> sink = sink();
    List<Integer> writtenWhileRunning = new ArrayList<>();
    // One article first: "not found" rows wait for one (a wrong origin has none).
    ItemProcessor<String, String> firstAnArticle =
        k -> k.endsWith("/item0") ? article(k) : notFound(k);
    RunReport r = RunEngine.create(Source.of(keys(25), k -> k), k -> k, firstAnArticle,
        sink, config().driftMinPages(20).build())
        .withListener(p -> {
          if (p.processed() < 25) {
            writtenWhileRunning.add((int) p.rowsWritten());
          }
        }).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    // Whole batches of --flush-rows as the rows come, not one batch at the end: a run killed
    // half way keeps what it wrote.
    // The article's row waits for the drift guard, which judges it at the end.
    assertThat(sink.batches()).extracting(List::size).containsExactly(10, 10, 5);
    assertThat(writtenWhileRunning).contains(20);
    assertThat(r.drift().verdict()).isEqualTo("TOO_FEW_PAGES");
  }

  /** Items 0 to {@code n - 1} are "not found", the others articles. */
  private static ItemProcessor<String, String> notFoundBefore(int n) {
    return k -> Integer.parseInt(k.substring(k.indexOf("item") + 4)) < n ? notFound(k)
        : article(k);
  }

  @Test
  void aShardThatBeginsWithManyDeletedArticlesStoresThemAllOnceALiveOneComes() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(50), notFoundBefore(30), sink,
        config().workers(4).notFoundAlone(20).build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(50));
    assertThat(r.rowsWritten()).isEqualTo(50);
    assertThat(r.count(Outcome.NOT_FOUND)).isEqualTo(30);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void anArticleFinishingAfterTheTwentiethNotFoundStillHasEveryRowStoredAndARerunDoesNothing() {
    InMemorySink<String> sink = sink();
    CountDownLatch twentyNotFound = new CountDownLatch(1);
    // item19 is an article whose parse ends only once 20 "not found" pages (items 0-18 and
    // item20, fetched beside it) have been handled: the order that stopped the run before.
    ItemProcessor<String, String> lateArticle = k -> {
      if (k.endsWith("/item19")) {
        assertThat(Uninterruptibles.awaitUninterruptibly(twentyNotFound, 30, TimeUnit.SECONDS))
            .isTrue();
        return article(k);
      }
      return notFound(k);
    };
    RunReport r = RunEngine.create(Source.of(keys(50), k -> k), k -> k, lateArticle, sink,
        config().workers(2).notFoundAlone(20).build())
        .withListener(p -> {
          if (p.processed() >= 20) {
            twentyNotFound.countDown();
          }
        }).run();

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(50));
    AtomicInteger calls = new AtomicInteger();
    RunReport again = run(keys(50), k -> {
      calls.incrementAndGet();
      return notFound(k);
    }, sink, config().notFoundAlone(20).build());
    assertThat(again.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(again.skipped()).isEqualTo(50);
    assertThat(calls).hasValue(0);
  }

  @Test
  void aRunOfOnlyNotFoundPagesGoesThroughItsInputThenEndsAsTheSitesFailureStoringNone() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(25), RunEngineTest::notFound, sink,
        config().workers(4).notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(r.failure()).isInstanceOf(NotTheSiteException.class)
        .hasMessageStartingWith("25 pages answered 'not found' and none was an article")
        .hasMessageContaining("none of them was stored");
    assertThat(r.count(Outcome.NOT_FOUND)).isEqualTo(25);
    assertThat(r.problems().get(0)).isEqualTo(r.failure().getMessage());
    assertThat(sink.batches()).isEmpty();
    assertThat(r.rowsWritten()).isZero();
    assertThat(r.rowsDropped()).isZero();
  }

  /** A sink holding items 0 to 4 as articles an earlier run stored. */
  private static InMemorySink<String> fiveStored() {
    InMemorySink<String> sink = sink();
    assertThat(run(keys(5), RunEngineTest::article, sink, config().build()).rowsWritten())
        .isEqualTo(5);
    return sink;
  }

  /** Items 0 to 4 as {@code stored} answers them, the others "not found"; each call recorded. */
  private static ItemProcessor<String, String> storedThenNotFound(List<String> calls,
      Function<String, Processed<String>> stored) {
    return k -> {
      synchronized (calls) {
        calls.add(k);
      }
      return Integer.parseInt(k.substring(k.indexOf("item") + 4)) < 5 ? stored.apply(k)
          : notFound(k);
    };
  }

  @Test
  void aStoredArticleReadAgainAtTheEndShowsTheOriginServesTheSiteAndTheNotFoundRowsAreStored() {
    InMemorySink<String> sink = fiveStored();
    List<String> calls = new ArrayList<>();

    RunReport r = run(keys(30), storedThenNotFound(calls, RunEngineTest::article), sink,
        config().workers(4).notFoundAlone(20).build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failure()).isNull();
    assertThat(r.skipped()).isEqualTo(5);
    assertThat(r.count(Outcome.NOT_FOUND)).isEqualTo(25);
    assertThat(r.rowsWritten()).isEqualTo(25);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(30));
    // One stored article read again, the middle one of those skipped, and its row not written
    // again.
    assertThat(calls).hasSize(26).containsOnlyOnce(keys(30).get(2))
        .doesNotContain(keys(30).get(0));
    assertThat(sink.rows()).hasSize(30);

    calls.clear();
    RunReport again = run(keys(30), storedThenNotFound(calls, RunEngineTest::article), sink,
        config().notFoundAlone(20).build());
    assertThat(again.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(again.skipped()).isEqualTo(30);
    assertThat(calls).isEmpty();
  }

  @Test
  void storedItemsReadAgainThatAreNoArticleLeaveTheRunEndingAsTheSitesFailureStoringNone() {
    InMemorySink<String> sink = fiveStored();
    List<String> calls = new ArrayList<>();

    RunReport r = run(keys(30), storedThenNotFound(calls, RunEngineTest::notFound), sink,
        config().workers(4).notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(r.failure()).isInstanceOf(NotTheSiteException.class)
        .hasMessageStartingWith("25 pages answered 'not found' and none was an article")
        .hasMessageContaining("nor were the 3 pages stored before that the run read again");
    // At most three stored items are read again, one at a time, spread over those skipped.
    assertThat(calls).hasSize(28).containsAll(List.of(keys(5).get(2), keys(5).get(1),
        keys(5).get(4))).doesNotContain(keys(5).get(0), keys(5).get(3));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(5));
    assertThat(r.rowsWritten()).isZero();
  }

  /** A bug on the first page read again made the whole run an internal error (exit 1). */
  @Test
  void aStoredItemThatFailsUnexpectedlyWhenReadAgainLeavesTheNextToShowTheOrigin() {
    InMemorySink<String> sink = fiveStored();
    List<String> calls = new ArrayList<>();
    String first = keys(30).get(2);

    RunReport r = run(keys(30), storedThenNotFound(calls, k -> {
      if (k.equals(first)) {
        throw new IllegalStateException("a parser bug on " + k);
      }
      return article(k);
    }), sink, config().workers(4).notFoundAlone(20).build());

    assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failure()).isNull();
    assertThat(calls).hasSize(27).containsOnlyOnce(first, keys(30).get(1));
    assertThat(r.problems()).singleElement().asString()
        .contains("(stored before) as an article (1 page read to check it");
    assertThat(r.rowsWritten()).isEqualTo(25);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(30));
  }

  @Test
  void aRunThatSkippedNothingReadsNothingAgainAndEndsAsTheSitesFailure() {
    InMemorySink<String> sink = sink();
    AtomicInteger calls = new AtomicInteger();

    RunReport r = run(keys(25), k -> {
      calls.incrementAndGet();
      return notFound(k);
    }, sink, config().workers(4).notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(r.failure()).hasMessageNotContaining("read again");
    assertThat(calls).hasValue(25);
    assertThat(sink.batches()).isEmpty();
  }

  @Test
  void aStopAskedWhileAStoredItemIsReadAgainWritesNoneOfTheHeldRows() {
    InMemorySink<String> sink = fiveStored();
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    List<String> calls = new ArrayList<>();
    engine.set(RunEngine.create(Source.of(keys(30), k -> k), k -> k,
        storedThenNotFound(calls, k -> {
          engine.get().stop();
          return article(k);
        }), sink, config().workers(1).notFoundAlone(20).build()));

    RunReport r = engine.get().run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(calls).hasSize(26);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(5));
    assertThat(r.problems()).anyMatch(p -> p.startsWith("25 pages answered 'not found'"));
  }

  @Test
  void fewerNotFoundPagesThanTheLimitAndNoArticleStoreNoneAndWarn() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(5), RunEngineTest::notFound, sink,
        config().notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failure()).isNull();
    assertThat(sink.batches()).isEmpty();
    assertThat(r.problems()).singleElement().asString()
        .startsWith("5 pages answered 'not found' and no page of the run was an article");
  }

  @Test
  void aRunStoppedForAnotherReasonWhileNotFoundRowsAreHeldWritesNoneOfThemAndKeepsItsReason() {
    InMemorySink<String> sink = sink();
    // 25 "not found" pages, then the site blocks every page.
    RunReport blocked = run(keys(40), k -> Integer.parseInt(k.substring(k.indexOf("item") + 4))
        < 25 ? notFound(k) : Processed.noRow(Outcome.BLOCKED, "403"), sink,
        config().workers(1).blockedInARow(5).notFoundAlone(20).build());

    assertThat(blocked.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(blocked.count(Outcome.NOT_FOUND)).isEqualTo(25);
    assertThat(sink.batches()).isEmpty();
    assertThat(blocked.problems()).anyMatch(p -> p.startsWith("25 pages answered 'not found'")
        && p.contains("not stored, a next run asks again"));

    // Stopped (SIGTERM) after 25 "not found" pages: none of them is written either.
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    engine.set(RunEngine.create(Source.of(keys(40), k -> k), k -> k, notFoundBefore(40), sink,
        config().workers(1).notFoundAlone(20).build()).withListener(p -> {
          if (p.processed() >= 25) {
            engine.get().stop();
          }
        }));
    RunReport stopped = engine.get().run();

    assertThat(stopped.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(stopped.count(Outcome.NOT_FOUND)).isGreaterThanOrEqualTo(25);
    assertThat(sink.batches()).isEmpty();
    assertThat(stopped.rowsDropped()).isZero();
  }

  /** A "not found" page whose {@link Processed#onStored} (archiving it) notes its key. */
  private static Processed<String> notFoundNoting(String key, Set<String> archived) {
    return notFound(key).withOnStored(() -> archived.add(key));
  }

  /**
   * A held "not found" page is archived (its {@link Processed#onStored} taken) only when its row
   * goes on to be stored: with the first article, or at once without the hold; a wrong origin's
   * run, and a run stopped while rows are held, archive none, so no replay stores them.
   */
  @Test
  void theOnStoredOfAHeldNotFoundPageIsTakenOnlyWhenItsRowIsReleased() {
    Set<String> archived = java.util.concurrent.ConcurrentHashMap.newKeySet();
    RunReport released = run(keys(30), k -> k.endsWith("/item25") ? article(k)
        : notFoundNoting(k, archived), sink(), config().workers(4).notFoundAlone(20).build());
    assertThat(released.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(archived).hasSize(29);

    archived.clear();
    RunReport wrongOrigin = run(keys(25), k -> notFoundNoting(k, archived), sink(),
        config().workers(4).notFoundAlone(20).build());
    assertThat(wrongOrigin.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(archived).isEmpty();

    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    engine.set(RunEngine.create(Source.of(keys(40), k -> k), k -> k,
        k -> notFoundNoting(k, archived), sink(), config().workers(1).notFoundAlone(20).build())
        .withListener(p -> {
          if (p.processed() >= 10) {
            engine.get().stop();
          }
        }));
    assertThat(engine.get().run().stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(archived).isEmpty();

    RunReport noHold = run(keys(5), k -> notFoundNoting(k, archived), sink(),
        config().build());
    assertThat(noHold.rowsWritten()).isEqualTo(5);
    assertThat(archived).containsExactlyInAnyOrderElementsOf(keys(5));
  }

  /**
   * A held page that cannot be archived when its row is released (a full disk) stops the run as
   * a failed sink; neither its row nor those held after it are stored, so a next run asks again
   * for them.
   */
  @Test
  void aHeldPageThatCannotBeArchivedOnReleaseStopsTheRunStoringNeitherItNorTheRest() {
    InMemorySink<String> sink = sink();
    ItemProcessor<String, String> p = k -> {
      int i = Integer.parseInt(k.substring(k.indexOf("item") + 4));
      if (i == 25) {
        return article(k);
      }
      Processed<String> nf = notFound(k);
      return i != 3 ? nf : nf.withOnStored(() -> {
        throw new StorageFailedException("the copy of " + k + " could not be kept",
            new IOException("No space left on device"));
      });
    };

    RunReport r = run(keys(26), p, sink, config().workers(1).notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessageContaining("No space left on device");
    // The article was archived as it came: its row is stored as any parsed before a stop.
    List<String> stored = new ArrayList<>(keys(3));
    stored.add(keys(26).get(25));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(stored);
    // None missing from the report: the held pages not stored are named as such.
    assertThat(r.problems()).anySatisfy(line -> assertThat(line)
        .startsWith("22 pages answered 'not found' before the first article and could not be"
            + " archived"));
  }

  /**
   * An archive that refuses a held page's index line with an unchecked exception (closed, the
   * page's body gone from it) stops the run as a failed archive does, not as a bug, and none of
   * the held rows is stored: the report does not say "not stored" of rows it wrote.
   */
  @Test
  void aHeldPageTheArchiveRefusesOnReleaseStopsTheRunAsAFailedSinkStoringNoneOfTheHeld() {
    InMemorySink<String> sink = sink();
    Processed.Joint<String> closed = parts -> {
      throw new IllegalStateException("the page archive is closed");
    };
    ItemProcessor<String, String> p = k -> k.endsWith("/item25") ? article(k)
        : notFound(k).withOnStored(closed.part(k));

    RunReport r = run(keys(26), p, sink, config().workers(1).notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessageContaining("the page archive is closed");
    assertThat(sink.rows()).containsExactly(keys(26).get(25));
    assertThat(r.problems()).anySatisfy(line -> assertThat(line)
        .startsWith("25 pages answered 'not found' before the first article and could not be"
            + " archived"));
  }

  /** The held pages' index lines are written as one step at the first article. */
  @Test
  void theHeldPagesAreArchivedTogetherInOneStepWhenTheFirstArticleReleasesThem() {
    List<List<String>> steps = new ArrayList<>();
    Processed.Joint<String> index = parts -> steps.add(List.copyOf(parts));
    ItemProcessor<String, String> p = k -> k.endsWith("/item25") ? article(k)
        : notFound(k).withOnStored(index.part(k));

    RunReport r = run(keys(30), p, sink(), config().workers(1).notFoundAlone(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.rowsWritten()).isEqualTo(30);
    assertThat(steps).hasSize(1 + 4);
    assertThat(steps.get(0)).containsExactlyElementsOf(keys(25));
  }

  /** A "not found" page not held whose copy cannot be archived is a failed item, not stored. */
  @Test
  void aNotFoundPageNotHeldWhoseCopyCannotBeArchivedCountsAsFailed() {
    InMemorySink<String> sink = sink();
    ItemProcessor<String, String> p = k -> k.endsWith("/item2") ? notFound(k).withOnStored(() -> {
      throw new IOException("No space left on device");
    }) : notFound(k);

    RunReport r = run(keys(5), p, sink, config().workers(1).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.count(Outcome.NOT_FOUND)).isEqualTo(2);
    assertThat(sink.rows()).containsExactlyElementsOf(keys(2));
  }

  @Test
  void rowsOfJudgedPagesStayHeldWhileNotFoundRowsGoThroughAndATripDropsOnlyTheHeld() {
    InMemorySink<String> sink = sink();
    List<String> items = keys(20);
    RunReport r = run(items, k -> Integer.parseInt(k.substring(k.indexOf("item") + 4)) < 10
        ? notFound(k) : untitled(k), sink, config().workers(1).driftMinPages(10)
        .driftMinBroken(3).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(items.subList(0, 10));
    assertThat(r.rowsDropped()).isEqualTo(10);
  }

  @Test
  void aNotFoundOrBlockedPageBetweenHeldArticlesAndATripReleasesNoneOfThem() {
    for (Outcome between : List.of(Outcome.NOT_FOUND, Outcome.BLOCKED)) {
      InMemorySink<String> sink = sink();
      // a0..a7 articles, then the page between, then u0..u11 unrecognised: a trip at 20 judged.
      List<String> items = new ArrayList<>();
      IntStream.range(0, 8).forEach(i -> items.add("https://dic.pixiv.net/a/a" + i));
      items.add("https://dic.pixiv.net/a/between");
      IntStream.range(0, 12).forEach(i -> items.add("https://dic.pixiv.net/a/u" + i));
      RunReport r = run(items, k -> k.contains("/a/a") ? article(k)
          : k.endsWith("between") ? (between == Outcome.NOT_FOUND ? notFound(k)
              : Processed.<String>noRow(Outcome.BLOCKED, "403"))
          : Processed.noRow(Outcome.UNRECOGNIZED, "no title"),
          sink, config().workers(1).flushRows(1).driftMinPages(20).build());

      assertThat(r.stopReason()).as(between.name()).isEqualTo(StopReason.PARSE_BREAKAGE);
      assertThat(sink.rows()).as(between.name()).noneMatch(k -> k.contains("/a/a"));
      assertThat(r.rowsDropped()).as(between.name()).isEqualTo(8);
    }
  }

  @Test
  void articleRowsHeldBeforeTheGuardJudgedAreWrittenOnceItHas() {
    InMemorySink<String> sink = sink();
    List<String> items = keys(12);
    RunReport r = run(items, k -> k.endsWith("item0") || k.endsWith("item1") ? article(k)
        : notFound(k), sink, config().workers(1).driftMinPages(2).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(items).doesNotHaveDuplicates();
    assertThat(sink.batches()).extracting(List::size).containsExactly(10, 2);
    assertThat(r.drift().verdict()).isEqualTo("OK");
  }

  @Test
  void driftGuardTripsOnUnrecognizedPagesInASmallRunAtItsEnd() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(5), k -> Processed.noRow(Outcome.UNRECOGNIZED, "no title"), sink,
        config().build());
    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(r.drift().verdict()).isEqualTo("TRIPPED");
  }

  @Test
  void aShardTooSmallToHoldTheMinimumOfBrokenPagesStoresItsRowsAndSaysSo() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(2), k -> k.endsWith("0")
            ? new Processed<>(Outcome.ARTICLE, List.of(k), Set.of("title", "view_count"), "ok")
            : Processed.noRow(Outcome.UNRECOGNIZED, "no title"),
        sink, config().requiredColumns(Set.of("title", "view_count", "comment_count")).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.rowsWritten()).isEqualTo(1);
    assertThat(r.drift().verdict()).isEqualTo("TOO_FEW_PAGES");
    assertThat(r.drift().missing()).containsEntry("comment_count", 1L);
  }

  @Test
  void aCounterThatRealArticlesLackDoesNotTripButOneGoneFromEveryPageDoes() {
    Set<String> required = Set.of("title", "view_count", "comment_count");
    InMemorySink<String> some = sink();
    RunReport fine = run(keys(40), k -> new Processed<>(Outcome.ARTICLE, List.of(k),
            k.hashCode() % 3 == 0 ? Set.of("title", "view_count")
                : Set.of("title", "view_count", "comment_count"), "ok"),
        some, config().requiredColumns(required).build());
    InMemorySink<String> all = sink();
    RunReport gone = run(keys(40), k -> new Processed<>(Outcome.ARTICLE, List.of(k),
            Set.of("title", "view_count"), "ok"),
        all, config().requiredColumns(required).build());

    assertThat(fine.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(gone.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(all.batches()).isEmpty();
  }

  @Test
  void pagesWhoseStrategiesDisagreeAreCountedAndTripTheGuardWhenTheyAreTheRule() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(30), k -> new Processed<>(Outcome.ARTICLE, List.of(k), GOOD, "ok",
        Set.of("works_count")), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(sink.batches()).isEmpty();
    assertThat(r.disagreeingPages()).isPositive();
    assertThat(r.disagreements()).containsOnlyKeys("works_count")
        .containsEntry("works_count", r.disagreeingPages());
  }

  @Test
  void aFewPagesWhoseStrategiesDisagreeAreReportedWithoutStoppingTheRun() {
    InMemorySink<String> sink = sink();
    AtomicInteger n = new AtomicInteger();
    RunReport r = run(keys(20), k -> n.incrementAndGet() % 5 == 0
        ? new Processed<>(Outcome.ARTICLE, List.of(k), GOOD, "ok", Set.of("summary", "title"))
        : article(k), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).hasSize(20);
    assertThat(r.disagreeingPages()).isEqualTo(4);
    assertThat(r.disagreements()).containsEntry("summary", 4L).containsEntry("title", 4L);
  }

  @Test
  void aFewBrokenPagesDoNotStopTheRun() {
    InMemorySink<String> sink = sink();
    AtomicInteger n = new AtomicInteger();
    RunReport r = run(keys(20), k -> n.incrementAndGet() % 5 == 0
        ? Processed.noRow(Outcome.UNRECOGNIZED, "odd page") : article(k), sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).hasSize(16);
    assertThat(r.problems()).hasSize(4).allMatch(p -> p.contains("UNRECOGNIZED"));
  }

  @Test
  void blockedPagesInARowStopTheRunAndKeepWhatWasParsed() {
    InMemorySink<String> sink = sink();
    AtomicInteger n = new AtomicInteger();
    RunReport r = run(keys(40), k -> n.incrementAndGet() <= 6 ? article(k)
        : Processed.noRow(Outcome.BLOCKED, "challenge"), sink,
        config().blockedInARow(5).driftMinPages(1).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.count(Outcome.BLOCKED)).isEqualTo(5);
    assertThat(sink.rows()).hasSize(6);
  }

  @Test
  void blockedPagesSeparatedByArticlesDoNotTripTheBreaker() {
    InMemorySink<String> sink = sink();
    AtomicInteger n = new AtomicInteger();
    RunReport r = run(keys(30), k -> n.incrementAndGet() % 2 == 0 ? article(k)
        : Processed.noRow(Outcome.BLOCKED, "429"), sink, config().blockedInARow(2).build());
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
  }

  @Test
  void failedItemsAreCountedAndTheRunGoesOn() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(10), k -> {
      if (k.endsWith("item3")) {
        throw new IOException("connection reset after 5 attempts");
      }
      return article(k);
    }, sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.problems()).anyMatch(p -> p.contains("item3") && p.contains("connection reset"));
    assertThat(sink.rows()).hasSize(9);
  }

  /** Articles, except the items whose index is in {@code broken}: failed for good. */
  private static ItemProcessor<String, String> failingForGood(Set<Integer> broken) {
    return k -> {
      if (broken.contains(Integer.parseInt(k.substring(k.lastIndexOf("item") + 4)))) {
        throw new FailedForGoodException(k + ": refused a redirect off the site", null);
      }
      return article(k);
    };
  }

  @Test
  void aFewItemsThatFailedForGoodAreCountedAsSuchAndNamedInTheProblems() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(20), failingForGood(Set.of(3, 7)), sink,
        config().driftMinBroken(3).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.failedForGood()).isEqualTo(2);
    assertThat(r.problems()).anyMatch(p -> p.contains("item7") && p.contains("off the site"));
    assertThat(sink.rows()).hasSize(18);
  }

  @Test
  void itemsFailedForGoodBeyondFiveAndFivePercentCountAsOrdinaryFailures() {
    RunReport r = run(keys(100), failingForGood(Set.of(0, 1, 2, 3, 4, 5)), sink(),
        config().build());

    assertThat(r.failed()).isEqualTo(6);
    assertThat(r.failedForGood()).as("6 of 100: more than 5 and more than 5%").isZero();
    assertThat(r.problems().get(0)).as("first: it explains the others")
        .contains("6 items failed the same way", "too many to be the pages' own faults");
  }

  @Test
  void itemsFailedForGoodByTheirOwnInputStayForGoodHoweverManyAndDoNotCountAgainstTheSite() {
    // Half the names meet a strip rule that cannot be applied to them: no retry changes that.
    RunReport r = run(keys(20), k -> {
      int i = Integer.parseInt(k.substring(k.lastIndexOf("item") + 4));
      if (i % 2 == 0) {
        throw new FailedForGoodException("the strip rules took too long", null, true);
      }
      if (i == 1) {
        throw new FailedForGoodException(k + ": refused a redirect off the site", null);
      }
      return article(k);
    }, sink(), config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failed()).isEqualTo(11);
    assertThat(r.failedForGood()).as("10 of the input's and 1 of the site's").isEqualTo(11);
    assertThat(r.problems()).noneMatch(p -> p.contains("failed the same way"));
  }

  @Test
  void aKeyThatCouldBreakTheLogIsQuotedInTheProblems() {
    RunReport r = run(List.of("https://dic.pixiv.net/a/x\u2028forged line"), k -> {
      throw new IOException("connection reset");
    }, sink(), config().build());

    assertThat(r.problems()).anyMatch(p -> p.startsWith(
        "https://dic.pixiv.net/a/x\\u2028forged line: connection reset"));
  }

  @Test
  void itemsFailedForGoodUpToFiveOrFivePercentAreThePagesOwn() {
    RunReport five = run(keys(20), failingForGood(Set.of(0, 1, 2, 3, 4)), sink(),
        config().build());
    RunReport sixOf120 = run(keys(120), failingForGood(Set.of(0, 1, 2, 3, 4, 5)), sink(),
        config().build());

    assertThat(five.failedForGood()).isEqualTo(5);
    assertThat(sixOf120.failedForGood()).as("6 of 120 is 5%").isEqualTo(6);
  }

  @Test
  void aShardWhoseEveryItemFailedForGoodHasNoEvidenceThatTheSiteWorks() {
    RunReport r = run(keys(2), failingForGood(Set.of(0, 1)), sink(), config().build());

    assertThat(r.failed()).isEqualTo(2);
    assertThat(r.failedForGood()).isZero();
    assertThat(r.problems().get(0)).contains("2 items failed the same way",
        "no page of the shard was had");
  }

  @Test
  void aRetryOfAShardJudgesItsItemsFailedForGoodAsItsFirstRunDid() {
    // The first run stored 94 of 100 items; its retry holds little but the 6 broken pages.
    InMemorySink<String> sink = sink();
    Set<Integer> broken = Set.of(0, 1, 2, 3, 4, 5);
    run(keys(100), failingForGood(broken), sink, config().build());
    RunReport retry = run(keys(100), failingForGood(broken), sink, config().build());
    RunReport fewer = run(keys(100), failingForGood(Set.of(0, 1, 2)), sink, config().build());

    assertThat(retry.skipped()).isEqualTo(94);
    assertThat(retry.failedForGood()).as("6 of 100 read, as in the first run: too many")
        .isZero();
    assertThat(fewer.skipped()).isEqualTo(94);
    assertThat(fewer.failedForGood()).as("3, with 94 items had: the pages' own").isEqualTo(3);
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void aRetryAfterLongerThanTheFetcherWaitsStopsTheRunAsBlockedAndCancelsWhatWaits() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(30), k -> {
      int n = Integer.parseInt(k.substring(k.lastIndexOf("item") + 4));
      if (n == 6) {
        throw DeadSite.askedToWaitADay(URI.create(k));
      }
      if (n > 6) {
        // As a worker waits out the fetcher's pause: until the run interrupts it.
        new CountDownLatch(1).await(); // never released: until interrupted
      }
      return article(k);
    }, sink, config().workers(3).driftMinPages(1).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.BLOCKED);
    assertThat(r.failure()).hasMessageContaining("Retry-After '86400'");
    // Items before the one that asked to wait are stored, unless no worker had begun one when
    // the stop came (a worker that took it from the queue but had not started it, on a loaded
    // machine): that one is cancelled, nothing of it sent, and the next run asks again.
    assertThat(sink.rows()).isSubsetOf(keys(6)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(r.processed()).isEqualTo(sink.rows().size());
    assertThat(r.processed() + r.failed() + r.cancelled()).as("every item taken is accounted for")
        .isEqualTo(r.itemsRead() - r.skipped());
  }

  @Test
  void sinkFailureEndsTheRunWithTheCauseAndCountsTheLostRows() {
    InMemorySink<String> sink = sink();
    sink.failWrite(2, new IOException("disk full"));
    RunReport r = run(keys(25), RunEngineTest::article, sink, config().build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failureCause()).get().extracting(Throwable::getMessage).isEqualTo("disk full");
    assertThat(sink.rows()).hasSize(10);
    assertThat(r.rowsDropped()).isEqualTo(10);
  }

  /** A source file that vanishes after its first {@code n} items. */
  private static Source<String> vanishingAfter(int n) {
    return shard -> Stream.concat(keys(n).stream(), Stream.generate(() -> {
      throw new UncheckedIOException(new IOException("source file vanished"));
    }));
  }

  @Test
  void sourceFailureEndsTheRunAndKeepsWhatWasParsed() {
    InMemorySink<String> sink = sink();
    Source<String> broken = vanishingAfter(3);
    RunReport r = RunEngine.create(broken, k -> k, RunEngineTest::article, sink,
        config().driftMinPages(1).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.SOURCE_FAILED);
    assertThat(r.failureCause()).get().extracting(Throwable::getMessage)
        .isEqualTo("source file vanished");
    assertThat(sink.rows()).hasSize(3);
  }

  @Test
  void aSiteThatIsGoneEndsTheRunAndKeepsWhatWasParsed() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(30), goneAtItem6(RunEngineTest::article), sink,
        config().driftMinPages(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SITE_UNREACHABLE);
    assertThat(r.failure()).hasMessageContaining("is unreachable");
    assertThat(sink.rows()).containsExactlyElementsOf(keys(6));
  }

  @Test
  void aSiteThatIsGoneAfterBrokenPagesWritesNothingOfThem() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(30), goneAtItem6(RunEngineTest::untitled), sink,
        config().driftMinPages(20).driftMinBroken(3).build());

    // Six broken pages, too few to judge mid-run, are judged when the run ends, as at its end.
    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(r.drift().verdict()).isEqualTo("TRIPPED");
    assertThat(r.failure()).hasMessageContaining("is unreachable");
    assertThat(sink.writeCalls()).isZero();
    assertThat(r.rowsDropped()).isEqualTo(6);
  }

  @Test
  void aSourceThatFailsAfterBrokenPagesWritesNothingOfThem() {
    InMemorySink<String> sink = sink();
    Source<String> broken = vanishingAfter(4);
    RunReport r = RunEngine.create(broken, k -> k, RunEngineTest::untitled, sink,
        config().driftMinPages(20).driftMinBroken(3).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(r.failure()).hasMessage("source file vanished");
    assertThat(sink.writeCalls()).isZero();
    assertThat(r.rowsDropped()).isEqualTo(4);
  }

  @Test
  void blockedPagesAfterBrokenPagesWriteNothingOfThem() {
    InMemorySink<String> sink = sink();
    AtomicInteger n = new AtomicInteger();
    RunReport r = run(keys(40), k -> n.incrementAndGet() <= 4 ? untitled(k)
        : Processed.noRow(Outcome.BLOCKED, "challenge"), sink,
        config().blockedInARow(5).driftMinPages(20).driftMinBroken(3).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(r.count(Outcome.BLOCKED)).isEqualTo(5);
    assertThat(sink.writeCalls()).isZero();
    assertThat(r.rowsDropped()).isEqualTo(4);
  }

  @Test
  void aSourceThatThrowsABugEndsTheRunAsAnInternalErrorAndKeepsWhatWasParsed() {
    InMemorySink<String> sink = sink();
    Source<String> buggy = shard -> Stream.concat(keys(3).stream(), Stream.generate(() -> {
      throw new IllegalStateException("reader state lost");
    }));
    RunReport r = RunEngine.create(buggy, k -> k, RunEngineTest::article, sink,
        config().driftMinPages(1).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.problems()).anyMatch(p -> p.contains("reader state lost"));
    assertThat(r.itemsRead()).isEqualTo(3);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(3));
    assertThat(r.rowsWritten()).isEqualTo(3);
    assertThat(r.rowsDropped()).isZero();
  }

  @Test
  void aSinkWriteThatThrowsABugKeepsTheBatchesWrittenAndWritesNoBatchAgain() {
    List<List<String>> attempts = new ArrayList<>();
    InMemorySink<String> stored = sink();
    dev.pixivdic.core.Sink<String> buggy = new dev.pixivdic.core.Sink<>() {
      @Override
      public dev.pixivdic.core.StoredKeys stored(Shard shard, Instant since) throws IOException {
        return stored.stored(shard, since);
      }

      @Override
      public void write(List<String> batch) throws IOException {
        attempts.add(batch);
        if (attempts.size() == 2) {
          throw new IllegalStateException("sink bug");
        }
        stored.write(batch);
      }
    };
    RunReport r = RunEngine.create(Source.of(keys(25), k -> k), k -> k,
        RunEngineTest::article, buggy, config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(attempts).hasSize(2);
    assertThat(stored.rows()).hasSize(10);
    assertThat(r.rowsWritten()).isEqualTo(10);
    // Every parsed row is either stored or counted as dropped: none is lost silently.
    assertThat(r.rowsDropped()).isEqualTo(r.processed() - 10).isGreaterThanOrEqualTo(10);
    assertThat(r.problems()).anyMatch(p -> p.contains("sink bug"));
  }

  /** A sink whose {@code stored()} is deferred: looked up at the item {@code needFrom} on. */
  private static dev.pixivdic.core.Sink<String> deferredSink(InMemorySink<String> held,
      AtomicInteger asked, int needFrom, boolean fails) {
    return new dev.pixivdic.core.Sink<>() {
      @Override
      public dev.pixivdic.core.StoredKeys stored(Shard shard, Instant since) {
        return dev.pixivdic.core.StoredKeys.deferred(() -> asked.incrementAndGet() >= needFrom,
            () -> {
              if (fails) {
                throw new IOException("sink unreachable");
              }
              return held.stored(shard, since);
            });
      }

      @Override
      public void write(List<String> batch) throws IOException {
        held.write(batch);
      }
    };
  }

  @Test
  void aDeferredLookupOfWhatTheSinkHoldsSkipsFromTheItemThatNeedsIt() {
    InMemorySink<String> held = sink();
    run(keys(3), RunEngineTest::article, held, config().build());
    AtomicInteger asked = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();

    RunReport r = RunEngine.create(Source.of(keys(6), k -> k), k -> k,
        k -> { calls.incrementAndGet(); return article(k); },
        deferredSink(held, asked, 2, false), config().build()).run();

    // item0 is taken as the deferred set answers before its lookup; item1 and item2 are held.
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.skipped()).isEqualTo(2);
    assertThat(calls).hasValue(4);
  }

  @Test
  void aDeferredLookupThatFailsEndsTheRunAsASinkFailure() {
    AtomicInteger asked = new AtomicInteger();
    RunReport r = RunEngine.create(Source.of(keys(6), k -> k), k -> k, RunEngineTest::article,
        deferredSink(sink(), asked, 3, true), config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessageContaining("sink unreachable");
    assertThat(r.itemsRead()).isEqualTo(2);
  }

  @Test
  void aDeferredLookupThatFailsStillWritesWhatWasParsedOnce() {
    InMemorySink<String> held = sink();
    RunReport r = RunEngine.create(Source.of(keys(20), k -> k), k -> k, RunEngineTest::article,
        deferredSink(held, new AtomicInteger(), 14, true), config().build()).run();

    // One worker: items 0-12 are parsed, the first ten written, when item13's lookup fails.
    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessageContaining("sink unreachable");
    assertThat(held.rows()).containsExactlyElementsOf(keys(13));
    assertThat(held.batches()).extracting(List::size).containsExactly(10, 3);
    assertThat(r.rowsWritten()).isEqualTo(13);
    assertThat(r.rowsDropped()).isZero();
  }

  @Test
  void aWriteThatFailsAfterAFailedDeferredLookupIsTheFailureReported() {
    InMemorySink<String> held = sink().failWrite(1, new IOException("disk full"));
    RunReport r = RunEngine.create(Source.of(keys(20), k -> k), k -> k, RunEngineTest::article,
        deferredSink(held, new AtomicInteger(), 4, true), config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessageContaining("disk full");
    assertThat(held.writeCalls()).isEqualTo(1);
    assertThat(r.rowsDropped()).isEqualTo(3);
  }

  @Test
  void aDeferredLookupThatFailsAfterBrokenPagesWritesNothing() {
    InMemorySink<String> held = sink();
    RunReport r = RunEngine.create(Source.of(keys(20), k -> k), k -> k,
        RunEngineTest::untitled,
        deferredSink(held, new AtomicInteger(), 4, true),
        config().driftMinPages(10).driftMinBroken(3).build()).run();

    // Three broken pages, too few to judge mid-run, are judged at the end, as on a stop.
    assertThat(r.stopReason()).isEqualTo(StopReason.PARSE_BREAKAGE);
    assertThat(r.failure()).hasMessageContaining("sink unreachable");
    assertThat(r.drift().verdict()).isEqualTo("TRIPPED");
    assertThat(held.writeCalls()).isZero();
    assertThat(r.rowsDropped()).isEqualTo(3);
  }

  @Test
  void aStopAskedWhileTheSourceReadsStartsNoDeferredLookup() {
    InMemorySink<String> held = sink();
    AtomicInteger asked = new AtomicInteger();
    AtomicReference<RunEngine<String, String>> engine = new AtomicReference<>();
    // SIGTERM arrives while the source reads item3, the item whose lookup would start.
    Source<String> source = shard -> keys(20).stream().peek(k -> {
      if (k.endsWith("item3")) {
        engine.get().stop();
      }
    });
    engine.set(RunEngine.create(source, k -> k, RunEngineTest::article,
        deferredSink(held, asked, 4, true), config().build()));

    RunReport r = engine.get().run();

    assertThat(asked).hasValue(3);
    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(r.failure()).isNull();
    assertThat(held.rows()).containsExactlyElementsOf(keys(3));
  }

  @Test
  void aSinkThatThrowsABugWhenAskedWhatItHoldsEndsTheRunBeforeAnyItem() {
    AtomicInteger calls = new AtomicInteger();
    dev.pixivdic.core.Sink<String> buggy = new dev.pixivdic.core.Sink<>() {
      @Override
      public dev.pixivdic.core.StoredKeys stored(Shard shard, Instant since) {
        throw new IllegalStateException("no table handle");
      }

      @Override
      public void write(List<String> batch) {
        throw new AssertionError("nothing to write");
      }
    };
    RunReport r = RunEngine.create(Source.of(keys(5), k -> k), k -> k,
        k -> { calls.incrementAndGet(); return article(k); }, buggy, config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(calls).hasValue(0);
    assertThat(r.problems()).anyMatch(p -> p.contains("no table handle"));
  }

  @Test
  void aBugAfterTheDriftGuardTrippedWritesNothing() {
    InMemorySink<String> sink = sink();
    AtomicInteger progress = new AtomicInteger();
    RunReport r = RunEngine.create(Source.of(keys(30), k -> k), k -> k,
        RunEngineTest::untitled, sink,
        config().build()).withListener(p -> {
          // The guard trips on the fifth page, the listener hears of it next.
          if (p.processed() >= 5 && progress.incrementAndGet() == 1) {
            throw new IllegalStateException("listener bug");
          }
        }).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.drift().verdict()).isEqualTo("TRIPPED");
    assertThat(sink.batches()).isEmpty();
    assertThat(r.rowsDropped()).isPositive();
  }

  @Test
  void stopTakesNoNewItemsAndWritesWhatWasParsed() throws Exception {
    InMemorySink<String> sink = sink();
    CountDownLatch sixthStarted = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger n = new AtomicInteger();
    RunEngine<String, String> engine = RunEngine.create(Source.of(keys(100), k -> k), k -> k,
        k -> {
          if (n.incrementAndGet() > 5) {
            sixthStarted.countDown();
            never.await();
          }
          return article(k);
        }, sink, config().driftMinPages(50).build());
    Thread stopper = new Thread(() -> {
      try {
        sixthStarted.await();
        engine.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    stopper.start();

    RunReport r = engine.run();
    stopper.join();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(sink.rows()).hasSize(5);
    assertThat(r.cancelled()).isEqualTo(1);
    assertThat(r.itemsRead()).isEqualTo(6);
  }

  @Test
  void workersBoundHowManyItemsAreInFlight() {
    InMemorySink<String> sink = sink();
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    run(keys(60), k -> {
      int c = now.incrementAndGet();
      max.accumulateAndGet(c, Math::max);
      Thread.onSpinWait();
      now.decrementAndGet();
      return article(k);
    }, sink, config().workers(3).build());
    assertThat(max.get()).isBetween(1, 3);
    assertThat(sink.rows()).hasSize(60);
  }

  @Test
  void limitCapsTheItemsProcessedAfterSkipping() throws IOException {
    InMemorySink<String> sink = sink();
    sink.write(keys(5));
    RunReport r = run(keys(20), RunEngineTest::article, sink, config().limit(4).build());
    assertThat(r.processed()).isEqualTo(4);
    assertThat(r.skipped()).isEqualTo(5);
  }

  @Test
  void aBatchOlderThanTheFlushIntervalIsWrittenBeforeItIsFull() throws Exception {
    InMemorySink<String> sink = sink();
    MutableClock clock = new MutableClock();
    CountDownLatch flushed = new CountDownLatch(1);
    AtomicInteger n = new AtomicInteger();
    RunEngine<String, String> engine = RunEngine.create(Source.of(keys(3), k -> k), k -> k, k -> {
      if (n.incrementAndGet() == 3) {
        clock.advance(Duration.ofMinutes(16));
        // Wait until the engine flushed the first two rows on its own, by age alone.
        assertThat(flushed.await(10, TimeUnit.SECONDS)).isTrue();
      }
      return article(k);
    }, sink, config().flushRows(100).driftMinPages(1).clock(clock).build())
        .withListener(p -> {
          if (p.rowsWritten() == 2) {
            flushed.countDown();
          }
        });

    engine.run();
    assertThat(sink.batches()).extracting(List::size).containsExactly(2, 1);
  }

  private static RetryLaterException retryIn(String key, Duration delay) {
    return new RetryLaterException(URI.create(key), delay, 1, "status 503");
  }

  /**
   * An embedder's fixed clock (for reproducible timestamps) never moves: a retry timed by it
   * never came due, and the run never ended. Its rows keep the fixed time.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void aRunOnAFixedClockRetriesAndEndsWithTheFixedTimeInItsRows() {
    InMemorySink<String> sink = sink();
    Instant fixedAt = Instant.parse("2026-06-01T00:00:00Z");
    AtomicInteger calls = new AtomicInteger();
    RunReport r = run(keys(2), k -> {
      if (calls.incrementAndGet() == 1) {
        throw retryIn(k, Duration.ofMillis(50));
      }
      return article(k);
    }, sink, config().workers(1).clock(Clock.fixed(fixedAt, ZoneOffset.UTC)).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.processed()).isEqualTo(2);
    assertThat(calls).hasValue(3);
    assertThat(r.startedAt()).isEqualTo(fixedAt);
  }

  @Test
  void anItemThatAsksForARetryWaitsInTheQueueWhileItsWorkerTakesTheNextItems() {
    InMemorySink<String> sink = sink();
    MutableClock clock = new MutableClock();
    Instant t0 = clock.instant();
    List<String> calls = new ArrayList<>();
    List<Duration> at = new ArrayList<>();
    RunReport r = run(keys(8), k -> {
      calls.add(k);
      at.add(Duration.between(t0, clock.instant()));
      clock.advance(Duration.ofSeconds(1)); // each item takes a second of fake time
      if (k.endsWith("item0") && calls.size() == 1) {
        throw retryIn(k, Duration.ofSeconds(3));
      }
      return article(k);
    }, sink, config().workers(1).clock(clock).build());

    List<String> k = keys(8);
    // item0 failed at 1 s and may go again at 4 s: meanwhile the one worker took three others.
    assertThat(calls).containsExactly(k.get(0), k.get(1), k.get(2), k.get(3), k.get(0),
        k.get(4), k.get(5), k.get(6), k.get(7));
    assertThat(at.get(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(k);
    assertThat(r.processed()).isEqualTo(8);
    assertThat(r.failed()).isZero();
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
  }

  @Test
  void theRunWaitsForItsLastRetryAndNeverTakesItBeforeItsTime() {
    InMemorySink<String> sink = sink();
    MutableClock clock = new MutableClock() {
      @Override
      public Instant instant() {
        advance(Duration.ofMinutes(1)); // time passes as the engine looks at it
        return super.instant();
      }
    };
    List<Instant> at = new ArrayList<>();
    RunReport r = run(keys(1), key -> {
      at.add(clock.instant());
      if (at.size() == 1) {
        throw retryIn(key, Duration.ofHours(1));
      }
      return article(key);
    }, sink, config().clock(clock).build());

    assertThat(at).hasSize(2);
    assertThat(Duration.between(at.get(0), at.get(1))).isGreaterThanOrEqualTo(
        Duration.ofHours(1));
    assertThat(sink.rows()).containsExactly(keys(1).get(0));
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
  }

  @Test
  void onceTheSourceIsExhaustedARetryGoesAtItsSoonestRatherThanWaitingOutItsDelay() {
    InMemorySink<String> sink = sink();
    MutableClock clock = new MutableClock() {
      @Override
      public Instant instant() {
        advance(Duration.ofSeconds(1)); // time passes as the engine looks at it
        return super.instant();
      }
    };
    List<String> calls = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    RunReport r = run(keys(3), k -> {
      calls.add(k);
      at.add(clock.instant());
      if (k.endsWith("item0") && calls.size() == 1) {
        throw new RetryLaterException(URI.create(k), Duration.ofHours(1), Duration.ofSeconds(30),
            1, "status 503");
      }
      return article(k);
    }, sink, config().workers(1).clock(clock).build());

    List<String> k = keys(3);
    // item0's delay is an hour, but with nothing else left it goes at its soonest (30 s after
    // it failed), not before, and only after the items the source still had.
    assertThat(calls).containsExactly(k.get(0), k.get(1), k.get(2), k.get(0));
    assertThat(Duration.between(at.get(0), at.get(3)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(30))
        .isLessThan(Duration.ofMinutes(30));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(k);
    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
  }

  @Test
  void whileTheSourceHasItemsARetryWaitsItsWholeDelayWhateverItsSoonest() {
    InMemorySink<String> sink = sink();
    MutableClock clock = new MutableClock();
    Instant t0 = clock.instant();
    List<String> calls = new ArrayList<>();
    List<Duration> at = new ArrayList<>();
    run(keys(8), k -> {
      calls.add(k);
      at.add(Duration.between(t0, clock.instant()));
      clock.advance(Duration.ofSeconds(1));
      if (k.endsWith("item0") && calls.size() == 1) {
        throw new RetryLaterException(URI.create(k), Duration.ofSeconds(3), Duration.ZERO, 1,
            "status 503");
      }
      return article(k);
    }, sink, config().workers(1).clock(clock).build());

    List<String> k = keys(8);
    assertThat(calls.subList(0, 5)).containsExactly(k.get(0), k.get(1), k.get(2), k.get(3),
        k.get(0));
    assertThat(at.get(4)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void aSourceThatCannotBeOpenedEndsTheRunWithItsCause() {
    Source<String> source = shard -> {
      throw new IOException("no such table");
    };

    RunReport r = RunEngine.create(source, k -> k, RunEngineTest::article, sink(),
        config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.SOURCE_FAILED);
    assertThat(r.failureCause()).get().extracting(Throwable::getMessage)
        .isEqualTo("no such table");
  }

  @Test
  void retriedItemsNeverRaiseTheItemsInFlightAboveTheWorkers() {
    InMemorySink<String> sink = sink();
    AtomicInteger now = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    java.util.Set<String> tried = java.util.concurrent.ConcurrentHashMap.newKeySet();
    RunReport r = run(keys(40), k -> {
      max.accumulateAndGet(now.incrementAndGet(), Math::max);
      try {
        Thread.onSpinWait();
        if (tried.add(k)) {
          throw retryIn(k, Duration.ZERO);
        }
        return article(k);
      } finally {
        now.decrementAndGet();
      }
    }, sink, config().workers(2).build());

    assertThat(max.get()).isBetween(1, 2);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(40));
    assertThat(r.processed()).isEqualTo(40);
  }

  @Test
  void anEngineRunsOnce() {
    RunEngine<String, String> e = RunEngine.create(Source.of(List.of(), k -> k), k -> k,
        RunEngineTest::article, sink(), config().build());
    e.run();
    org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(e::run);
  }

  @Test
  void anItemTheSourceYieldsTwiceIsFetchedAndStoredOnce() {
    InMemorySink<String> sink = sink();
    List<String> twice = new ArrayList<>(keys(5));
    twice.addAll(keys(5));
    AtomicInteger calls = new AtomicInteger();

    RunReport r = run(twice, k -> {
      calls.incrementAndGet();
      return article(k);
    }, sink, config().driftMinPages(1).build());

    assertThat(calls).hasValue(5);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(5));
    assertThat(r.itemsRead()).isEqualTo(5);
    assertThat(r.rowsWritten()).isEqualTo(5);
  }

  @Test
  void itemsOfOtherShardsAreLeftOutWhenTheSourceIgnoresTheShard() {
    InMemorySink<String> sink = sink();
    List<String> all = keys(60);
    Source<String> everything = shard -> all.stream(); // an embedder's source, shard ignored
    Shard one = new Shard(1, 3);

    RunReport r = RunEngine.create(everything, k -> k, RunEngineTest::article, sink,
        config().shard(one).driftMinPages(1).build()).run();

    List<String> ofShard = all.stream().filter(one::contains).toList();
    assertThat(ofShard).isNotEmpty().hasSizeLessThan(all.size());
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(ofShard);
    assertThat(r.itemsRead()).isEqualTo(ofShard.size());
  }

  /** An item with three rows, as a name matching three articles is. */
  private static Processed<String> threeRows(String key) {
    return new Processed<>(Outcome.ARTICLE, List.of(key + "#1", key + "#2", key + "#3"), GOOD,
        "ok");
  }

  @Test
  void theRowsOfOneItemAreNeverSplitAcrossBatches() {
    InMemorySink<String> sink = InMemorySink.of(k -> k.replaceFirst("#\\d$", ""),
        k -> Instant.MAX);
    RunReport r = run(keys(4), RunEngineTest::threeRows, sink,
        config().flushRows(2).driftMinPages(3).build());

    assertThat(r.rowsWritten()).isEqualTo(12);
    assertThat(sink.batches()).hasSize(4).allSatisfy(batch -> assertThat(batch)
        .hasSize(3).extracting(row -> row.replaceFirst("#\\d$", "")).containsOnly(
            batch.get(0).replaceFirst("#\\d$", "")));
  }

  @Test
  void aFailedWriteLeavesNoItemHalfStored() {
    InMemorySink<String> sink = InMemorySink.<String>of(k -> k.replaceFirst("#\\d$", ""),
        k -> Instant.MAX).failWrite(2);
    RunReport r = run(keys(4), RunEngineTest::threeRows, sink,
        config().flushRows(4).driftMinPages(1).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(sink.rows()).hasSize(3); // the first item whole, nothing of the second
    assertThat(r.rowsWritten()).isEqualTo(3);
    assertThat(r.rowsDropped()).isEqualTo(r.processed() * 3 - 3);
  }

  @Test
  void heldRowsReleasedAtOnceGoToTheSinkInBatchesOfAtMostFlushRows() {
    InMemorySink<String> sink = sink();
    RunReport r = run(keys(23), RunEngineTest::article, sink,
        config().flushRows(3).driftMinPages(20).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(23));
    assertThat(sink.batches()).extracting(List::size).allMatch(n -> n <= 3);
    assertThat(r.batchesWritten()).isEqualTo(8);
  }

  /** What a test's sink does with a batch. */
  private interface Write {
    void write(List<String> batch) throws IOException;
  }

  /** A sink holding what {@code stored} holds and writing as {@code write} does. */
  private static dev.pixivdic.core.Sink<String> writing(InMemorySink<String> stored,
      Write write) {
    return new dev.pixivdic.core.Sink<>() {
      @Override
      public dev.pixivdic.core.StoredKeys stored(Shard shard, Instant since) {
        return stored.stored(shard, since);
      }

      @Override
      public void write(List<String> batch) throws IOException {
        write.write(batch);
      }
    };
  }

  /** A sink whose I/O fails when its thread is interrupted, as a FileChannel or HttpClient does. */
  private static dev.pixivdic.core.Sink<String> interruptible(InMemorySink<String> stored) {
    return writing(stored, batch -> {
      if (Thread.currentThread().isInterrupted()) {
        throw new java.nio.channels.ClosedByInterruptException();
      }
      stored.write(batch);
    });
  }

  @Test
  void anInterruptedRunWritesWhatWasParsedThroughInterruptibleIoAndKeepsTheInterrupt()
      throws Exception {
    InMemorySink<String> stored = sink();
    CountDownLatch sixthStarted = new CountDownLatch(1);
    AtomicInteger n = new AtomicInteger();
    RunEngine<String, String> engine = RunEngine.create(Source.of(keys(100), k -> k), k -> k,
        k -> {
          if (n.incrementAndGet() > 5) {
            sixthStarted.countDown();
            new CountDownLatch(1).await(); // until the run abandons it
          }
          return article(k);
        }, interruptible(stored), config().driftMinPages(50).build());
    Interrupted run = interruptedRun(engine, sixthStarted, () -> {});

    RunReport r = run.report();
    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(stored.rows()).containsExactlyInAnyOrderElementsOf(keys(5));
    assertThat(r.rowsWritten()).isEqualTo(5);
    assertThat(r.rowsDropped()).isZero();
    assertThat(run.interruptedAfter()).as("the interrupt status, set again").isTrue();
  }

  /** What a run interrupted on another thread returned, and its interrupt status after. */
  private record Interrupted(RunReport report, boolean interruptedAfter) {}

  /**
   * Runs {@code engine} on a thread of its own, interrupts that thread once {@code ready} is
   * counted down, then runs {@code afterInterrupt} and waits for the run.
   */
  private static Interrupted interruptedRun(RunEngine<String, String> engine,
      CountDownLatch ready, Runnable afterInterrupt) throws InterruptedException {
    AtomicReference<RunReport> report = new AtomicReference<>();
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      report.set(engine.run());
      interruptedAfter.set(Thread.currentThread().isInterrupted());
    });
    runner.start();
    assertThat(ready.await(20, TimeUnit.SECONDS)).isTrue();
    runner.interrupt();
    afterInterrupt.run();
    runner.join(TimeUnit.SECONDS.toMillis(20));
    return new Interrupted(report.get(), Boolean.TRUE.equals(interruptedAfter.get()));
  }

  @Test
  void anInterruptThatComesDuringAMidRunWriteStopsTheRunWithoutFailingThatWrite()
      throws Exception {
    InMemorySink<String> stored = sink();
    CountDownLatch inWrite = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger writes = new AtomicInteger();
    dev.pixivdic.core.Sink<String> slowFirstWrite = writing(stored, batch -> {
      if (writes.incrementAndGet() == 1) {
        inWrite.countDown();
        com.google.common.util.concurrent.Uninterruptibles.awaitUninterruptibly(release);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new java.nio.channels.ClosedByInterruptException();
      }
      stored.write(batch);
    });
    RunEngine<String, String> engine = RunEngine.create(Source.of(keys(100), k -> k), k -> k,
        RunEngineTest::article, slowFirstWrite, config().driftMinPages(1).build());
    Interrupted run = interruptedRun(engine, inWrite, release::countDown);

    RunReport r = run.report();
    assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(r.failure()).isNull();
    assertThat(stored.batches().get(0)).hasSize(10);
    assertThat(r.rowsWritten()).isEqualTo(stored.rows().size()).isGreaterThanOrEqualTo(10);
    assertThat(r.rowsDropped()).isZero();
    assertThat(run.interruptedAfter()).as("the interrupt status, set again").isTrue();
  }

  /**
   * A full disk under the page archive failed each item alone, and the run went on fetching
   * every page from the site only to lose its copy.
   */
  @Test
  void aCopyThatCannotBeKeptStopsTheRunAsASinkFailureAndWhatWasParsedIsWritten() {
    InMemorySink<String> sink = sink();
    AtomicInteger calls = new AtomicInteger();
    RunReport r = run(keys(100), k -> {
      if (calls.incrementAndGet() > 12) {
        throw new StorageFailedException("the copy of " + k + " could not be kept",
            new IOException("No space left on device"));
      }
      return article(k);
    }, sink, config().driftMinPages(1).build());

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessageContaining("No space left on device");
    assertThat(calls.get()).as("items taken after the failure").isLessThan(30);
    assertThat(sink.rows()).hasSize(12);
    assertThat(r.rowsWritten()).isEqualTo(12);
  }

  @Test
  void anUncheckedIoExceptionOfTheSinkIsASinkFailureWithItsCause() {
    InMemorySink<String> stored = sink();
    dev.pixivdic.core.Sink<String> full = writing(stored, batch -> {
      throw new UncheckedIOException(new IOException("quota exceeded"));
    });
    RunReport r = RunEngine.create(Source.of(keys(25), k -> k), k -> k,
        RunEngineTest::article, full, config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.SINK_FAILED);
    assertThat(r.failure()).hasMessage("quota exceeded");
    assertThat(r.rowsWritten()).isZero();
    assertThat(r.rowsDropped()).isEqualTo(r.processed());
  }

  @Test
  void aBugOfTheSinkIsNamedAsTheSinksWithItsRootCause() {
    InMemorySink<String> stored = sink();
    dev.pixivdic.core.Sink<String> pool = writing(stored, batch -> {
      throw new IllegalStateException("db pool exhausted",
          new java.sql.SQLException("ORA-12345 root cause"));
    });
    RunReport r = RunEngine.create(Source.of(keys(25), k -> k), k -> k,
        RunEngineTest::article, pool, config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    // The sink is named by its class (here the test's anonymous one).
    assertThat(r.problems()).anyMatch(p -> p.matches("internal error in the sink"
        + " \\(dev\\.pixivdic\\.core\\.run\\.internal\\.RunEngineTest\\$\\d+\\):"
        + " java\\.lang\\.IllegalStateException: db pool exhausted"
        + " \\(caused by java\\.sql\\.SQLException: ORA-12345 root cause\\)"));
  }

  /** The problem named no item: the page that sets a bug off could not be looked at. */
  @Test
  void aBugProcessingOneItemFailsThatItemOnlyAndNamesIt() {
    InMemorySink<String> sink = sink();
    RunReport r = RunEngine.create(Source.of(keys(3), k -> k), k -> k, k -> {
      if (k.endsWith("item1")) {
        throw new NullPointerException("heading text");
      }
      return article(k);
    }, sink, config().driftMinPages(1).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.problems()).contains("internal error processing " + keys(3).get(1)
        + ": java.lang.NullPointerException: heading text");
    assertThat(sink.rows()).hasSize(2);
  }

  /**
   * Out of memory is no item's fault, and every next item would fail the same way: the run
   * stops, writes what it parsed and rethrows the error once it is settled.
   */
  @Test
  void runningOutOfMemoryEndsTheRunWritesWhatWasParsedAndRethrowsTheError() {
    InMemorySink<String> sink = sink();
    AtomicInteger fetched = new AtomicInteger();
    assertThatThrownBy(() -> RunEngine.create(Source.of(keys(10), k -> k), k -> k, k -> {
      fetched.incrementAndGet();
      if (k.endsWith("item5")) {
        throw new OutOfMemoryError("Java heap space");
      }
      return article(k);
    }, sink, config().workers(1).build()).run())
        .isInstanceOf(OutOfMemoryError.class).hasMessage("Java heap space");
    assertThat(sink.rows()).containsExactlyElementsOf(keys(5));
    assertThat(fetched.get()).as("items fetched before the run stopped").isBetween(6, 7);
  }

  /**
   * The report the run settled on before it rethrew the error is handed out, so that a caller
   * reports what the engine counted (rows written and dropped, the problems), not a second
   * reckoning of its own.
   */
  @Test
  void afterAnOutOfMemoryErrorTheSettledReportIsHandedOut() {
    InMemorySink<String> sink = sink();
    RunEngine<String, String> engine = RunEngine.create(Source.of(keys(10), k -> k), k -> k,
        k -> {
          if (k.endsWith("item5")) {
            throw new OutOfMemoryError("Java heap space");
          }
          return article(k);
        }, sink, config().workers(1).build());
    assertThat(engine.settledReport()).isEmpty();

    assertThatThrownBy(engine::run).isInstanceOf(OutOfMemoryError.class);

    RunReport r = engine.settledReport().orElseThrow();
    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.rowsWritten()).isEqualTo(sink.rows().size()).isEqualTo(5);
    assertThat(r.batchesWritten()).isEqualTo(1);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("out of memory (Java heap space)"));
  }

  /**
   * Out of memory on the run thread after a batch is written (here in the listener) is the run's,
   * not the sink's: the rows parsed and held are still written, once, and the sink is not
   * named.
   */
  @Test
  void anOutOfMemoryErrorOnTheRunThreadStillWritesWhatWasParsedOnce() {
    InMemorySink<String> sink = sink();
    AtomicInteger thrown = new AtomicInteger();
    // Three rows an item and batches of at most ten: rows wait after each batch.
    RunEngine<String, String> engine = RunEngine.create(Source.of(keys(25), k -> k), k -> k,
        k -> new Processed<>(Outcome.ARTICLE, List.of(k + "#1", k + "#2", k + "#3"), GOOD,
            "ok"), sink, config().workers(1).build())
        .withListener(p -> {
          if (p.rowsWritten() > 0 && thrown.getAndIncrement() == 0) {
            throw new OutOfMemoryError("Java heap space");
          }
        });

    assertThatThrownBy(engine::run).isInstanceOf(OutOfMemoryError.class);

    RunReport r = engine.settledReport().orElseThrow();
    assertThat(r.batchesWritten()).isGreaterThan(1);
    assertThat(sink.rows()).doesNotHaveDuplicates().hasSize((int) r.processed() * 3);
    assertThat(r.rowsWritten()).isEqualTo(sink.rows().size());
    assertThat(r.rowsDropped()).isZero();
    assertThat(r.problems()).noneMatch(p -> p.contains("the sink"))
        .anyMatch(p -> p.startsWith("internal error in the run: java.lang.OutOfMemoryError"));
  }

  /** A parse recursing too deep on one page is that page's bug: the others are stored. */
  @Test
  void aStackOverflowProcessingOneItemFailsThatItemOnly() {
    InMemorySink<String> sink = sink();
    RunReport r = RunEngine.create(Source.of(keys(10), k -> k), k -> k, k -> {
      if (k.endsWith("item5")) {
        throw new StackOverflowError();
      }
      return article(k);
    }, sink, config().workers(1).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("internal error processing "
        + keys(10).get(5)) && p.contains("StackOverflowError"));
    assertThat(sink.rows()).hasSize(9).doesNotContain(keys(10).get(5));
  }

  @Test
  void aNullItemOfTheSourceIsNamedAsTheSourcesBug() {
    InMemorySink<String> sink = sink();
    Source<String> holey = shard -> Stream.of("https://dic.pixiv.net/a/one", null);
    RunReport r = RunEngine.create(holey, k -> k, RunEngineTest::article, sink,
        config().driftMinPages(1).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.problems()).contains("internal error in the source"
        + " (dev.pixivdic.core.run.internal.RunEngineTest lambda):"
        + " java.lang.NullPointerException: the source yielded a null item");
    assertThat(sink.rows()).containsExactly("https://dic.pixiv.net/a/one");
  }

  /** Every item failed with its own stack trace, and the run ended COMPLETED. */
  @Test
  void aClosedFetcherStopsTheRunAtItsFirstItemWithOneProblem() {
    InMemorySink<String> sink = sink();
    AtomicInteger calls = new AtomicInteger();
    RunReport r = RunEngine.create(Source.of(keys(50), k -> k), k -> k, k -> {
      calls.incrementAndGet();
      throw new FetcherClosedException(URI.create(k));
    }, sink, config().workers(4).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.failed()).isZero();
    assertThat(r.problems()).singleElement().asString()
        .startsWith("the fetcher is closed, so no item could be fetched; the run stopped")
        .contains("fetcher is closed; cannot GET https://dic.pixiv.net/a/item");
    assertThat(calls.get()).as("items tried").isLessThanOrEqualTo(8);
    assertThat(r.cancelled()).isEqualTo(r.itemsRead());
  }

  @Test
  void aSourceWhoseItemsAreNullIsNamedAsTheSourcesBug() {
    Source<String> none = shard -> null;
    RunReport r = RunEngine.create(none, k -> k, RunEngineTest::article, sink(),
        config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.problems()).contains("internal error in the source"
        + " (dev.pixivdic.core.run.internal.RunEngineTest lambda):"
        + " java.lang.NullPointerException: items(0/1) returned null instead of a stream");
  }

  /** A deferred set of what the sink holds whose lookup answers as {@code lookup} does. */
  private static dev.pixivdic.core.Sink<String> deferredLookup(InMemorySink<String> held,
      dev.pixivdic.core.StoredKeys.Lookup lookup) {
    return new dev.pixivdic.core.Sink<>() {
      @Override
      public dev.pixivdic.core.StoredKeys stored(Shard shard, Instant since) {
        return dev.pixivdic.core.StoredKeys.deferred(() -> true, lookup);
      }

      @Override
      public void write(List<String> batch) throws IOException {
        held.write(batch);
      }
    };
  }

  @Test
  void aDeferredLookupThatThrowsABugOrAnswersNullIsNamedAsTheSinks() {
    RunReport thrown = RunEngine.create(Source.of(keys(3), k -> k), k -> k,
        RunEngineTest::article, deferredLookup(sink(), () -> {
          throw new IllegalStateException("no session");
        }), config().build()).run();
    RunReport nothing = RunEngine.create(Source.of(keys(3), k -> k), k -> k,
        RunEngineTest::article, deferredLookup(sink(), () -> null), config().build()).run();

    assertThat(thrown.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(thrown.problems()).anyMatch(p -> p.startsWith("internal error in the sink"
        + " (dev.pixivdic.core.run.internal.RunEngineTest$")
        && p.endsWith("): java.lang.IllegalStateException: no session"));
    assertThat(nothing.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(nothing.problems()).anyMatch(p -> p.startsWith("internal error in the sink (")
        && p.contains("the lookup's keys"));
  }

  @Test
  void anErrorOfTheSourceEndsTheRunAsItsBugAndWritesWhatWasParsed() {
    InMemorySink<String> sink = sink();
    Source<String> broken = shard -> Stream.concat(keys(3).stream(), Stream.generate(() -> {
      throw new NoClassDefFoundError("com/example/Codec");
    }));
    RunReport r = RunEngine.create(broken, k -> k, RunEngineTest::article, sink,
        config().driftMinPages(50).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("internal error in the source (")
        && p.contains("java.lang.NoClassDefFoundError: com/example/Codec"));
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(3));
    assertThat(r.rowsWritten()).isEqualTo(3);
  }

  @Test
  void anErrorOfTheSinkEndsTheRunAsItsBugAndCountsTheRowsNotWritten() {
    InMemorySink<String> stored = sink();
    dev.pixivdic.core.Sink<String> broken = writing(stored, batch -> {
      throw new ExceptionInInitializerError("driver");
    });
    RunReport r = RunEngine.create(Source.of(keys(25), k -> k), k -> k,
        RunEngineTest::article, broken, config().build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.INTERNAL_ERROR);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("internal error in the sink (")
        && p.contains("ExceptionInInitializerError: driver"));
    assertThat(r.rowsWritten()).isZero();
    assertThat(r.rowsDropped()).isEqualTo(r.processed()).isPositive();
  }

  @Test
  void anOutOfMemoryErrorOfTheSourceIsRethrownOnceWhatWasParsedIsWritten() {
    InMemorySink<String> sink = sink();
    Source<String> starved = shard -> Stream.concat(keys(3).stream(), Stream.generate(() -> {
      throw new OutOfMemoryError("Java heap space");
    }));
    AtomicReference<Progress> last = new AtomicReference<>();
    RunEngine<String, String> engine = RunEngine.create(starved, k -> k,
        RunEngineTest::article, sink, config().driftMinPages(50).build()).withListener(last::set);

    org.assertj.core.api.Assertions.assertThatThrownBy(engine::run)
        .isInstanceOf(OutOfMemoryError.class).hasMessage("Java heap space");
    assertThat(sink.rows()).containsExactlyInAnyOrderElementsOf(keys(3));
    assertThat(last.get().rowsWritten()).isEqualTo(3);
  }

  @Test
  void anInterruptedExceptionNobodyAskedForFailsThatItemOnlyAndNamesIt() {
    InMemorySink<String> sink = sink();
    RunReport r = RunEngine.create(Source.of(keys(3), k -> k), k -> k, k -> {
      if (k.endsWith("item1")) {
        throw new InterruptedException("pool shut down by the fetcher");
      }
      return article(k);
    }, sink, config().driftMinPages(1).build()).run();

    assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.cancelled()).isZero();
    assertThat(r.problems()).anyMatch(p -> p.contains(keys(3).get(1))
        && p.contains("interrupted, though the run was not stopped")
        && p.contains("pool shut down by the fetcher"));
    assertThat(sink.rows()).containsExactlyInAnyOrder(keys(3).get(0), keys(3).get(2));
  }
}

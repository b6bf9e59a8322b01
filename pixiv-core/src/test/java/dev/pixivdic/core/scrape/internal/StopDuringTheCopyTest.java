package dev.pixivdic.core.scrape.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.file.internal.NdjsonSink;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.StopReason;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run stopped (a signal, the drift guard, a block) while a worker writes a page to the archive:
 * the stop interrupts the worker that waits for its answer at once, but the one inside the
 * archive's write only once the write is over (an interrupt would close the archive's file).
 * The page is archived whole, its row is stored, and the run ends as stopped.
 */
class StopDuringTheCopyTest {

  private static final Path PAGE =
      Path.of("src", "test", "resources", "corpus", "article", "current-dom-full.html");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
  /** The page held inside its copy to the archive as the stop comes. */
  private static final ArticleUrl HELD = ArticleUrl.ofTitle("held-in-its-copy");
  /** The page whose answer is awaited as the stop comes. */
  private static final ArticleUrl AWAITED = ArticleUrl.ofTitle("awaited");

  /** Where in the archive's write the worker is held: the page's body, or its index line. */
  enum Held { BODY, INDEX_LINE }

  @ParameterizedTest
  @EnumSource(Held.class)
  @Timeout(120)
  void aStopLetsTheWorkerInsideTheArchivesWriteFinishItAndStoresItsRow(Held where,
      @TempDir Path dir) throws Exception {
    byte[] page = Files.readAllBytes(PAGE);
    Path archiveDir = dir.resolve("archive");
    Path sinkFile = dir.resolve("rows.ndjson");
    CountDownLatch heldInside = new CountDownLatch(1);
    CountDownLatch awaiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PageArchive pages = PageArchive.open(archiveDir);
    NdjsonSink sink = NdjsonSink.open(sinkFile);
    try {
      Fetcher fetcher = new Fetcher() {
        @Override
        public FetchResponse get(URI siteUri) {
          if (siteUri.equals(AWAITED.uri())) {
            awaiting.countDown();
            try {
              new CountDownLatch(1).await(); // an answer that comes only as the stop does
            } catch (InterruptedException e) {
              // The stop's interrupt, come as the answer was had: the page goes on.
              Thread.currentThread().interrupt();
            }
          }
          return new FetchResponse(siteUri, siteUri, 200, "text/html; charset=utf-8",
              body(page, siteUri), 1, Duration.ZERO);
        }

        @Override
        public FetchStats stats() {
          return FetchStats.none();
        }

        @Override
        public void close() {}
      };
      Processed.Joint<PageArchive.Entry> index = entries -> {
        if (where == Held.INDEX_LINE && isHeld(entries.get(0).url())) {
          holdUntilReleased(heldInside, release);
        }
        pages.appendAll(entries);
      };
      PageRecorder recorder = (item, response) -> {
        if (where == Held.BODY && isHeld(item.url())) {
          holdUntilReleased(heldInside, release);
        }
        return index.part(pages.keep(item, response, CLOCK.instant()));
      };
      ArticleScraper scraper = ArticleScraper.create(fetcher, ArticleParser.create(), "run-1",
          CLOCK).withRecorder(recorder);
      RunEngine<WorkItem, ArticleRow> engine = RunEngine.create(
          Source.of(List.of(WorkItem.of(HELD), WorkItem.of(AWAITED)), WorkItem::key),
          WorkItem::key, scraper, sink,
          RunConfig.builder().runId("run-1").workers(2).clock(CLOCK).build())
          .withListener(progress -> {
            // On the run thread, once it handled the awaited page, which its worker returned
            // after the stop's interrupt: the stop has reached every worker.
            if (progress.processed() > 0) {
              release.countDown();
            }
          });
      FutureTask<RunReport> run = new FutureTask<>(engine::run);
      Thread runner = new Thread(run, "run");
      runner.setDaemon(true);
      runner.start();
      heldInside.await();
      awaiting.await();

      engine.stop();
      RunReport r = run.get(1, TimeUnit.MINUTES);

      assertThat(r.stopReason()).as("%s", r.problems()).isEqualTo(StopReason.INTERRUPTED);
      assertThat(r.failure()).isNull();
      assertThat(r.count(Outcome.ARTICLE)).isEqualTo(2);
      assertThat(r.rowsWritten()).isEqualTo(2);
      // The run's archive is still open to writes: the stop closed none of its files.
      pages.put(WorkItem.of(ArticleUrl.ofTitle("after-the-run")), response(page,
          ArticleUrl.ofTitle("after-the-run")), CLOCK.instant());
    } finally {
      sink.close();
      pages.close();
    }
    assertThat(Files.readString(sinkFile, StandardCharsets.UTF_8).lines())
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).contains(HELD.canonical()))
        .anySatisfy(line -> assertThat(line).contains(AWAITED.canonical()));
    try (PageArchive read = PageArchive.openReadOnly(archiveDir);
        Stream<PageArchive.Entry> latest = read.latest()) {
      List<PageArchive.Entry> entries = latest.toList();
      assertThat(entries).extracting(e -> e.url().canonical()).containsExactlyInAnyOrder(
          HELD.canonical(), AWAITED.canonical(), ArticleUrl.ofTitle("after-the-run").canonical());
      for (PageArchive.Entry e : entries) {
        assertThat(read.read(e)).as("%s", e.url()).isEqualTo(body(page, e.url().uri()));
      }
    }
    // Opened for writing again (a next run), nothing is cut away as torn.
    PageArchive.open(archiveDir).close();
    assertThat(archiveDir.resolve("index.ndjson.torn")).doesNotExist();
  }

  private static boolean isHeld(ArticleUrl url) {
    return url.equals(HELD);
  }

  /**
   * Holds the worker inside the archive's write until the run thread has handled the awaited
   * page: an interrupt meanwhile is kept for the write that follows, as one would reach it.
   */
  private static void holdUntilReleased(CountDownLatch heldInside, CountDownLatch release) {
    heldInside.countDown();
    Uninterruptibles.awaitUninterruptibly(release);
  }

  /** Each page's own body, so that each has its own blob in the archive. */
  private static byte[] body(byte[] page, URI uri) {
    String html = new String(page, StandardCharsets.UTF_8) + "<!-- " + uri + " -->\n";
    return html.getBytes(StandardCharsets.UTF_8);
  }

  private static FetchResponse response(byte[] page, ArticleUrl url) {
    return new FetchResponse(url.uri(), url.uri(), 200, "text/html; charset=utf-8",
        body(page, url.uri()), 1, Duration.ZERO);
  }
}

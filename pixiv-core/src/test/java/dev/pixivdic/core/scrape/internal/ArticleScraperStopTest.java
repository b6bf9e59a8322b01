package dev.pixivdic.core.scrape.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.FetchStats;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.internal.Processed;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop's interrupt that reaches the scraper's thread as its fetch ends: the page's copy (its
 * body, its index line) is still written, as an interrupt closes the archive's file.
 */
class ArticleScraperStopTest {

  private static final Path PAGE =
      Path.of("src", "test", "resources", "corpus", "article", "current-dom-full.html");
  private static final ArticleUrl URL = ArticleUrl.ofTitle("東方Project");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void anInterruptAsTheFetchEndsWaitsForThePagesCopy(@TempDir Path dir) throws Exception {
    byte[] page = Files.readAllBytes(PAGE);
    Fetcher fetcher = new Fetcher() {
      @Override
      public FetchResponse get(URI siteUri) {
        // The stop's interrupt, come as the answer was had.
        Thread.currentThread().interrupt();
        return new FetchResponse(siteUri, siteUri, 200, "text/html; charset=utf-8", page, 1,
            Duration.ZERO);
      }

      @Override
      public FetchStats stats() {
        return FetchStats.none();
      }

      @Override
      public void close() {}
    };
    List<Boolean> interruptedWhileWriting = new ArrayList<>();
    Path blob = dir.resolve("blob");
    Path index = dir.resolve("index.ndjson");
    PageRecorder recorder = (item, response) -> {
      interruptedWhileWriting.add(Thread.currentThread().isInterrupted());
      append(blob, item.key());
      return () -> {
        interruptedWhileWriting.add(Thread.currentThread().isInterrupted());
        append(index, item.key());
      };
    };

    Processed<ArticleRow> processed;
    boolean interruptedAfter;
    try {
      processed = ArticleScraper.create(fetcher, ArticleParser.create(), "run-1", CLOCK)
          .withRecorder(recorder).process(WorkItem.of(URL));
    } finally {
      interruptedAfter = Thread.interrupted();
    }

    assertThat(processed.outcome()).isEqualTo(Outcome.ARTICLE);
    assertThat(interruptedWhileWriting).containsExactly(false, false);
    assertThat(Files.readAllLines(blob)).containsExactly(URL.canonical());
    assertThat(Files.readAllLines(index)).containsExactly(URL.canonical());
    assertThat(interruptedAfter).as("the interrupt, set again once the copy is written")
        .isTrue();
  }

  /** A line appended and forced to disk through a {@link FileChannel}, as the archive does. */
  private static void append(Path file, String line) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
  }
}

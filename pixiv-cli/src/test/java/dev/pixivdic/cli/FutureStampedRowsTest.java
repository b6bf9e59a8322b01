package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Sink rows stamped in the future (a writer's clock years ahead, a hand edit) kept their
 * articles from ever being fetched again, without a word.
 */
class FutureStampedRowsTest {

  @TempDir Path dir;

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger sinkLog;

  @BeforeEach
  void capture() {
    events.setContext(context);
    events.start();
    sinkLog = context.getLogger("dev.pixivdic.core.file.internal.NdjsonRowSink");
    sinkLog.addAppender(events);
  }

  @AfterEach
  void release() {
    sinkLog.detachAppender(events);
  }

  private static String row(String title, String loadedAt) {
    return "{\"url\":\"https://dic.pixiv.net/a/" + title + "\",\"loaded_at\":\"" + loadedAt
        + "\",\"status\":\"ARTICLE\",\"run_id\":\"r\",\"scraper_version\":\"0\"}\n";
  }

  @Test
  void rowsStampedFarAheadAreFetchedAgainAndTheRunSaysSoOnceWithACountAndAnExample()
      throws Exception {
    Path src = dir.resolve("urls.txt");
    Files.writeString(src, "https://dic.pixiv.net/a/now\nhttps://dic.pixiv.net/a/later\n"
        + "https://dic.pixiv.net/a/far\nhttps://dic.pixiv.net/a/bq\n");
    Path sink = dir.resolve("rows.ndjson");
    String now = java.time.Instant.now().toString();
    Files.writeString(sink, row("now", now) + row("later", "2099-01-01T00:00:00Z")
        + row("far", "+12026-12-07T13:14:18Z")
        + row("bq", now.substring(0, 10) + " " + now.substring(11, 19) + " UTC"));

    Cli.Result r = Cli.run("scrape", "--source", src.toString(), "--sink", sink.toString(),
        "--dry-run", "--progress", "none");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("https://dic.pixiv.net/a/later", "https://dic.pixiv.net/a/far")
        .doesNotContain("https://dic.pixiv.net/a/now", "https://dic.pixiv.net/a/bq");
    assertThat(events.list).filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage).singleElement()
        .satisfies(m -> assertThat(m).contains("2 row(s) are stamped more than 24 hours ahead",
            "fetched again", "https://dic.pixiv.net/a/later at 2099-01-01T00:00:00Z"));
  }
}

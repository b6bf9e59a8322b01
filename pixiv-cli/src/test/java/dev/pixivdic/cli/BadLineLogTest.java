package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A source of many bad lines: the log names the first 50, as the report keeps them, and then
 * says how many more there were, before the summary and the final line (a binary file given
 * as the source wrote one warning per line, 115,954 of them).
 */
class BadLineLogTest {

  @TempDir Path dir;

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger cliLog;

  @BeforeEach
  void capture() {
    events.setContext(context);
    events.start();
    cliLog = context.getLogger("dev.pixivdic.cli");
    cliLog.addAppender(events);
  }

  @AfterEach
  void release() {
    cliLog.detachAppender(events);
  }

  /** Standard error, and how many log lines had been written when the run's end began. */
  private final class Err extends Writer {
    final StringBuilder text = new StringBuilder();
    int eventsBeforeEnd = -1;

    @Override
    public void write(char[] buf, int off, int len) {
      text.append(buf, off, len);
      if (eventsBeforeEnd < 0 && (text.indexOf("PIXIV_RESULT") >= 0
          || text.indexOf("items    read") >= 0)) {
        eventsBeforeEnd = events.list.size();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private List<String> badLines(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "not a url " + i).toList();
  }

  private List<String> messages(String prefix) {
    return events.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith(prefix)).toList();
  }

  private int indexOf(String prefix) {
    List<ILoggingEvent> list = events.list;
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).getFormattedMessage().startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aScrapeNamesTheFirstFiftyBadSourceLinesThenCountsTheRestBeforeItsSummary()
      throws IOException {
    List<String> lines = new ArrayList<>(badLines(130));
    lines.add(ArticleUrl.ofTitle("記事0").canonical());
    Path src = Files.write(dir.resolve("urls.txt"), lines);
    Path report = dir.resolve("report.json");
    Err err = new Err();
    try (FakeSite site = new FakeSite()) {
      int code = Main.execute(new String[] {"scrape", "--source", src.toString(),
          "--sink", dir.resolve("rows.ndjson").toString(), "--report", report.toString(),
          "--origin", site.origin(), "--qps", "1000", "--progress", "none"},
          new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
      assertThat(code).as(err.text.toString()).isZero();
    }

    List<String> named = messages("bad source line, skipped: ");
    assertThat(named).hasSize(50);
    assertThat(named.get(0)).endsWith("urls.txt:1: not an http(s) URL: 'not a url 1'");
    assertThat(named.get(49)).contains("urls.txt:50: ");
    assertThat(messages("80 more bad source lines were skipped, not named in the log: it"
        + " names the first 50")).hasSize(1);
    assertThat(indexOf("80 more bad source lines")).isGreaterThan(
        indexOf("bad source line, skipped: ")).isLessThan(err.eventsBeforeEnd);
    assertThat(err.text.toString())
        .contains("source   130 bad lines skipped (the log names the first 50)");
    assertThat(new ObjectMapper().readTree(report.toFile()).at("/source/problems"))
        .hasSize(50);
  }

  @Test
  void aResolveRefusingANamesFileOfBadLinesNamesTheFirstFiftyThenCountsTheRest()
      throws IOException {
    Path names = Files.write(dir.resolve("names.ndjson"), badLines(120));
    Err err = new Err();
    try (SearchSite site = new SearchSite()) {
      int code = Main.execute(new String[] {"resolve", "--names", names.toString(),
          "--names-format", "ndjson", "--sink", dir.resolve("resolved.ndjson").toString(),
          "--origin", site.origin(), "--qps", "1000", "--progress", "none"},
          new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
      assertThat(code).as(err.text.toString()).isEqualTo(ExitCodes.USAGE);
    }

    assertThat(messages("bad names line, skipped: ")).hasSize(50);
    assertThat(messages("70 more bad names lines were skipped")).hasSize(1);
    assertThat(indexOf("70 more bad names lines")).isLessThan(err.eventsBeforeEnd);
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the fetcher's log lines say when a site does not answer, as an operator reads them. */
class FetchLogLinesTest {

  @TempDir Path dir;

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger fetcherLog;

  @BeforeEach
  void capture() {
    events.setContext(context);
    events.start();
    fetcherLog = context.getLogger("dev.pixivdic.core.fetch");
    fetcherLog.setLevel(Level.DEBUG);
    fetcherLog.addAppender(events);
  }

  @AfterEach
  void release() {
    fetcherLog.detachAppender(events);
    fetcherLog.setLevel(null);
  }

  private static int closedPort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Path oneUrl() throws java.io.IOException {
    Path src = dir.resolve("urls.txt");
    Files.writeString(src, "https://dic.pixiv.net/a/x\n");
    return src;
  }

  @Test
  void aRequestThatNeverGotAnAnswerIsLoggedWithItsErrorNotAPlaceholderAndNoStackTrace()
      throws Exception {
    int port = closedPort();
    Path src = oneUrl();

    Cli.Result r = Cli.run("scrape", "--source", src.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", "http://127.0.0.1:" + port,
        "--qps", "1000", "--max-attempts", "2", "--backoff", "1ms", "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(75);
    assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("giving up after 2 attempt(s)",
            "ConnectException"))
        .noneSatisfy(m -> assertThat(m).contains("{}"));
    assertThat(events.list).filteredOn(e -> e.getLevel() == Level.WARN)
        .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }

  @Test
  void theRetriesOfRobotsTxtNameTheOriginFetchedNotTheDefaultSite() throws Exception {
    int port = closedPort();
    Path src = oneUrl();

    Cli.Result r = Cli.run("scrape", "--source", src.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", "http://127.0.0.1:" + port,
        "--max-attempts", "3", "--backoff", "1ms", "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(75);
    assertThat(events.list).filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(3)
        .allSatisfy(m -> assertThat(m).startsWith("GET http://127.0.0.1:" + port + "/robots.txt:")
            .doesNotContain("dic.pixiv.net"));
  }
}

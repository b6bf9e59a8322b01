package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site-wide maintenance window is temporary, whatever the notice carries: a run where every
 * page is a maintenance notice asks to be retried later (75), not to fix the parser (65).
 */
class MaintenanceNoticeRunTest {

  @TempDir Path dir;
  private FakeSite site;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
  }

  @AfterEach
  void stop() {
    site.close();
  }

  @Test
  void aNoticeSaidOnlyByItsTitleAndHeadingStopsTheRunAsTemporaryNotAsParseBreakage()
      throws IOException {
    // HTTP 200, no og:description: only the title and the heading say メンテナンス中.
    byte[] notice = Files.readAllBytes(
        ParseCommandTest.CORPUS.resolve("maintenance-title-only-200.html"));
    site.answering((path, nth) -> new FakeSite.Answer(200, notice));
    Path source = dir.resolve("urls.txt");
    Files.write(source, IntStream.range(0, 30)
        .mapToObj(i -> ArticleUrl.ofTitle("記事" + i).canonical()).toList());

    Cli.Result r = Cli.run("scrape", "--source", source.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(),
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "4", "--backoff", "10ms",
        "--progress", "none", "--drift-min-pages", "5");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TEMPORARY);
    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.path("stop_reason").asText()).isNotEqualTo("PARSE_BREAKAGE");
    assertThat(report.path("items").path("by_outcome").path("MAINTENANCE").asLong()).isPositive();
    assertThat(report.path("items").path("by_outcome").path("UNRECOGNIZED").asLong()).isZero();
  }
}

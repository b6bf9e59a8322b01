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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site whose robots.txt disallows the articles a run is given: the run is no success that
 * stores nothing, but stops as blocked by the site (75), naming robots.txt; a few disallowed
 * pages among many had are the site's choice for those pages (0), counted apart.
 */
class RobotsRefusalRunTest {

  private final FakeSite site = FakeSite.open();
  @TempDir Path dir;

  @AfterEach
  void closeTheSite() {
    site.close();
  }

  private Cli.Result scrape(int items) throws IOException {
    Path source = dir.resolve("urls.txt");
    Files.write(source, IntStream.range(0, items)
        .mapToObj(i -> ArticleUrl.ofTitle("whole-f" + i).canonical()).toList());
    return Cli.run("scrape", "--source", source.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(),
        "--origin", site.origin(), "--qps", "1000", "--backoff", "10ms", "--progress", "none");
  }

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(dir.resolve("report.json").toFile());
  }

  @Test
  void aRobotsTxtThatDisallowsEveryArticleStopsTheRunAsBlockedNamingRobotsTxt()
      throws IOException {
    site.robots("User-agent: *\nDisallow: /a/\n");

    Cli.Result r = scrape(30);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TEMPORARY);
    // URLs in the site's form, as every log line names them.
    assertThat(r.err()).contains("FAILURE  robots.txt of the site"
        + " (https://dic.pixiv.net/robots.txt) disallows these pages")
        .contains("(the first: /a/whole-f")
        .contains("PIXIV_RESULT").contains("\"exit_code\":75");
    assertThat(site.articleRequests.get()).isZero();
    JsonNode report = report();
    assertThat(report.path("stop_reason").asText()).isEqualTo("BLOCKED");
    assertThat(report.path("exit_code").asInt()).isEqualTo(75);
    long refused = report.path("items").path("refused_by_robots").asLong();
    assertThat(refused).isPositive()
        .isEqualTo(report.path("items").path("failed").asLong());
    assertThat(r.err()).contains("failed " + refused + " (" + refused + " refused by robots.txt)");
  }

  @Test
  void aRobotsTxtThatDisallowsTheFewArticlesOfASmallRunStopsItToo() throws IOException {
    site.robots("User-agent: *\nDisallow: /a/\n");

    Cli.Result r = scrape(2);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(r.err()).contains("disallows these pages: 2 items refused, none fetched");
    assertThat(report().path("items").path("refused_by_robots").asLong()).isEqualTo(2);
  }

  @Test
  void aFewDisallowedArticlesAmongManyHadEndTheRunWithZeroCountedApart() throws IOException {
    site.robots("User-agent: *\nDisallow: /a/whole-f1\n");

    // whole-f1 and whole-f10 to whole-f19: 11 of 60 refused, the others stored.
    Cli.Result r = scrape(60);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode report = report();
    assertThat(report.path("stop_reason").asText()).isEqualTo("COMPLETED");
    assertThat(report.path("items").path("refused_by_robots").asLong()).isEqualTo(11);
    assertThat(report.path("items").path("failed").asLong()).isEqualTo(11);
    assertThat(report.path("rows").path("written").asLong()).isEqualTo(49);
    assertThat(r.err()).doesNotContain("FAILURE").contains("11 refused by robots.txt");
  }
}

package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.RowJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start's first command: the main job against a loopback copy of the site. */
class DemoCommandTest {

  @TempDir Path dir;

  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(dir.resolve("report.json").toFile());
  }

  @Test
  void scrapesEveryCorpusArticleThroughInjectedFaultsThenFetchesNothingTheSecondTime()
      throws IOException {
    List<String> expected = DemoSite.storedUrls(DemoSite.loadCorpus());

    Cli.Result first = Cli.run("demo", "--out", dir.toString());

    assertThat(first.code()).as(first.err()).isZero();
    List<ArticleRow> rows = Files.readAllLines(dir.resolve("pixiv_detail_info.ndjson")).stream()
        .map(RowJson::read).toList();
    assertThat(rows).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(rows).anyMatch(r -> r.status() == Outcome.NOT_FOUND);
    assertThat(rows).allMatch(r -> "demo".equals(r.middleClassIpName()));
    assertThat(report().at("/fetch/retries").asLong()).as("the injected faults were retried")
        .isGreaterThanOrEqualTo(3);
    assertThat(first.err()).contains("./pixiv scrape --source");
    // The summary's low-coverage line is explained by the demo pages, column by column.
    List<String> low = new java.util.ArrayList<>();
    report().path("coverage").properties().forEach(e -> {
      if (e.getValue().asDouble() < 0.5) {
        low.add(e.getKey());
      }
    });
    assertThat(low).isNotEmpty();
    assertThat(first.err()).contains("coverage below 50%",
        "the low coverage above comes from the demo pages, not from the parser", "DOM-only pages");
    low.forEach(column -> assertThat(first.err()).containsPattern("\\n  " + column + " +is "));
    assertThat(first.err()).contains("article_id     is only in the page's embedded JSON");

    Cli.Result second = Cli.run("demo", "--out", dir.toString());

    assertThat(second.code()).isZero();
    assertThat(report().at("/fetch/requests").asLong()).isZero();
    assertThat(Files.readAllLines(dir.resolve("pixiv_detail_info.ndjson"))).hasSize(rows.size());

    Cli.Result fresh = Cli.run("demo", "--out", dir.toString(), "--fresh");
    assertThat(fresh.code()).isZero();
    assertThat(report().at("/items/processed").asLong()).isEqualTo(expected.size());
  }
}

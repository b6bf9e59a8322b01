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
    long withId = rows.stream().filter(r -> r.articleId() != null).count();
    long articles = rows.stream().filter(r -> r.status() == Outcome.ARTICLE).count();
    assertThat(first.err()).as("the count agrees with the article_id column")
        .contains(withId + " of the " + articles + " demo articles embed their own entry");

    Cli.Result second = Cli.run("demo", "--out", dir.toString());

    assertThat(second.code()).isZero();
    assertThat(report().at("/fetch/requests").asLong()).isZero();
    assertThat(Files.readAllLines(dir.resolve("pixiv_detail_info.ndjson"))).hasSize(rows.size());

    Cli.Result fresh = Cli.run("demo", "--out", dir.toString(), "--fresh");
    assertThat(fresh.code()).isZero();
    assertThat(report().at("/items/processed").asLong()).isEqualTo(expected.size());
  }
  @Test
  void aDirectoryHoldingRowsTheDemoDidNotWriteIsRefusedAndLeftAsItIs() throws IOException {
    // `pixiv demo --out out --fresh`: out/ holds the default sink and report of real runs.
    String realRow = "{\"url\":\"https://dic.pixiv.net/a/PRECIOUS\",\"title\":\"x\","
        + "\"loaded_at\":\"2026-01-01T00:00:00Z\"}\n";
    Path rows = Files.writeString(dir.resolve("pixiv_detail_info.ndjson"), realRow);
    Path list = Files.writeString(dir.resolve("urls.csv"), "url\nhttps://dic.pixiv.net/a/A\n");

    Cli.Result fresh = Cli.run("demo", "--out", dir.toString(), "--fresh");
    Cli.Result plain = Cli.run("demo", "--out", dir.toString());

    for (Cli.Result r : List.of(fresh, plain)) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--out " + dir + " holds pixiv_detail_info.ndjson, urls.csv"
          + " that the demo did not write; they were left unchanged");
    }
    assertThat(rows).hasContent(realRow.strip());
    assertThat(list).hasContent("url\nhttps://dic.pixiv.net/a/A");
    assertThat(dir.resolve(DemoCommand.MARK)).doesNotExist();
  }

  /** `pixiv demo --out /` or `--out ~` put the demo's files among the user's. */
  @Test
  void aDirectoryOfOtherFilesIsNotTheDemosAndGetsNoneOfItsFiles() throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");

    Cli.Result r = Cli.run("demo", "--out", dir.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    // One whole sentence that says what to do; it ended "(notes.txt, ...); ... own. Name ...".
    assertThat(r.err()).contains("--out " + dir + " holds notes.txt, which the demo did not"
        + " write, and the demo writes only in a directory of its own; name a new or empty"
        + " directory with --out (by default out/demo)" + System.lineSeparator());
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(notes);
    }
    assertThat(notes).hasContent("mine");

    Path more = Files.writeString(dir.resolve("more.txt"), "mine too");
    Cli.Result two = Cli.run("demo", "--out", dir.toString());

    assertThat(two.code()).as(two.err()).isEqualTo(2);
    assertThat(two.err()).containsPattern("--out " + java.util.regex.Pattern.quote(dir.toString())
        + " holds (notes|more)\\.txt and other files that the demo did not write, and the demo"
        + " writes only in a directory of its own; name a new or empty directory with --out \\(by"
        + " default out/demo\\)");
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactlyInAnyOrder(notes, more);
    }
  }

  @Test
  void anOutThatIsAFileOrCannotBeADirectoryExits2() throws IOException {
    Path file = Files.writeString(dir.resolve("page.html"), "<html>");

    Cli.Result onFile = Cli.run("demo", "--out", file.toString());
    Cli.Result below = Cli.run("demo", "--out", file.resolve("demo").toString());

    assertThat(onFile.code()).as(onFile.err()).isEqualTo(2);
    assertThat(onFile.err()).contains("--out " + file + ": not a directory");
    assertThat(below.code()).as(below.err()).isEqualTo(2);
    assertThat(file).hasContent("<html>");
  }

  @Test
  void theOutputOfAnEarlierDemoWithoutTheMarkIsStillTheDemos() throws IOException {
    List<String> urls = DemoSite.storedUrls(DemoSite.loadCorpus());
    List<String> list = new java.util.ArrayList<>(List.of("url,middle_class_ip_name"));
    urls.forEach(u -> list.add(u + ",demo"));
    Files.write(dir.resolve("urls.csv"), list);

    Cli.Result r = Cli.run("demo", "--out", dir.toString(), "--fresh");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(dir.resolve(DemoCommand.MARK)).exists();
  }
}

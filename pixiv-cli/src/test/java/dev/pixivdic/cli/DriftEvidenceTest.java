package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.internal.RowJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift is judged on evidence: sparse shards of ordinary pages pass, real breakage stops. */
class DriftEvidenceTest {

  @TempDir Path dir;
  private FakeSite site;

  /** The full article page without its comment counter, or without its works counter. */
  static byte[] without(String counter) {
    String page = new String(FakeSite.ARTICLE, StandardCharsets.UTF_8);
    String cut = page.replaceFirst("<li title=\"" + counter + "\"[^>]*>.*?</li>", "");
    assertThat(cut).isNotEqualTo(page);
    return cut.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void start() throws Exception {
    site = new FakeSite();
  }

  @AfterEach
  void stop() {
    site.close();
  }

  private Cli.Result scrape(Path src, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("scrape", "--source", src.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--origin", site.origin(),
        "--qps", "1000", "--backoff", "10ms", "--progress", "none"));
    a.addAll(List.of(more));
    return Cli.run(a.toArray(String[]::new));
  }

  @Test
  void aFortyShardRunOverAFewDozenUrlsWithArticlesLackingCountersCompletes() throws Exception {
    byte[] noComments = without("コメント数");
    byte[] noWorks = without("作品数");
    site.answering((path, nth) -> new FakeSite.Answer(200,
        Math.floorMod(path.hashCode(), 4) == 0 ? noComments
            : Math.floorMod(path.hashCode(), 4) == 1 ? noWorks : FakeSite.ARTICLE));
    Path src = dir.resolve("urls.txt");
    Files.write(src, ScrapeCommandTest.urls(30));

    for (int retry = 0; retry < 2; retry++) {
      for (int i = 0; i < 40; i++) {
        Cli.Result r = scrape(src, "--shard", i + "/40");
        assertThat(r.code()).as("shard " + i + ": " + r.err()).isZero();
      }
    }

    assertThat(Files.readAllLines(dir.resolve("rows.ndjson"))).hasSize(30)
        .extracting(l -> RowJson.read(l).url()).doesNotHaveDuplicates();
    assertThat(site.articleRequests.get()).isEqualTo(30);
  }

  @Test
  void aRunWhereTheMarkupReallyChangedStillStopsBeforeWriting() throws Exception {
    site.answering((path, nth) -> new FakeSite.Answer(200, without("コメント数")));
    Path src = dir.resolve("urls.txt");
    Files.write(src, ScrapeCommandTest.urls(30));

    Cli.Result r = scrape(src);

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(r.err()).contains("comment_count");
    Path rows = dir.resolve("rows.ndjson");
    assertThat(!Files.exists(rows) || Files.size(rows) == 0).isTrue();

    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.UNRELATED));
    Cli.Result unrecognised = scrape(src);
    assertThat(unrecognised.code()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
  }
}

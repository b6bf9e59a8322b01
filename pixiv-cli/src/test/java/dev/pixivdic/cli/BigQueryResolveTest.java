package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.bigquery.testing.BigQueryStandIn;
import dev.pixivdic.core.ArticleUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pixiv resolve --names bq:... --sink bq:...}, then {@code pixiv scrape} reading the
 * resolution table, end to end against a loopback search site and a loopback BigQuery.
 */
class BigQueryResolveTest {

  private static final String NAMES = "my-project.pixiv.ip_master";
  private static final String RESOLVED = "my-project.pixiv.pixiv_search_middle_class_ip_name_url";
  private static final String DETAILS = "my-project.pixiv.pixiv_detail_info";

  private SearchSite site;
  private BigQueryStandIn bq;

  @BeforeEach
  void start() throws IOException {
    site = new SearchSite();
    bq = BigQueryStandIn.start();
    List<Map<String, String>> data = new ArrayList<>();
    data.add(name("初音ミク", "music"));
    data.add(name("  東方Project\t", "game"));
    data.add(name("初音", "music"));
    data.add(name("NARUTO", "manga"));
    data.add(name("初音ミク", "again"));
    data.add(name("   ", "blank"));
    data.add(name(null, "null"));
    bq.seed(NAMES, data);
  }

  private static Map<String, String> name(String name, String category) {
    Map<String, String> row = new HashMap<>();
    row.put("middle_class_ip_name", name);
    row.put("category", category);
    return row;
  }

  @AfterEach
  void stop() {
    site.close();
    bq.close();
  }

  private Cli.Result resolve(String... more) {
    List<String> args = new ArrayList<>(List.of("resolve", "--names", "bq:" + NAMES,
        "--sink", "bq:" + RESOLVED, "--pass-through", "category",
        "--bigquery-endpoint", bq.endpoint().toString(), "--location", "US",
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "2", "--backoff", "10ms",
        "--progress", "none", "--drift-min-pages", "5"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static String url(String title) {
    return ArticleUrl.ofTitle(title).canonical();
  }

  private Map<String, List<String>> urlsByName() {
    return bq.rows(RESOLVED).stream().collect(Collectors.groupingBy(
        r -> (String) r.get("middle_class_ip_name"),
        Collectors.mapping(r -> r.get("url") == null ? "NO_MATCH" : (String) r.get("url"),
            Collectors.toList())));
  }

  @Test
  void resolvesNamesOfATableIntoAResolutionTableThatScrapeReadsAsItsSource() {
    Cli.Result first = resolve();

    assertThat(first.code()).as(first.err()).isZero();
    Map<String, List<String>> byName = urlsByName();
    assertThat(byName).containsOnlyKeys("初音ミク", "東方Project", "初音", "NARUTO");
    assertThat(byName.get("初音ミク")).containsExactly(url("初音ミク"));
    assertThat(byName.get("東方Project")).containsExactly(url("東方Project"));
    assertThat(byName.get("初音")).containsExactly("NO_MATCH");
    // NARUTO, as the name is written, wins over ＮＡＲＵＴＯ on the same page.
    assertThat(byName.get("NARUTO")).containsExactly(url("NARUTO"));
    assertThat(bq.rows(RESOLVED)).filteredOn(r -> "初音ミク".equals(r.get("middle_class_ip_name")))
        .singleElement().satisfies(r -> {
          assertThat(r.get("category")).isIn("music", "again");
          assertThat(r.get("status")).isEqualTo("MATCHED");
          assertThat(r.get("update")).isInstanceOf(java.time.Instant.class);
        });
    assertThat(site.searches).doesNotContain("#1")
        .noneMatch(s -> s.isBlank() || s.startsWith("null"));
    JsonNode table = bq.table(RESOLVED).orElseThrow();
    assertThat(table.path("timePartitioning").path("field").asText()).isEqualTo("update");
    assertThat(table.path("timePartitioning").path("type").asText()).isEqualTo("DAY");
    assertThat(table.path("clustering").path("fields").toString())
        .isEqualTo("[\"middle_class_ip_name\"]");
    int rows = bq.rows(RESOLVED).size();
    site.searches.clear();

    Cli.Result again = resolve();

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.searches).as("resolved names are not searched again").isEmpty();
    assertThat(bq.rows(RESOLVED)).hasSize(rows);
    assertThat(bq.statements()).anyMatch(q -> q.sql().contains("NOT EXISTS")
        && q.sql().contains("ip_master"));

    Cli.Result scraped = Cli.run("scrape", "--source", "bq:" + RESOLVED, "--sink", "bq:" + DETAILS,
        "--bigquery-endpoint", bq.endpoint().toString(), "--location", "US",
        "--origin", site.origin(),
        "--qps", "1000", "--concurrency", "2", "--backoff", "10ms", "--progress", "none",
        "--drift-min-pages", "3");

    assertThat(scraped.code()).as(scraped.err()).isZero();
    List<Map<String, Object>> details = bq.rows(DETAILS);
    assertThat(details).extracting(r -> r.get("url")).containsExactlyInAnyOrder(
        url("初音ミク"), url("東方Project"), url("NARUTO"));
    assertThat(details).filteredOn(r -> url("NARUTO").equals(r.get("url")))
        .singleElement().satisfies(r ->
            assertThat(r.get("middle_class_ip_name")).isEqualTo("NARUTO"));
    assertThat(site.articles).hasSize(3);
  }

  @Test
  void namesOfATableNoSearchCanBeMadeForAreCountedAsBadLinesInTheReport(@TempDir Path dir)
      throws IOException {
    bq.seed(NAMES, List.of(name("初音\tミク", "tab"), name("\u200B\u2060", "invisible"),
        name("初音ミク", "music")));
    Path report = dir.resolve("report.json");

    Cli.Result r = resolve("--report", report.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(site.searches).noneMatch(s -> s.contains("\t") || s.startsWith("\u200B"));
    JsonNode source = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile())
        .path("source");
    assertThat(source.path("bad_lines").asLong()).as(source.toString()).isEqualTo(2);
    assertThat(r.err()).contains("2 bad lines skipped (the log names the first 20)");
  }

  @Test
  void aNamesFileIntoAResolutionTableSkipsTheNamesTheTableHoldsOnAReRun(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("names.txt");
    Files.write(file, List.of("初音ミク", "  初音  "));
    List<String> args = List.of("resolve", "--names", file.toString(), "--sink", "bq:" + RESOLVED,
        "--bigquery-endpoint", bq.endpoint().toString(), "--location", "US",
        "--origin", site.origin(),
        "--qps", "1000", "--concurrency", "2", "--backoff", "10ms", "--progress", "none",
        "--drift-min-pages", "5");
    assertThat(Cli.run(args.toArray(String[]::new)).code()).isZero();
    assertThat(urlsByName()).containsOnlyKeys("初音ミク", "初音");
    site.searches.clear();
    Files.write(file, List.of("初音ミク", "初音", "NARUTO"));

    Cli.Result again = Cli.run(args.toArray(String[]::new));

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.searches).containsExactly("NARUTO#1");
    assertThat(bq.statements()).anyMatch(q -> q.sql().contains(RESOLVED)
        && q.parameterTypes().containsKey("since"));
  }

  @Test
  void aNamesFileColumnBigQueryCannotNameEndsTheRunWithExit2NamingIt(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("names.csv");
    Files.write(file, List.of("middle_class_ip_name,ジャンル", "初音ミク,music"));

    Cli.Result r = Cli.run("resolve", "--names", file.toString(), "--sink", "bq:" + RESOLVED,
        "--bigquery-endpoint", bq.endpoint().toString(), "--location", "US",
        "--origin", site.origin(),
        "--qps", "1000", "--progress", "none", "--drift-min-pages", "1");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("ジャンル");
    assertThat(bq.rows(RESOLVED)).isEmpty();
  }

  @Test
  void aZeroRefreshWindowSearchesEveryNameAgain() {
    assertThat(resolve().code()).isZero();
    site.searches.clear();

    Cli.Result again = resolve("--refresh-after", "0s");

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.searches).contains("初音ミク#1", "東方Project#1", "初音#1", "NARUTO#1");
  }

  @Test
  void shardsOfANamesTableAreDisjointAndComplete() {
    for (int i = 0; i < 3; i++) {
      Cli.Result r = resolve("--shard", i + "/3");
      assertThat(r.code()).as(r.err()).isZero();
    }
    assertThat(urlsByName()).containsOnlyKeys("初音ミク", "東方Project", "初音", "NARUTO");
    assertThat(site.searches).filteredOn(s -> s.startsWith("初音ミク#")).hasSize(1);
  }

  @Test
  void aMissingNamesTableIsAConfigurationErrorNamingIt() {
    Cli.Result r = Cli.run("resolve", "--names", "bq:my-project.pixiv.nope", "--sink",
        "bq:" + RESOLVED, "--bigquery-endpoint", bq.endpoint().toString(), "--location", "US",
        "--origin", site.origin(), "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("nope");
    assertThat(site.searches).isEmpty();
  }

  @Test
  void badTableNamesAndColumnsAreUsageErrorsNamingTheOption() {
    Cli.Result table = Cli.run("resolve", "--names", "bq:" + NAMES, "--sink", "bq:not-a-table",
        "--bigquery-endpoint", bq.endpoint().toString());
    assertThat(table.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(table.err()).contains("--sink").contains("bq:not-a-table");

    Cli.Result column = resolve("--column", "name; DROP TABLE x");
    assertThat(column.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(column.err()).contains("--column").contains("name; DROP TABLE x");

    Cli.Result pass = resolve("--pass-through", "url");
    assertThat(pass.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(pass.err()).contains("--pass-through").contains("'url'");
    assertThat(site.searches).isEmpty();
  }

  @Test
  void resolveHelpShowsOnlyTheBigQueryOptionsItUses() {
    Cli.Result help = Cli.run("resolve", "--help");

    assertThat(help.out()).contains("--project", "--location", "--bigquery-endpoint",
        "--max-bytes-billed", "--pass-through");
    assertThat(help.out()).doesNotContain("--url-column", "--sink-mode");
    assertThat(Cli.run("scrape", "--help").out()).contains("--url-column", "--sink-mode",
        "--pass-through", "--project", "--max-bytes-billed");
  }
}

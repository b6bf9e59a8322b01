package dev.pixivdic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.internal.RowJson;
import dev.pixivdic.core.resolve.ResolutionRow.Status;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.ResolutionJson;
import dev.pixivdic.core.run.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolveCommandTest {

  /** Every name of the search corpus but the blocked one. */
  static final List<String> NAMES = List.of("初音ミク", "東方Project", "初音", "ﾗﾌﾞﾗｲﾌﾞ", "ＡＢＣ",
      "NARUTO", "Re:ゼロから始める異世界生活 -Starting Life-", "ラブライブ!", "ぬるぽぬるぽ");

  @TempDir Path dir;
  private SearchSite site;

  @BeforeEach
  void start() throws IOException {
    site = new SearchSite();
  }

  @AfterEach
  void stop() {
    site.close();
  }

  private Path names(List<String> lines) throws IOException {
    Path f = dir.resolve("names.txt");
    Files.write(f, lines);
    return f;
  }

  private Path sink() {
    return dir.resolve("resolved.ndjson");
  }

  private Cli.Result resolve(Path names, String... more) {
    List<String> args = new ArrayList<>(List.of("resolve", "--names", names.toString(),
        "--sink", sink().toString(), "--report", dir.resolve("report.json").toString(),
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "2", "--backoff", "10ms",
        "--progress", "none", "--drift-min-pages", "5"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private List<ResolutionRow> rows() throws IOException {
    return Files.exists(sink())
        ? Files.readAllLines(sink()).stream().map(ResolutionJson::read).toList() : List.of();
  }

  private Map<String, List<String>> urlsByName() throws IOException {
    return rows().stream().collect(Collectors.groupingBy(ResolutionRow::middleClassIpName,
        Collectors.mapping(r -> r.url() == null ? "NO_MATCH" : r.url(), Collectors.toList())));
  }

  private static String url(String title) {
    return ArticleUrl.ofTitle(title).canonical();
  }
  /** The advice names resolve's option too: resolve has no --source-format. */
  @Test
  void aNamesFileOfWhichNoLineCanBeReadNamesTheNamesFormatOption() throws IOException {
    Path names = dir.resolve("names.ndjson");
    Files.writeString(names, "初音ミク\nVOCALOID\n");

    Cli.Result r = resolve(names, "--names-format", "ndjson");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("not one of its records could be read", "--names-format");
    assertThat(site.searches).isEmpty();
  }


  private JsonNode report() throws IOException {
    return new ObjectMapper().readTree(dir.resolve("report.json").toFile());
  }

  @Test
  void resolvesEveryNameOfTheCorpusAsDocumented() throws IOException {
    Cli.Result r = resolve(names(NAMES));

    assertThat(r.code()).as(r.err()).isZero();
    Map<String, List<String>> byName = urlsByName();
    assertThat(byName).containsOnlyKeys(NAMES);
    assertThat(byName.get("初音ミク")).containsExactly(url("初音ミク"));
    assertThat(byName.get("東方Project")).containsExactly(url("東方Project"));
    assertThat(byName.get("初音")).containsExactly("NO_MATCH");
    assertThat(byName.get("ﾗﾌﾞﾗｲﾌﾞ")).containsExactly(url("ラブライブ"));
    assertThat(byName.get("ＡＢＣ")).containsExactly(url("abc"));
    // The title as the name is written wins over another width of it on the same page.
    assertThat(byName.get("NARUTO")).containsExactly(url("NARUTO"));
    assertThat(byName.get("Re:ゼロから始める異世界生活 -Starting Life-"))
        .containsExactly(url("Re:ゼロから始める異世界生活"));
    assertThat(byName.get("ラブライブ!")).containsExactly("NO_MATCH");
    assertThat(byName.get("ぬるぽぬるぽ")).containsExactly("NO_MATCH");
    assertThat(rows()).filteredOn(row -> row.middleClassIpName().equals("ぬるぽぬるぽ"))
        .singleElement().satisfies(row -> {
          assertThat(row.status()).isEqualTo(Status.NO_MATCH);
          assertThat(row.searchHitNum()).isZero();
        });
    assertThat(site.searches).hasSize(NAMES.size() + 1);
    assertThat(report().path("command").asText()).isEqualTo("resolve");
    assertThat(r.err()).contains("resolve ").contains("ARTICLE 6").contains("NOT_FOUND 3");
  }

  @Test
  void aSearchPageThatFailsWaitsInTheQueueAndGoesOnFromThatPageWhileOtherNamesAreSearched()
      throws IOException {
    site.failingOnce("東方Project", 2);
    List<String> names = List.of("東方Project", "初音ミク", "NARUTO", "初音");

    // The longest backoff there is: only a retry handed back to the run ends the test soon.
    Cli.Result r = resolve(names(names), "--concurrency", "1", "--backoff", "1m");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(site.searches).containsExactly("東方Project#1", "東方Project#2", "初音ミク#1",
        "NARUTO#1", "初音#1", "東方Project#2");
    assertThat(rows()).filteredOn(row -> row.middleClassIpName().equals("東方Project"))
        .singleElement().satisfies(row -> {
          assertThat(row.url()).isEqualTo(url("東方Project"));
          assertThat(row.pagesSearched()).isEqualTo(2);
        });
    assertThat(report().path("fetch").path("retries").asLong()).isEqualTo(1);
  }

  @Test
  void aReRunSendsNoRequestForResolvedNamesAndSearchesOnlyNewOnes() throws IOException {
    assertThat(resolve(names(List.of("初音ミク", "初音"))).code()).isZero();
    site.searches.clear();

    Cli.Result again = resolve(names(List.of("初音ミク", "初音", "NARUTO")));

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.searches).containsExactly("NARUTO#1");
    assertThat(report().path("items").path("skipped_already_stored").asLong()).isEqualTo(2);
    assertThat(rows()).hasSize(3);
  }

  @Test
  void aReRunOfTheSameNamesSendsNoSearchAtAll() throws IOException {
    assertThat(resolve(names(NAMES)).code()).isZero();
    int rowsBefore = rows().size();
    site.searches.clear();

    Cli.Result again = resolve(names(NAMES));

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(site.searches).isEmpty();
    assertThat(rows()).hasSize(rowsBefore);
    assertThat(report().path("items").path("skipped_already_stored").asLong())
        .isEqualTo(NAMES.size());
  }

  @Test
  void aNoMatchNameIsSearchedAgainOnceTheRefreshWindowPassed() throws IOException {
    assertThat(resolve(names(List.of("初音"))).code()).isZero();
    site.searches.clear();

    assertThat(resolve(names(List.of("初音")), "--refresh-after", "0s").code()).isZero();

    assertThat(site.searches).containsExactly("初音#1");
  }

  @Test
  void maxPagesBoundsThePaging() throws IOException {
    Cli.Result r = resolve(names(List.of("東方Project")), "--max-pages", "1");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(site.searches).containsExactly("東方Project#1");
    assertThat(rows()).singleElement().satisfies(row -> {
      assertThat(row.status()).isEqualTo(Status.NO_MATCH);
      assertThat(row.searchHitNum()).isEqualTo(14L);
    });
  }

  @Test
  void challengePagesTripTheBreakerWithExit75AndStoreNothing() throws IOException {
    site.challengingEverything();

    // One attempt a page: a retried challenge would wait in the queue while the next names go.
    Cli.Result r = resolve(names(List.of("a", "b", "c", "d", "e", "f")), "--blocked-limit", "2",
        "--concurrency", "1", "--max-attempts", "1");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(rows()).isEmpty();
    assertThat(site.searches.stream().distinct()).containsExactly("a#1", "b#1");
    assertThat(r.err()).contains("BLOCKED");
  }

  /**
   * A wrong origin or path answers every search with its own 404 page, no search page of the
   * site: as for scrape, the run ends as "retry later" naming the origin, not as parse breakage,
   * and stores nothing that the run with the right origin would skip.
   */
  @Test
  void anOriginThatAnswersEverySearchWithAPlain404EndsWith75NamingIt() throws IOException {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add("name " + i);
    }
    site.answeringEverything(404, "<html><head><title>404 Not Found</title></head><body>"
        + "<h1>Not Found</h1></body></html>");

    Cli.Result r = resolve(names(many));

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(r.err()).contains("25 pages answered 'not found' and none was an article",
        "(a wrong origin or path?)", "from " + site.origin()).doesNotContain("parse breakage");
    assertThat(rows()).isEmpty();
    assertThat(report().path("stop_reason").asText()).isEqualTo("SITE_UNREACHABLE");
  }

  @Test
  void aBlankColumnIsAUsageErrorNotAnInternalOne() throws IOException {
    Path csv = dir.resolve("ips.csv");
    Files.writeString(csv, "genre,title\nmusic,初音ミク\n");

    for (String blank : List.of("", "   ")) {
      Cli.Result r = resolve(csv, "--column", blank);

      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).contains("--column: column must not be blank")
          .doesNotContain("internal error");
    }
    assertThat(site.searches).isEmpty();
  }

  @Test
  void aSinkThatIsTheNamesFileIsRefusedWithoutNamingScrapesDefault() throws IOException {
    Path names = dir.resolve("names.txt");
    Files.writeString(names, "初音ミク\n");

    Cli.Result r = Cli.run("resolve", "--names", names.toString(), "--sink", names.toString(),
        "--origin", site.origin());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("is the --names file").doesNotContain("pixiv_detail_info");
    assertThat(names).hasContent("初音ミク");
  }

  @Test
  void aTableNameInCapitalsAsTheSinkIsRefusedNotWrittenAsALocalFile() throws IOException {
    Path names = dir.resolve("names.txt");
    Files.writeString(names, "初音ミク\n");

    Cli.Result r = Cli.run("resolve", "--names", names.toString(), "--sink",
        "BQ:my-project.ds.resolved", "--origin", site.origin());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("bq:PROJECT.DATASET.TABLE, in lower case");
    assertThat(Path.of("BQ:my-project.ds.resolved")).doesNotExist();
    assertThat(site.searches).isEmpty();
  }

  @Test
  void csvNamesTakeTheColumnAndPassOtherColumnsThrough() throws IOException {
    Path csv = dir.resolve("ips.csv");
    Files.writeString(csv, "genre,title\nmusic,初音ミク\n");

    Cli.Result r = resolve(csv, "--column", "title");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).singleElement().satisfies(row -> {
      assertThat(row.middleClassIpName()).isEqualTo("初音ミク");
      assertThat(row.passThrough()).containsExactly(Map.entry("genre", "music"));
    });
  }

  @Test
  void fromANamesFileToScrapedRowsInTwoCommands() throws IOException {
    Cli.Result resolved = resolve(names(NAMES));
    assertThat(resolved.code()).as(resolved.err()).isZero();
    Path details = dir.resolve("details.ndjson");

    Cli.Result scraped = Cli.run("scrape", "--source", sink().toString(), "--sink",
        details.toString(), "--origin", site.origin(), "--qps", "1000", "--concurrency", "2",
        "--backoff", "10ms", "--progress", "none", "--drift-min-pages", "5");

    assertThat(scraped.code()).as(scraped.err()).isZero();
    assertThat(scraped.err()).doesNotContain("bad source line");
    List<ArticleRow> rows = Files.readAllLines(details).stream().map(RowJson::read).toList();
    assertThat(rows).extracting(ArticleRow::url).containsExactlyInAnyOrder(url("初音ミク"),
        url("東方Project"), url("ラブライブ"), url("abc"), url("NARUTO"),
        url("Re:ゼロから始める異世界生活"));
    assertThat(rows).filteredOn(row -> row.url().equals(url("NARUTO"))).singleElement()
        .satisfies(row -> {
          assertThat(row.middleClassIpName()).isEqualTo("NARUTO");
          assertThat(row.passThrough()).containsEntry("pixiv_search_result_ip", "NARUTO");
          assertThat(RowJson.write(row).split("\"run_id\"", -1)).hasSize(2);
        });
    assertThat(site.articles).hasSize(6);
  }

  @Test
  void aStripPatternStripsOnlyAtTheEndOfTheName() throws IOException {
    // Unanchored, 'ミク' stripped the first ミク too, and 初音 was searched for this name.
    resolve(names(List.of("ミク初音ミク")), "--strip-pattern", "ミク", "--max-attempts", "1");

    assertThat(site.searches).containsExactly("ミク初音#1");
  }

  @Test
  void aStripPatternThatBacktracksWithoutBoundFailsThatNameAloneAndTheRunEndsWith2()
      throws IOException {
    // Before, the run exited 0: a weekly resolve with such a rule failed its names week after
    // week as a success (and one that failed every name stored nothing).
    String slow = "a".repeat(40) + "!";

    Cli.Result r = resolve(names(List.of(slow, "初音ミク")), "--strip-pattern", "(.*a){20}$");

    assertThat(r.code()).as("the rule is at fault, and no retry changes that: %s", r.err())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("the strip rules read more than 200000000 characters (about a"
        + " second of matching) over the name '" + slow + "' (at rule '(.*a){20}$'");
    String why = "the strip rules could not be applied to 1 name (named in the problems): the"
        + " rules are at fault, and no retry changes that; make them simpler";
    assertThat(r.err()).contains(why).contains("\"exit_code\":2");
    assertThat(report().path("problems").get(0).asText()).isEqualTo(why);
    assertThat(report().path("exit_code").asInt()).isEqualTo(ExitCodes.USAGE);
    assertThat(site.searches).as("the other name is resolved").containsExactly("初音ミク#1");
    assertThat(urlsByName()).containsOnlyKeys("初音ミク");
    assertThat(report().path("items").path("failed_for_good").asLong()).isEqualTo(1);
  }

  @Test
  void theStripRulesLineLeadsProblemsThatStayWithinTheReportsLimit() throws IOException {
    // Each name runs the rule out of stack at once; 60 failed names filled the 50 problems,
    // and the rules' line put before them made 51.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      many.add("a".repeat(8000) + "x" + i);
    }

    Cli.Result r = resolve(names(many), "--strip-pattern", "(a|b)+x[0-9]+$");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    JsonNode problems = report().path("problems");
    assertThat(problems.get(0).asText())
        .startsWith("the strip rules could not be applied to 60 names");
    assertThat(problems.size()).isEqualTo(RunReport.MAX_PROBLEMS);
    assertThat(site.searches).isEmpty();
  }

  @Test
  void aStripPatternThatFailsEveryNameEndsWith2AndSearchesNothing() throws IOException {
    Cli.Result r = resolve(names(List.of("a".repeat(40) + "!", "a".repeat(41) + "!")),
        "--strip-pattern", "(.*a){20}$");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("the strip rules could not be applied to 2 names");
    assertThat(site.searches).isEmpty();
    assertThat(rows()).isEmpty();
  }

  @Test
  void aSinkNamedWithATrailingSlashIsRefusedAsADirectory() throws IOException {
    Cli.Result r = resolve(names(List.of("猫")), "--sink", dir.resolve("out") + "/");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--sink " + dir.resolve("out") + "/ ends with '/', '.' or '..'");
    assertThat(dir.resolve("out")).doesNotExist();
    assertThat(site.searches).isEmpty();
  }

  @Test
  void mistakesInTheCommandLineAreUsageErrorsNamingTheOption() throws IOException {
    Path names = names(List.of("猫"));

    assertThat(resolve(names, "--max-pages", "0").err())
        .contains("--max-pages must be from 1 to 100, was 0");
    Cli.Result badRegex = resolve(names, "--strip-pattern", "(");
    assertThat(badRegex.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badRegex.err()).contains("--strip-pattern '(' is not a regular expression");
    Cli.Result missing = resolve(dir.resolve("nope.txt"));
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("--names " + dir.resolve("nope.txt") + ": no such file");
    Cli.Result bq = Cli.run("resolve", "--names", "bq:not-a-table", "--sink", sink().toString());
    assertThat(bq.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bq.err()).contains("--names").contains("bq:not-a-table");
    assertThat(site.searches).isEmpty();
  }
}

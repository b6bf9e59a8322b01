package dev.pixivdic.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.internal.RowJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private FakeSite site;

  @BeforeEach
  void start() throws IOException {
    site = new FakeSite();
  }

  @AfterEach
  void stop() {
    site.close();
    ShardOptions.env = System::getenv;
  }

  static List<String> urls(int n) {
    return IntStream.range(0, n).mapToObj(i -> ArticleUrl.ofTitle("記事" + i).canonical()).toList();
  }

  private Path source(List<String> urls) throws IOException {
    Path f = dir.resolve("urls.txt");
    Files.write(f, urls);
    return f;
  }

  private Cli.Result scrape(Path source, String... more) {
    List<String> args = new ArrayList<>(List.of("scrape", "--source", source.toString(),
        "--sink", dir.resolve("rows.ndjson").toString(),
        "--report", dir.resolve("report.json").toString(),
        "--origin", site.origin(), "--qps", "1000", "--concurrency", "4", "--backoff", "10ms",
        "--progress", "none", "--drift-min-pages", "5"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private List<ArticleRow> rows() throws IOException {
    Path f = dir.resolve("rows.ndjson");
    return Files.exists(f) ? Files.readAllLines(f).stream().map(RowJson::read).toList() : List.of();
  }

  private JsonNode report() throws IOException {
    return JSON.readTree(dir.resolve("report.json").toFile());
  }

  @Test
  void anArticleTheSiteRedirectsToAnotherIsStoredUnderItsOwnUrlAndTheReportCountsIt()
      throws IOException {
    String renamed = ArticleUrl.ofTitle("旧名").canonical();
    site.answering((path, nth) -> path.equals("/a/%E6%97%A7%E5%90%8D")
        ? new FakeSite.Answer(301, new byte[0],
            Map.of("Location", "/a/%E6%9D%B1%E6%96%B9Project"))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));

    Cli.Result r = scrape(source(List.of(renamed, urls(1).get(0))));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrder(renamed,
        urls(1).get(0));
    assertThat(report().at("/fetch/redirected").asLong()).isEqualTo(1);
    assertThat(r.err()).contains("1 redirected");
  }

  /** The article page served at {@code /a/東方Project}, without the canonical link naming it. */
  private static byte[] targetPage() {
    String html = new String(FakeSite.ARTICLE, UTF_8);
    String canonical = "<link rel=\"canonical\" href=\""
        + ArticleUrl.ofTitle("東方Project").canonical() + "\">";
    assertThat(html).contains(canonical);
    return html.replace(canonical, "").getBytes(UTF_8);
  }

  /**
   * A site that moves {@code moved} for good (301) and {@code away} for now (302) to
   * {@code /a/東方Project}, and serves every other article.
   */
  private void redirecting(List<String> moved, List<String> away) {
    String target = "/a/%E6%9D%B1%E6%96%B9Project";
    List<String> permanent = moved.stream().map(u -> ArticleUrl.parse(u).uri().getRawPath())
        .toList();
    List<String> temporary = away.stream().map(u -> ArticleUrl.parse(u).uri().getRawPath())
        .toList();
    byte[] page = targetPage();
    site.answering((path, nth) -> permanent.contains(path)
        ? new FakeSite.Answer(301, new byte[0], Map.of("Location", target))
        : temporary.contains(path)
        ? new FakeSite.Answer(302, new byte[0], Map.of("Location", target))
        : path.equals(target) ? new FakeSite.Answer(200, page)
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
  }

  /**
   * A temporary redirect (a campaign, maintenance, a catch-all notice) answers for now with
   * another article's page: stored under the URL asked for, it would be a wrong row, and in a
   * merging table replace a good one. Only a permanent move stores the other article's values.
   */
  @Test
  void aTemporaryRedirectToAnotherArticleStoresNoRowOfItWhileAPermanentOneDoes()
      throws IOException {
    String renamed = ArticleUrl.ofTitle("旧名").canonical();
    String campaign = ArticleUrl.ofTitle("仮名").canonical();
    redirecting(List.of(renamed), List.of(campaign));

    Cli.Result r = scrape(source(List.of(renamed, campaign, urls(1).get(0))));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url, ArticleRow::title).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(renamed, "東方Project"),
        org.assertj.core.groups.Tuple.tuple(urls(1).get(0), "東方Project"));
    assertThat(report().at("/items/by_outcome/UNRECOGNIZED").asLong()).isZero();
    assertThat(report().at("/items/redirected_temporarily").asLong()).isEqualTo(1);
    assertThat(report().at("/fetch/redirected").asLong()).isEqualTo(2);
    assertThat(r.err()).contains(campaign + " redirected to "
        + ArticleUrl.ofTitle("東方Project").canonical() + " (302): not a permanent redirect");
  }

  /**
   * A site sending its articles for now to one notice (maintenance, a login wall, a campaign)
   * is no parse breakage (65, which fails the Job): the run ends 75 naming where the pages were
   * sent, stores none of them, and the next run fetches them again.
   */
  @Test
  void manyArticlesRedirectedForNowEndTheRun75NamingTheTargetAndTheNextRunFetchesThem()
      throws IOException {
    List<String> urls = urls(30);
    redirecting(List.of(), urls);

    Cli.Result r = scrape(source(urls));

    assertThat(r.code()).as(r.err()).isEqualTo(75);
    String target = ArticleUrl.ofTitle("東方Project").uri().toString();
    assertThat(r.err()).containsPattern("\\d+ pages redirected temporarily to "
        + java.util.regex.Pattern.quote(target) + ": the site is redirecting; retry later");
    JsonNode report = report();
    assertThat(report.at("/stop_reason").asText()).isEqualTo("BLOCKED");
    assertThat(report.at("/items/redirected_temporarily").asLong()).isGreaterThanOrEqualTo(5);
    assertThat(report.at("/items/by_outcome/UNRECOGNIZED").asLong()).isZero();
    assertThat(report.at("/problems/0").asText()).contains("redirected temporarily to " + target);
    assertThat(rows()).isEmpty();
    int asked = site.articleRequests.get();

    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    Cli.Result next = scrape(source(urls));

    assertThat(next.code()).as(next.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
    assertThat(site.articleRequests.get() - asked).isEqualTo(30);
  }

  /**
   * A 404 whose body is the article's own page (a CDN or a soft error serving it under a wrong
   * status) stored a "not found" row for an article that is there: no row, the report counts it
   * apart and names it with its status, and the next run asks again. Another article's page
   * under 404 stays "not found".
   */
  @Test
  void anArticlesOwnPageUnder404StoresNoNotFoundRowAndTheReportSaysWhy() throws IOException {
    String own = ArticleUrl.ofTitle("東方Project").canonical();
    String other = ArticleUrl.ofTitle("消えた記事").canonical();
    String fine = urls(1).get(0);
    List<String> notFound = List.of(ArticleUrl.parse(own).uri().getRawPath(),
        ArticleUrl.parse(other).uri().getRawPath());
    site.answering((path, nth) -> new FakeSite.Answer(notFound.contains(path) ? 404 : 200,
        FakeSite.ARTICLE));

    Path archive = dir.resolve("archive");
    Cli.Result r = scrape(source(List.of(own, other, fine)), "--archive", archive.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url, ArticleRow::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(other, Outcome.NOT_FOUND),
            org.assertj.core.groups.Tuple.tuple(fine, Outcome.ARTICLE));
    JsonNode report = report();
    assertThat(report.at("/items/not_found_with_article").asLong()).isEqualTo(1);
    assertThat(report.at("/items/by_outcome/NOT_FOUND").asLong()).isEqualTo(1);
    assertThat(report.at("/items/processed").asLong()).isEqualTo(3);
    assertThat(report.at("/items/failed").asLong()).isZero();
    assertThat(report.at("/problems").toString()).contains(ArticleUrl.parse(own).toString())
        .contains("HTTP 404 with the article's own page");
    assertThat(r.err()).contains("404/410 with the article's own page (not judged, asked again) 1");

    // A replay of the archive judges the page as the scrape did: no "not found" row either.
    Path replayed = dir.resolve("replayed.ndjson");
    Cli.Result replay = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--drift-min-pages", "5");
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(Files.readAllLines(replayed).stream().map(RowJson::read))
        .extracting(ArticleRow::url, ArticleRow::status).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(other, Outcome.NOT_FOUND),
            org.assertj.core.groups.Tuple.tuple(fine, Outcome.ARTICLE));
    assertThat(replay.err()).contains("HTTP 404 with the article's own page");

    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    Cli.Result next = scrape(source(List.of(own, other, fine)));

    assertThat(next.code()).as(next.err()).isZero();
    assertThat(rows()).filteredOn(row -> row.url().equals(own))
        .extracting(ArticleRow::status).containsExactly(Outcome.ARTICLE);
  }

  /**
   * A login wall the site sends an article to for now puts the page, and perhaps a token of its
   * own, in the query of where it sends it: the warning and the report named that URL whole, so
   * a credential of the site reached the log and report.json (the log's masking knows only some
   * names, {@code token} but not {@code code}). Where the site sent a page is named by its
   * scheme, host, port and path, in the scrape and in a replay of the archived page alike.
   */
  @Test
  void aLoginWallsQueryReachesNeitherTheLogNorTheReportOfAScrapeOrAReplay() throws IOException {
    String walled = urls(3).get(2);
    String walledPath = ArticleUrl.parse(walled).uri().getRawPath();
    site.answering((path, nth) -> path.equals(walledPath)
        ? new FakeSite.Answer(302, new byte[0], Map.of("Location",
            "/login?return_to=%2Fa%2Fx&token=SECRET&code=C0DE5ECRET#FRAGM3NT"))
        : path.equals("/login") ? new FakeSite.Answer(200, FakeSite.UNRELATED)
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path archive = dir.resolve("archive");

    Cli.Result r = scrape(source(urls(3)), "--archive", archive.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(report().at("/items/redirected_temporarily").asLong()).isEqualTo(1);
    String shown = walled + " redirected to https://dic.pixiv.net/login (302)";
    assertThat(r.err()).contains(shown);
    assertThat(report().at("/problems/0").asText()).contains(shown);
    for (String text : List.of(r.err(), Files.readString(dir.resolve("report.json")))) {
      assertThat(text).doesNotContain("SECRET", "C0DE5ECRET", "return_to", "FRAGM3NT");
    }

    Path report = dir.resolve("replay-report.json");
    Cli.Result replayed = Cli.run("replay", "--archive", archive.toString(), "--sink",
        dir.resolve("replayed.ndjson").toString(), "--report", report.toString(),
        "--progress", "none", "--drift-min-pages", "5");

    assertThat(replayed.code()).as(replayed.err()).isZero();
    assertThat(replayed.err()).contains(shown);
    for (String text : List.of(replayed.err(), Files.readString(report))) {
      assertThat(text).doesNotContain("SECRET", "C0DE5ECRET", "return_to", "FRAGM3NT");
    }
  }

  /**
   * A week of 25 renamed articles and 5 others replayed as parse breakage (65), storing none of
   * the 5: the archive kept the page, not where the site served it from, so the replay judged
   * the renamed articles' pages against the names asked for. It judges them as the scrape did.
   */
  @Test
  void pagesTheSiteServedFromAnotherArticleReplayAsTheScrapeJudgedThem() throws IOException {
    List<String> renamed = IntStream.range(0, 25)
        .mapToObj(i -> ArticleUrl.ofTitle("旧名" + i).canonical()).toList();
    String campaign = ArticleUrl.ofTitle("仮名").canonical();
    redirecting(renamed, List.of(campaign));
    List<String> all = new ArrayList<>(renamed);
    all.add(campaign);
    all.addAll(urls(5));
    Path archive = dir.resolve("archive");
    Cli.Result scraped = scrape(source(all), "--archive", archive.toString());
    assertThat(scraped.code()).as(scraped.err()).isZero();
    int requests = site.articleRequests.get();
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--drift-min-pages", "5");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(site.articleRequests.get()).isEqualTo(requests);
    List<ArticleRow> again = Files.readAllLines(replayed).stream().map(RowJson::read).toList();
    assertThat(again).hasSize(30);
    assertThat(again).extracting(ArticleRow::url, ArticleRow::contentHash)
        .containsExactlyInAnyOrderElementsOf(rows().stream()
            .map(row -> org.assertj.core.groups.Tuple.tuple(row.url(), row.contentHash()))
            .toList());
    assertThat(again).extracting(ArticleRow::url).doesNotContain(campaign);
  }

  /**
   * An archive written before the index kept where pages came from replays as it did: its
   * pages are judged against the URLs asked for.
   */
  @Test
  void anArchiveWithoutWherePagesCameFromReplaysAsBefore() throws IOException {
    String renamed = ArticleUrl.ofTitle("旧名").canonical();
    redirecting(List.of(renamed), List.of());
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(List.of(renamed, urls(1).get(0))), "--archive", archive.toString())
        .code()).isZero();
    Path index = PageArchive.indexOf(archive);
    List<String> lines = Files.readAllLines(index);
    assertThat(lines).anyMatch(line -> line.contains("\"final_url\""));
    // As the index was written before: no final_url, no redirects.
    Files.write(index, lines.stream()
        .map(line -> line.replaceAll(",\"final_url\":\"[^\"]*\",\"redirects\":\\[[0-9,]*\\]", ""))
        .toList());
    assertThat(Files.readString(index)).doesNotContain("final_url");
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--drift-min-pages", "5");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(replayed).stream().map(RowJson::read).map(ArticleRow::url))
        .containsExactly(urls(1).get(0));
    assertThat(r.err()).contains(renamed);
  }

  /**
   * A lock file deleted mid-run let a second run in beside the first, and both wrote the same
   * rows. The run stops at its next batch as a failed sink (69, try again), and a re-run stores
   * what is left, every article once.
   */
  @Test
  void aLockFileDeletedMidRunStopsTheRunAndAReRunStoresEachArticleOnce() throws IOException {
    Path src = source(urls(10));
    Path lock = dir.resolve("rows.ndjson.lock");
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> {
      if (overall == 8) { // after the drift guard's first pages were written
        try {
          Files.delete(lock);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return new FakeSite.Answer(200, FakeSite.ARTICLE);
    });

    Cli.Result first = scrape(src, "--flush-rows", "2", "--concurrency", "1");

    assertThat(first.code()).as(first.err()).isEqualTo(69);
    assertThat(first.err()).contains("rows.ndjson.lock was deleted while this run was writing it");
    assertThat(rows()).hasSizeBetween(5, 7).extracting(ArticleRow::url).doesNotHaveDuplicates();
    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    assertThat(scrape(src).code()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(
        urls(10));
  }

  /**
   * A sink emptied in place mid-run (": > rows.ndjson") took the next batches at its new end and
   * the run ended 0 with the rows written before gone. The run stops at its next batch as a
   * failed sink (69, try again), and a re-run stores every article again, once.
   */
  @Test
  void aSinkFileCutInPlaceMidRunStopsTheRunWith69AndAReRunStoresEachArticleOnce()
      throws IOException {
    Path src = source(urls(10));
    Path sink = dir.resolve("rows.ndjson");
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> {
      if (overall == 8) { // after the drift guard's first pages were written
        try {
          Files.write(sink, new byte[0]);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return new FakeSite.Answer(200, FakeSite.ARTICLE);
    });

    Cli.Result first = scrape(src, "--flush-rows", "2", "--concurrency", "1");

    assertThat(first.code()).as(first.err()).isEqualTo(69);
    assertThat(first.err()).contains("rows.ndjson was cut in place under the writer",
        "rows already written to it may be gone");
    assertThat(report().path("stop_reason").asText()).isEqualTo("SINK_FAILED");
    assertThat(rows()).isEmpty();
    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    assertThat(scrape(src).code()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(
        urls(10));
  }

  /**
   * A line another program appended mid-run without its line end had the next batch glued to
   * it: the run ended 0 counting a row that did not read back, and the next run refused the
   * sink (65). The run now stops before that batch as a failed sink (69, try again), and a re-run
   * sets the part line aside and stores every article once.
   */
  @Test
  void aLineLeftUnterminatedInTheSinkMidRunStopsTheRunWith69AndAReRunStoresEachArticleOnce()
      throws IOException {
    Path src = source(urls(10));
    Path sink = dir.resolve("rows.ndjson");
    String part = "{\"url\":\"https://dic.pixiv.net/a/x\",\"loa";
    site.answering((FakeSite.CountingScript) (path, nth, overall) -> {
      if (overall == 8) { // after the drift guard's first pages were written
        try {
          Files.writeString(sink, part, StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return new FakeSite.Answer(200, FakeSite.ARTICLE);
    });

    Cli.Result first = scrape(src, "--flush-rows", "2", "--concurrency", "1");

    assertThat(first.code()).as(first.err()).isEqualTo(69);
    assertThat(first.err()).contains("rows.ndjson was appended to by another program",
        "ends in a line without a line end", "No row of the batch at hand was written");
    assertThat(report().path("stop_reason").asText()).isEqualTo("SINK_FAILED");
    String text = Files.readString(sink);
    assertThat(text).endsWith("}\n" + part);
    List<ArticleRow> stored = text.substring(0, text.length() - part.length()).lines()
        .map(RowJson::read).toList();
    assertThat(stored).isNotEmpty().extracting(ArticleRow::url).doesNotHaveDuplicates();
    assertThat(report().at("/rows/written").asInt()).isEqualTo(stored.size());

    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    Cli.Result again = scrape(src);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(
        urls(10));
    assertThat(dir.resolve("rows.ndjson.torn")).hasContent(part);
  }

  /**
   * A wrong origin (a mirror's wrong path, another web server) answers 404 for every page: that
   * is no news of the articles. The run ends as "retry later" naming the origin, and stores no
   * "not found" row that a run with the right origin would skip as fresh.
   */
  @Test
  void anOriginThatAnswersNotFoundForEveryPageEndsWith75AndStoresNothing() throws IOException {
    Path src = source(urls(30));
    site.answering((path, nth) -> new FakeSite.Answer(404,
        "<html><body>404 Not Found</body></html>".getBytes(UTF_8)));

    Cli.Result wrong = scrape(src);

    assertThat(wrong.code()).as(wrong.err()).isEqualTo(75);
    assertThat(wrong.err()).contains("30 pages answered 'not found' and none was an article",
        "from " + site.origin());
    assertThat(rows()).isEmpty();
    JsonNode report = report();
    assertThat(report.path("stop_reason").asText()).isEqualTo("SITE_UNREACHABLE");
    assertThat(report.path("items").path("by_outcome").path("NOT_FOUND").asInt()).isEqualTo(30);
    assertThat(report.path("rows").path("written").asInt()).isZero();

    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    Cli.Result right = scrape(src);
    assertThat(right.code()).as(right.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls(30));
  }

  /** The URLs of 30 deleted articles, then of 20 live ones, as the site now answers them. */
  private List<String> thirtyDeletedThenTwentyLive() {
    List<String> urls = new ArrayList<>();
    IntStream.range(0, 30).forEach(i -> urls.add(ArticleUrl.ofTitle("nf-" + i).canonical()));
    IntStream.range(0, 20).forEach(i -> urls.add(ArticleUrl.ofTitle("k-" + i).canonical()));
    site.answering((path, nth) -> path.contains("/a/nf-")
        ? new FakeSite.Answer(404, "<html><body>404 Not Found</body></html>".getBytes(UTF_8))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    return urls;
  }

  /**
   * The "not found" pages of a wrong origin were kept in the archive although their rows were
   * not stored, so a replay stored them all (exit 0), and the run with the right origin then
   * skipped those URLs as fresh. The archive indexes a held page only once its row is stored.
   */
  @Test
  void aWrongOriginsNotFoundPagesAreNotArchivedSoAReplayStoresNoneOfThem() throws IOException {
    Path archive = dir.resolve("archive");
    List<String> earlier = List.of(ArticleUrl.ofTitle("earlier").canonical());
    assertThat(scrape(source(earlier), "--archive", archive.toString()).code()).isZero();
    Path src = source(urls(30));
    site.answering((path, nth) -> new FakeSite.Answer(404,
        "<html><body>404 Not Found</body></html>".getBytes(UTF_8)));

    Cli.Result wrong = scrape(src, "--archive", archive.toString());

    assertThat(wrong.code()).as(wrong.err()).isEqualTo(75);
    try (PageArchive pages = PageArchive.openReadOnly(archive);
        var entries = pages.entries()) {
      assertThat(entries.map(e -> e.url().canonical())).containsExactlyElementsOf(earlier);
    }
    Cli.Result replay = Cli.run("replay", "--archive", archive.toString(), "--sink",
        dir.resolve("rows.ndjson").toString(), "--progress", "none", "--drift-min-pages", "1");
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyElementsOf(
        List.of(earlier.get(0), earlier.get(0)));
    // The run with the right origin, into the sink replayed into, fetches every page.
    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.ARTICLE));
    Cli.Result right = scrape(src, "--archive", archive.toString());
    assertThat(right.code()).as(right.err()).isZero();
    assertThat(report().path("items").path("processed").asInt()).isEqualTo(30);
  }

  /**
   * Once an article showed that the origin serves the site, the "not found" pages held before it
   * are stored, and archived, with it: a replay gives their rows again.
   */
  @Test
  void notFoundPagesHeldUntilTheFirstArticleAreArchivedWithTheirRows() throws IOException {
    Path archive = dir.resolve("archive");
    List<String> urls = new ArrayList<>();
    IntStream.range(0, 25).forEach(i -> urls.add(ArticleUrl.ofTitle("nf-" + i).canonical()));
    IntStream.range(0, 3).forEach(i -> urls.add(ArticleUrl.ofTitle("k-" + i).canonical()));
    site.answering((path, nth) -> path.contains("/a/nf-")
        ? new FakeSite.Answer(404, "<html><body>404 Not Found</body></html>".getBytes(UTF_8))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));

    Cli.Result r = scrape(source(urls), "--archive", archive.toString(), "--concurrency", "1");

    assertThat(r.code()).as(r.err()).isZero();
    Path replayed = dir.resolve("replayed.ndjson");
    Cli.Result replay = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--drift-min-pages", "1");
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(Files.readAllLines(replayed).stream().map(RowJson::read).map(ArticleRow::url))
        .containsExactlyInAnyOrderElementsOf(urls);
  }

  /**
   * A run stopped by its limit while "not found" rows wait for an article stores none of them,
   * and keeps none of their pages in the archive's index.
   */
  @Test
  void aRunEndingBeforeAnyArticleArchivesNoneOfItsHeldPages() throws IOException {
    Path archive = dir.resolve("archive");
    List<String> earlier = List.of(ArticleUrl.ofTitle("earlier").canonical());
    assertThat(scrape(source(earlier), "--archive", archive.toString()).code()).isZero();
    site.answering((path, nth) -> new FakeSite.Answer(404,
        "<html><body>404 Not Found</body></html>".getBytes(UTF_8)));

    Cli.Result limited = scrape(source(urls(30)), "--archive", archive.toString(),
        "--limit", "10");

    assertThat(limited.code()).as(limited.err()).isZero();
    assertThat(limited.err()).contains("10 pages answered 'not found'");
    try (PageArchive pages = PageArchive.openReadOnly(archive);
        var entries = pages.entries()) {
      assertThat(entries.map(e -> e.url().canonical())).containsExactlyElementsOf(earlier);
    }
  }

  /**
   * A shard may begin with more deleted articles than a wrong origin's sign: its live articles
   * after them are scraped, and every "not found" row is stored with them, so a re-run is done.
   */
  @Test
  void aShardThatBeginsWithThirtyDeletedArticlesStoresThemAndItsLiveOnes() throws IOException {
    List<String> urls = thirtyDeletedThenTwentyLive();
    Path src = source(urls);

    Cli.Result first = scrape(src);

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
    assertThat(rows()).filteredOn(r -> r.status() == Outcome.NOT_FOUND).hasSize(30);
    assertThat(report().path("rows").path("written").asInt()).isEqualTo(50);

    Cli.Result again = scrape(src);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(report().path("items").path("processed").asInt()).isZero();
    assertThat(rows()).hasSize(50);
  }

  /**
   * An earlier run, cut short, stored a shard's live articles; its rest is deleted articles,
   * more than a wrong origin's sign. A rerun reads one stored article again, which shows that
   * the origin serves the site, and stores the "not found" rows, so the next rerun is done.
   */
  @Test
  void aRerunWhoseRestIsOnlyDeletedArticlesReadsAStoredOneAgainAndStoresThem()
      throws IOException {
    List<String> live = new ArrayList<>();
    IntStream.range(0, 5).forEach(i -> live.add(ArticleUrl.ofTitle("k-" + i).canonical()));
    List<String> urls = new ArrayList<>(live);
    IntStream.range(0, 25).forEach(i -> urls.add(ArticleUrl.ofTitle("nf-" + i).canonical()));
    site.answering((path, nth) -> path.contains("/a/nf-")
        ? new FakeSite.Answer(404, "<html><body>404 Not Found</body></html>".getBytes(UTF_8))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    assertThat(scrape(source(live)).code()).isZero();
    Path src = source(urls);
    int before = site.articleRequests.get();

    Cli.Result rerun = scrape(src);

    assertThat(rerun.code()).as(rerun.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
    assertThat(rows()).filteredOn(r -> r.status() == Outcome.NOT_FOUND).hasSize(25);
    assertThat(report().path("stop_reason").asText()).isEqualTo("COMPLETED");
    assertThat(report().path("rows").path("written").asInt()).isEqualTo(25);
    // The stored article read again is one request more, counted as every request.
    assertThat(site.articleRequests.get() - before).isEqualTo(26);
    assertThat(report().at("/fetch/requests").asLong()).isGreaterThanOrEqualTo(26);
    assertThat(report().path("problems").toString()).contains(
        "25 pages answered 'not found' before any article; the origin was confirmed by reading");

    Cli.Result again = scrape(src);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(report().path("items").path("processed").asInt()).isZero();
    assertThat(report().at("/fetch/requests").asLong()).isZero();
    assertThat(rows()).hasSize(30);
  }

  /**
   * A limit that ends a run among a shard's first deleted articles: an item the limit left out,
   * read and not stored, shows that the origin serves the site, so the rows are stored and the
   * next run with the same limit goes on from there (a rehearsal with {@code --limit 20} trips
   * on nothing).
   */
  @Test
  void aLimitEndingTheRunAmongDeletedArticlesStoresThemAndTheNextRunGoesOn() throws IOException {
    List<String> urls = thirtyDeletedThenTwentyLive();
    Path src = source(urls);

    Cli.Result first = scrape(src, "--limit", "25");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(rows()).hasSize(25).allMatch(r -> r.status() == Outcome.NOT_FOUND);
    assertThat(report().path("problems").toString()).contains("(left out by the limit) as an"
        + " article (1 page read to check it");
    Cli.Result next = scrape(src, "--limit", "25");
    assertThat(next.code()).as(next.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls);
  }

  @Test
  void scrapesEverySourceUrlIntoTheSinkAndAReRunSendsNoRequest() throws IOException {
    Path src = source(urls(30));
    Cli.Result first = scrape(src);

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls(30));
    assertThat(rows()).allSatisfy(r -> {
      assertThat(r.title()).isNotBlank();
      assertThat(r.loadedAt()).isNotNull();
      assertThat(r.runId()).isEqualTo(report().path("run_id").asText());
      assertThat(r.scraperVersion()).isNotBlank();
    });
    assertThat(report().at("/items/by_outcome/ARTICLE").asLong()).isEqualTo(30);
    assertThat(first.err()).contains("COMPLETED", "written 30");

    int before = site.articleRequests.get();
    Cli.Result again = scrape(src);
    assertThat(again.code()).isZero();
    assertThat(site.articleRequests.get()).isEqualTo(before);
    assertThat(report().at("/fetch/requests").asLong()).isZero();
    assertThat(report().at("/items/skipped_already_stored").asLong()).isEqualTo(30);
    assertThat(rows()).hasSize(30);
  }

  /**
   * Last week's run started a week ago and stored its rows after that, some a day into the run.
   * With a window of the schedule's whole period those rows were all "fresher than a week", and
   * the weekly run refreshed nothing every other week; a row stored this week is still skipped.
   */
  @Test
  void aWeeklyRunByDefaultRefreshesEveryRowLastWeeksRunStoredAndSkipsThisWeeks()
      throws IOException {
    Path src = source(urls(6));
    assertThat(scrape(src).code()).isZero();
    Path sink = dir.resolve("rows.ndjson");
    List<String> lines = Files.readAllLines(sink);
    Instant now = Instant.now();
    List<String> aged = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      com.fasterxml.jackson.databind.node.ObjectNode row =
          (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(lines.get(i));
      // Stored 1 minute, 6 hours and 23 hours into a run that started 7 days ago; or this week.
      Duration age = switch (i % 3) {
        case 0 -> Duration.ofDays(7).minusMinutes(1);
        case 1 -> Duration.ofDays(7).minusHours(6);
        default -> Duration.ofDays(1);
      };
      row.put("loaded_at", now.minus(age).toString());
      aged.add(JSON.writeValueAsString(row));
    }
    Files.write(sink, aged);
    int before = site.articleRequests.get();

    Cli.Result weekly = scrape(src);

    assertThat(weekly.code()).as(weekly.err()).isZero();
    assertThat(site.articleRequests.get() - before).isEqualTo(4);
    assertThat(report().at("/items/skipped_already_stored").asLong()).isEqualTo(2);
    assertThat(rows()).hasSize(10);
  }

  /** A dry run refuses what the run refuses, and prints no final line, refused or not. */
  @Test
  void aDryRunRefusesABadSharedBudgetAsTheRunDoesAndPrintsNoFinalLine() throws IOException {
    Path src = source(urls(3));
    ShardOptions.env = name -> name.equals(FetchOptions.SHARED_BY) ? "0" : System.getenv(name);
    Cli.Result dry = scrape(src, "--dry-run");
    Cli.Result run = scrape(src);
    ShardOptions.env = System::getenv;
    Cli.Result shard = scrape(src, "--dry-run", "--shard", "0/0");

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(dry.code()).as(dry.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(dry.err()).contains(FetchOptions.SHARED_BY);
    assertThat(shard.code()).as(shard.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(dry.err() + shard.err()).doesNotContain(FinalLine.MARKER);
    assertThat(run.err()).contains(FinalLine.MARKER);
    assertThat(site.articleRequests).hasValue(0);
  }

  /** A row stamped in the future (a clock ahead, a row made by hand) was fresher than 0s. */
  @Test
  void aRefreshWindowOfZeroRefreshesRowsStampedInTheFutureToo() throws IOException {
    Path src = source(urls(3));
    assertThat(scrape(src).code()).isZero();
    Path sink = dir.resolve("rows.ndjson");
    List<String> future = new ArrayList<>();
    for (String line : Files.readAllLines(sink)) {
      future.add(JSON.writeValueAsString(((com.fasterxml.jackson.databind.node.ObjectNode)
          JSON.readTree(line)).put("loaded_at", "2099-01-01T00:00:00Z")));
    }
    Files.write(sink, future);
    int before = site.articleRequests.get();

    Cli.Result dry = scrape(src, "--refresh-after", "0s", "--dry-run");
    Cli.Result all = scrape(src, "--refresh-after", "0s");

    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.err()).contains("3 items to fetch, 0 already stored");

    assertThat(all.code()).as(all.err()).isZero();
    assertThat(site.articleRequests.get() - before).isEqualTo(3);
    assertThat(report().at("/items/skipped_already_stored").asLong()).isZero();
  }

  @Test
  void aReportThatWouldReplaceTheSinkTheSourceOrADirectoryIsRefusedBeforeAnyRequest()
      throws IOException {
    Path src = source(urls(3));
    assertThat(scrape(src).code()).isZero();
    String rowsBefore = Files.readString(dir.resolve("rows.ndjson"));
    String sourceBefore = Files.readString(src);
    int requests = site.articleRequests.get();

    Cli.Result onSink = scrape(src, "--refresh-after", "0s",
        "--report", dir.resolve("rows.ndjson").toString());
    Cli.Result onSource = scrape(src, "--refresh-after", "0s", "--report", src.toString());
    Cli.Result onDir = scrape(src, "--refresh-after", "0s", "--report", dir.toString());

    assertThat(onSink.code()).as(onSink.err()).isEqualTo(2);
    assertThat(onSink.err()).contains("--report", "--sink");
    assertThat(onSource.code()).as(onSource.err()).isEqualTo(2);
    assertThat(onSource.err()).contains("--report", "not a report", "left unchanged");
    assertThat(onDir.code()).as(onDir.err()).isEqualTo(2);
    assertThat(onDir.err()).contains("--report", "directory");
    assertThat(Files.readString(dir.resolve("rows.ndjson"))).isEqualTo(rowsBefore);
    assertThat(Files.readString(src)).isEqualTo(sourceBefore);
    assertThat(site.articleRequests.get()).isEqualTo(requests);
  }

  @Test
  void aReportThatWouldReplaceANewSinkOrArchiveIndexThroughALinkOrAFifoIsRefusedAtOnce()
      throws Exception {
    Path src = source(urls(3));
    Path real = Files.createDirectories(dir.resolve("real"));
    Path alias = Files.createSymbolicLink(dir.resolve("alias"), real);
    Path fifo = dir.resolve("report.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    Cli.Result sinkByAlias = scrape(src, "--sink", real.resolve("n.ndjson").toString(),
        "--report", alias.resolve("n.ndjson").toString());
    Cli.Result archiveIndex = scrape(src, "--archive", dir.resolve("arch").toString(),
        "--report", dir.resolve("arch").resolve("index.ndjson").toString());
    Cli.Result onFifo = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> scrape(src, "--report", fifo.toString()))
        .get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(sinkByAlias.code()).as(sinkByAlias.err()).isEqualTo(2);
    assertThat(sinkByAlias.err()).contains("--report", "--sink");
    assertThat(archiveIndex.code()).as(archiveIndex.err()).isEqualTo(2);
    assertThat(archiveIndex.err()).contains("--report", "the index of --archive");
    assertThat(onFifo.code()).as(onFifo.err()).isEqualTo(2);
    assertThat(onFifo.err()).contains("--report " + fifo + " is not a regular file (a named"
        + " pipe); name a file");
    assertThat(site.articleRequests.get()).isZero();
    assertThat(real.resolve("n.ndjson")).doesNotExist();
    assertThat(dir.resolve("arch")).doesNotExist();
  }

  @Test
  void anEmptyPathOrASourceThatIsADirectoryIsNamedAndNothingIsWrittenWhereTheRunStarted()
      throws IOException {
    Path src = source(urls(1));
    String sink = dir.resolve("rows.ndjson").toString();

    Cli.Result archive = Cli.run("scrape", "--source", src.toString(), "--sink", sink,
        "--archive", "", "--dry-run");
    Cli.Result report = Cli.run("scrape", "--source", src.toString(), "--sink", sink,
        "--report", " ", "--dry-run");
    Cli.Result emptySink = Cli.run("scrape", "--source", src.toString(), "--sink", "",
        "--dry-run");
    Cli.Result dirSource = Cli.run("scrape", "--source", dir.toString(), "--sink", sink,
        "--dry-run");

    assertThat(archive.code()).as(archive.err()).isEqualTo(2);
    assertThat(archive.err()).contains("--archive", "an empty path names no file");
    assertThat(report.code()).as(report.err()).isEqualTo(2);
    assertThat(report.err()).contains("--report", "an empty path names no file");
    assertThat(emptySink.code()).as(emptySink.err()).isEqualTo(2);
    assertThat(emptySink.err()).contains("--sink is empty");
    assertThat(dirSource.code()).as(dirSource.err()).isEqualTo(2);
    assertThat(dirSource.err()).contains("--source " + dir + " is a directory");
  }

  @Test
  void aReportThroughASymbolicLinkIsWrittenToTheFileItNamesAndTheLinkStays() throws IOException {
    Path src = source(urls(2));
    Path runs = Files.createDirectories(dir.resolve("runs"));
    Path latest = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("runs/r-1.json"));

    Cli.Result first = scrape(src, "--report", latest.toString());
    String firstRun = JSON.readTree(runs.resolve("r-1.json").toFile()).path("run_id").asText();
    Cli.Result second = scrape(src, "--report", latest.toString());

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(Files.isSymbolicLink(latest)).as("the link is still a link").isTrue();
    assertThat(JSON.readTree(runs.resolve("r-1.json").toFile()).path("run_id").asText())
        .isNotBlank().isNotEqualTo(firstRun);
  }

  @Test
  void aValueWithALineBreakCannotForgeALineOfTheErrorMessage() throws IOException {
    Cli.Result noFile = Cli.run("scrape", "--source", dir.resolve("none\nFORGED ERROR").toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--dry-run");
    Cli.Result badShard = Cli.run("scrape", "--source", source(urls(1)).toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--dry-run", "--shard", "a\nFORGED");
    Cli.Result blankRunId = Cli.run("scrape", "--source", source(urls(1)).toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--run-id", " ");

    assertThat(noFile.code()).isEqualTo(2);
    assertThat(badShard.code()).isEqualTo(2);
    assertThat(noFile.err() + badShard.err()).contains("\\nFORGED")
        .satisfies(err -> assertThat(err.lines()).noneMatch(l -> l.startsWith("FORGED")));
    assertThat(blankRunId.code()).isEqualTo(2);
    assertThat(blankRunId.err()).contains("--run-id");
    // The summary and the final line quote the run id as it is: a right-to-left override in it
    // turned the rest of the line around.
    Cli.Result reversed = Cli.run("scrape", "--source", source(urls(1)).toString(),
        "--sink", dir.resolve("rows.ndjson").toString(), "--run-id", "week\u202e49");
    assertThat(reversed.code()).isEqualTo(2);
    assertThat(reversed.err()).contains("--run-id", "marks that reorder text");
  }

  @Test
  void aSinkArchiveOrReportBelowAFileIsAConfigurationErrorNotARetry() throws IOException {
    Path src = source(urls(3));
    Cli.Result sink = scrape(src, "--sink", src.resolve("rows.ndjson").toString());
    Cli.Result archive = scrape(src, "--archive", src.toString());
    Cli.Result report = scrape(src, "--report", src.resolve("report.json").toString());

    for (Cli.Result r : List.of(sink, archive, report)) {
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(src.toString(), "where a directory is needed");
    }
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void passThroughColumnsOfACsvSourceReachTheRow() throws IOException {
    Path csv = dir.resolve("src.csv");
    Files.writeString(csv, "URL,middle_class_ip_name,clean_middle_class_ip_name\n"
        + urls(1).get(0) + ",\"ラブライブ!, サンシャイン\",ラブライブ\n");
    Cli.Result r = scrape(csv);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).singleElement().satisfies(row -> {
      assertThat(row.middleClassIpName()).isEqualTo("ラブライブ!, サンシャイン");
      assertThat(row.passThrough()).containsEntry("clean_middle_class_ip_name", "ラブライブ");
    });
  }

  /** A resolution file's or a hand-made CSV's column named as the row's in another case. */
  @Test
  void aSourceColumnNamedLikeAColumnOfTheRowInAnotherCaseIsNotPassedThrough() throws IOException {
    Path csv = dir.resolve("src.csv");
    Files.writeString(csv, "url,Status,RUN_ID,Title,genre,MIDDLE_CLASS_IP_NAME\n"
        + urls(1).get(0) + ",MATCHED,old-run,another title,music,ボカロ\n");

    Cli.Result r = scrape(csv);

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Files.readAllLines(dir.resolve("rows.ndjson")).get(0));
    assertThat(line.fieldNames()).toIterable().doesNotContain("Status", "RUN_ID", "Title")
        .contains("genre", "status", "run_id", "title");
    assertThat(line.get("run_id").asText()).isNotEqualTo("old-run");
    assertThat(line.get("middle_class_ip_name").asText()).isEqualTo("ボカロ");
    assertThat(line.fieldNames()).toIterable().doesNotContain("MIDDLE_CLASS_IP_NAME");
  }

  @Test
  void notFoundPagesAreStoredWithTheirStatusAndNotFetchedAgain() throws IOException {
    site.answering((path, nth) -> path.contains("%E8%A8%98%E4%BA%8B1")
        ? new FakeSite.Answer(404, "<html><body>not here</body></html>".getBytes())
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path src = source(urls(3));
    assertThat(scrape(src).code()).isZero();
    assertThat(rows()).filteredOn(r -> r.status() == Outcome.NOT_FOUND).singleElement()
        .extracting(ArticleRow::url).isEqualTo(urls(3).get(1));
    int before = site.articleRequests.get();
    scrape(src);
    assertThat(site.articleRequests.get()).isEqualTo(before);
  }

  @Test
  void challengePagesInARowStopTheRunWithExit75() throws IOException {
    site.answering((path, nth) -> new FakeSite.Answer(503, FakeSite.CHALLENGE));
    Cli.Result r = scrape(source(urls(40)), "--blocked-limit", "3", "--max-attempts", "1");
    assertThat(r.code()).isEqualTo(75);
    assertThat(report().path("stop_reason").asText()).isEqualTo("BLOCKED");
    assertThat(report().at("/items/by_outcome/BLOCKED").asLong()).isBetween(3L, 6L);
    assertThat(rows()).isEmpty();
  }

  @Test
  void aSiteThatChangedItsMarkupStopsTheRunBeforeWritingWithExit65() throws IOException {
    site.answering((path, nth) -> new FakeSite.Answer(200, FakeSite.UNRELATED));
    Cli.Result r = scrape(source(urls(20)));
    assertThat(r.code()).isEqualTo(65);
    assertThat(report().path("stop_reason").asText()).isEqualTo("PARSE_BREAKAGE");
    assertThat(rows()).isEmpty();
  }

  @Test
  void pagesWhoseJsonAndHeaderDisagreeAreReportedAndStopTheRunWithExit65() throws IOException {
    byte[] page = Files.readAllBytes(
        ParseCommandTest.CORPUS.resolve("current-nextdata-disagreeing-counts.html"));
    site.answering((path, nth) -> new FakeSite.Answer(200, page));
    Cli.Result r = scrape(source(urls(20)));

    assertThat(r.code()).as(r.err()).isEqualTo(65);
    assertThat(report().at("/disagreements/pages").asLong()).isPositive();
    assertThat(report().at("/disagreements/by_column/works_count").asLong())
        .isEqualTo(report().at("/disagreements/pages").asLong());
    assertThat(r.err()).contains("disagree", "works_count");
    assertThat(rows()).isEmpty();
  }

  @Test
  void pagesThatStillFailAfterRetriesAreReportedAndExit75() throws IOException {
    site.answering((path, nth) -> path.contains("%E8%A8%98%E4%BA%8B2")
        ? new FakeSite.Answer(500, new byte[0]) : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Cli.Result r = scrape(source(urls(6)), "--max-attempts", "2");
    assertThat(r.code()).isEqualTo(75);
    assertThat(rows()).hasSize(5);
    assertThat(report().at("/items/failed").asLong()
        + report().at("/items/by_outcome/UNRECOGNIZED").asLong()).isEqualTo(1);
  }

  @Test
  void aPageThatRedirectsOffTheSiteIsNamedAndDoesNotAskForARetryOfTheWholeRun()
      throws IOException {
    site.answering((path, nth) -> path.contains("%E8%A8%98%E4%BA%8B2")
        ? new FakeSite.Answer(301, new byte[0], Map.of("Location", "https://example.org/moved"))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));
    Path src = source(urls(6));

    Cli.Result r = scrape(src);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).hasSize(5);
    assertThat(report().at("/items/failed").asLong()).isEqualTo(1);
    assertThat(report().at("/items/failed_for_good").asLong()).isEqualTo(1);
    assertThat(r.err()).contains("refused a redirect off the site",
        "failed 1 (1 the same on every try: no retry asked)", "\"items_failed_for_good\":1");
    int before = site.articleRequests.get();
    assertThat(scrape(src).code()).as("the next run tries it again").isZero();
    assertThat(site.articleRequests.get()).isEqualTo(before + 1);
  }

  @Test
  void aPageServedInBrotliFailsForGoodOnceAndTheRunExits0() throws IOException {
    site.answering((path, nth) -> path.contains("%E8%A8%98%E4%BA%8B2")
        ? new FakeSite.Answer(200, FakeSite.ARTICLE, Map.of("Content-Encoding", "br"))
        : new FakeSite.Answer(200, FakeSite.ARTICLE));

    Cli.Result r = scrape(source(urls(6)));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).hasSize(5);
    assertThat(report().at("/items/failed_for_good").asLong()).isEqualTo(1);
    assertThat(r.err()).contains("unsupported Content-Encoding 'br'",
        "failed 1 (1 the same on every try: no retry asked)");
    assertThat(site.perPath.entrySet()).filteredOn(e -> e.getKey().contains("%E8%A8%98%E4%BA%8B2"))
        .singleElement().satisfies(e -> assertThat(e.getValue().get()).as("not retried")
            .isEqualTo(1));
  }

  @Test
  void everyPageRedirectingOffTheSiteIsNoFaultOfThePagesAndExits75() throws IOException {
    site.answering((path, nth) -> new FakeSite.Answer(301, new byte[0],
        Map.of("Location", "https://example.org/moved")));

    Cli.Result r = scrape(source(urls(6)));

    assertThat(r.code()).as(r.err()).isEqualTo(75);
    assertThat(report().at("/items/failed").asLong()).isEqualTo(6);
    assertThat(report().at("/items/failed_for_good").asLong()).isZero();
    assertThat(r.err()).contains("6 items failed the same way on every try");
  }

  @Test
  void aBadSourceLineIsReportedWithItsNumberAndSkipped() throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of("# articles", urls(1).get(0), "https://example.com/a/nope", "",
        urls(2).get(1)));
    Cli.Result r = scrape(src);
    assertThat(r.code()).isZero();
    assertThat(rows()).hasSize(2);
    assertThat(report().at("/source/bad_lines").asLong()).isEqualTo(1);
    assertThat(report().at("/source/problems/0").asText()).contains("urls.txt:3", "example.com");
    assertThat(r.err()).contains("1 bad lines skipped (the log names them)");
  }

  @Test
  void strictModeStopsAtTheFirstBadLineWithExit2() throws IOException {
    Path src = dir.resolve("urls.txt");
    Files.write(src, List.of(urls(1).get(0), "not a url"));
    Cli.Result r = scrape(src, "--strict");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("urls.txt:2", "not a url");
  }

  @Test
  void shardsPartitionTheSourceWithNoOverlap() throws IOException {
    Path src = source(urls(50));
    for (int i = 0; i < 4; i++) {
      assertThat(scrape(src, "--shard", i + "/4").code()).isZero();
    }
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls(50));
  }

  @Test
  void theShardComesFromAnIndexedJobsEnvironment() throws IOException {
    ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "2", "PIXIV_SHARDS", "5")::get;
    assertThat(scrape(source(urls(50))).code()).isZero();
    assertThat(rows()).isNotEmpty()
        .allSatisfy(r -> assertThat(new Shard(2, 5).contains(r.url())).isTrue());
    assertThat(report().path("shard").asText()).isEqualTo("2/5");

    ShardOptions.env = Map.of("CLOUD_RUN_TASK_INDEX", "1", "CLOUD_RUN_TASK_COUNT", "3")::get;
    scrape(source(urls(50)));
    assertThat(report().path("shard").asText()).isEqualTo("1/3");
  }

  @Test
  void theProcessesSharingTheBudgetComeFromTheEnvironmentAndABadCountIsRefused()
      throws IOException {
    Path src = source(urls(5));
    for (String bad : List.of("0", "-1", "four", "100001", "1.5", "٤", "４")) {
      ShardOptions.env = Map.of("PIXIV_QPS_SHARED_BY", bad)::get;
      Cli.Result r = scrape(src);

      assertThat(r.code()).as(bad).isEqualTo(2);
      assertThat(r.err()).as(bad).contains("PIXIV_QPS_SHARED_BY must be a whole number from 1"
          + " to 100000", "'" + bad + "'");
    }
    ShardOptions.env = Map.of("PIXIV_QPS_SHARED_BY", "4")::get;
    assertThat(scrape(src).code()).isZero();
  }

  @Test
  void aShardOutOfRangeIsRefusedNamingWhereItCameFromAndTheRange() throws IOException {
    Path src = source(urls(5));
    Cli.Result none = scrape(src, "--shard", "0/0");
    Cli.Result tooMany = scrape(src, "--shard", "0/100001");
    ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "0", "PIXIV_SHARDS", "200000")::get;
    Cli.Result tooManyFromEnv = scrape(src);

    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("--shard 0/0");
    assertThat(tooMany.code()).isEqualTo(2);
    assertThat(tooMany.err()).contains("--shard 0/100001", "from 1 to 100000");
    assertThat(tooManyFromEnv.code()).isEqualTo(2);
    assertThat(tooManyFromEnv.err()).contains("PIXIV_SHARDS=200000", "from 1 to 100000");
    ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "0", "PIXIV_SHARDS", "99999999999")::get;
    Cli.Result beyondAnInt = scrape(src);
    assertThat(beyondAnInt.code()).isEqualTo(2);
    assertThat(beyondAnInt.err()).contains("PIXIV_SHARDS is out of range, was '99999999999'",
        "from 1 to 100000").doesNotContain("whole number");
    ShardOptions.env = Map.of("PIXIV_SHARDS", "abc")::get;
    Cli.Result noNumber = scrape(src);
    assertThat(noNumber.code()).isEqualTo(2);
    assertThat(noNumber.err()).as("what is wrong first, not the index it also lacks")
        .contains("PIXIV_SHARDS must be a whole number in ASCII digits without a sign, was"
            + " 'abc'")
        .doesNotContain("needs an");
    assertThat(site.articleRequests.get()).isZero();
  }

  /** Integer.parseInt reads any script's digits: these ran shard 0 of 2, or found a count. */
  @Test
  void aShardWrittenInDigitsOtherThanAsciiIsRefusedNamingWhereItCameFrom() throws IOException {
    Path src = source(urls(5));
    for (String shard : List.of("٠/٢", "０/２", "0/٢", "٠/2")) {
      Cli.Result r = scrape(src, "--shard", shard);
      assertThat(r.code()).as(shard).isEqualTo(2);
      assertThat(r.err()).as(shard).contains("--shard " + shard, "ASCII digits");
    }
    Cli.Result shards = scrape(src, "--shards", "٢");
    assertThat(shards.code()).isEqualTo(2);
    assertThat(shards.err()).contains("--shards", "'٢' is not an int");
    List<Map<String, String>> envs = List.of(
        Map.of("JOB_COMPLETION_INDEX", "0", "PIXIV_SHARDS", "٢"),
        Map.of("JOB_COMPLETION_INDEX", "٠", "PIXIV_SHARDS", "2"),
        Map.of("PIXIV_SHARDS", "２"),
        Map.of("CLOUD_RUN_TASK_INDEX", "٠", "CLOUD_RUN_TASK_COUNT", "2"),
        Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_COUNT", "２"));
    refusedNamingTheVariable(src, envs);
    ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "0")::get;
    Cli.Result indexed = scrape(src, "--shards", "２");
    assertThat(indexed.code()).isEqualTo(2);
    assertThat(indexed.err()).contains("--shards", "is not an int");
    assertThat(site.articleRequests.get()).isZero();
  }

  /** Each environment makes a run exit 2, naming its variable that is no plain number. */
  private void refusedNamingTheVariable(Path src, List<Map<String, String>> envs)
      throws IOException {
    for (Map<String, String> env : envs) {
      ShardOptions.env = env::get;
      Cli.Result r = scrape(src);
      String name = env.entrySet().stream().filter(e -> !e.getValue().matches("[0-9]+"))
          .map(Map.Entry::getKey).findFirst().orElseThrow();
      assertThat(r.code()).as(env.toString()).isEqualTo(2);
      assertThat(r.err()).as(env.toString()).contains(name + " must be a whole number in"
          + " ASCII digits without a sign, was '" + env.get(name) + "'");
    }
  }

  /**
   * A sign is no part of a shard: no platform writes one, and {@code +0/2} read as shard 0 hid a
   * template's mistake. Each place a shard comes from refuses one, naming itself; leading zeros
   * are read as in any number, in every place alike.
   */
  @Test
  void aSignedShardIsRefusedWhereverItComesFromAndLeadingZerosAreRead() throws IOException {
    Path src = source(urls(5));
    for (String shard : List.of("+0/2", "0/+2", "-0/2", "1/-2")) {
      Cli.Result r = scrape(src, "--shard", shard);
      assertThat(r.code()).as(shard).isEqualTo(2);
      assertThat(r.err()).as(shard).contains("--shard " + shard, "without a sign");
    }
    for (String count : List.of("+2", "-2", "+0")) {
      ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "1")::get;
      Cli.Result r = scrape(src, "--shards", count);
      assertThat(r.code()).as(count).isEqualTo(2);
      assertThat(r.err()).as(count).contains("--shards", "'" + count + "'", "without a sign");
    }
    List<Map<String, String>> envs = List.of(
        Map.of("JOB_COMPLETION_INDEX", "+1", "PIXIV_SHARDS", "2"),
        Map.of("JOB_COMPLETION_INDEX", "-0", "PIXIV_SHARDS", "2"),
        Map.of("JOB_COMPLETION_INDEX", "1", "PIXIV_SHARDS", "+2"),
        Map.of("PIXIV_SHARDS", "+2"),
        Map.of("CLOUD_RUN_TASK_INDEX", "+0", "CLOUD_RUN_TASK_COUNT", "2"),
        Map.of("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_COUNT", "+2"));
    refusedNamingTheVariable(src, envs);
    assertThat(site.articleRequests.get()).isZero();

    ShardOptions.env = System::getenv;
    assertThat(scrape(src, "--shard", "00/02").code()).isZero();
    assertThat(report().path("shard").asText()).isEqualTo("0/2");
    ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "01", "PIXIV_SHARDS", "03")::get;
    assertThat(scrape(src).code()).isZero();
    assertThat(report().path("shard").asText()).isEqualTo("1/3");
  }

  @Test
  void anIndexWithoutACountIsAConfigurationError() throws IOException {
    ShardOptions.env = Map.of("JOB_COMPLETION_INDEX", "2")::get;
    Cli.Result r = scrape(source(urls(5)));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--shards N or set PIXIV_SHARDS");
  }

  @Test
  void aTableNameInCapitalsIsRefusedNotWrittenAsALocalFile() throws IOException {
    Cli.Result sink = Cli.run("scrape", "--source", source(urls(3)).toString(), "--sink",
        "BQ:my-project.ds.detail", "--origin", site.origin(), "--progress", "none");
    Cli.Result src = Cli.run("scrape", "--source", "Bq:my-project.ds.urls", "--sink",
        dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--dry-run");

    assertThat(sink.code()).as(sink.err()).isEqualTo(2);
    assertThat(sink.err()).contains("bq:PROJECT.DATASET.TABLE, in lower case",
        "./BQ:my-project.ds.detail");
    assertThat(src.code()).as(src.err()).isEqualTo(2);
    assertThat(src.err()).contains("--source Bq:my-project.ds.urls");
    assertThat(Path.of("BQ:my-project.ds.detail")).doesNotExist();
    assertThat(site.articleRequests.get()).isZero();
  }

  /** As --shards alone: four pods given only PIXIV_SHARDS=4 each fetched every item. */
  @Test
  void aShardCountFromTheEnvironmentWithoutAnIndexIsAConfigurationError() throws IOException {
    ShardOptions.env = Map.of("PIXIV_SHARDS", "4")::get;
    Cli.Result r = scrape(source(urls(5)));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("PIXIV_SHARDS=4 needs an index");
    assertThat(site.articleRequests.get()).isZero();
  }

  /** Path.of drops a trailing slash: `--sink out/` wrote a file named out, `--report` too. */
  @Test
  void aSinkOrReportNamedWithATrailingSlashIsRefusedAsADirectory() throws IOException {
    Path src = source(urls(2));
    for (List<String> more : List.of(List.of("--sink", dir.resolve("out") + "/"),
        List.of("--sink", dir.resolve("out") + "/", "--dry-run"),
        List.of("--sink", dir.resolve("out") + "/."),
        List.of("--report", dir.resolve("out") + "/"))) {
      Cli.Result r = scrape(src, more.toArray(String[]::new));

      assertThat(r.code()).as("%s: %s", more, r.err()).isEqualTo(2);
      assertThat(r.err()).as("%s", more).contains("so it names a directory");
      assertThat(dir.resolve("out")).as("%s", more).doesNotExist();
    }
    assertThat(site.articleRequests.get()).isZero();
    // A source file named with a slash was read as the file.
    Cli.Result slashed = Cli.run("scrape", "--source", src + "/", "--sink",
        dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--progress", "none");
    assertThat(slashed.code()).as(slashed.err()).isEqualTo(2);
    assertThat(slashed.err()).contains("ends with '/', but " + src + " is a file");
  }

  /** A dry run builds no fetcher: it said 0 where the run refuses the origin with 2. */
  @Test
  void dryRunRefusesTheOriginOrUserAgentTheRunWouldRefuse() throws IOException {
    Path src = source(urls(3));
    Cli.Result origin = scrape(src, "--dry-run", "--origin", "http://u:hunter2@mirror/?t=s3cr3t");
    Cli.Result agent = scrape(src, "--dry-run", "--user-agent", " ");
    Cli.Result file = scrape(src, "--origin", "file:///srv/mirror");
    // Taken, its port failed the first request, which was retried: exit 75 with a stack trace.
    Cli.Result port = scrape(src, "--dry-run", "--origin", "http://127.0.0.1:99999");

    assertThat(origin.code()).isEqualTo(2);
    assertThat(origin.err()).contains("--origin: ", "no query, fragment or user info")
        .doesNotContain("hunter2", "s3cr3t");
    // Given as an option, the message blamed the variable it defaults to.
    assertThat(file.code()).isEqualTo(2);
    assertThat(file.err()).contains("--origin: ").doesNotContain("PIXIV_ORIGIN");
    assertThat(port.code()).isEqualTo(2);
    assertThat(port.err()).contains("--origin: origin's port must be from 1 to 65535, was 99999");
    Cli.Result zero = scrape(src, "--origin", "http://127.0.0.1:0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("port must be from 1 to 65535, was 0");
    for (String dry : List.of("--dry-run", "--progress=none")) {
      Cli.Result empty = scrape(src, dry, "--origin", "");
      assertThat(empty.code()).as(empty.err()).isEqualTo(2);
      assertThat(empty.err()).contains("--origin is empty: give a URL such as"
          + " http://127.0.0.1:8080, or leave the option out");
    }
    assertThat(site.articleRequests.get()).isZero();
    assertThat(agent.code()).isEqualTo(2);
    assertThat(agent.err()).contains("--user-agent must be non-blank");
    assertThat(site.articleRequests.get()).isZero();
  }

  /**
   * An origin that cannot be read was shown up to its host, or whole: a secret pasted in it was
   * printed and logged. It is shown by its scheme alone, with and without a dry run.
   */
  @Test
  void anOriginThatCannotBeReadIsShownByItsSchemeAlone() throws IOException {
    Path src = source(urls(3));
    Map<String, String> shown = Map.of(
        "http://HUNTER2%40127.0.0.1:18501", "'http://***'",
        "http://127.0.0.1:18501\\HUNTER2", "'http://***' is not a URL",
        "http://[HUNTER2]:18501", "'http://***' is not a URL",
        "ftp://HUNTER2", "'ftp://***'",
        "http://127.0.0.1:18401%2fHUNTER2", "'http://***'",
        "HUNTER2://127.0.0.1", "'***'");
    for (var origin : shown.entrySet()) {
      for (String dry : List.of("--dry-run", "--progress=none")) {
        Cli.Result r = scrape(src, dry, "--origin", origin.getKey());

        assertThat(r.code()).as(origin.getKey()).isEqualTo(2);
        assertThat(r.err()).as(origin.getKey()).contains("--origin", origin.getValue())
            .doesNotContain("HUNTER2");
        assertThat(r.out()).as(origin.getKey()).doesNotContain("HUNTER2");
        if (dry.equals("--progress=none")) {
          assertThat(r.err()).as(origin.getKey()).contains("PIXIV_RESULT");
        }
      }
    }
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void dryRunListsTheShardsItemsAndTheEstimateWithoutFetching() throws IOException {
    Cli.Result r = scrape(source(urls(10)), "--dry-run", "--qps", "0.2");
    assertThat(r.code()).isZero();
    assertThat(r.lines()).containsExactlyInAnyOrderElementsOf(urls(10));
    assertThat(r.err()).contains("10 items to fetch", "at 0.2 requests/s", "50s");
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void dryRunAtTheSlowestRateNamesThatRateRatherThanZero() throws IOException {
    Cli.Result r = scrape(source(urls(2)), "--dry-run", "--qps", "0.0001");
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("at 0.0001 requests/s about 5h33m20s");
  }

  @Test
  void limitCapsTheItemsFetched() throws IOException {
    assertThat(scrape(source(urls(10)), "--limit", "3").code()).isZero();
    assertThat(rows()).hasSize(3);
  }

  @Test
  void batchIndexTakesTheKthSliceOfTheSortedSourceAsTheOriginalDid() throws IOException {
    List<String> sorted = urls(25).stream().sorted().toList();
    assertThat(scrape(source(urls(25)), "--batch_index", "1", "--batch-size", "10").code())
        .isZero();
    assertThat(rows()).extracting(ArticleRow::url)
        .containsExactlyInAnyOrderElementsOf(sorted.subList(10, 20));
  }

  @Test
  void archivedPagesReplayIntoRowsWithoutAnyRequest() throws IOException {
    Path archive = dir.resolve("archive");
    Path csv = dir.resolve("names.csv");
    List<String> lines = new ArrayList<>(List.of("url,middle_class_ip_name"));
    urls(8).forEach(u -> lines.add(u + ",name of " + u.substring(u.lastIndexOf('/') + 1)));
    Files.write(csv, lines);
    assertThat(scrape(csv, "--archive", archive.toString()).code()).isZero();
    int before = site.articleRequests.get();
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink", replayed.toString(),
        "--progress", "none", "--drift-min-pages", "5");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(site.articleRequests.get()).isEqualTo(before);
    List<ArticleRow> again = Files.readAllLines(replayed).stream().map(RowJson::read).toList();
    assertThat(again).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(urls(8));
    assertThat(again).extracting(ArticleRow::contentHash)
        .containsExactlyInAnyOrderElementsOf(rows().stream().map(ArticleRow::contentHash).toList());
    // The source's pass-through columns are the archive's too: the replayed row keeps them.
    assertThat(again).allSatisfy(row -> assertThat(row.middleClassIpName())
        .isEqualTo("name of " + row.url().substring(row.url().lastIndexOf('/') + 1)));
  }

  @Test
  void anArchiveAnotherRunWritesStopsTheRunBeforeItMakesItsSink() throws IOException {
    Path archive = dir.resolve("archive");
    Path src = source(urls(3));
    Path sink = dir.resolve("rows.ndjson");
    try (PageArchive held = PageArchive.open(archive)) {
      Cli.Result r = scrape(src, "--archive", archive.toString());
      Cli.Result dry = scrape(src, "--archive", archive.toString(), "--dry-run");

      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.TEMPORARY);
      assertThat(r.err()).contains(PageArchive.indexOf(archive).toString()).contains("in use");
      // As for a sink another run holds: the final line said REFUSED, as for a bad option.
      assertThat(r.err()).contains("\"stop_reason\":\"SINK_FAILED\"");
      assertThat(sink).doesNotExist();
      assertThat(dir.resolve("rows.ndjson.lock")).doesNotExist();
      assertThat(dry.code()).as(dry.err()).isZero();
      assertThat(site.articleRequests.get()).isZero();
      // The archive's own lock is still its holder's.
      held.put(ArticleUrl.ofTitle("x"), 200, "text/html", Instant.EPOCH, new byte[] {1});
    }
    assertThat(scrape(src, "--archive", archive.toString()).code()).isZero();
    assertThat(rows()).hasSize(3);
  }

  /**
   * A later week's failed fetches (a 503 after the retries, a block, an empty answer) are in the
   * archive after the good pages of the same URLs: the replay re-parses the pages.
   */
  @Test
  void aReplayReadsTheLastPageOfEachUrlNotAFailedFetchAfterIt() throws IOException {
    Path archive = dir.resolve("archive");
    List<String> names = List.of("full", "no-counts", "no-summary", "title-emoji",
        "seven-digit-counts", "zero-counts");
    try (PageArchive pages = PageArchive.open(archive)) {
      for (String name : names) {
        pages.put(ArticleUrl.ofTitle(name), 200, "text/html", Instant.EPOCH, Files.readAllBytes(
            ParseCommandTest.CORPUS.resolve("current-dom-" + name + ".html")));
      }
      Instant later = Instant.EPOCH.plus(Duration.ofDays(7));
      byte[] busy = "<html><body>Service Unavailable</body></html>".getBytes(UTF_8);
      for (String name : names.subList(0, 5)) {
        pages.put(ArticleUrl.ofTitle(name), 503, "text/html", later, busy);
      }
      pages.put(ArticleUrl.ofTitle("full"), 429, "text/html", later, busy);
      pages.put(ArticleUrl.ofTitle("no-counts"), 200, "text/html", later, new byte[0]);
      pages.put(ArticleUrl.ofTitle("only-failed"), 503, "text/html", later, busy);
    }
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink", replayed.toString(),
        "--progress", "none", "--drift-min-pages", "1");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(replayed).stream().map(RowJson::read).map(ArticleRow::url))
        .containsExactlyInAnyOrderElementsOf(names.stream()
            .map(n -> ArticleUrl.ofTitle(n).canonical()).toList());
  }

  @Test
  void aReplayInMergeModeIntoBigQueryIsRefusedAsItWouldReplaceNoRow() throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(2)), "--archive", archive.toString()).code()).isZero();
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        "bq:my-project.my_dataset.pixiv_detail_info", "--sink-mode", "merge", "--progress",
        "none");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--sink-mode merge", "--sink-mode append");
    // Into a file, merge means nothing: refused, as a scrape refuses it.
    Cli.Result file = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--sink-mode", "merge", "--progress", "none");
    assertThat(file.code()).isEqualTo(2);
    assertThat(file.err()).contains("--sink-mode merge is for BigQuery sinks");
    assertThat(replayed).doesNotExist();
  }

  /**
   * --sink-mode merge with a file sink was taken and ignored: the run appended, and the user
   * believed the file held one row per URL. It is refused, saying which sinks take it; so is a
   * mode that is neither append nor merge.
   */
  @Test
  void mergeModeIntoAFileIsRefusedSayingWhichSinksTakeIt() throws IOException {
    Path src = source(urls(2));

    Cli.Result merge = scrape(src, "--sink-mode", "merge");
    Cli.Result dryRun = scrape(src, "--sink-mode", "MERGE", "--dry-run");
    Cli.Result unknown = scrape(src, "--sink-mode", "upsert");

    assertThat(merge.code()).isEqualTo(2);
    assertThat(merge.err()).contains("--sink-mode merge is for BigQuery sinks (--sink"
        + " bq:PROJECT.DATASET.TABLE)", "leave --sink-mode out, or give a bq: --sink");
    assertThat(dryRun.code()).isEqualTo(2);
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--sink-mode is append or merge, was 'upsert'");
    assertThat(dir.resolve("rows.ndjson")).doesNotExist();
    assertThat(scrape(src, "--sink-mode", "append").code()).isZero();
    assertThat(rows()).hasSize(2);
  }

  @Test
  void damagedArchivedPagesExit65NamingTheBlobsWhileTheOthersReplay() throws IOException {
    Path archive = dir.resolve("archive");
    List<Path> blobs = new ArrayList<>();
    try (PageArchive pages = PageArchive.open(archive)) {
      for (String name : List.of("full", "no-counts", "zero-counts", "no-summary", "title-emoji",
          "seven-digit-counts")) {
        byte[] page = Files.readAllBytes(
            ParseCommandTest.CORPUS.resolve("current-dom-" + name + ".html"));
        String sha = pages.put(ArticleUrl.ofTitle(name), 200, "text/html", Instant.EPOCH, page)
            .sha256();
        blobs.add(archive.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha + ".gz"));
      }
    }
    byte[] whole = Files.readAllBytes(blobs.get(0));
    Files.write(blobs.get(0), java.util.Arrays.copyOf(whole, whole.length / 2)); // truncated
    Files.writeString(blobs.get(1), "garbage"); // not gzip at all
    // Whole gzip, but another page: it fails its hash check.
    Files.write(blobs.get(2), Files.readAllBytes(blobs.get(3)));
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink", replayed.toString(),
        "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(Files.readAllLines(replayed).stream().map(RowJson::read).map(ArticleRow::url))
        .containsExactlyInAnyOrder(ArticleUrl.ofTitle("no-summary").canonical(),
            ArticleUrl.ofTitle("title-emoji").canonical(),
            ArticleUrl.ofTitle("seven-digit-counts").canonical());
    for (Path blob : blobs.subList(0, 3)) {
      assertThat(r.err()).contains(blob.toString());
    }
  }

  @Test
  void replayOnSeveralThreadsStoresEveryArchivedPageOnceWithTheRowsOfOneThread()
      throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(30)), "--archive", archive.toString()).code()).isZero();
    Path one = dir.resolve("one.ndjson");
    Path four = dir.resolve("four.ndjson");

    Cli.Result r1 = Cli.run("replay", "--archive", archive.toString(), "--sink", one.toString(),
        "--progress", "none", "--threads", "1", "--flush-rows", "7");
    Cli.Result r4 = Cli.run("replay", "--archive", archive.toString(), "--sink", four.toString(),
        "--progress", "none", "--threads", "4", "--flush-rows", "7");

    assertThat(r1.code()).as(r1.err()).isZero();
    assertThat(r4.code()).as(r4.err()).isZero();
    List<ArticleRow> single = Files.readAllLines(one).stream().map(RowJson::read).toList();
    List<ArticleRow> parallel = Files.readAllLines(four).stream().map(RowJson::read).toList();
    assertThat(parallel).extracting(ArticleRow::url).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(urls(30));
    assertThat(parallel).extracting(row -> row.url() + " " + row.contentHash())
        .containsExactlyInAnyOrderElementsOf(
            single.stream().map(row -> row.url() + " " + row.contentHash()).toList());
    assertThat(Cli.run("replay", "--archive", archive.toString(), "--sink", four.toString(),
        "--threads", "0").code()).isEqualTo(2);
  }

  @Test
  void anArchiveThatIsTheSinkFileOrBelowItIsRefusedLeavingNoNewSink() throws IOException {
    Path sink = dir.resolve("rows.ndjson"); // the sink of scrape()
    Cli.Result same = scrape(source(urls(2)), "--archive", sink.toString());
    Cli.Result below = scrape(source(urls(2)), "--archive", sink.resolve("pages").toString());

    assertThat(same.code()).as(same.err()).isEqualTo(2);
    assertThat(same.err()).contains("--archive " + sink + " is the --sink file");
    assertThat(below.code()).as(below.err()).isEqualTo(2);
    assertThat(below.err()).contains("is below the --sink file");
    assertThat(sink).as("no new, empty sink").doesNotExist();
    assertThat(Path.of(sink + ".lock")).doesNotExist();
    assertThat(site.articleRequests.get()).isZero();
  }

  @Test
  void replayGoesOnAfterAStoppedReplayWithoutStoringItsPagesTwice() throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(8)), "--archive", archive.toString()).code()).isZero();
    Path replayed = dir.resolve("replayed.ndjson");
    // A replay that stopped after three pages.
    assertThat(Cli.run("replay", "--archive", archive.toString(), "--sink", replayed.toString(),
        "--progress", "none", "--limit", "3").code()).isZero();
    List<String> first = Files.readAllLines(replayed);
    assertThat(first).hasSize(3);

    Cli.Result dry = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--refresh-after", "1h", "--dry-run");
    Cli.Result dryLimited = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--refresh-after", "1h", "--dry-run", "--limit", "2");
    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--refresh-after", "1h");

    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out().lines()).hasSize(5);
    assertThat(dry.err()).contains("5 archived pages would be parsed again", "3 already stored");
    assertThat(dryLimited.code()).as(dryLimited.err()).isZero();
    assertThat(dryLimited.out().lines()).as("--limit counts as the replay does").hasSize(2);
    assertThat(dryLimited.err()).contains("2 archived pages would be parsed again");
    assertThat(r.code()).as(r.err()).isZero();
    List<ArticleRow> all = Files.readAllLines(replayed).stream().map(RowJson::read).toList();
    assertThat(all).extracting(ArticleRow::url).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(urls(8));
    assertThat(Files.readAllLines(replayed).subList(0, 3)).isEqualTo(first);
  }

  @Test
  void aDamagedArchiveIndexLineStopsTheReplayBeforeItOpensTheSinkSayingHowToRepairIt()
      throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(4)), "--archive", archive.toString()).code()).isZero();
    Path index = archive.resolve("index.ndjson");
    List<String> lines = new ArrayList<>(Files.readAllLines(index));
    lines.add(2, "{\"url\":"); // a disk's damage in the middle
    Files.write(index, lines);
    Path replayed = dir.resolve("replayed.ndjson");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(65);
    assertThat(r.err()).contains("index.ndjson: line 3: not an archive entry",
        "sed -i '3d' ", "index.ndjson, while no run writes the archive");
    assertThat(replayed).as("no new, empty sink left behind").doesNotExist();
    assertThat(Path.of(replayed + ".lock")).doesNotExist();
    lines.remove(2);
    Files.write(index, lines);
    assertThat(Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none", "--drift-min-pages", "2").code()).isZero();
    assertThat(Files.readAllLines(replayed)).hasSize(4);
  }

  @Test
  void replayParsesEveryPageAgainByDefaultThoughTheSinkHoldsFreshRowsOfThem()
      throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(4)), "--archive", archive.toString()).code()).isZero();

    String sink = dir.resolve("rows.ndjson").toString(); // the scrape's rows, minutes old
    Cli.Result dry = Cli.run("replay", "--archive", archive.toString(), "--sink", sink,
        "--dry-run");
    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink", sink,
        "--progress", "none", "--drift-min-pages", "2");

    assertThat(dry.out().lines()).hasSize(4);
    assertThat(dry.err()).contains("0 already stored");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> twice = new ArrayList<>(urls(4));
    twice.addAll(urls(4));
    assertThat(rows()).extracting(ArticleRow::url).containsExactlyInAnyOrderElementsOf(twice);
  }

  @Test
  void aReplayDryRunOverADamagedSinkFailsAsTheReplayItForetellsWould() throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(3)), "--archive", archive.toString()).code()).isZero();
    Path sink = dir.resolve("rows.ndjson");
    List<String> lines = new ArrayList<>(Files.readAllLines(sink));
    lines.add(1, "{\"url\": \"https://dic.pixiv.net/a/cut"); // damaged mid-file, not torn
    Files.write(sink, lines);

    Cli.Result dry = Cli.run("replay", "--archive", archive.toString(), "--sink",
        sink.toString(), "--dry-run");
    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        sink.toString(), "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(dry.code()).as(dry.err()).isEqualTo(r.code());
    assertThat(dry.err()).contains(sink.toString());
    assertThat(dry.out()).isEmpty();
  }

  /**
   * A sink whose lines end in a carriage return alone was cut whole into FILE.torn, as if a
   * crash had torn one line, and its rows fetched again; a FILE.torn that is a directory passed
   * the dry run and failed the run. Dry run and run now give the same code, and change nothing.
   */
  @Test
  void aDryRunAndARunAgreeOnATailNoCrashLeavesAndOnATornFileThatIsNoFile() throws IOException {
    Path src = source(urls(3));
    assertThat(scrape(src).code()).isZero();
    Path sink = dir.resolve("rows.ndjson");
    String whole = Files.readString(sink);

    Files.writeString(sink, whole.replace('\n', '\r'));
    Cli.Result dry = scrape(src, "--dry-run");
    Cli.Result r = scrape(src);
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(r.err()).contains("carriage return");
    assertThat(dry.code()).as(dry.err()).isEqualTo(r.code());
    assertThat(dir.resolve("rows.ndjson.torn")).doesNotExist();
    assertThat(Files.readString(sink)).isEqualTo(whole.replace('\n', '\r'));

    Files.writeString(sink, whole + "{\"url\":\"https://dic.pi");
    Files.createDirectory(dir.resolve("rows.ndjson.torn"));
    dry = scrape(src, "--dry-run");
    r = scrape(src);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(dry.code()).as(dry.err()).isEqualTo(2);
    assertThat(dry.err()).contains("rows.ndjson.torn is a symbolic link or not a regular file");
  }

  @Test
  void nonsenseOptionsAreRejectedWithExit2() throws IOException {
    Path src = source(urls(1));
    assertThat(scrape(src, "--qps", "-1").err()).contains("qps");
    assertThat(scrape(src, "--qps", "-1").code()).isEqualTo(2);
    assertThat(scrape(src, "--shard", "5/5").code()).isEqualTo(2);
    assertThat(scrape(src, "--flush-interval", "soon").code()).isEqualTo(2);
    assertThat(Cli.run("scrape", "--source", dir.resolve("missing.txt").toString()).err())
        .contains("no such file");
    assertThat(Cli.run("scrape").code()).isEqualTo(2);
  }

  /** A pipe was said to be missing ("no such file"). */
  @Test
  void aSourceThatIsAPipeOrADeviceIsNamedAsSuchAndStandardInputIsAdvised() throws Exception {
    Path fifo = dir.resolve("urls.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    java.util.Map<String, String> said = java.util.Map.of(fifo.toString(), "a named pipe",
        "/dev/null", "a device");
    for (java.util.Map.Entry<String, String> e : said.entrySet()) {
      Cli.Result r = Cli.run("scrape", "--source", e.getKey(), "--sink",
          dir.resolve("rows.ndjson").toString(), "--dry-run");

      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("--source " + e.getKey() + " is not a regular file ("
          + e.getValue() + "); to read a pipe, give --source - and redirect the pipe to standard"
          + " input");
    }
  }

  /**
   * What lay at a page's address in the archive was trusted: an empty file there meant scrape
   * exited 0 and the replay 65; a directory, too, and the replay's message named no path.
   */
  @Test
  void aDamagedArchivedPageIsStoredAgainAndADirectoryInItsPlaceIsRefusedByName()
      throws IOException {
    Path archive = dir.resolve("archive");
    Path replayed = dir.resolve("replayed.ndjson");
    assertThat(scrape(source(urls(2)), "--archive", archive.toString()).code()).isZero();
    Path blob; // the site answers every article with the same page
    try (var files = Files.walk(archive.resolve("objects"))) {
      blob = files.filter(p -> p.toString().endsWith(".gz")).findFirst().orElseThrow();
    }
    Files.write(blob, new byte[0]);
    Files.delete(dir.resolve("rows.ndjson"));

    assertThat(scrape(source(urls(2)), "--archive", archive.toString()).code()).isZero();
    Cli.Result whole = Cli.run("replay", "--archive", archive.toString(), "--sink",
        replayed.toString(), "--progress", "none");

    assertThat(whole.code()).as(whole.err()).isZero();
    assertThat(Files.readAllLines(replayed)).hasSize(2);
    Files.delete(blob);
    Files.createDirectory(blob);
    Files.delete(dir.resolve("rows.ndjson"));

    Cli.Result refused = scrape(source(urls(2)), "--archive", archive.toString());
    Cli.Result replay = Cli.run("replay", "--archive", archive.toString(), "--sink",
        dir.resolve("again.ndjson").toString(), "--progress", "none");

    assertThat(refused.code()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err()).contains(blob + " is not a file");
    assertThat(replay.code()).as(replay.err()).isEqualTo(ExitCodes.PARSE_BREAKAGE);
    assertThat(replay.err()).contains(blob + ": is not a file");
  }

  /** Every page failed as if the disk had (exit 75, retry later) when objects was a file. */
  @Test
  void aReplayOfAnArchiveWhoseObjectsIsAFileIsRefused() throws IOException {
    Path archive = dir.resolve("archive");
    assertThat(scrape(source(urls(2)), "--archive", archive.toString()).code()).isZero();
    try (var blobs = Files.walk(archive.resolve("objects"))) {
      for (Path p : blobs.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.writeString(archive.resolve("objects"), "");

    Cli.Result r = Cli.run("replay", "--archive", archive.toString(), "--sink",
        dir.resolve("replayed.ndjson").toString(), "--progress", "none");

    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("objects is not a directory");
  }
  /**
   * The dry run passed (exit 0) what the run then refused: an archive whose index is not ours,
   * whose index lock is a link, or whose objects is a file; a sink whose lock's name is too long
   * for the file system (the run said 69, retry, for a name that never works).
   */
  @Test
  void aDryRunRefusesWhatTheRunRefusesWithTheSameCode() throws IOException {
    Path src = source(urls(2));
    Path archive = dir.resolve("archive");
    Files.createDirectories(archive);
    Path index = archive.resolve("index.ndjson");
    Path lock = archive.resolve("index.ndjson.lock");
    Path objects = archive.resolve("objects");
    List<Runnable> breakages = List.of(
        () -> write(index, "{\"my\":\"notes\"}\n"),
        () -> link(lock, dir.resolve("precious.txt")),
        () -> write(objects, "notes\n"));
    write(dir.resolve("precious.txt"), "precious\n");
    for (Runnable broken : breakages) {
      for (Path p : List.of(index, lock, objects)) {
        Files.deleteIfExists(p);
      }
      broken.run();
      for (String mode : List.of("--dry-run", "--strict")) {
        Cli.Result r = scrape(src, "--archive", archive.toString(), mode);

        assertThat(r.code()).as(mode + ": " + r.err()).isEqualTo(2);
        assertThat(dir.resolve("rows.ndjson")).doesNotExist();
      }
    }
    assertThat(Files.readString(dir.resolve("precious.txt"))).isEqualTo("precious\n");

    Path longName = dir.resolve("r".repeat(245) + ".ndjson");
    for (String mode : List.of("--dry-run", "--strict")) {
      Cli.Result r = Cli.run("scrape", "--source", src.toString(), "--sink",
          longName.toString(), "--origin", site.origin(), "--progress", "none", mode);

      assertThat(r.code()).as(mode + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("File name too long");
    }
    assertThat(site.articleRequests).hasValue(0);
  }

  /**
   * A source without one URL (names, a key, UTF-16 from a spreadsheet) was a success with
   * nothing done; UTF-16 is now read, and a file of bad lines alone is a usage error.
   */
  @Test
  void aSourceWithoutOneUrlIsRefusedAndUtf16IsRead() throws IOException {
    Path names = dir.resolve("names.txt");
    Files.writeString(names, "初音ミク\nVOCALOID\n");
    for (String[] mode : List.of(new String[] {"--dry-run"}, new String[0])) {
      Cli.Result r = scrape(names, mode);

      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("names.txt:1: not one of its records could be read");
    }
    assertThat(site.articleRequests).hasValue(0);

    Path utf16 = dir.resolve("urls.txt");
    Files.write(utf16, ("\uFEFF" + String.join("\n", urls(3)) + "\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    Cli.Result r = Cli.run("scrape", "--source", utf16.toString(), "--sink",
        dir.resolve("rows.ndjson").toString(), "--origin", site.origin(), "--qps", "1000",
        "--progress", "none", "--drift-min-pages", "5");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rows()).hasSize(3);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void link(Path link, Path target) {
    try {
      Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

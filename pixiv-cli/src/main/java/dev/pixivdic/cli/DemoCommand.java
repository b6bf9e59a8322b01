package dev.pixivdic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.parse.ArticleParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixiv demo}: the main job end to end against a loopback copy of the site. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Run the real scrape job against a copy of the site served on 127.0.0.1.",
    description = {"The copy is built from the golden corpus, and a few of its pages fail once",
        "to show retries.",
        "Needs no network. Run it twice: the second run fetches nothing.",
        "It writes only in a directory of its own (marked " + DemoCommand.MARK + "), never over",
        "files it did not write."})
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
      description = "Where the demo writes its source list, rows and report "
          + "(default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--fresh",
      description = "Delete the previous demo output first, so everything is fetched again"
          + " (only files the demo wrote: a directory marked " + MARK + ").")
  boolean fresh;

  @Option(names = "--qps", paramLabel = "Q", defaultValue = "20",
      description = "Requests per second against the loopback site, from 0.0001 to 10000 "
          + "(default: ${DEFAULT-VALUE}).")
  double qps;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "2",
      description = "Requests in flight, from 1 to 64 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  /** The file that marks a directory as the demo's own. */
  static final String MARK = ".pixiv-demo";

  private static final String HEADER = "url,middle_class_ip_name";

  /**
   * Why a column can be missing from most demo pages. The corpus keeps many DOM-only pages on
   * purpose: they test the parser's HTML fallbacks, which do not carry these columns.
   */
  private static final Map<String, String> ONLY_IN_EMBEDDED_JSON = Map.of(
      "article_id", "the page's embedded JSON",
      "related_tags", "the page's embedded JSON",
      "updated_at", "the page's embedded JSON or the legacy layout's update list");

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Path rows = out.resolve("pixiv_detail_info.ndjson");
    Path report = out.resolve("report.json");
    Path source = out.resolve("urls.csv");
    try {
      claim(List.of(rows, report, source), source);
    } catch (ConfigException | IOException e) {
      return Outcomes.refused("pixiv demo", e, err);
    }
    try (DemoSite site = DemoSite.start()) {
      List<String> urls = DemoSite.storedUrls(site.pages());
      try (Writer w = Files.newBufferedWriter(source, StandardCharsets.UTF_8)) {
        w.write(HEADER + "\n");
        for (String u : urls) {
          w.write(u + ",demo\n");
        }
      }
      err.printf("demo: serving %d corpus pages at %s (%d of them fail once); scraping %d "
          + "articles listed in %s%n",
          site.pages().size(), site.origin(), site.faults(), urls.size(), source);
      err.flush();
      int code = Main.commandLine(spec.commandLine().getOut(), err).execute("scrape",
          "--source", source.toString(), "--sink", rows.toString(), "--report", report.toString(),
          "--origin", site.origin().toString(), "--qps", String.valueOf(qps),
          "--concurrency", String.valueOf(concurrency), "--backoff", "200ms",
          "--drift-min-pages", "5", "--progress", "lines");
      explainCoverage(report, site.pages(), err);
      err.printf("%ndemo: rows in %s, report in %s (exit %d).%n", rows, report, code);
      err.printf("demo: run it again and nothing is fetched twice; add --fresh to start over.%n");
      err.printf("demo: against the real site (politely, one request every 5 s by default):%n");
      err.printf("  ./pixiv scrape --source urls.txt --sink out/pixiv_detail_info.ndjson "
          + "--report out/report.json%n");
      err.flush();
      return code;
    }
  }

  /**
   * Makes {@link #out} the demo's directory, or refuses it: the demo writes (and {@code --fresh}
   * deletes) its three files only where they are its own, which the {@link #MARK} file beside
   * them says. {@code --out out} would otherwise have replaced the rows and the report of real
   * runs, at the default places of {@code pixiv scrape}.
   *
   * @throws ConfigException when {@code --out} is not a directory, or holds any of the files
   *     without the mark
   */
  private void claim(List<Path> files, Path source) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ConfigException("--out " + out + ": not a directory; name a directory for the"
          + " demo's files (default out/demo)");
    }
    Path mark = out.resolve(MARK);
    List<Path> present = files.stream().filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
        .toList();
    if (!present.isEmpty() && !Files.isRegularFile(mark, LinkOption.NOFOLLOW_LINKS)
        && !isEarlierDemoList(source)) {
      throw new ConfigException("--out " + out + " holds " + present.stream()
          .map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
          + " that the demo did not write; they were left unchanged. Name a new or empty"
          + " directory (default out/demo)");
    }
    if (present.isEmpty() && Files.isDirectory(out)
        && !Files.isRegularFile(mark, LinkOption.NOFOLLOW_LINKS)) {
      // Its own directory, as its help says: --out / or --out ~ put the demo's files among the
      // user's.
      try (java.util.stream.Stream<Path> entries = Files.list(out)) {
        List<Path> others = entries.limit(2).toList();
        if (!others.isEmpty()) {
          throw new ConfigException("--out " + out + " holds " + others.get(0).getFileName()
              + (others.size() == 1 ? ", which the demo did not write"
                  : " and other files that the demo did not write")
              + ", and the demo writes only in a directory of its own; name a new or empty"
              + " directory with --out (by default out/demo)");
        }
      }
    }
    if (fresh) {
      for (Path p : files) {
        Files.deleteIfExists(p);
      }
    }
    Files.createDirectories(out);
    if (!Files.exists(mark, LinkOption.NOFOLLOW_LINKS)) {
      Files.writeString(mark, "pixiv demo: the files beside this one are the demo's; pixiv demo"
          + " --fresh deletes them\n", StandardCharsets.UTF_8);
    }
  }

  /**
   * Whether {@code source} is the list an earlier demo wrote before {@link #MARK} existed: its
   * header, then one line per article ending in {@code ,demo}. Stops at the first other line.
   */
  private static boolean isEarlierDemoList(Path source) throws IOException {
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (BufferedReader r = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
      if (!HEADER.equals(r.readLine())) {
        return false;
      }
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.startsWith("https://dic.pixiv.net/a/") || !line.endsWith(",demo")) {
          return false;
        }
      }
      return true;
    } catch (java.nio.charset.CharacterCodingException notText) {
      return false;
    }
  }

  /**
   * Names the columns the summary reported below 50% and says why the demo pages lack them, so
   * that a successful demo does not read as a parser fault.
   */
  private static void explainCoverage(Path report, Map<String, DemoSite.Page> pages,
      PrintWriter err) throws IOException {
    if (!Files.exists(report)) {
      return;
    }
    JsonNode coverage = new ObjectMapper().readTree(report.toFile()).path("coverage");
    List<String> low = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : coverage.properties()) {
      if (e.getValue().asDouble() < 0.5) {
        low.add(e.getKey());
      }
    }
    if (low.isEmpty()) {
      return;
    }
    long articles = pages.values().stream().filter(p -> p.outcome().equals("ARTICLE")).count();
    // The pages whose embedded JSON holds their own article: a page may hold another page's
    // JSON (a decoy), which gives none of these columns.
    ArticleParser parser = ArticleParser.create();
    long embedding = pages.values().stream().filter(p -> p.outcome().equals("ARTICLE"))
        .filter(p -> parser.parse(new dev.pixivdic.core.parse.Page(p.url(), p.status(),
            p.contentType(), p.body())).row().map(r -> r.articleId() != null).orElse(false))
        .count();
    err.printf("%ndemo: the low coverage above comes from the demo pages, not from the parser:%n");
    for (String column : low) {
      String where = ONLY_IN_EMBEDDED_JSON.get(column);
      err.printf("  %-14s %s%n", column, where == null
          ? "is missing from most demo pages (pixiv-core/src/test/resources/corpus)"
          : "is only in " + where + ";");
    }
    err.printf("  %d of the %d demo articles embed their own entry in that JSON (__NEXT_DATA__);%n"
        + "  the others are DOM-only pages, or hold another page's JSON, kept to test the HTML%n"
        + "  fallbacks and the ownership rules (docs/parsing.md). In a real run, a%n"
        + "  column that falls below its usual coverage means the site changed.%n",
        embedding, articles);
  }
}

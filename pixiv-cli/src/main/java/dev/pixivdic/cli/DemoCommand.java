package dev.pixivdic.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixiv demo}: the main job end to end against a loopback copy of the site. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the real scrape job against a copy of the site served on 127.0.0.1, built from the golden corpus",
        "(a few pages fail once to show retries). Needs no network. Run it twice: the second run fetches nothing."})
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
      description = "Where the demo writes its source list, rows and report (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--fresh", description = "Delete the previous demo output first, so everything is fetched again.")
  boolean fresh;

  @Option(names = "--qps", paramLabel = "Q", defaultValue = "20",
      description = "Requests per second against the loopback site, from 0.0001 to 10000 (default: ${DEFAULT-VALUE}).")
  double qps;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "2",
      description = "Requests in flight, from 1 to 64 (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Path rows = out.resolve("pixiv_detail_info.ndjson");
    Path report = out.resolve("report.json");
    Path source = out.resolve("urls.csv");
    if (fresh) {
      for (Path p : List.of(rows, report, source)) {
        Files.deleteIfExists(p);
      }
    }
    Files.createDirectories(out);
    try (DemoSite site = DemoSite.start()) {
      List<String> urls = DemoSite.storedUrls(site.pages());
      try (Writer w = Files.newBufferedWriter(source, StandardCharsets.UTF_8)) {
        w.write("url,middle_class_ip_name\n");
        for (String u : urls) {
          w.write(u + ",demo\n");
        }
      }
      err.printf("demo: serving %d corpus pages at %s (%d of them fail once); scraping %d articles listed in %s%n",
          site.pages().size(), site.origin(), site.faults(), urls.size(), source);
      err.flush();
      int code = Main.commandLine(spec.commandLine().getOut(), err).execute("scrape",
          "--source", source.toString(), "--sink", rows.toString(), "--report", report.toString(),
          "--origin", site.origin().toString(), "--qps", String.valueOf(qps),
          "--concurrency", String.valueOf(concurrency), "--backoff", "200ms",
          "--drift-min-pages", "5", "--progress", "lines");
      err.printf("%ndemo: rows in %s, report in %s (exit %d).%n", rows, report, code);
      err.printf("demo: run it again and nothing is fetched twice; add --fresh to start over.%n");
      err.printf("demo: against the real site (politely, one request every 5 s by default):%n");
      err.printf("  ./pixiv scrape --source urls.txt --sink out/pixiv_detail_info.ndjson --report out/report.json%n");
      err.flush();
      return code;
    }
  }
}

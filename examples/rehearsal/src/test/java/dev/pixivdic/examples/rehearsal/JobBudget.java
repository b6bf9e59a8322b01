package dev.pixivdic.examples.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Shard;
import dev.pixivdic.examples.rehearsal.digdag.Session;
import dev.pixivdic.examples.rehearsal.digdag.Workflow;
import dev.pixivdic.examples.rehearsal.kube.StandInCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code examples/rehearsal/rehearse budget}: how much of its politeness budget a whole weekly Job
 * uses. Plays the scrape task of {@code pixiv_scraping.dig} on this machine (the launcher, a Job of
 * real {@code pixiv} processes, the BigQuery stand-in) and reports wall time ÷ (requests ÷ qps),
 * with the launcher's and every pod's start, source query, loads and ledger included; 1.00 would
 * be a Job that sends its requests at exactly the global rate from its first second to its last.
 * Then it shows where the rest went, shard by shard: from the pod's first log line to its first
 * request, its requests, and from its last request to its last log line.
 *
 * <pre>
 * rehearse budget [urls] [shards] [parallelism] [qps]     (default 400 8 4 20)
 * </pre>
 *
 * A measurement, not a test: the figures depend on the machine and its load, so nothing here
 * asserts a time (docs/performance.md keeps the measured ratios).
 */
final class JobBudget {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobBudget() {}

  /** One shard's timeline: its pod's log, and the site's requests for its URLs. */
  private record ShardTimes(
      int index, Instant logStart, Instant firstHit, Instant lastHit, Instant logEnd, int hits) {}

  static int play(List<String> args, PrintStream out) throws Exception {
    int urls = args.size() > 0 ? positive(args.get(0), "urls") : 400;
    int shards = args.size() > 1 ? positive(args.get(1), "shards") : 8;
    int parallelism = args.size() > 2 ? positive(args.get(2), "parallelism") : 4;
    double qps = args.size() > 3 ? Double.parseDouble(args.get(3)) : 20;
    if (!(qps > 0) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps must be > 0 and finite, was " + args.get(3));
    }
    Path dir = Files.createTempDirectory("rehearsal-budget");
    Path logs = Rehearsal.repositoryRoot().resolve("examples/rehearsal/target/job-budget");
    Files.createDirectories(logs);
    try (PrintStream task = new PrintStream(logs.resolve("task.log").toFile(), "UTF-8");
        Rehearsal r = new Rehearsal(dir, task)) {
      int articles = r.site.articles().size();
      if (urls < articles) {
        throw new IllegalArgumentException("urls must be >= " + articles + " (the corpus's)");
      }
      String dataset = "budget";
      List<String> seeded = r.seedUrls(dataset, urls - articles);
      Workflow workflow =
          Workflow.load(Rehearsal.repositoryRoot().resolve("examples/digdag/pixiv_scraping.dig"));
      Session session = Rehearsal.session(dataset, shards, parallelism, qps);
      int podsBefore = r.cluster.pods().size();
      out.printf(
          Locale.ROOT,
          "job budget: %d URLs, %d shards, parallelism %d, qps %s (%s per pod)%n",
          seeded.size(), shards, parallelism, qps, qps / parallelism);
      Instant start = Instant.now();
      int code = r.run(workflow, workflow.task("scrape"), session);
      Instant end = Instant.now();
      if (code != 0) {
        out.printf("job budget: the scrape task exited %d; no figure%n", code);
        return code;
      }
      List<Site.Hit> hits = r.site.hitsSince(start);
      double wall = Duration.between(start, end).toNanos() / 1e9;
      double ideal = hits.size() / qps;
      int stored = r.storedUrls(dataset).size();
      out.printf(
          Locale.ROOT,
          "| URLs | shards | parallelism | qps | requests | rows | wall s | requests ÷ qps s"
              + " | ratio |%n| --- | --- | --- | --- | --- | --- | --- | --- | --- |%n"
              + "| %d | %d | %d | %s | %d | %d | %.2f | %.2f | **%.3f** |%n",
          seeded.size(), shards, parallelism, qps, hits.size(), stored, wall, ideal,
          wall / ideal);
      r.cluster.awaitNoContainerRunning(Duration.ofSeconds(40));
      List<StandInCluster.PodRun> pods = r.cluster.pods();
      pods = pods.subList(podsBefore, pods.size());
      for (StandInCluster.PodRun p : pods) {
        Files.writeString(logs.resolve(p.pod() + ".log"), p.log());
      }
      out.printf("job budget: the task's output and every pod's log are in %s%n", logs);
      breakdown(start, end, hits, shards, pods, qps, out);
      return 0;
    }
  }

  /** Where the time went: the pods' own start and end, and the Job's before and after. */
  private static void breakdown(Instant start, Instant end, List<Site.Hit> hits, int shards,
      List<StandInCluster.PodRun> pods, double qps, PrintStream out) {
    Map<Integer, List<Instant>> byShard = new HashMap<>();
    for (Site.Hit h : hits) {
      if (h.article()) {
        Optional<ArticleUrl> url = ArticleUrl.tryParse(ArticleUrl.ORIGIN + h.path());
        if (url.isEmpty()) {
          continue;
        }
        int shard = Shard.indexOf(url.get().canonical(), shards);
        byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(h.at());
      }
    }
    List<ShardTimes> times = new ArrayList<>();
    for (StandInCluster.PodRun p : pods) {
      List<Instant> stamps = logStamps(p.log());
      List<Instant> at = byShard.getOrDefault(p.index(), List.of());
      if (stamps.isEmpty() || at.isEmpty()) {
        continue;
      }
      times.add(new ShardTimes(p.index(), stamps.get(0), at.stream().min(Comparator.naturalOrder())
          .orElseThrow(), at.stream().max(Comparator.naturalOrder()).orElseThrow(),
          stamps.get(stamps.size() - 1), at.size()));
    }
    times.sort(Comparator.comparing(ShardTimes::logStart));
    out.printf("| shard | starts at s | log → first request s | requests | requesting s"
        + " | last request → log end s | ends at s |%n"
        + "| --- | --- | --- | --- | --- | --- | --- |%n");
    double head = 0;
    double tailSum = 0;
    for (ShardTimes t : times) {
      double before = seconds(t.logStart(), t.firstHit());
      double after = seconds(t.lastHit(), t.logEnd());
      head += before;
      tailSum += after;
      out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %d | %.2f | %.2f | %.2f |%n", t.index(),
          seconds(start, t.logStart()), before, t.hits(), seconds(t.firstHit(), t.lastHit()),
          after, seconds(start, t.logEnd()));
    }
    Optional<Instant> first = hits.stream().map(Site.Hit::at).min(Comparator.naturalOrder());
    Optional<Instant> last = hits.stream().map(Site.Hit::at).max(Comparator.naturalOrder());
    if (first.isPresent() && times.size() > 0) {
      out.printf(Locale.ROOT,
          "job budget: task start → first request %.2f s; first → last request %.2f s"
              + " (%.3f of requests ÷ qps); last request → task end %.2f s%n",
          seconds(start, first.get()), seconds(first.get(), last.get()),
          seconds(first.get(), last.get()) / (hits.size() / qps), seconds(last.get(), end));
      out.printf(Locale.ROOT,
          "job budget: per pod on average, %.2f s from its first log line to its first request"
              + " and %.2f s from its last request to its last log line%n",
          head / times.size(), tailSum / times.size());
    }
  }

  /** The time stamps of a pod's JSON log lines, in order (lines that are not JSON skipped). */
  private static List<Instant> logStamps(String log) {
    List<Instant> stamps = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(line);
        JsonNode t = n.get("time");
        if (t != null) {
          stamps.add(Instant.parse(t.asText()));
        }
      } catch (IOException | java.time.format.DateTimeParseException e) {
        // A line the pod printed that is not a log record: it carries no time.
      }
    }
    return stamps;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private static int positive(String value, String name) {
    int n = Integer.parseInt(value);
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
    return n;
  }
}

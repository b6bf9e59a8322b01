package dev.pixivdic.examples.rehearsal;

import dev.pixivdic.examples.rehearsal.digdag.Session;
import dev.pixivdic.examples.rehearsal.digdag.ShTask;
import dev.pixivdic.examples.rehearsal.digdag.Workflow;
import dev.pixivdic.examples.rehearsal.kube.StandInCluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code examples/rehearsal/rehearse}: plays one weekly run of a shipped workflow on this machine,
 * as the rehearsal tests do, and shows it as it happens: the task's command, the launcher's output
 * with every pod's log, then what the stand-ins saw. Exits with the last task's exit code.
 *
 * <pre>
 * rehearse [pixiv_scraping|pixiv_resolve_and_scraping] [weekly|retry|redesign|block|sigterm|kill]
 * rehearse budget [urls] [shards] [parallelism] [qps]
 * </pre>
 *
 * <p>{@code budget} measures how much of its politeness budget a whole Job uses ({@link
 * JobBudget}).
 */
public final class Rehearse {

  private static final Set<String> SCENARIOS =
      Set.of("weekly", "retry", "redesign", "block", "sigterm", "kill");

  private Rehearse() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("budget")) {
      System.exit(JobBudget.play(List.of(args).subList(1, args.length), System.out));
    }
    String name = args.length > 0 ? args[0].replaceFirst("\\.dig$", "") : "pixiv_scraping";
    String scenario = args.length > 1 ? args[1] : "weekly";
    PrintStream out = System.out;
    Path file = Rehearsal.repositoryRoot().resolve("examples/digdag/" + name + ".dig");
    if (args.length > 2 || !Files.exists(file) || !SCENARIOS.contains(scenario)) {
      System.err.println(
          "usage: rehearse [pixiv_scraping|pixiv_resolve_and_scraping]"
              + " [weekly|retry|redesign|block|sigterm|kill]\n"
              + "       rehearse budget [urls shards parallelism qps]");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("rehearsal");
    int code;
    try (Rehearsal r = new Rehearsal(dir, out)) {
      code = play(r, Workflow.load(file), scenario, out);
    }
    System.exit(code);
  }

  private static int play(Rehearsal r, Workflow workflow, String scenario, PrintStream out)
      throws Exception {
    String dataset = "rehearsal";
    boolean resolving = workflow.tasks().size() > 1;
    int sources = resolving ? r.seedNames(dataset, 3).size() : r.seedUrls(dataset, 22).size();
    boolean oneAtATime = scenario.equals("redesign") || scenario.equals("block");
    Session session = Rehearsal.session(dataset, 2, oneAtATime ? 1 : 2, 8);
    out.printf(
        "rehearsal: %s, session %s; the site at %s, BigQuery at %s; %d source rows%n",
        workflow.name(), session.uuid(), r.site.origin(), r.bq.endpoint(), sources);
    if (oneAtATime) {
      Site.Mode mode = scenario.equals("block") ? Site.Mode.BLOCKING : Site.Mode.REDESIGNED;
      r.afterIndexSucceeds(
          0,
          () -> {
            out.println("rehearsal: the first shard is done; from now on the site is " + mode);
            r.site.mode(mode);
          });
    }
    Instant start = Instant.now();
    int code = 0;
    for (Workflow.Task task : workflow.tasks()) {
      Instant taskStart = Instant.now();
      ShTask running = r.start(workflow, task, session);
      boolean signal = scenario.equals("sigterm") || scenario.equals("kill");
      if (signal && task.fullName().endsWith("+scrape")) {
        // Mid-run: once the pods have fetched a few articles, however long they took to start.
        if (!r.site.awaitHits(taskStart,
            hits -> hits.stream().filter(Site.Hit::article).count() >= 4, Duration.ofMinutes(2))) {
          out.println("rehearsal: no articles fetched within 2 min; signalling all the same");
        }
        if (scenario.equals("kill")) {
          out.println(
              "rehearsal: SIGKILL to the task (pid "
                  + running.handle().pid()
                  + "): nothing can clean up, the Job runs on");
          running.kill();
        } else {
          out.println(
              "rehearsal: SIGTERM to the task (pid "
                  + running.handle().pid()
                  + "), as Digdag kills a task");
          running.terminate();
        }
      }
      code = running.await(Duration.ofMinutes(10));
      out.printf("rehearsal: %s exited %d%n", task.fullName(), code);
      if (code != 0) {
        break;
      }
    }
    Duration wall = Duration.between(start, Instant.now());
    // After a SIGKILL the Job runs on: report at once, so the retry finds it running.
    report(r, dataset, start, wall, out, !scenario.equals("kill"));
    boolean again = scenario.equals("retry") || scenario.equals("kill");
    if (again || (scenario.equals("block") && code != 0)) {
      r.site.mode(Site.Mode.NORMAL);
      r.cluster.onPodExit(e -> {});
      out.println("rehearsal: the same session again, as Digdag's _retry runs it");
      Instant retried = Instant.now();
      for (Map.Entry<String, Integer> e : r.runSession(workflow, session).entrySet()) {
        out.printf("rehearsal: %s exited %d%n", e.getKey(), e.getValue());
        code = e.getValue();
      }
      report(r, dataset, retried, Duration.between(retried, Instant.now()), out, true);
    }
    return code;
  }

  /**
   * What the stand-ins saw since {@code start}.
   *
   * @param settle wait for the pods to end before listing them
   */
  private static void report(
      Rehearsal r, String dataset, Instant start, Duration wall, PrintStream out, boolean settle)
      throws InterruptedException {
    List<String> stored = r.storedUrls(dataset);
    List<Site.Hit> hits = r.site.hitsSince(start);
    out.printf(
        "rehearsal: pixiv_detail_info holds %d rows (%d distinct URLs),"
            + " %d not as the page says%n",
        stored.size(), stored.stream().distinct().count(), r.wrongRows(dataset).size());
    out.printf(
        "rehearsal: the site saw %d requests (%d articles, %d searches) in %ds: %.1f/s,"
            + " at most %d in any 2 s; the budget is 8/s%n",
        hits.size(),
        hits.stream().filter(Site.Hit::article).count(),
        hits.stream().filter(Site.Hit::search).count(),
        wall.toSeconds(),
        hits.size() * 1000.0 / Math.max(1, wall.toMillis()),
        Site.busiestWindow(hits, Duration.ofSeconds(2)));
    if (settle) {
      r.cluster.awaitNoContainerRunning(Duration.ofSeconds(40));
    }
    for (StandInCluster.PodRun p : r.cluster.pods()) {
      out.printf(
          "rehearsal: pod %s (index %d) exited %s%n",
          p.pod(), p.index(), p.exitCode().map(String::valueOf).orElse("-"));
    }
    out.printf(
        "rehearsal: Jobs left in the cluster: %d%n", r.cluster.jobs(Rehearsal.NAMESPACE).size());
  }
}

package dev.pixivdic.examples.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixivdic.examples.rehearsal.digdag.Session;
import dev.pixivdic.examples.rehearsal.digdag.ShTask;
import dev.pixivdic.examples.rehearsal.digdag.Workflow;
import dev.pixivdic.examples.rehearsal.kube.StandInCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One weekly run of {@code examples/digdag/pixiv_scraping.dig} on this machine, and the weeks that
 * go wrong. Each test is a session of its own in a dataset of its own (the {@code dataset} of the
 * copy's {@code _export}), against the one site, BigQuery and cluster of the rehearsal.
 */
@ExtendWith(RehearsalExtension.class)
class ScrapingWorkflowIT {

  /** Exit codes of pixiv scrape that the launcher passes on (docs/operations.md). */
  static final int PARSE_BREAKAGE = 65;

  static final int TRY_LATER = 75;
  static final int TERMINATED = 143;

  static Rehearsal r;
  static Workflow workflow;
  static Workflow.Task scrape;

  @BeforeAll
  static void load(Rehearsal rehearsal) throws Exception {
    r = rehearsal;
    workflow = Workflow.load(r.root.resolve("examples/digdag/pixiv_scraping.dig"));
    scrape = workflow.task("scrape");
  }

  /** The Job a session's scrape task launches: the workflow names it after the session. */
  static String jobName(Session session) {
    return "pixiv-" + session.uuid();
  }

  /** The session's Job as it ended (the launcher deletes it afterwards). */
  static JsonNode finished(Session session) {
    List<JsonNode> jobs =
        r.cluster.finishedJobs().stream()
            .filter(j -> j.path("metadata").path("name").asText().equals(jobName(session)))
            .toList();
    assertThat(jobs).as("the Job of session %s ended once", session.uuid()).hasSize(1);
    return jobs.get(0);
  }

  /**
   * Runs the scrape of a two-shard session, one pod at a time, with the site turned to {@code mode}
   * once the first shard is done: the second shard meets the changed site.
   */
  static ShTask runWithTheSiteChangingAfterTheFirstShard(Session session, Site.Mode mode)
      throws Exception {
    r.afterIndexSucceeds(0, () -> r.site.mode(mode));
    ShTask task = r.start(workflow, scrape, session);
    task.await(Duration.ofMinutes(3));
    return task;
  }

  @Test
  void aWeeklyRunStoresEveryUrlOnceWithinTheBudgetAndARetryFetchesNothing() throws Exception {
    List<String> urls = r.seedUrls("weekly", 22);
    Session session = Rehearsal.session("weekly", 2, 2, 8);
    int podsBefore = r.cluster.pods().size();
    Instant start = Instant.now();

    int code = r.run(workflow, scrape, session);

    Duration wall = Duration.between(start, Instant.now());
    assertThat(code).isZero();
    assertThat(r.storedUrls("weekly"))
        .containsExactlyInAnyOrderElementsOf(urls)
        .doesNotHaveDuplicates();
    assertThat(r.wrongRows("weekly")).isEmpty();
    List<StandInCluster.PodRun> pods = r.cluster.pods();
    pods = pods.subList(podsBefore, pods.size());
    assertThat(pods).extracting(StandInCluster.PodRun::index).containsExactlyInAnyOrder(0, 1);
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.command())
                  .containsSubsequence(
                      "scrape",
                      "--shards",
                      "2",
                      "--qps",
                      "4",
                      "--source",
                      "bq:" + Rehearsal.table("weekly", "pixiv_search_middle_class_ip_name_url"));
              assertThat(p.env())
                  .containsEntry("JOB_COMPLETION_INDEX", Integer.toString(p.index()));
            });
    // The site's view: all pods together, never more than the launcher's --qps 8. In any window,
    // each pod may be one request ahead (its first goes at once) and one more by network jitter.
    List<Site.Hit> hits = r.site.hitsSince(start);
    assertThat(hits).hasSizeGreaterThan(urls.size());
    assertThat(hits.size())
        .as("requests in %s", wall)
        .isLessThanOrEqualTo((int) (8 * wall.toMillis() / 1000));
    assertThat(Site.busiestWindow(hits, Duration.ofSeconds(2)))
        .as("requests in any 2 s")
        .isLessThanOrEqualTo(8 * 2 + 2 * pods.size());

    Instant retried = Instant.now();
    int again = r.run(workflow, scrape, session);

    assertThat(again).as("the retry of the same session").isZero();
    assertThat(r.site.hitsSince(retried)).noneMatch(Site.Hit::article);
    assertThat(r.storedUrls("weekly")).hasSameSizeAs(urls).doesNotHaveDuplicates();
  }

  @Test
  void aSiteRedesignMidRunFailsTheJobByItsPodFailurePolicyAndStoresNoBrokenRow() throws Exception {
    List<String> urls = r.seedUrls("redesign", 10);
    Session session = Rehearsal.session("redesign", 2, 1, 20);

    ShTask task = runWithTheSiteChangingAfterTheFirstShard(session, Site.Mode.REDESIGNED);

    assertThat(task.await(Duration.ZERO)).as(task.output()).isEqualTo(PARSE_BREAKAGE);
    assertThat(task.output())
        .contains("failed: PodFailurePolicy")
        .contains("with exit code 65 matching FailJob rule");
    assertThat(finished(session).at("/status/conditions").findValuesAsText("reason"))
        .contains("PodFailurePolicy");
    assertThat(r.wrongRows("redesign")).isEmpty();
    assertThat(r.storedUrls("redesign"))
        .isNotEmpty()
        .hasSizeLessThan(urls.size())
        .doesNotHaveDuplicates();
  }

  @Test
  void aSiteThatBlocksStopsTheJobAtOnceAndTheRetryStoresTheRestOnce() throws Exception {
    List<String> urls = r.seedUrls("blocked", 10);
    Session session = Rehearsal.session("blocked", 2, 1, 20);
    int podsBefore = r.cluster.pods().size();
    AtomicReference<Instant> blockedExit = new AtomicReference<>();
    r.cluster.onPodExit(
        e -> {
          if (e.index() == 0 && e.exitCode() == 0) {
            r.site.mode(Site.Mode.BLOCKING);
          } else if (e.index() == 1 && e.exitCode() == TRY_LATER) {
            blockedExit.compareAndSet(null, Instant.now());
          }
        });
    ShTask task = r.start(workflow, scrape, session);

    assertThat(task.await(Duration.ofMinutes(3))).as(task.output()).isEqualTo(TRY_LATER);
    assertThat(task.output())
        .contains("stopped because the site blocks the run", "stopping Job pixiv/"
            + jobName(session));
    // Kubernetes would try the shard again after its pod failure backoff (the stand-in models
    // it): the launcher deleted the Job first, so the site heard nothing more from this session.
    assertThat(r.cluster.pods().subList(podsBefore, r.cluster.pods().size()))
        .extracting(StandInCluster.PodRun::index)
        .containsExactly(0, 1);
    assertThat(blockedExit.get()).isNotNull();
    assertThat(r.site.hitsSince(blockedExit.get())).isEmpty();
    assertThat(r.cluster.jobs(Rehearsal.NAMESPACE)).isEmpty();
    assertThat(r.storedUrls("blocked")).hasSizeLessThan(urls.size());

    r.cluster.onPodExit(e -> {});
    retryStoresTheRestOnce(session, "blocked", urls);
  }

  /** Once the site is back, the session's retry exits 0 and every URL is stored once, right. */
  static void retryStoresTheRestOnce(Session session, String dataset, List<String> urls)
      throws Exception {
    r.site.mode(Site.Mode.NORMAL);
    int retry = r.run(workflow, scrape, session);

    assertThat(retry).isZero();
    assertThat(r.storedUrls(dataset))
        .containsExactlyInAnyOrderElementsOf(urls)
        .doesNotHaveDuplicates();
    assertThat(r.wrongRows(dataset)).isEmpty();
  }

  /**
   * The weekly run's shape, two pods at once: the site blocks while both run. The first pod to
   * meet the block stops the Job; the other is stopped with it and flushes what it parsed; no
   * process keeps asking the site; the retry stores the rest, each URL once.
   */
  @Test
  void aSiteThatBlocksWhileTwoPodsRunStopsThemBothAndTheRetryStoresTheRestOnce()
      throws Exception {
    List<String> urls = r.seedUrls("blocked2", 30);
    Session session = Rehearsal.session("blocked2", 4, 2, 4);
    int podsBefore = r.cluster.pods().size();
    Instant start = Instant.now();
    ShTask task = r.start(workflow, scrape, session);
    awaitArticleRequests(start, 6);
    r.site.mode(Site.Mode.BLOCKING);

    assertThat(task.await(Duration.ofMinutes(3))).as(task.output()).isEqualTo(TRY_LATER);
    assertThat(task.output())
        .contains("stopped because the site blocks the run", "stopping Job pixiv/"
            + jobName(session));
    assertThat(r.cluster.awaitNoContainerRunning(Duration.ofSeconds(40))).isTrue();
    List<StandInCluster.PodRun> pods = r.cluster.pods().subList(podsBefore,
        r.cluster.pods().size());
    assertThat(pods).as("the pods that ran, two at a time, have each ended")
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(p -> assertThat(p.exitCode()).isPresent());
    Instant ended = Instant.now();
    assertThat(r.cluster.jobs(Rehearsal.NAMESPACE)).isEmpty();
    assertThat(task.handle().descendants()).isEmpty();
    assertThat(r.storedUrls("blocked2")).hasSizeLessThan(urls.size()).doesNotHaveDuplicates();
    assertThat(r.site.hitsSince(ended)).as("nothing asks the site after the stop").isEmpty();

    retryStoresTheRestOnce(session, "blocked2", urls);
  }

  @Test
  void aRetryAfterTheLauncherWasKilledReattachesToItsJobAndStoresEveryUrlOnce() throws Exception {
    List<String> urls = r.seedUrls("killed", 22);
    Session session = Rehearsal.session("killed", 2, 2, 8);
    int podsBefore = r.cluster.pods().size();
    Instant start = Instant.now();
    ShTask first = r.start(workflow, scrape, session);
    awaitArticleRequests(start, 4);

    first.kill();

    assertThat(first.await(Duration.ofSeconds(30))).isEqualTo(137);
    assertThat(r.cluster.jobs(Rehearsal.NAMESPACE))
        .extracting(j -> j.path("metadata").path("name").asText())
        .containsExactly(jobName(session));
    ShTask retry = r.start(workflow, scrape, session);

    assertThat(retry.await(Duration.ofMinutes(3))).as(retry.output()).isZero();
    assertThat(retry.output()).contains("re-attached to existing Job pixiv/" + jobName(session));
    assertThat(r.cluster.pods().size() - podsBefore)
        .as("pods: the first attempt's, no more")
        .isEqualTo(2);
    assertThat(r.storedUrls("killed"))
        .containsExactlyInAnyOrderElementsOf(urls)
        .doesNotHaveDuplicates();
    assertThat(r.cluster.jobs(Rehearsal.NAMESPACE)).isEmpty();
  }

  /** Waits until the site has answered {@code count} article requests since {@code start}. */
  static void awaitArticleRequests(Instant start, int count) throws InterruptedException {
    assertThat(r.site.awaitHits(start,
        hits -> hits.stream().filter(Site.Hit::article).count() >= count, Duration.ofMinutes(2)))
        .as("%d article requests within 2 min", count).isTrue();
  }

  @Test
  void sigtermToTheTaskDeletesTheJobAndLeavesNoProcessRunning() throws Exception {
    r.seedUrls("stopped", 30);
    Session session = Rehearsal.session("stopped", 2, 2, 2);
    int podsBefore = r.cluster.pods().size();
    Instant start = Instant.now();
    ShTask task = r.start(workflow, scrape, session);
    awaitArticleRequests(start, 4);

    task.terminate();
    int code = task.await(Duration.ofMinutes(1));

    assertThat(code).as(task.output()).isEqualTo(TERMINATED);
    assertThat(task.output()).contains("deleted Job pixiv/" + jobName(session));
    assertThat(r.cluster.requests())
        .filteredOn(q -> q.method().equals("DELETE"))
        .filteredOn(q -> q.uri().contains("/jobs/" + jobName(session)))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.uri()).endsWith("?propagationPolicy=Background");
              assertThat(q.status()).isEqualTo(200);
            });
    assertThat(r.cluster.awaitNoContainerRunning(Duration.ofSeconds(40))).isTrue();
    assertThat(r.cluster.pods().subList(podsBefore, r.cluster.pods().size()))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.exitCode()).isPresent());
    assertThat(r.cluster.jobs(Rehearsal.NAMESPACE)).isEmpty();
    assertThat(task.handle().isAlive()).isFalse();
    assertThat(task.handle().descendants()).isEmpty();
  }
}

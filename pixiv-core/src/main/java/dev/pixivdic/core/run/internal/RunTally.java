package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.SiteChosenUrls;
import dev.pixivdic.core.run.RunReport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The counters of one run and the {@link RunReport} made of them: items read, skipped, taken,
 * processed, failed and cancelled, outcomes, column coverage, strategy disagreements, item
 * times, the first problems and the run of blocked pages. Owned by the run thread; not
 * thread-safe.
 */
final class RunTally {

  private static final int MAX_PROBLEMS = RunReport.MAX_PROBLEMS;

  private final Set<String> requiredColumns;
  private final Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
  private final Map<String, Long> present = new HashMap<>();
  private final Map<String, Long> disagreed = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private long disagreeingPages;
  private long read;
  private long skipped;
  private long taken;
  private long processed;
  private long failed;
  private long failedForGood;
  /** Of {@link #failedForGood}, those whose input is at fault: for good however many. */
  private long failedForGoodOfTheInput;
  private long cancelled;
  private long redirectedForNow;
  private long notFoundWithArticle;
  /**
   * Of {@link #redirectedForNow}, how many went to each target, in the order first seen, told
   * apart and named by scheme, host, port and path ({@link SiteChosenUrls#shown(URI)}: a login
   * wall that sends every page to {@code /login?return_to=<the page>} is one target); at most
   * {@link #MAX_REDIRECT_TARGETS} of them. A new target when all are taken replaces the least
   * counted one and starts from its count, which it may owe to others (Metwally's space-saving
   * count: a target of more than one in every {@value #MAX_REDIRECT_TARGETS} items redirected is
   * never lost);
   * each value is {count, of it owed to others}.
   */
  private final Map<URI, long[]> redirectTargets = new LinkedHashMap<>();
  private long refusedByRobots;
  /** The robots.txt that refused the first of {@link #refusedByRobots}, and that item's URL. */
  private URI robotsUri;
  private URI firstRefused;
  private int blockedRun;
  private long itemNanosTotal;
  private long itemNanosMax;

  RunTally(Set<String> requiredColumns) {
    this.requiredColumns = Set.copyOf(requireNonNull(requiredColumns, "requiredColumns"));
  }

  /** An item read from the source, either skipped as stored or taken to be processed. */
  void read(boolean skip) {
    read++;
    if (skip) {
      skipped++;
    } else {
      taken++;
    }
  }

  /** Items taken from the source so far (read and not skipped). */
  long taken() {
    return taken;
  }

  /** The time one attempt at an item took in its worker. */
  void timed(long nanos) {
    itemNanosTotal += nanos;
    itemNanosMax = Math.max(itemNanosMax, nanos);
  }

  /** An item that failed; {@code problem} is kept for the report if there is room. */
  void failed(String problem) {
    failed++;
    problem(problem);
  }

  /**
   * An item that failed in a way a retry in hours would not change ({@link
   * FailedForGoodException}); {@code problem} is kept for the report if there is room.
   */
  void failedForGood(String problem, boolean ofTheInput) {
    failed(problem);
    failedForGood++;
    if (ofTheInput) {
      failedForGoodOfTheInput++;
    }
  }

  /** At most this many items failed for good are a shard's own broken pages, whatever its size. */
  static final int FOR_GOOD_FEW = 5;

  /** ... or at most this share of the shard's items (read, skipped ones included). */
  static final double FOR_GOOD_SHARE = 0.05;

  /**
   * Whether the items that failed for good are few enough to be the pages' own faults: some
   * item of the shard was had (processed, or skipped as stored), and they are at most
   * {@link #FOR_GOOD_FEW} or at most {@link #FOR_GOOD_SHARE} of the items read. Items skipped
   * as stored count, so that a retry of a shard, holding little but its broken pages, judges as
   * its first run did. Otherwise they speak of the site or the setup (every page redirects
   * elsewhere), which a retry later may well fix.
   */
  boolean failedForGoodAreFew() {
    long ofTheSite = failedForGoodOfTheSite();
    return hadAny() && (ofTheSite <= FOR_GOOD_FEW || ofTheSite <= FOR_GOOD_SHARE * read);
  }

  /**
   * Items that failed for good by the site's answers so far; those whose input is at fault
   * ({@link FailedForGoodException#ofTheInput}) are for good however many, and not counted.
   */
  long failedForGoodOfTheSite() {
    return failedForGood - failedForGoodOfTheInput;
  }

  /** Whether some item of the shard was had: processed, or skipped as already stored. */
  boolean hadAny() {
    return processed + skipped > 0;
  }

  /** Items that failed for good so far. */
  long failedForGood() {
    return failedForGood;
  }

  /**
   * An item the site answered with something that says nothing of it ({@link
   * NotJudgedException}: a temporary redirect to a page that is no page of it, its own page
   * under a "not found" status): processed, with no outcome and no row, so that the next run
   * asks again, and counted by its kind; {@code problem} is kept for the report if there is
   * room.
   */
  void notJudged(String problem, NotJudgedException e) {
    processed++;
    if (e instanceof RedirectedForNowException r) {
      redirectedForNow++;
      URI where = SiteChosenUrls.shown(r.target());
      countTarget(where);
    } else if (e instanceof NotFoundWithArticleException) {
      notFoundWithArticle++;
    }
    problem(problem);
  }

  /** The distinct redirect targets counted apart; items sent to others count as elsewhere. */
  static final int MAX_REDIRECT_TARGETS = 1_000;

  /** Items the site answered through a temporary redirect so far. */
  long notFoundWithArticle() {
    return notFoundWithArticle;
  }

  long redirectedForNow() {
    return redirectedForNow;
  }

  /**
   * An item that robots.txt of the site disallows, so nothing was requested for it: a failure,
   * counted as such; {@code problem} is kept for the report if there is room.
   */
  void refusedByRobots(String problem, URI robots, URI item) {
    failed(problem);
    refusedByRobots++;
    if (robotsUri == null) {
      robotsUri = robots;
      firstRefused = item;
    }
  }

  /** Items that robots.txt refused so far. */
  long refusedByRobots() {
    return refusedByRobots;
  }

  /** The robots.txt that refused the first item it refused, and that item's URL, if any. */
  Optional<Map.Entry<URI, URI>> firstRefusedByRobots() {
    return robotsUri == null ? Optional.empty() : Optional.of(Map.entry(robotsUri, firstRefused));
  }

  /** Items processed to {@code outcome} so far. */
  long count(Outcome outcome) {
    return byOutcome.getOrDefault(outcome, 0L);
  }

  private void countTarget(URI where) {
    long[] seen = redirectTargets.get(where);
    if (seen != null) {
      seen[0]++;
    } else if (redirectTargets.size() < MAX_REDIRECT_TARGETS) {
      redirectTargets.put(where, new long[] {1, 0});
    } else {
      // Scanned only when a new target comes to a full table: at most once an item.
      Map.Entry<URI, long[]> least = null;
      for (Map.Entry<URI, long[]> e : redirectTargets.entrySet()) {
        if (least == null || e.getValue()[0] < least.getValue()[0]) {
          least = e;
        }
      }
      long owed = least.getValue()[0];
      redirectTargets.remove(least.getKey());
      redirectTargets.put(where, new long[] {owed + 1, owed});
    }
  }

  /**
   * The target most items were redirected to for now (the first seen of equals), if any, with
   * the items it surely had (its count less what it may owe to targets it replaced).
   */
  Optional<Map.Entry<URI, Long>> commonestRedirectTarget() {
    Map.Entry<URI, long[]> best = null;
    for (Map.Entry<URI, long[]> e : redirectTargets.entrySet()) {
      long[] v = e.getValue();
      if (best == null || v[0] - v[1] > best.getValue()[0] - best.getValue()[1]) {
        best = e;
      }
    }
    return best == null ? Optional.empty()
        : Optional.of(Map.entry(best.getKey(), best.getValue()[0] - best.getValue()[1]));
  }

  /** An item that failed in a way that ends the run, so it is no problem of its own. */
  void failedFatally() {
    failed++;
  }

  /** Items abandoned: in flight or waiting for a retry when the run ended. */
  void cancelled(long n) {
    cancelled += n;
  }

  /**
   * An item processed to an outcome.
   *
   * @return how many pages in a row were blocked, this one included (0 if it was not)
   */
  int processed(String key, Processed<?> p) {
    processed++;
    byOutcome.merge(p.outcome(), 1L, Long::sum);
    if (p.outcome() == Outcome.ARTICLE) {
      for (String c : p.presentColumns()) {
        present.merge(c, 1L, Long::sum);
      }
    }
    if (!p.disagreements().isEmpty()) {
      disagreeingPages++;
      p.disagreements().forEach(c -> disagreed.merge(c, 1L, Long::sum));
    }
    if (!p.outcome().isStored()) {
      problem(key + ": " + p.outcome() + " (" + p.detail() + ")");
    }
    blockedRun = p.outcome() == Outcome.BLOCKED ? blockedRun + 1 : 0;
    return blockedRun;
  }

  /**
   * A page read beside the run's items (to check the origin), not counted as processed: it
   * extends or ends the run of blocked pages as a processed page does.
   *
   * @return how many pages in a row were blocked, this one included (0 if it was not)
   */
  int readAside(Outcome outcome) {
    blockedRun = outcome == Outcome.BLOCKED ? blockedRun + 1 : 0;
    return blockedRun;
  }

  Progress progress(Duration elapsed, long rowsWritten, boolean inputEnded) {
    return new Progress(read, skipped, processed, failed, rowsWritten, elapsed, inputEnded);
  }

  /**
   * Fills in the item counters, outcomes, coverage, problems, item times and disagreements,
   * with the items that failed for good as such only while they are
   * {@linkplain #failedForGoodAreFew() few}; the caller adds the run's identity, times, stop
   * reason, batches and drift.
   */
  RunReport.Builder report(RunReport.Builder b) {
    long articles = byOutcome.getOrDefault(Outcome.ARTICLE, 0L);
    Map<String, Double> coverage = new HashMap<>();
    if (articles > 0) {
      for (String c : requiredColumns) {
        present.putIfAbsent(c, 0L);
      }
      present.forEach((c, n) -> coverage.put(c, (double) n / articles));
    }
    return b.itemsRead(read).skipped(skipped).processed(processed).failed(failed)
        .failedForGood(failedForGoodAreFew() ? failedForGood : failedForGoodOfTheInput)
        .cancelled(cancelled).redirectedTemporarily(redirectedForNow)
        .notFoundWithArticle(notFoundWithArticle)
        .refusedByRobots(refusedByRobots)
        .byOutcome(byOutcome).coverage(coverage).problems(problems)
        .itemTimes(Duration.ofNanos(itemNanosTotal), Duration.ofNanos(itemNanosMax))
        .disagreements(disagreeingPages, disagreed);
  }

  /**
   * Notes a problem that explains others (the summary shows the first few), before them; the
   * last one goes when the list is full.
   */
  void problemFirst(String line) {
    if (problems.size() >= MAX_PROBLEMS) {
      problems.remove(problems.size() - 1);
    }
    problems.add(0, line);
  }

  /** Notes a problem of the run that is no item's. */
  void problem(String line) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(line);
    }
  }
}

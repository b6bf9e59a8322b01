package dev.pixivdic.core.run.internal;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.run.RunReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watches for markup drift, judging on evidence rather than on one page.
 *
 * <p>Two kinds of column are watched. <b>Essential</b> columns (the title) every article has: a
 * page without one is a page the parser no longer understands (an UNRECOGNIZED page counts
 * too), and so is a page whose parser strategies read a column two ways: one of them read
 * what is not this article's. <b>Lackable</b> columns (the counters) real articles may lack:
 * an article without comments has no comment counter, so only their near-total absence speaks
 * of drift.
 *
 * <p>The rule: the guard judges once {@code minPages} pages were seen, or at the end of the
 * input. It trips when the pages missing an essential column number at least {@code minBroken}
 * and are more than {@code threshold} of the pages judged; or when one lackable column is
 * missing on at least {@code minBroken} article pages that are more than
 * {@value #LACKABLE_SHARE} of them. A shard too small to hold {@code minBroken} broken pages
 * never trips: it stores its rows and reports its coverage, and the Job-level view adds up the
 * sparse evidence of many shards. Not thread-safe: the engine's coordinator owns it.
 */
final class DriftGuard {

  /** The share of article pages that must lack a lackable column before it means drift. */
  static final double LACKABLE_SHARE = 0.9;

  private final Set<String> essential;
  private final Set<String> lackable;
  private final int minPages;
  private final int minBroken;
  private final double threshold;
  private final Map<String, Long> missing = new LinkedHashMap<>();
  private long judged;
  private long articles;
  private long broken;
  private long unrecognised;
  private long lacking;
  private long disagreeing;

  DriftGuard(Set<String> required, Set<String> essential, int minPages, int minBroken,
      double threshold) {
    this.essential = Set.copyOf(essential.stream().filter(required::contains).toList());
    this.lackable = Set.copyOf(required.stream().filter(c -> !essential.contains(c)).toList());
    this.minPages = minPages;
    this.minBroken = minBroken;
    this.threshold = threshold;
    required.forEach(c -> missing.put(c, 0L));
  }

  /**
   * Whether pages of this outcome are judged: only ARTICLE and UNRECOGNIZED pages speak about
   * the parser (a 404, a block or maintenance is the site's answer, whatever the markup).
   */
  static boolean judges(Outcome outcome) {
    return outcome == Outcome.ARTICLE || outcome == Outcome.UNRECOGNIZED;
  }

  /** Counts one page; pages the guard does not {@linkplain #judges judge} are ignored. */
  void observe(Processed<?> p) {
    if (p.outcome() == Outcome.ARTICLE) {
      judged++;
      articles++;
      boolean essentialMissing = false;
      for (String c : missing.keySet()) {
        if (!p.presentColumns().contains(c)) {
          missing.merge(c, 1L, Long::sum);
          essentialMissing |= essential.contains(c);
        }
      }
      // Strategies that disagree mean one of them reads what is not the article's.
      if (essentialMissing || !p.disagreements().isEmpty()) {
        broken++;
      }
      lacking += essentialMissing ? 1 : 0;
      disagreeing += p.disagreements().isEmpty() ? 0 : 1;
    } else if (p.outcome() == Outcome.UNRECOGNIZED) {
      judged++;
      broken++;
      unrecognised++;
    }
  }

  /** Whether enough pages were judged to let their rows through. */
  boolean warmedUp() {
    return judged >= minPages;
  }

  /** Whether the run must stop: judged once warmed up, or on everything at the end. */
  boolean tripped(boolean inputEnded) {
    if (judged == 0 || !(warmedUp() || inputEnded)) {
      return false;
    }
    if (broken >= minBroken && (double) broken / judged > threshold) {
      return true;
    }
    return lackableColumnGone().isPresent();
  }

  private java.util.Optional<String> lackableColumnGone() {
    for (String c : lackable) {
      long n = missing.getOrDefault(c, 0L);
      if (articles > 0 && n >= minBroken && (double) n / articles > LACKABLE_SHARE) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Why the guard tripped, for the log and the report: only the faults seen are named (a run
   * that watches no essential column, such as {@code resolve}'s, has no page that lacks one).
   */
  String why() {
    return lackableColumnGone()
        .map(c -> c + " is missing on " + missing.get(c) + " of " + articles + " article pages")
        .orElseGet(() -> {
          List<String> faults = new ArrayList<>();
          if (unrecognised > 0) {
            faults.add(unrecognised + " not recognised");
          }
          if (lacking > 0) {
            faults.add(lacking + " without " + String.join(" or ", new TreeSet<>(essential)));
          }
          if (disagreeing > 0) {
            faults.add(disagreeing + " reading a column two ways");
          }
          return broken + " of " + judged + " pages judged are broken: "
              + String.join(", ", faults);
        });
  }

  /** What the guard saw: pages judged, and per watched column the article pages without it. */
  RunReport.Drift evidence(boolean tripped) {
    String verdict = tripped ? "TRIPPED" : judged >= minPages ? "OK" : "TOO_FEW_PAGES";
    return new RunReport.Drift(verdict, judged, broken, missing);
  }

  long judged() {
    return judged;
  }

  long broken() {
    return broken;
  }
}

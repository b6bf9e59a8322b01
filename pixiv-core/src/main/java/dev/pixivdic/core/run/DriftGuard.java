package dev.pixivdic.core.run;

import dev.pixivdic.core.Outcome;
import java.util.Set;

/**
 * Watches for markup drift: the share of recognised-or-not article pages that miss a required
 * column or whose parser strategies disagree. Once {@code minPages} pages were judged (or the
 * input ended) and the share exceeds the threshold, the run must stop before writing. Not
 * thread-safe: the engine's coordinator owns it.
 */
final class DriftGuard {
  private final Set<String> required;
  private final int minPages;
  private final double threshold;
  private long judged;
  private long broken;

  DriftGuard(Set<String> required, int minPages, double threshold) {
    this.required = required;
    this.minPages = minPages;
    this.threshold = threshold;
  }

  /** Counts one page. Only ARTICLE and UNRECOGNIZED pages speak about the parser. */
  void observe(Processed<?> p) {
    if (p.outcome() == Outcome.ARTICLE) {
      judged++;
      // Strategies that disagree mean one of them reads what is not the article's.
      if (!p.presentColumns().containsAll(required) || !p.disagreements().isEmpty()) {
        broken++;
      }
    } else if (p.outcome() == Outcome.UNRECOGNIZED) {
      judged++;
      broken++;
    }
  }

  /** Whether enough pages were seen to let writes through. */
  boolean warmedUp() {
    return judged >= minPages;
  }

  /** Whether the run must stop: judged on what was seen, or on everything at the end. */
  boolean tripped(boolean inputEnded) {
    if (judged == 0 || !(warmedUp() || inputEnded)) {
      return false;
    }
    return (double) broken / judged > threshold;
  }

  long judged() {
    return judged;
  }

  long broken() {
    return broken;
  }
}

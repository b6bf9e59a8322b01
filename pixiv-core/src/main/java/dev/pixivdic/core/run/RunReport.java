package dev.pixivdic.core.run;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

// One piece on purpose: a public value with its public builder (RunReport.Builder is API),
// both only fields and accessors.
/**
 * What a run did. Immutable and thread-safe.
 *
 * <p>A class with accessors rather than a record, so that a new counter is a new accessor and
 * breaks no caller; {@link #builder()} makes one (for the engine, and for tests of code that
 * reads reports). Every accessor is non-null except {@link #failure()}.
 */
public final class RunReport {

  /** The most lines {@link #problems()} holds. */
  public static final int MAX_PROBLEMS = 50;

  /**
   * The drift guard's evidence, for the report and for adding up across shards.
   *
   * @param verdict {@code TRIPPED}, {@code OK}, or {@code TOO_FEW_PAGES} when the shard ended
   *     before the guard had seen enough pages to judge by its share rule
   * @param judged ARTICLE and UNRECOGNIZED pages seen
   * @param broken pages without an essential column, not recognised, or whose parser
   *     strategies disagreed on a column
   * @param missing per watched column, the ARTICLE pages without it
   */
  public record Drift(String verdict, long judged, long broken, Map<String, Long> missing) {
    public Drift {
      requireNonNull(verdict, "verdict");
      missing = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(missing, "missing")));
    }
  }

  private final String runId;
  private final String shard;
  private final Instant startedAt;
  private final Instant finishedAt;
  private final StopReason stopReason;
  private final long itemsRead;
  private final long skipped;
  private final long processed;
  private final long failed;
  private final long failedForGood;
  private final long redirectedTemporarily;
  private final long notFoundWithArticle;
  private final long refusedByRobots;
  private final long cancelled;
  private final Map<Outcome, Long> byOutcome;
  private final long rowsWritten;
  private final long batchesWritten;
  private final long rowsDropped;
  private final Map<String, Double> coverage;
  private final List<String> problems;
  private final Duration itemTimeTotal;
  private final Duration itemTimeMax;
  private final IOException failure;
  private final Drift drift;
  private final long disagreeingPages;
  private final Map<String, Long> disagreements;

  private RunReport(Builder b) {
    runId = requireNonNull(b.runId, "runId");
    shard = requireNonNull(b.shard, "shard");
    startedAt = requireNonNull(b.startedAt, "startedAt");
    finishedAt = requireNonNull(b.finishedAt, "finishedAt");
    stopReason = requireNonNull(b.stopReason, "stopReason");
    itemsRead = b.itemsRead;
    skipped = b.skipped;
    processed = b.processed;
    failed = b.failed;
    failedForGood = b.failedForGood;
    redirectedTemporarily = b.redirectedTemporarily;
    notFoundWithArticle = b.notFoundWithArticle;
    refusedByRobots = b.refusedByRobots;
    cancelled = b.cancelled;
    EnumMap<Outcome, Long> all = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      all.put(o, b.byOutcome.getOrDefault(o, 0L));
    }
    byOutcome = Collections.unmodifiableMap(all);
    rowsWritten = b.rowsWritten;
    batchesWritten = b.batchesWritten;
    rowsDropped = b.rowsDropped;
    coverage = Collections.unmodifiableMap(new TreeMap<>(b.coverage));
    problems = List.copyOf(b.problems);
    itemTimeTotal = b.itemTimeTotal;
    itemTimeMax = b.itemTimeMax;
    failure = b.failure;
    drift = b.drift;
    disagreeingPages = b.disagreeingPages;
    disagreements = Collections.unmodifiableMap(new TreeMap<>(b.disagreements));
  }

  /**
   * A builder; {@code runId}, {@code shard}, {@code startedAt}, {@code finishedAt} and
   * {@code stopReason} must be set, everything else defaults to zero, empty, or (for
   * {@code drift}) a guard that judged nothing.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this report's values, to derive a report that differs in a few: a caller
   * whose sink failed to close after the run reports it as {@link StopReason#SINK_FAILED}.
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.runId = runId;
    b.shard = shard;
    b.startedAt = startedAt;
    b.finishedAt = finishedAt;
    b.stopReason = stopReason;
    b.itemsRead = itemsRead;
    b.skipped = skipped;
    b.processed = processed;
    b.failed = failed;
    b.failedForGood = failedForGood;
    b.redirectedTemporarily = redirectedTemporarily;
    b.notFoundWithArticle = notFoundWithArticle;
    b.refusedByRobots = refusedByRobots;
    b.cancelled = cancelled;
    b.byOutcome = byOutcome;
    b.rowsWritten = rowsWritten;
    b.batchesWritten = batchesWritten;
    b.rowsDropped = rowsDropped;
    b.coverage = coverage;
    b.problems = problems;
    b.itemTimeTotal = itemTimeTotal;
    b.itemTimeMax = itemTimeMax;
    b.failure = failure;
    b.drift = drift;
    b.disagreeingPages = disagreeingPages;
    b.disagreements = disagreements;
    return b;
  }

  /** The run's id. */
  public String runId() {
    return runId;
  }

  /** The shard, as {@code i/n}. */
  public String shard() {
    return shard;
  }

  /** When the run started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When it ended. */
  public Instant finishedAt() {
    return finishedAt;
  }

  /** Why it ended. */
  public StopReason stopReason() {
    return stopReason;
  }

  /** Items of the shard read from the source. */
  public long itemsRead() {
    return itemsRead;
  }

  /** Items skipped because the sink already held them, fresh. */
  public long skipped() {
    return skipped;
  }

  /** Items processed (fetched and classified). */
  public long processed() {
    return processed;
  }

  /** Items that could not be processed (retried on the next run). */
  public long failed() {
    return failed;
  }

  /**
   * Of the {@linkplain #failed() failed} items, those that failed in a way a retry in hours
   * would not change (a redirect off the site or in a loop, a client error that is no page, an
   * empty answer on every attempt), while they were few enough to be the pages' own faults.
   * They are tried again by the next run, but ask no retry of the scheduler: a run whose only
   * failures are these ends as done. 0 when there were so many that they speak of the site or
   * the setup (they count as ordinary failures then).
   */
  public long failedForGood() {
    return failedForGood;
  }

  /**
   * Of the {@linkplain #processed() processed} items, those the site answered through a
   * temporary redirect (302, 303 or 307 at some hop) with a page that is no page of theirs: a
   * notice the site sends many URLs to for now (maintenance, a login wall, a campaign). They
   * have no outcome ({@link #byOutcome()} leaves them out), no row, and are asked again by the
   * next run; the drift guard does not judge them. When they are many, the run stops as
   * {@link StopReason#BLOCKED}, a problem naming where they were sent.
   */
  public long redirectedTemporarily() {
    return redirectedTemporarily;
  }

  /**
   * Of the {@linkplain #processed() processed} items, those the site answered with HTTP 404 or
   * 410 and their own article page as the body (a CDN or a soft error serving the page under a
   * wrong status): not judged, as {@link #redirectedTemporarily()} are. They have no outcome
   * ({@link #byOutcome()} leaves them out: no "not found" row for an article that is there), no
   * row, and are asked again by the next run; the drift guard does not judge them, and each is
   * named in {@link #problems()} (while there is room) with its status.
   */
  public long notFoundWithArticle() {
    return notFoundWithArticle;
  }

  /**
   * Of the {@linkplain #failed() failed} items, those that robots.txt of the site disallows:
   * nothing was requested for them. A few among pages had are the site's choice for those pages;
   * when they are all the run met, or dominate it as broken pages would trip the drift guard, the
   * run stops as {@link StopReason#BLOCKED}, its failure naming robots.txt.
   */
  public long refusedByRobots() {
    return refusedByRobots;
  }

  /** Items abandoned in flight when the run stopped early. */
  public long cancelled() {
    return cancelled;
  }

  /** Processed items by outcome, every outcome present. */
  public Map<Outcome, Long> byOutcome() {
    return byOutcome;
  }

  /** Items processed with this outcome. */
  public long count(Outcome outcome) {
    return byOutcome.get(requireNonNull(outcome, "outcome"));
  }

  /** Rows the sink stored. */
  public long rowsWritten() {
    return rowsWritten;
  }

  /** Batches the sink stored. */
  public long batchesWritten() {
    return batchesWritten;
  }

  /** Rows parsed but not stored (the drift guard tripped, or the sink failed). */
  public long rowsDropped() {
    return rowsDropped;
  }

  /** For ARTICLE pages, the share of pages that had each column, by column name. */
  public Map<String, Double> coverage() {
    return coverage;
  }

  /** A sample of what went wrong, one line each (at most {@link #MAX_PROBLEMS}). */
  public List<String> problems() {
    return problems;
  }

  /** Summed processing time of all items. */
  public Duration itemTimeTotal() {
    return itemTimeTotal;
  }

  /** The slowest item. */
  public Duration itemTimeMax() {
    return itemTimeMax;
  }

  /**
   * The I/O error that stopped the run or failed on its way: set for SOURCE_FAILED, SINK_FAILED
   * and SITE_UNREACHABLE, and kept when the drift guard then ends the run as PARSE_BREAKAGE (the
   * pages seen before such a failure are judged when the run ends); null when no I/O error did.
   */
  public IOException failure() {
    return failure;
  }

  /** The I/O error that stopped the run, if one did. */
  public Optional<IOException> failureCause() {
    return Optional.ofNullable(failure);
  }

  /** The drift guard's evidence. */
  public Drift drift() {
    return drift;
  }

  /** Processed pages whose parser strategies disagreed on some column. */
  public long disagreeingPages() {
    return disagreeingPages;
  }

  /** For those pages, how many disagreed on each column (left absent), by column name. */
  public Map<String, Long> disagreements() {
    return disagreements;
  }

  /** How long the run took. */
  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  @Override
  public String toString() {
    return "RunReport[runId=" + runId + ", shard=" + shard + ", startedAt=" + startedAt
        + ", finishedAt=" + finishedAt + ", stopReason=" + stopReason + ", itemsRead="
        + itemsRead + ", skipped=" + skipped + ", processed=" + processed + ", failed=" + failed
        + ", failedForGood=" + failedForGood + ", redirectedTemporarily="
        + redirectedTemporarily + ", notFoundWithArticle=" + notFoundWithArticle
        + ", refusedByRobots=" + refusedByRobots
        + ", cancelled=" + cancelled + ", byOutcome="
        + byOutcome + ", rowsWritten=" + rowsWritten + ", batchesWritten=" + batchesWritten
        + ", rowsDropped=" + rowsDropped
        + ", coverage=" + coverage + ", problems=" + problems + ", itemTimeTotal="
        + itemTimeTotal + ", itemTimeMax=" + itemTimeMax + ", failure=" + failure + ", drift="
        + drift + ", disagreeingPages=" + disagreeingPages + ", disagreements=" + disagreements
        + "]";
  }

  /**
   * Collects a report's values; not thread-safe. {@link #build()} copies them, so one builder
   * can make several reports.
   */
  public static final class Builder {
    private String runId;
    private String shard;
    private Instant startedAt;
    private Instant finishedAt;
    private StopReason stopReason;
    private long itemsRead;
    private long skipped;
    private long processed;
    private long failed;
    private long failedForGood;
    private long redirectedTemporarily;
    private long notFoundWithArticle;
    private long refusedByRobots;
    private long cancelled;
    private Map<Outcome, Long> byOutcome = Map.of();
    private long rowsWritten;
    private long batchesWritten;
    private long rowsDropped;
    private Map<String, Double> coverage = Map.of();
    private List<String> problems = List.of();
    private Duration itemTimeTotal = Duration.ZERO;
    private Duration itemTimeMax = Duration.ZERO;
    private IOException failure;
    private Drift drift = new Drift("TOO_FEW_PAGES", 0, 0, Map.of());
    private long disagreeingPages;
    private Map<String, Long> disagreements = Map.of();

    private Builder() {}

    /** See {@link RunReport#runId()}. */
    public Builder runId(String runId) {
      this.runId = requireNonNull(runId, "runId");
      return this;
    }

    /** See {@link RunReport#shard()}. */
    public Builder shard(String shard) {
      this.shard = requireNonNull(shard, "shard");
      return this;
    }

    /** See {@link RunReport#startedAt()}. */
    public Builder startedAt(Instant startedAt) {
      this.startedAt = requireNonNull(startedAt, "startedAt");
      return this;
    }

    /** See {@link RunReport#finishedAt()}. */
    public Builder finishedAt(Instant finishedAt) {
      this.finishedAt = requireNonNull(finishedAt, "finishedAt");
      return this;
    }

    /** See {@link RunReport#stopReason()}. */
    public Builder stopReason(StopReason stopReason) {
      this.stopReason = requireNonNull(stopReason, "stopReason");
      return this;
    }

    /** See {@link RunReport#itemsRead()}. */
    public Builder itemsRead(long itemsRead) {
      this.itemsRead = count("itemsRead", itemsRead);
      return this;
    }

    /** See {@link RunReport#skipped()}. */
    public Builder skipped(long skipped) {
      this.skipped = count("skipped", skipped);
      return this;
    }

    /** See {@link RunReport#processed()}. */
    public Builder processed(long processed) {
      this.processed = count("processed", processed);
      return this;
    }

    /** See {@link RunReport#failed()}. */
    public Builder failed(long failed) {
      this.failed = count("failed", failed);
      return this;
    }

    /** See {@link RunReport#failedForGood()}; at most {@link #failed}, checked by build. */
    public Builder failedForGood(long failedForGood) {
      this.failedForGood = count("failedForGood", failedForGood);
      return this;
    }

    /**
     * See {@link RunReport#redirectedTemporarily()}; at most {@link #processed}, checked by
     * build.
     */
    public Builder redirectedTemporarily(long redirectedTemporarily) {
      this.redirectedTemporarily = count("redirectedTemporarily", redirectedTemporarily);
      return this;
    }

    /**
     * See {@link RunReport#notFoundWithArticle()}; with {@link #redirectedTemporarily}, at most
     * {@link #processed}, checked by build.
     */
    public Builder notFoundWithArticle(long notFoundWithArticle) {
      this.notFoundWithArticle = count("notFoundWithArticle", notFoundWithArticle);
      return this;
    }

    /** See {@link RunReport#refusedByRobots()}; at most {@link #failed}, checked by build. */
    public Builder refusedByRobots(long refusedByRobots) {
      this.refusedByRobots = count("refusedByRobots", refusedByRobots);
      return this;
    }

    /** See {@link RunReport#cancelled()}. */
    public Builder cancelled(long cancelled) {
      this.cancelled = count("cancelled", cancelled);
      return this;
    }

    /** See {@link RunReport#byOutcome()}; outcomes left out count 0. */
    public Builder byOutcome(Map<Outcome, Long> byOutcome) {
      this.byOutcome = Map.copyOf(requireNonNull(byOutcome, "byOutcome"));
      return this;
    }

    /** See {@link RunReport#rowsWritten()}. */
    public Builder rowsWritten(long rowsWritten) {
      this.rowsWritten = count("rowsWritten", rowsWritten);
      return this;
    }

    /** See {@link RunReport#batchesWritten()}. */
    public Builder batchesWritten(long batchesWritten) {
      this.batchesWritten = count("batchesWritten", batchesWritten);
      return this;
    }

    /** See {@link RunReport#rowsDropped()}. */
    public Builder rowsDropped(long rowsDropped) {
      this.rowsDropped = count("rowsDropped", rowsDropped);
      return this;
    }

    /** See {@link RunReport#coverage()}. */
    public Builder coverage(Map<String, Double> coverage) {
      this.coverage = Map.copyOf(requireNonNull(coverage, "coverage"));
      return this;
    }

    /**
     * See {@link RunReport#problems()}. Of more than {@link #MAX_PROBLEMS} lines, the first
     * {@code MAX_PROBLEMS - 1} and the last are kept: a line that explains the others goes
     * first, and the failure that ended the run is added last.
     */
    public Builder problems(List<String> problems) {
      List<String> all = List.copyOf(requireNonNull(problems, "problems"));
      if (all.size() > MAX_PROBLEMS) {
        List<String> kept = new java.util.ArrayList<>(all.subList(0, MAX_PROBLEMS - 1));
        kept.add(all.get(all.size() - 1));
        all = List.copyOf(kept);
      }
      this.problems = all;
      return this;
    }

    /** See {@link RunReport#itemTimeTotal()} and {@link RunReport#itemTimeMax()}. */
    public Builder itemTimes(Duration total, Duration max) {
      this.itemTimeTotal = requireNonNull(total, "total");
      this.itemTimeMax = requireNonNull(max, "max");
      return this;
    }

    /** See {@link RunReport#failure()}; null for none. */
    public Builder failure(IOException failure) {
      this.failure = failure;
      return this;
    }

    /** See {@link RunReport#drift()}. */
    public Builder drift(Drift drift) {
      this.drift = requireNonNull(drift, "drift");
      return this;
    }

    /** See {@link RunReport#disagreeingPages()} and {@link RunReport#disagreements()}. */
    public Builder disagreements(long pages, Map<String, Long> byColumn) {
      this.disagreeingPages = count("disagreeingPages", pages);
      this.disagreements = Map.copyOf(requireNonNull(byColumn, "byColumn"));
      return this;
    }

    /**
     * The report.
     *
     * @throws NullPointerException naming the first required value not set
     * @throws IllegalArgumentException if more items failed for good than failed, or more
     *     were redirected temporarily than processed, or more were not judged (redirected
     *     temporarily, or not found with their article page) than processed, or more refused by
     *     robots.txt than failed
     */
    public RunReport build() {
      if (failedForGood > failed) {
        throw new IllegalArgumentException("failedForGood must be <= failed (" + failed
            + "), was " + failedForGood);
      }
      if (refusedByRobots > failed) {
        throw new IllegalArgumentException("refusedByRobots must be <= failed (" + failed
            + "), was " + refusedByRobots);
      }
      if (redirectedTemporarily > processed) {
        throw new IllegalArgumentException("redirectedTemporarily must be <= processed ("
            + processed + "), was " + redirectedTemporarily);
      }
      if (redirectedTemporarily + notFoundWithArticle > processed) {
        throw new IllegalArgumentException("redirectedTemporarily + notFoundWithArticle must be"
            + " <= processed (" + processed + "), was " + redirectedTemporarily + " + "
            + notFoundWithArticle);
      }
      return new RunReport(this);
    }

    private static long count(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, was " + value);
      }
      return value;
    }
  }
}

package dev.pixivdic.core.run.internal;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.Shard;
import dev.pixivdic.support.internal.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * How one run behaves. Immutable; build with {@link #builder()}, which fails fast on nonsense.
 *
 * @param runId id written into every row and the report
 * @param shard the slice of the source this run processes
 * @param refreshAfter items stored more recently than this are skipped
 * @param flushRows a batch is written when it holds this many rows
 * @param flushInterval ... or when its oldest row waited this long
 * @param workers items processed at once (the fetcher bounds requests in flight separately)
 * @param limit at most this many items are processed (after skipping); {@code Long.MAX_VALUE}
 *     for all
 * @param blockedInARow this many BLOCKED outcomes in a row stop the run
 * @param driftMinPages the drift guard judges once it has seen this many pages
 * @param driftMinBroken ... and only when at least this many pages are broken
 * @param driftThreshold the share of pages missing an essential column that stops the run
 * @param notFoundAlone NOT_FOUND rows wait for an ARTICLE, and a run that ends with this many
 *     of them and no ARTICLE ends as the site's failure (the origin does not serve the site's
 *     articles); 0: off
 * @param requiredColumns the columns the drift guard watches
 * @param essentialColumns those of them every article has (the others real articles may lack)
 * @param clock time source for timestamps, and for intervals unless it is the system's or a
 *     fixed clock ({@link Intervals})
 */
public record RunConfig(
    String runId,
    Shard shard,
    Duration refreshAfter,
    int flushRows,
    Duration flushInterval,
    int workers,
    long limit,
    int blockedInARow,
    int driftMinPages,
    int driftMinBroken,
    double driftThreshold,
    int notFoundAlone,
    Set<String> requiredColumns,
    Set<String> essentialColumns,
    Clock clock) {

  public RunConfig {
    requireNonNull(runId, "runId");
    requireNonNull(shard, "shard");
    requireNonNull(refreshAfter, "refreshAfter");
    requireNonNull(flushInterval, "flushInterval");
    requiredColumns = Set.copyOf(requireNonNull(requiredColumns, "requiredColumns"));
    essentialColumns = Set.copyOf(requireNonNull(essentialColumns, "essentialColumns"));
    requireNonNull(clock, "clock");
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The default of {@link Builder#refreshAfter}: a day less than a week. A window of a whole week
   * begins at the start of last week's run, so a weekly run skipped every row that run stored
   * after its start, and refreshed nothing every other week.
   */
  public static final Duration DEFAULT_REFRESH_AFTER = Duration.ofDays(6);

  /** The {@link Builder#notFoundAlone} of article scraping and of name resolution. */
  public static final int SCRAPE_NOT_FOUND_ALONE = 20;

  /** Collects settings; not thread-safe. */
  public static final class Builder {
    private String runId = newRunId();
    private Shard shard = Shard.ALL;
    private Duration refreshAfter = DEFAULT_REFRESH_AFTER;
    private int flushRows = 500;
    private Duration flushInterval = Duration.ofMinutes(15);
    private int workers = 1;
    private long limit = Long.MAX_VALUE;
    private int blockedInARow = 5;
    private int driftMinPages = 20;
    private int driftMinBroken = 5;
    private double driftThreshold = 0.5;
    private int notFoundAlone;
    private Set<String> requiredColumns = Set.of("title");
    private Set<String> essentialColumns = Set.of("title");
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Default: a fresh {@code run-<uuid>}. One line of at most 200 characters, not blank: it is
     * stamped on every row and written in logs, where a line break would forge a line. Nor may it
     * hold a character that log text escapes (a mark that reorders text, U+FEFF, half a
     * character): the summary and the final line quote it as it is.
     */
    public Builder runId(String v) {
      requireNonNull(v, "runId");
      if (v.isBlank()) {
        throw new IllegalArgumentException("runId must not be blank");
      }
      if (v.length() > 200 || !dev.pixivdic.support.internal.LogText.isPlain(v)) {
        throw new IllegalArgumentException("runId must be one line of at most 200 characters,"
            + " without control characters, marks that reorder text, U+FEFF or half"
            + " characters");
      }
      this.runId = v;
      return this;
    }

    /** Default: {@link Shard#ALL}. */
    public Builder shard(Shard v) { this.shard = requireNonNull(v, "shard"); return this; }

    /** Default: {@link #DEFAULT_REFRESH_AFTER}. Zero refreshes everything. */
    public Builder refreshAfter(Duration v) {
      this.refreshAfter = Durations.setting(v, "refreshAfter", true);
      return this;
    }

    /** Default: 500. */
    public Builder flushRows(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("flushRows must be > 0, was " + v);
      }
      this.flushRows = v;
      return this;
    }

    /** Default: 15 minutes. */
    public Builder flushInterval(Duration v) {
      this.flushInterval = Durations.setting(v, "flushInterval", false);
      return this;
    }

    /** Default: 1. */
    public Builder workers(int v) {
      if (v < 1 || v > 256) {
        throw new IllegalArgumentException("workers must be in [1, 256], was " + v);
      }
      this.workers = v;
      return this;
    }

    /** Default: no limit. */
    public Builder limit(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("limit must be >= 0, was " + v);
      }
      this.limit = v;
      return this;
    }

    /** Default: 5. */
    public Builder blockedInARow(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("blockedInARow must be > 0, was " + v);
      }
      this.blockedInARow = v;
      return this;
    }

    /** Default: 20 pages. */
    public Builder driftMinPages(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("driftMinPages must be > 0, was " + v);
      }
      this.driftMinPages = v;
      return this;
    }

    /** Default: 0.5 (more than half the pages missing a required column stops the run). */
    public Builder driftThreshold(double v) {
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException("driftThreshold must be in (0, 1], was " + v);
      }
      this.driftThreshold = v;
      return this;
    }

    /**
     * Default 5: the drift guard never trips on fewer broken pages, however small the shard,
     * so one odd page in a shard of two cannot fail a Job.
     */
    public Builder driftMinBroken(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("driftMinBroken must be > 0, was " + v);
      }
      this.driftMinBroken = v;
      return this;
    }

    /**
     * Default 0, off: NOT_FOUND rows are written as they come. Above 0 (scrape:
     * {@link #SCRAPE_NOT_FOUND_ALONE}), NOT_FOUND rows wait until the run has had an ARTICLE
     * (then they are all written, and later ones as they come) and are not stored by a run that
     * has none; a run that went through its input with this many of them and no ARTICLE ends as
     * {@link dev.pixivdic.core.run.StopReason#SITE_UNREACHABLE}: a wrong origin (a mirror's wrong
     * path, another web server) answers 404 for every page. The run is never stopped early for
     * them: a shard may begin with many deleted articles before its live ones.
     */
    public Builder notFoundAlone(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("notFoundAlone must be >= 0, was " + v);
      }
      this.notFoundAlone = v;
      return this;
    }

    /**
     * The watched columns that every article has; default {@code title}. The other required
     * columns are ones real articles may lack, judged by a stricter rule (see the docs).
     */
    public Builder essentialColumns(Set<String> v) {
      this.essentialColumns = Set.copyOf(requireNonNull(v, "essentialColumns"));
      return this;
    }

    /** The columns the drift guard watches. Default: {@code title}. */
    public Builder requiredColumns(Set<String> v) {
      this.requiredColumns = Set.copyOf(requireNonNull(v, "requiredColumns"));
      return this;
    }

    /** Default: the UTC system clock. */
    public Builder clock(Clock v) { this.clock = requireNonNull(v, "clock"); return this; }

    /** Copies the settings. */
    public RunConfig build() {
      return new RunConfig(runId, shard, refreshAfter, flushRows, flushInterval, workers, limit,
          blockedInARow, driftMinPages, driftMinBroken, driftThreshold, notFoundAlone,
          requiredColumns, essentialColumns, clock);
    }
  }

  /** A new random run id. */
  public static String newRunId() {
    return "run-" + UUID.randomUUID();
  }
}

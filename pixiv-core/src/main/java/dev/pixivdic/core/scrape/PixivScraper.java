package dev.pixivdic.core.scrape;

import static java.util.Objects.requireNonNull;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.Fetcher;
import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.core.internal.SettingRanges;
import dev.pixivdic.core.internal.SourceUrls;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.RunReport;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.scrape.internal.ArticleScraper;
import dev.pixivdic.support.ProxySettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

// One piece on purpose: the public entry point with its public builder (PixivScraper.Builder
// is API); the run itself is RunEngine's, the article work ArticleScraper's.
/**
 * Scrapes articles of dic.pixiv.net into a {@link Sink}, politely, and reports what the run
 * did: the entry point for applications that embed pixiv-core.
 *
 * <pre>{@code
 * RunReport report = PixivScraper.builder().qps(0.2).sink(mySink).build()
 *     .run(List.of("https://dic.pixiv.net/a/東方Project"));
 * }</pre>
 *
 * <p>The defaults are the {@code pixiv scrape} command's: one request every 5 seconds
 * (0.2 per second), one in flight, robots.txt honoured, up to 5 attempts with backoff that
 * honours {@code Retry-After}, items the sink holds fresher than 6 days skipped (a weekly
 * schedule refreshes every item), rows written in
 * batches of 500 or every 15 minutes, a stop after 5 blocked pages in a row, and the drift guard
 * watching {@link ArticleParser#requiredColumns()}. For pages you already have, use
 * {@link ArticleParser} directly.
 *
 * <p>A "not found" answer is stored (as a {@code NOT_FOUND} row) only once the run has had an
 * article page: a wrong origin (a mirror's wrong path or port) answers 404 for every page, and
 * its rows would be skipped as fresh by the next run. Until then those rows are held (the first
 * article writes them all); a run that goes through its input with 20 of them and no article
 * ends as {@link dev.pixivdic.core.run.StopReason#SITE_UNREACHABLE}, storing none, and one with
 * fewer, or stopped for another reason, stores none of them either, with a warning in
 * {@link RunReport#problems()}. Before it ends so, the run reads again, one at a time through
 * its fetcher, up to 3 pages that answer from a sample spread over those it skipped as stored in
 * the sink and those its {@link Builder#limit limit} left out (writing none of their rows):
 * the first that is an article shows that the origin serves the site, the held rows are
 * written, the run completes and its problems say so (those requests spend the run's rate as
 * any; a failure every page would meet, such as a long {@code Retry-After}, ends the run as at
 * any page). So a wrong
 * origin costs one polite pass over the input, and a rerun of a shard whose live articles are
 * stored and whose rest is deleted articles stores that rest. A
 * program that knows its origin serves the site and wants every "not found" row written as it
 * comes turns this off with {@link Builder#notFoundHold notFoundHold(false)}.
 *
 * <p>Each {@link #run} is one run with its own run id (unless {@link Builder#runId} fixed one),
 * its own fetcher (closed when the run ends) and its own report; the sink and a given source
 * stay open, they are the caller's. Immutable; runs may go on in several threads at once, but
 * they share nothing, not even the politeness budget, so run one at a time against the real
 * site; nor what the sink holds: two runs at once into one sink each store every row they
 * fetch, and the sink gets them twice (see {@link Sink}: one run at a time per sink). Each
 * run's own fetcher leaves its HTTP client's thread and connection for up to a minute after the
 * run (Java 17's client cannot be closed): a program that runs many should build one {@link
 * HttpFetcher} and give it to every run ({@link Builder#fetcher}).
 */
public final class PixivScraper {

  private final Sink<ArticleRow> sink;
  private final Optional<Fetcher> fetcher;
  private final Consumer<HttpFetcher.Builder> http;
  private final Consumer<RunConfig.Builder> run;
  private final int concurrency;
  private final String runId;
  private final Clock clock;
  /** The origin set, null for the site's own; a given fetcher's is not known. */
  private final URI origin;

  private PixivScraper(Builder b) {
    this.sink = b.sink;
    this.fetcher = Optional.ofNullable(b.fetcher);
    this.concurrency = b.concurrency;
    this.runId = b.runId;
    this.clock = b.clock;
    this.origin = b.fetcher == null ? b.origin : null;
    // Copies of the settings, applied to a fresh builder per run: later changes to the
    // builder do not reach this scraper.
    double qps = b.qps;
    String userAgent = b.userAgent;
    URI origin = b.origin;
    ProxySettings proxy = b.proxy;
    boolean robots = b.respectRobots;
    int attempts = b.maxAttempts;
    Duration timeout = b.requestTimeout;
    int concurrency = b.concurrency;
    this.http = h -> {
      h.qps(qps).concurrency(concurrency).respectRobots(robots).maxAttempts(attempts)
          .requestTimeout(timeout).proxy(proxy)
          // A retry waits in the engine's queue, not in a worker, as in the command.
          .deferRetries(true);
      if (userAgent != null) {
        h.userAgent(userAgent);
      }
      if (origin != null) {
        h.origin(origin);
      }
    };
    Shard shard = b.shard;
    Duration refreshAfter = b.refreshAfter;
    int flushRows = b.flushRows;
    Duration flushInterval = b.flushInterval;
    long limit = b.limit;
    int blocked = b.blockedInARow;
    int driftMinPages = b.driftMinPages;
    int notFoundAlone = b.notFoundHold ? RunConfig.SCRAPE_NOT_FOUND_ALONE : 0;
    this.run = c -> c.shard(shard).refreshAfter(refreshAfter).flushRows(flushRows)
        .flushInterval(flushInterval).limit(limit).blockedInARow(blocked)
        .driftMinPages(driftMinPages).notFoundAlone(notFoundAlone);
  }

  /** A builder with the command's defaults; only {@link Builder#sink} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scrapes the articles at these URLs (in the form {@code https://dic.pixiv.net/a/TITLE}).
   * Every URL is checked before the first request; a URL given twice is fetched once.
   *
   * @return the run's report; a run stopped by the site, the sink or the drift guard says so in
   *     {@link RunReport#stopReason()}, it does not throw
   * @throws dev.pixivdic.core.InvalidArticleUrlException if a URL is not an article's or its
   *     title holds a control character, begins or ends with a character that shows as nothing
   *     (an escaped space, U+00A0, U+200B) or has an empty path segment, naming it
   */
  public RunReport run(Collection<String> articleUrls) {
    requireNonNull(articleUrls, "articleUrls");
    List<WorkItem> items = articleUrls.stream()
        .map(u -> WorkItem.of(SourceUrls.parse(requireNonNull(u, "article URL"))))
        .distinct()
        .toList();
    return run(Source.ofItems(items));
  }

  /**
   * Scrapes the items of {@code source} in this scraper's shard. The source stays open.
   *
   * @return the run's report; a source that fails reports {@code SOURCE_FAILED}, one that
   *     throws an unchecked exception or an {@link Error} (or returns null) {@code
   *     INTERNAL_ERROR} naming it, after what was parsed is written
   * @throws VirtualMachineError such as {@link OutOfMemoryError}, of any part of the run, once
   *     what was parsed is written (or counted as dropped); a {@link StackOverflowError} while
   *     processing one item fails that item only
   */
  public RunReport run(Source<WorkItem> source) {
    requireNonNull(source, "source");
    // One worker more than requests in flight: a page is parsed while the next is fetched.
    RunConfig.Builder config = RunConfig.builder()
        .workers(concurrency + 1)
        .requiredColumns(ArticleParser.requiredColumns())
        .clock(clock);
    run.accept(config);
    if (runId != null) {
      config.runId(runId);
    }
    RunConfig c = config.build();
    if (fetcher.isPresent()) {
      return run(source, fetcher.get(), c);
    }
    HttpFetcher.Builder h = HttpFetcher.builder();
    http.accept(h);
    try (HttpFetcher owned = h.build()) {
      return run(source, owned, c);
    }
  }

  private RunReport run(Source<WorkItem> source, Fetcher f, RunConfig c) {
    ArticleScraper scraper = ArticleScraper.create(f, ArticleParser.create(), c.runId(),
        c.clock());
    if (origin != null) {
      scraper = scraper.withOrigin(origin);
    }
    return RunEngine.create(source, WorkItem::key, scraper, sink, c).run();
  }

  /**
   * Settings of a {@link PixivScraper}. Each setter rejects a bad value at once with an
   * {@link IllegalArgumentException} naming it and its range, which is the {@code pixiv scrape}
   * option's of the same meaning (a null with a {@link NullPointerException} naming it);
   * {@link #build()} copies the settings. Not thread-safe.
   */
  public static final class Builder {
    private Sink<ArticleRow> sink;
    private Fetcher fetcher;
    private boolean httpSet;
    private double qps = 0.2;
    private int concurrency = 1;
    private String userAgent;
    private URI origin;
    private ProxySettings proxy = ProxySettings.none();
    private boolean respectRobots = true;
    private int maxAttempts = 5;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Shard shard = Shard.ALL;
    private Duration refreshAfter = RunConfig.DEFAULT_REFRESH_AFTER;
    private int flushRows = 500;
    private Duration flushInterval = Duration.ofMinutes(15);
    private long limit = Long.MAX_VALUE;
    private int blockedInARow = 5;
    private int driftMinPages = 20;
    private boolean notFoundHold = true;
    private String runId;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Where rows go (required). Stays open after a run: it is the caller's to close. */
    public Builder sink(Sink<ArticleRow> sink) {
      this.sink = requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Requests per second, all in-flight requests together, from 0.0001 to 10000; default 0.2.
     */
    public Builder qps(double qps) {
      this.qps = SettingRanges.QPS.check("qps", qps);
      return http();
    }

    /** Requests in flight at once, from 1 to 64; default 1. */
    public Builder concurrency(int concurrency) {
      SettingRanges.CONCURRENCY.check("concurrency", concurrency);
      this.concurrency = concurrency;
      return this;
    }

    /** The User-Agent header; default one naming this software and where to reach it. */
    public Builder userAgent(String userAgent) {
      HttpFetcher.builder().userAgent(userAgent);
      this.userAgent = userAgent.trim();
      return http();
    }

    /**
     * Where requests for {@code https://dic.pixiv.net} go instead: a mirror, a caching proxy,
     * a local test server. Rows still name the site's URLs. Default: the site itself.
     */
    public Builder origin(URI origin) {
      HttpFetcher.builder().origin(origin);
      this.origin = origin;
      return http();
    }

    /** The proxies to go through; default none (see {@link ProxySettings#fromEnvironment}). */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = requireNonNull(proxy, "proxy");
      return http();
    }

    /** Whether robots.txt is honoured; default true. */
    public Builder respectRobots(boolean respectRobots) {
      this.respectRobots = respectRobots;
      return http();
    }

    /** Attempts per page on I/O errors, 429 and 5xx, from 1 to 20; default 5. */
    public Builder maxAttempts(int maxAttempts) {
      SettingRanges.MAX_ATTEMPTS.check("maxAttempts", maxAttempts);
      this.maxAttempts = maxAttempts;
      return http();
    }

    /** The time limit of one request, from 1 second to 10 minutes; default 30 seconds. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = SettingRanges.REQUEST_TIMEOUT.check("requestTimeout",
          requestTimeout);
      return http();
    }

    /**
     * Fetches through {@code fetcher} instead of an HTTP fetcher made from this builder's
     * settings (which must then be left unset). The caller keeps it: runs do not close it, and
     * a run leaves no retry of its own in it (one it will not make is given up: {@link
     * dev.pixivdic.core.fetch.RetryLaterException#abandon()}), so it may serve run after run
     * (an {@link HttpFetcher} reads robots.txt again after a day, and a minute after it could
     * not be had; a run that starts through it with no other run going on reads a robots.txt
     * that could not be had again and finds its circuit breaker closed). A fetcher closed before
     * or during a run ends it at its first item as {@code INTERNAL_ERROR}, the report's one
     * problem saying the fetcher is closed.
     */
    public Builder fetcher(Fetcher fetcher) {
      this.fetcher = requireNonNull(fetcher, "fetcher");
      return this;
    }

    /** Only the items of this shard are scraped; default all. */
    public Builder shard(Shard shard) {
      this.shard = requireNonNull(shard, "shard");
      return this;
    }

    /**
     * Items the sink holds stored more recently than this are skipped; default 6 days (a day
     * less than a weekly schedule's period: a window of the period itself begins at the last
     * run's start and skips every row that run stored after it); zero refreshes everything; at
     * most ten years.
     */
    public Builder refreshAfter(Duration refreshAfter) {
      RunConfig.builder().refreshAfter(refreshAfter);
      this.refreshAfter = refreshAfter;
      return this;
    }

    /**
     * Rows per batch written to the sink, at most, from 1 to 100000; default 500. Rows of
     * articles wait until the drift guard has judged {@link #driftMinPages} pages (or the run
     * ends), then go in batches of at most this size, each holding the rows of whole items.
     */
    public Builder flushRows(int flushRows) {
      SettingRanges.FLUSH_ROWS.check("flushRows", flushRows);
      this.flushRows = flushRows;
      return this;
    }

    /**
     * A batch is written at least this often while rows wait, once the drift guard has judged
     * {@link #driftMinPages} pages, from 1 second to 1 day; default 15 minutes.
     */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = SettingRanges.FLUSH_INTERVAL.check("flushInterval", flushInterval);
      return this;
    }

    /** At most this many items are processed per run, from 1 to 10¹²; default no limit. */
    public Builder limit(long limit) {
      SettingRanges.LIMIT.check("limit", limit);
      this.limit = limit;
      return this;
    }

    /**
     * The drift guard judges the parser's output after this many pages; until then the rows of
     * those pages are held, not written, so that a site whose markup changed does not fill the
     * sink with empty rows. Default 20, as the command's {@code --drift-min-pages}; a small run
     * may set less to see its rows written sooner. From 1 to 1000000.
     */
    public Builder driftMinPages(int driftMinPages) {
      SettingRanges.DRIFT_MIN_PAGES.check("driftMinPages", driftMinPages);
      this.driftMinPages = driftMinPages;
      return this;
    }

    /**
     * Whether "not found" rows wait for the run's first article page; default true, as the
     * {@code pixiv scrape} command. With true, a run with no article stores none of them, and
     * one that went through its input with 20 of them and no article ends as
     * {@link dev.pixivdic.core.run.StopReason#SITE_UNREACHABLE} (a wrong origin); false writes
     * them as they come, whatever the run's other pages are.
     */
    public Builder notFoundHold(boolean notFoundHold) {
      this.notFoundHold = notFoundHold;
      return this;
    }

    /** The run stops after this many blocked pages in a row, from 1 to 1000; default 5. */
    public Builder blockedInARow(int blockedInARow) {
      SettingRanges.BLOCKED_IN_A_ROW.check("blockedInARow", blockedInARow);
      this.blockedInARow = blockedInARow;
      return this;
    }

    /**
     * The run id stamped on every row; default a new one per run. One line of at most 200
     * characters.
     */
    public Builder runId(String runId) {
      RunConfig.builder().runId(runId);
      this.runId = runId;
      return this;
    }

    /**
     * The clock for rows' {@code loaded_at} and the run's times; default the system's UTC. A
     * fixed clock ({@link Clock#fixed}) gives every row the same time, while the run's waits
     * (retry backoffs, the flush interval) pass as {@link System#nanoTime} does, as with the
     * system clock; another clock (a test's) times them as well.
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The scraper.
     *
     * @throws IllegalStateException if no sink was set, or a fetcher was given together with
     *     HTTP settings it would ignore
     */
    public PixivScraper build() {
      if (sink == null) {
        throw new IllegalStateException("sink must be set: where should the rows go?");
      }
      if (fetcher != null && httpSet) {
        throw new IllegalStateException("fetcher(...) replaces the HTTP settings (qps, userAgent,"
            + " origin, proxy, respectRobots, maxAttempts, requestTimeout): set one or the"
            + " other; concurrency still bounds the workers");
      }
      return new PixivScraper(this);
    }

    private Builder http() {
      httpSet = true;
      return this;
    }
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.bigquery.AntiJoinSkip;
import dev.pixivdic.bigquery.BigQuerySource;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.core.file.internal.FileSource;
import dev.pixivdic.core.file.internal.NdjsonSink;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.file.internal.Sources;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.run.internal.StorageFailedException;
import dev.pixivdic.core.scrape.internal.ArticleScraper;
import dev.pixivdic.core.scrape.internal.PageRecorder;
import dev.pixivdic.support.internal.Durations;
import dev.pixivdic.support.internal.SinkSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixiv scrape}: the main job. */
@Command(name = "scrape", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Fetch, parse and store the articles of one shard of a source, "
        + "politely and resumably.",
    description = {
        "Items the sink already holds (fresher than --refresh-after) are skipped, so a re-run "
            + "continues where a crashed one stopped."})
final class ScrapeCommand implements Callable<Integer>, FinalLine.Command {

  private static final Logger log = LoggerFactory.getLogger(ScrapeCommand.class);
  /** The source's bad lines, named in the log up to a cap, then counted. */
  private final SourceProblems problems = new SourceProblems(log, "bad source line");

  @Spec CommandSpec spec;

  @Option(names = "--source", required = true, paramLabel = "FILE|-|bq:TABLE",
      description = "Articles to scrape: a URL list, CSV or NDJSON with a url column (other "
          + "columns pass through), - for stdin, or bq:PROJECT.DATASET.TABLE.")
  String source;

  @Option(names = "--source-format", paramLabel = "URL_LIST|CSV|NDJSON",
      description = "Format of a file source (default: from its name; stdin is a URL list).")
  FileSource.Format sourceFormat;

  @Option(names = "--strict",
      description = "Stop at the first bad line of a source file (exit 2) instead of "
          + "reporting and skipping it; a table's bad rows are always counted and skipped.")
  boolean strict;

  @Option(names = "--sink", paramLabel = "FILE|bq:TABLE",
      defaultValue = SinkSettings.DEFAULT_SINK,
      description = "Where rows go: an NDJSON file, or bq:PROJECT.DATASET.TABLE "
          + "(default: ${DEFAULT-VALUE}).")
  String sink;

  @Option(names = "--archive", paramLabel = "DIR",
      description = "Also keep every fetched page, compressed and "
          + "content-addressed, for `pixiv replay`.")
  Path archive;

  @Option(names = "--dry-run",
      description = "Print the shard's items (after skipping) and the estimated "
          + "duration; fetch nothing. A --sink file where the run could not write is refused, "
          + "as the run refuses it.")
  boolean dryRun;

  @ArgGroup(exclusive = false, heading = "%nMigration from the original batch:%n")
  BatchSlice batch;

  static final class BatchSlice {
    @Option(names = {"--batch-index", "--batch_index"}, required = true, paramLabel = "K",
        description = "Take the K-th slice of the URL-sorted source, as the original "
            + "did, from 0 to 1000000.")
    int index;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
        description = "Slice size, from 1 to 1000000 (default: ${DEFAULT-VALUE}).")
    int size;
  }

  @Mixin FetchOptions fetch;
  @Mixin ShardOptions shardOptions;
  @Mixin RefreshOptions refresh;
  @Mixin RunOptions run;
  @Mixin BigQueryOptions bigquery;
  @Mixin BigQueryScrapeOptions bigqueryArticles;
  @Mixin NotifyOptions notifyOptions;
  private java.util.Optional<NotifyOptions.Notice> notice = java.util.Optional.empty();
  private FinalLine.Pending pending;
  /**
   * What the run writes through, given the sink it opened: that sink; tests put one that fails
   * in its place, to see the run end as a user would.
   */
  java.util.function.UnaryOperator<Sink<ArticleRow>> sinkSeam = s -> s;

  @Override
  public java.util.Optional<FinalLine.Pending> pending() {
    return java.util.Optional.ofNullable(pending);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    pending = FinalLine.Pending.of("scrape").qps(fetch.qps);
    if (dryRun) {
      // No line, also when it is refused: a refused --shard printed one, a refused origin none.
      pending.noLine();
    }
    // A signal before the engine runs (stdin awaited, a source or sink being opened) ends the
    // log with the final line, as one during the run does.
    StopOnSignal early = StopOnSignal.beforeRun(code -> pending.interrupted(code, err));
    try {
      ReportWriter.checkTarget(run.report, sink);
      checkArguments();
      if (archive != null) {
        ReportWriter.refuseSameFile(run.report, "the index of --archive " + archive,
            PageArchive.indexOf(archive));
      }
      // A signal from now until the engine runs writes the report, saying so.
      pending.reportTo(run.report, source);
      notice = notifyOptions.check(System::getenv, bigquery.proxy());
      Shard shard = shardOptions.resolve();
      // One worker more than requests in flight: a page is parsed while the next one is
      // fetched, so parsing never leaves the politeness budget unused (the fetcher alone
      // bounds the requests in flight).
      RunConfig config = run.config().refreshAfter(refresh.refreshAfter).shard(shard)
          .notFoundAlone(RunConfig.SCRAPE_NOT_FOUND_ALONE)
          .workers(fetch.concurrency + 1).requiredColumns(ArticleParser.requiredColumns())
          .build();
      MDC.put("run_id", config.runId());
      MDC.put("shard", shard.toString());
      Logging.runFields(java.util.Map.of("run_id", config.runId(), "shard", shard.toString(),
          "command", "scrape"));
      pending.run(config.runId(), shard.toString());
      pending.opening("SOURCE_FAILED");
      Source<WorkItem> items;
      FileSource fileSource = null;
      java.util.Optional<AntiJoinSkip> skip = java.util.Optional.empty();
      RunSupport.SourceCounts counts;
      if (Targets.isBigQuery(source)) {
        skip = java.util.Optional.of(new AntiJoinSkip());
        BigQuerySource table = BigQueryTargets.source(source, bigquery, bigqueryArticles, sink,
            config.refreshAfter(), skip.get());
        counts = new RunSupport.SourceCounts(table::invalidUrls, table::duplicateUrls);
        items = table;
      } else {
        fileSource = Targets.fileSource(source, sourceFormat, strict, problems);
        items = fileSource;
        counts = RunSupport.SourceCounts.of(fileSource);
      }
      pending.opening(FinalLine.Pending.REFUSED);
      if (batch != null) {
        try {
          items = Sources.batchSlice(items, batch.index, batch.size);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage(), e);
        }
      }
      if (fileSource != null && !source.equals(FileSource.STDIN)) {
        Targets.refuseSameFile(sink, "the --source file", Path.of(source));
      }
      if (archive != null) {
        Targets.refuseSameFile(sink, "the index of --archive " + archive,
            PageArchive.indexOf(archive));
        Targets.refuseArchiveInSink(sink, archive);
        // Before the sink is opened: a refused archive must not leave a new, empty sink. A dry
        // run refuses what the run would.
        Targets.checkPlace("--archive " + archive, PageArchive.indexOf(archive));
        PageArchive.check(archive);
        if (!dryRun) {
          // A dry run only reads: another run writing the archive does not stop it. One that
          // does ends the run as a sink another run holds would.
          pending.opening("SINK_FAILED");
          PageArchive.requireFree(archive);
        }
      }
      pending.opening("SINK_FAILED");
      try (RunResources opened = new RunResources()) {
        Source<WorkItem> src = opened.other(items);
        Sink<ArticleRow> out = opened.storage(sinkSeam.apply(Targets.isBigQuery(sink)
            ? BigQueryTargets.sink(sink, bigquery, bigqueryArticles, config.runId(), shard,
                skip)
            : fileSink(opened)));
        if (dryRun) {
          // A dry run is no run: it lists the items and prints no final line.
          pending.noLine();
          fetch.check();
          return pending.listed(dryRun(src, out, config, spec.commandLine().getOut(), err));
        }
        pending.opening("SOURCE_FAILED");
        long total = fileSource != null && !source.equals(FileSource.STDIN) && batch == null
            ? Targets.count(Targets.fileSource(source, sourceFormat, false, p -> {}), shard) : -1;
        return scrape(src, out, opened, config, total, counts, err);
      }
    } catch (ConfigException | IOException | UncheckedIOException e) {
      problems.logUnnamed();
      return pending.failed("pixiv scrape", e, err);
    } finally {
      MDC.clear();
      Logging.clearRunFields();
      early.close();
    }
  }

  /**
   * Refuses arguments that contradict one another whatever the file system holds; pixiv-launch
   * refuses them by the same rules ({@link SinkSettings}) before it creates a Job.
   *
   * @throws ConfigException naming the options
   */
  void checkArguments() {
    bigqueryArticles.checkSinkMode(sink);
  }

  private int scrape(Source<WorkItem> src, Sink<ArticleRow> out, RunResources opened,
      RunConfig config, long total, RunSupport.SourceCounts counts, PrintWriter err)
      throws IOException {
    // One request per item: a retry waits in the engine's queue, not in a worker.
    pending.opening(FinalLine.Pending.REFUSED);
    HttpFetcher fetcher = opened.other(fetch.build(bigquery.proxy(), true));
    PageArchive pages = archive == null ? null : openArchive(opened);
    Clock clock = config.clock();
    // One joint step per archive: the held pages' index lines, released together, are one write.
    Processed.Joint<PageArchive.Entry> index = pages == null ? null : entries -> {
      try {
        pages.appendAll(entries);
      } catch (IOException e) {
        throw new StorageFailedException("the copies of " + entries.size() + " page"
            + (entries.size() == 1 ? "" : "s") + " could not be kept", e);
      }
    };
    PageRecorder recorder = pages == null ? PageRecorder.none()
        : (item, r) -> record(pages, index, item, r, clock);
    ArticleScraper scraper = ArticleScraper.create(fetcher, ArticleParser.create(),
        config.runId(), clock).withRecorder(recorder);
    if (fetch.origin != null) {
      scraper = scraper.withOrigin(fetch.origin);
    }
    ProgressPrinter progress = new ProgressPrinter(err, run.progress, total, fetch.qps, clock);
    RunEngine<WorkItem, ArticleRow> engine = RunEngine.create(src, WorkItem::key, scraper, out,
        config).withListener(progress);
    log.info("scraping shard {} of {} into {} at {} requests/s, {} in flight",
        config.shard(), source, sink, fetch.qps, fetch.concurrency);
    RunSupport.AfterRun ledger = Targets.isBigQuery(sink)
        ? (report, ctx) -> BigQueryTargets.recordRun(sink, bigquery, report, ctx, "scrape",
            config.shard())
        : RunSupport.AfterRun.NONE;
    return RunSupport.runAndReport("scrape", pending, engine, opened, fetcher,
        RunSupport.Faults.NONE, progress, fetch.qps, source, counts, problems, run.report, err,
        ledger, notice);
  }

  /** The --sink file, removed when the run fails having made it and written nothing. */
  private Sink<ArticleRow> fileSink(RunResources opened) throws IOException {
    NdjsonSink file = Targets.fileSink(sink, dryRun);
    return opened.removedOnFailure(file, file::closeRemovingIfUnwritten);
  }

  /** The --archive, removed when the run fails having made it and stored no page. */
  private PageArchive openArchive(RunResources opened) throws IOException {
    pending.opening("SINK_FAILED"); // where the pages go
    PageArchive pages = opened.storage(PageArchive.open(archive));
    return opened.removedOnFailure(pages, pages::closeRemovingIfUnwritten);
  }

  /**
   * Keeps the page's body; the returned step writes its index line, with those of other pages
   * when the run takes their steps together.
   */
  private static Processed.OnStored record(PageArchive pages,
      Processed.Joint<PageArchive.Entry> index, WorkItem item, FetchResponse r, Clock clock)
      throws IOException {
    return index.part(pages.keep(item, r, clock.instant()));
  }

  private int dryRun(Source<WorkItem> src, Sink<ArticleRow> out, RunConfig config,
      PrintWriter stdout, PrintWriter err) throws IOException {
    StoredKeys stored = dev.pixivdic.core.run.internal.RunEngine.stored(out, config.shard(),
        config.clock().instant(), config.refreshAfter());
    long n = 0;
    long skipped = 0;
    try (Stream<WorkItem> s = src.items(config.shard())) {
      for (WorkItem item : (Iterable<WorkItem>) s::iterator) {
        if (stored.contains(item.key())) {
          skipped++;
          continue;
        }
        if (n >= config.limit()) {
          break;
        }
        stdout.println(item.key());
        if (stdout.checkError()) {
          return ExitCodes.OK; // the reader is gone: Main says why, with 74
        }
        n++;
      }
    }
    stdout.flush();
    problems.logUnnamed();
    Duration estimate = Duration.ofMillis((long) (n / fetch.qps * 1000));
    // The rate as given: a fixed two decimals printed 0.0001 as "0.00 requests/s".
    String qps = java.math.BigDecimal.valueOf(fetch.qps).stripTrailingZeros().toPlainString();
    err.printf("dry run, shard %s: %d items to fetch, %d already stored; at %s requests/s "
        + "about %s (plus retries)%n",
        config.shard(), n, skipped, qps, Durations.human(estimate));
    return ExitCodes.OK;
  }
}

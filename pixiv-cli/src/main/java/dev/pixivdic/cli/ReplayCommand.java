package dev.pixivdic.cli;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.StoredKeys;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.fetch.FetchResponse;
import dev.pixivdic.core.file.internal.ArchiveHistory;
import dev.pixivdic.core.file.internal.CorruptArchiveException;
import dev.pixivdic.core.file.internal.PageArchive;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.PageTooLargeException;
import dev.pixivdic.core.parse.ParseResult;
import dev.pixivdic.core.run.internal.FailedForGoodException;
import dev.pixivdic.core.run.internal.Processed;
import dev.pixivdic.core.run.internal.NotJudgedException;
import dev.pixivdic.core.run.internal.RedirectedForNowException;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import dev.pixivdic.core.scrape.internal.ArticleScraper;
import dev.pixivdic.core.scrape.internal.Redirected;
import dev.pixivdic.core.scrape.internal.RowStamper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixiv replay}: re-parse archived pages into a sink, without any request. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    header = "Re-parse the pages kept by `scrape --archive` and store the "
        + "rows, sending no request.",
    description = {"The latest page of each URL is parsed: after a parser fix, old "
        + "pages become rows again. A latest page that is a bot challenge or a maintenance "
        + "notice (whatever its HTTP status), or the article's own page under a 404 or 410 (no "
        + "\"not found\" row for an article that is there), hides no older page of its URL."})
final class ReplayCommand implements Callable<Integer>, FinalLine.Command {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--archive", required = true, paramLabel = "DIR",
      description = "The archive written by scrape --archive.")
  Path archive;

  @Option(names = "--sink", paramLabel = "FILE|bq:TABLE",
      defaultValue = "out/pixiv_detail_info.ndjson",
      description = "Where rows go (default: ${DEFAULT-VALUE}).")
  String sink;

  @Option(names = "--threads", paramLabel = "N",
      description = "Pages parsed at once, from 1 to 256 (default: one per core); rows are "
          + "written in whole batches, in the order pages finish.")
  Integer threads;

  @Option(names = "--dry-run",
      description = "Print the URLs that would be replayed and their count; write nothing. "
          + "A --sink file where the replay could not write is refused, as the replay refuses it.")
  boolean dryRun;

  @Option(names = "--refresh-after", paramLabel = "DURATION", defaultValue = "0s",
      converter = DurationConverter.RefreshAfter.class,
      description = "Skip pages the sink stored rows for more recently than this, from 0s to "
          + "3650d (default: ${DEFAULT-VALUE}: every page is parsed again). To go on after a "
          + "replay that stopped, give a little more than the time since it started.")
  Duration refreshAfter;

  @Mixin ShardOptions shardOptions;
  @Mixin RunOptions run;
  @Mixin BigQueryOptions bigquery;
  @Mixin BigQueryScrapeOptions bigqueryArticles;
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
    pending = FinalLine.Pending.of("replay");
    if (dryRun) {
      pending.noLine(); // also when refused, as a scrape's dry run
    }
    // A signal before the engine runs (the archive or sink being opened) ends the
    // log with the final line, as one during the run does.
    StopOnSignal early = StopOnSignal.beforeRun(code -> pending.interrupted(code, err));
    try {
      bigqueryArticles.checkSinkMode(sink);
      if (Targets.isBigQuery(sink)
          && "merge".equalsIgnoreCase(bigqueryArticles.sinkMode.strip())) {
        // Merge mode inserts a URL's row only when the table holds none: the pages a replay
        // re-parses are mostly ones the table holds, so it would replace none of their rows.
        throw new ConfigException("--sink-mode merge keeps the row the table holds for each"
            + " URL, so a replay would replace none of them; replay with --sink-mode append (the"
            + " default: readers take each URL's latest row) or into a new table");
      }
      if (!Files.isDirectory(archive)) {
        throw new ConfigException("--archive " + archive + (Files.exists(archive)
            ? ": not a directory; name the directory scrape --archive wrote"
            : ": no such directory"));
      }
      ReportWriter.checkTarget(run.report, sink);
      // A signal from now until the engine runs writes the report, saying so.
      pending.reportTo(run.report, archive.toString());
      Shard shard = shardOptions.resolve();
      Targets.refuseSameFile(sink, "the index of --archive " + archive,
          PageArchive.indexOf(archive));
      // By default replay re-parses everything it is given: after a parser fix the sink holds
      // rows of every page already, from the run that fetched them.
      // No request is sent, so nothing bounds the work but the cores: parse on all of them.
      int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      RunConfig config = run.config().shard(shard).refreshAfter(refreshAfter).workers(workers)
          .requiredColumns(ArticleParser.requiredColumns()).build();
      pending.run(config.runId(), shard.toString());
      if (dryRun) {
        pending.noLine();
        // Read what the sink holds even when nothing can be skipped (0s): the replay reads it,
        // and a sink that fails it (a damaged line) must fail the dry run alike.
        StoredKeys stored;
        try (Sink<ArticleRow> out = Targets.isBigQuery(sink)
            ? openSink(pending, config, shard) : Targets.fileSink(sink, true)) {
          stored = dev.pixivdic.core.run.internal.RunEngine.stored(out, shard,
              config.clock().instant(), refreshAfter);
        }
        try (PageArchive pages = PageArchive.openReadOnly(archive)) {
          return pending.listed(dryRun(pages, shard, stored, config.limit(), err));
        }
      }
      pending.opening("SOURCE_FAILED"); // the archive is what a replay reads
      try (RunResources opened = new RunResources()) {
        PageArchive pages = opened.other(PageArchive.openReadOnly(archive));
        // Every index line read once before the sink is opened: a damaged one stops the replay
        // (the exception says why and how to repair it), leaving no new, empty sink behind.
        // That read finds each URL's latest page; the run's source reads the index once more
        // for those (it read it three times, once only to check it).
        // Each URL's older pages too: a latest page that is no page of the article (a bot
        // challenge or a maintenance notice served with HTTP 200) hides none of them.
        ArchiveHistory history = opened.other(pages.history());
        Stream<PageArchive.Entry> latest = history.latest();
        opened.other(latest::close);
        Sink<ArticleRow> out = opened.storage(sinkSeam.apply(openSink(pending, config, shard)));
        ArticleParser parser = ArticleParser.create();
        AtomicLong damaged = new AtomicLong();
        RowStamper stamper = new RowStamper(config.runId(), config.clock());
        // The engine asks its source once: the index is read for the pages of that one stream.
        java.util.concurrent.atomic.AtomicBoolean asked =
            new java.util.concurrent.atomic.AtomicBoolean();
        Source<PageArchive.Entry> entries = s -> {
          if (asked.getAndSet(true)) {
            throw new IllegalStateException("the replay's source gives its pages once");
          }
          return latest.filter(e -> s.contains(e.url()));
        };
        RunEngine<PageArchive.Entry, ArticleRow> engine = RunEngine.create(entries,
            e -> e.url().canonical(), e -> replay(e, history, e2 -> {
              byte[] body = read(pages, e2, damaged);
              try {
                // Judged as the scrape judged it: a page the site served from another article
                // is that article's (its row under this URL only when the move was permanent),
                // and one it sent the article to for now is thrown, no parse breakage.
                // As the scrape counts it too: the article's own page under a 404 or 410.
                FetchResponse response = e2.response(body);
                ParseResult parsed = Redirected.parse(parser, e2.url(), response);
                ArticleScraper.refuseOwnPageUnderNotFound(parser, e2.url(), response, parsed);
                return stamper.toProcessed(new WorkItem(e2.url(), e2.attributes()), parsed);
              } catch (PageTooLargeException tooLarge) {
                return Processed.noRow(Outcome.UNRECOGNIZED, tooLarge.getMessage());
              }
            }), out, config);
        ProgressPrinter progress = new ProgressPrinter(err, run.progress, -1, 0, config.clock());
        return RunSupport.runAndReport("replay", pending, engine.withListener(progress), opened,
            null, RunSupport.Faults.damaged(damaged::get), progress, 0, archive.toString(),
            RunSupport.SourceCounts.NONE, SourceProblems.none(), run.report, err,
            RunSupport.AfterRun.NONE, java.util.Optional.empty());
      }
    } catch (ConfigException | IOException | UncheckedIOException e) {
      return pending.failed("pixiv replay", e, err);
    } finally {
      early.close();
    }
  }

  /** Parses one archived page into what the run stores of it. */
  @FunctionalInterface
  interface PageReplay {
    Processed<ArticleRow> apply(PageArchive.Entry page) throws IOException;
  }

  /**
   * What the replay stores for a URL: its latest archived page, unless that page is no page of
   * the article (a bot challenge, a maintenance notice, a page the site redirected it to for now,
   * its own page under a 404 or 410, a cut or unrecognised page: a failed fetch, whatever its
   * HTTP status), when the newest
   * older page that is an article or the site's "not found" stands in its place. When no page
   * is, a page the parser did not recognise is reported as such (the drift guard judges it);
   * else the URL fails for good:
   * the archive holds nothing a replay could store, and no retry of the replay changes that.
   */
  static Processed<ArticleRow> replay(PageArchive.Entry latest, ArchiveHistory history,
      PageReplay parse) throws IOException {
    Replayed first = Replayed.of(latest, parse);
    if (first.isStored()) {
      return first.processed();
    }
    Processed<ArticleRow> unrecognized = first.isUnrecognized() ? first.processed() : null;
    int looked = 0;
    try (Stream<PageArchive.Entry> older = history.older(latest.url())) {
      for (PageArchive.Entry o : (Iterable<PageArchive.Entry>) older::iterator) {
        looked++;
        Replayed q = Replayed.of(o, parse);
        if (q.isStored()) {
          LOG.debug("{}: the latest archived page is {}; replayed the page fetched at {}",
              latest.url(), first.what(), o.fetchedAt());
          return q.processed();
        }
        if (unrecognized == null && q.isUnrecognized()) {
          unrecognized = q.processed();
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (unrecognized != null) {
      return unrecognized;
    }
    throw new FailedForGoodException("no archived page of the article to replay: the latest is "
        + first.what()
        + (looked == 0 ? "" : ", and so " + (looked == 1 ? "is the one" : "are the " + looked)
        + " archived before it") + "; scrape the URL again", null, true);
  }

  /**
   * What one archived page replays to: what the run would store of it, or nothing when the site
   * had redirected the URL to that page for now ({@code redirected} says so).
   */
  private record Replayed(Processed<ArticleRow> processed, NotJudgedException notJudged) {

    static Replayed of(PageArchive.Entry page, PageReplay parse) throws IOException {
      try {
        return new Replayed(parse.apply(page), null);
      } catch (NotJudgedException n) {
        return new Replayed(null, n);
      }
    }

    boolean isStored() {
      return processed != null && processed.outcome().isStored();
    }

    boolean isUnrecognized() {
      return processed != null && processed.outcome() == Outcome.UNRECOGNIZED;
    }

    /** The page, as a warning names it. */
    String what() {
      return processed != null ? processed.outcome() + " (" + processed.detail() + ")"
          : notJudged instanceof RedirectedForNowException
              ? "a page the site redirected it to for now (" + notJudged.getMessage() + ")"
              : "a page that says nothing of it either way (" + notJudged.getMessage() + ")";
    }
  }

  /**
   * The page's body; a blob that is damaged or missing fails its item (the engine names it in a
   * warning) and is counted, so that the run exits 65: a retry would read the same blob.
   */
  private static byte[] read(PageArchive pages, PageArchive.Entry e, AtomicLong damaged)
      throws IOException {
    try {
      return pages.read(e);
    } catch (CorruptArchiveException | NoSuchFileException bad) {
      damaged.incrementAndGet();
      throw bad;
    }
  }

  private Sink<ArticleRow> openSink(FinalLine.Pending pending, RunConfig config, Shard shard)
      throws IOException {
    pending.opening("SINK_FAILED");
    return Targets.isBigQuery(sink)
        ? BigQueryTargets.sink(sink, bigquery, bigqueryArticles, config.runId(), shard,
            java.util.Optional.empty())
        : Targets.fileSink(sink, false);
  }

  private int dryRun(PageArchive pages, Shard shard, StoredKeys stored, long limit,
      PrintWriter err) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    long n = 0;
    long skipped = 0;
    try (Stream<PageArchive.Entry> latest = pages.latest()) {
      for (PageArchive.Entry e : (Iterable<PageArchive.Entry>) latest::iterator) {
        if (!shard.contains(e.url())) {
          continue;
        }
        if (stored.contains(e.url().canonical())) {
          skipped++;
        } else if (n >= limit) {
          break; // as the replay would: --limit counts the pages after skipping
        } else {
          out.println(e.url().canonical());
          if (out.checkError()) {
            return ExitCodes.OK; // the reader is gone: Main says why, with 74
          }
          n++;
        }
      }
    }
    out.flush();
    err.printf("dry run, shard %s: %d archived pages would be parsed again into %s, %d already"
        + " stored%n", shard, n, sink, skipped);
    return ExitCodes.OK;
  }
}

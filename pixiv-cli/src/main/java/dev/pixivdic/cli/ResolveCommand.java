package dev.pixivdic.cli;

import dev.pixivdic.bigquery.BigQueryNameSource;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.fetch.HttpFetcher;
import dev.pixivdic.core.file.internal.FileSource;
import dev.pixivdic.core.file.internal.NameSource;
import dev.pixivdic.core.file.internal.NdjsonRowSink;
import dev.pixivdic.core.file.internal.ResolutionFiles;
import dev.pixivdic.core.resolve.NameItem;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.resolve.internal.NameCleaner;
import dev.pixivdic.core.resolve.internal.NameResolver;
import dev.pixivdic.core.run.internal.RunConfig;
import dev.pixivdic.core.run.internal.RunEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixiv resolve}: names to article URLs through the site's search. */
@Command(name = "resolve", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Find the article of each name (a work, franchise, character) "
        + "through the site's search.",
    description = {"Stores one row per exact match, or a NO_MATCH row.",
        "Names the sink already holds (fresher than --refresh-after) are not searched again. The "
            + "sink is a source for `pixiv scrape` as is.",
        "Matching: see docs/resolve.md."})
final class ResolveCommand implements Callable<Integer>, FinalLine.Command {

  private static final Logger log = LoggerFactory.getLogger(ResolveCommand.class);
  /** The names file's bad lines, named in the log up to a cap, then counted. */
  private final SourceProblems problems = new SourceProblems(log, "bad names line");

  /** How a names file is laid out. */
  enum NamesFormat {
    LIST(FileSource.Format.URL_LIST), CSV(FileSource.Format.CSV), NDJSON(FileSource.Format.NDJSON);

    final FileSource.Format format;

    NamesFormat(FileSource.Format format) {
      this.format = format;
    }
  }

  @Spec CommandSpec spec;

  @Option(names = "--names", required = true, paramLabel = "FILE|-|bq:TABLE",
      description = "Names to resolve: a list (one name a line, # comments), CSV or NDJSON with "
          + "the name in --column (other columns pass through), - for stdin, or "
          + "bq:PROJECT.DATASET.TABLE.")
  String names;

  @Option(names = "--names-format", paramLabel = "LIST|CSV|NDJSON",
      description = "Format of a names file (default: from its name, .csv or .ndjson/.jsonl, else "
          + "a list; stdin is a list).")
  NamesFormat namesFormat;

  @Option(names = "--column", paramLabel = "NAME", defaultValue = NameSource.DEFAULT_COLUMN,
      description = "The CSV/NDJSON or BigQuery column holding the name "
          + "(default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--pass-through", paramLabel = "COLUMN", split = ",",
      description = "bq: names: further columns of the names table copied to each row as strings "
          + "(default: none; a names file passes all its columns).")
  List<String> passThrough = new ArrayList<>();

  @Option(names = "--strict",
      description = "Stop at the first bad line of a names file (exit 2) instead of "
          + "reporting and skipping it; a table's bad names are always counted and skipped.")
  boolean strict;

  @Option(names = "--sink", paramLabel = "FILE|bq:TABLE",
      defaultValue = "out/pixiv_search_middle_class_ip_name_url.ndjson",
      description = "Where resolution rows go: an NDJSON file (a --source for `pixiv scrape`), or "
          + "bq:PROJECT.DATASET.TABLE (default: ${DEFAULT-VALUE}).")
  String sink;

  @Option(names = "--max-pages", paramLabel = "N",
      defaultValue = "" + NameResolver.DEFAULT_MAX_PAGES,
      description = "Read at most N result pages a name while nothing matches, from 1 to 100 "
          + "(default: ${DEFAULT-VALUE}).")
  int maxPages;

  @Option(names = "--strip-pattern", paramLabel = "REGEX",
      description = "A further trailing decoration to strip from names, a regular expression "
          + "that strips only where it matches at the end of the name (as if anchored with $; "
          + "repeatable; applied after the defaults).")
  List<String> stripPatterns = new ArrayList<>();

  @Option(names = "--no-default-strip",
      description = "Do not strip the default decorations (-…-, 〜…〜, ~…~); names are then only "
          + "normalised, plus any --strip-pattern.")
  boolean noDefaultStrip;

  @Mixin FetchOptions fetch;
  @Mixin ShardOptions shardOptions;
  @Mixin RefreshOptions refresh;
  @Mixin RunOptions run;
  @Mixin BigQueryOptions bigquery;
  private FinalLine.Pending pending;
  /**
   * What the run writes through, given the sink it opened: that sink; tests put one that fails
   * in its place, to see the run end as a user would.
   */
  java.util.function.UnaryOperator<Sink<ResolutionRow>> sinkSeam = s -> s;

  @Override
  public java.util.Optional<FinalLine.Pending> pending() {
    return java.util.Optional.ofNullable(pending);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    pending = FinalLine.Pending.of("resolve").qps(fetch.qps);
    // A signal before the engine runs (stdin awaited, a source or sink being opened) ends the
    // log with the final line, as one during the run does.
    StopOnSignal early = StopOnSignal.beforeRun(code -> pending.interrupted(code, err));
    try {
      ReportWriter.checkTarget(run.report, sink);
      // A signal from now until the engine runs writes the report, saying so.
      pending.reportTo(run.report, names);
      Shard shard = shardOptions.resolve();
      if (maxPages < 1) {
        throw new ConfigException("--max-pages must be >= 1, was " + maxPages);
      }
      NameCleaner cleaner = cleaner();
      // Every name yields a recognised search page or an UNRECOGNIZED one: no column of a
      // resolution row is required, only that the page is a search page.
      // A search answered 404 without a search page waits, as scrape's "not found" pages do,
      // for a page of the site (a match or a search without one): a wrong origin or path
      // answers so for every name, and ends the run as the site's failure, naming the origin.
      RunConfig config = run.config().refreshAfter(refresh.refreshAfter).shard(shard)
          .workers(fetch.concurrency).requiredColumns(Set.of())
          .notFoundAlone(RunConfig.SCRAPE_NOT_FOUND_ALONE).build();
      MDC.put("run_id", config.runId());
      MDC.put("shard", shard.toString());
      pending.run(config.runId(), shard.toString());
      pending.opening("SOURCE_FAILED");
      Source<NameItem> items;
      FileSource fileSource = null;
      RunSupport.SourceCounts counts;
      if (Targets.isBigQuery(names)) {
        BigQueryNameSource table = BigQueryTargets.names(names, column, passThrough, bigquery,
            sink, config.refreshAfter());
        counts = new RunSupport.SourceCounts(table::invalidNames, () -> 0);
        items = table;
      } else {
        fileSource = namesFile(names);
        try {
          items = NameSource.of(fileSource, column);
        } catch (IllegalArgumentException e) {
          throw new ConfigException("--column: " + e.getMessage(), e); // as for bq: names
        }
        counts = RunSupport.SourceCounts.of(fileSource);
        pending.opening(FinalLine.Pending.REFUSED);
        if (!names.equals(FileSource.STDIN)) {
          Targets.refuseSameFile(sink, "the --names file", Path.of(names));
        }
      }
      pending.opening("SINK_FAILED");
      try (RunResources opened = new RunResources()) {
        Source<NameItem> src = opened.other(items);
        Sink<ResolutionRow> out = opened.storage(sinkSeam.apply(Targets.isBigQuery(sink)
            ? BigQueryTargets.resolutionSink(sink, bigquery)
            : resolutionFile(sink, opened)));
        pending.opening("SOURCE_FAILED");
        long total = fileSource != null && !names.equals(FileSource.STDIN)
            ? Targets.count(NameSource.of(Targets.fileSource(names,
                namesFormat == null ? null : namesFormat.format, false, p -> {}), column), shard)
            : -1;
        return resolve(src, out, opened, config, cleaner, total, counts, err);
      }
    } catch (ConfigException | IOException | UncheckedIOException e) {
      problems.logUnnamed();
      return pending.failed("pixiv resolve", e, err);
    } finally {
      MDC.clear();
      early.close();
    }
  }

  private int resolve(Source<NameItem> src, Sink<ResolutionRow> out, RunResources opened,
      RunConfig config, NameCleaner cleaner, long total, RunSupport.SourceCounts counts,
      PrintWriter err) throws IOException {
    pending.opening(FinalLine.Pending.REFUSED);
    HttpFetcher fetcher = opened.other(fetch.build(bigquery.proxy(), true));
    NameResolver resolver = NameResolver.create(fetcher, cleaner, maxPages, config.runId(),
        config.clock());
    if (fetch.origin != null) {
      resolver = resolver.withOrigin(fetch.origin);
    }
    ProgressPrinter progress = new ProgressPrinter(err, run.progress, total, fetch.qps,
        config.clock());
    RunEngine<NameItem, ResolutionRow> engine = RunEngine.create(src, NameItem::key, resolver,
        out, config).withListener(progress);
    log.info("resolving shard {} of {} into {}, up to {} pages a name, at {} requests/s",
        config.shard(), names, sink, maxPages, fetch.qps);
    return RunSupport.runAndReport("resolve", pending, engine, opened, fetcher,
        RunSupport.Faults.misconfigured(resolver::rulesAtFault),
        progress, fetch.qps, names, counts, problems, run.report,
        err, RunSupport.AfterRun.NONE,
        java.util.Optional.empty());
  }

  private NameCleaner cleaner() {
    List<Pattern> extra = new ArrayList<>();
    for (String p : stripPatterns) {
      try {
        // Stripped only where it matches at the end of a name (NameCleaner), anchored or not.
        extra.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new ConfigException("--strip-pattern '" + p + "' is not a regular expression: "
            + e.getDescription(), e);
      }
    }
    try {
      return (noDefaultStrip ? NameCleaner.of(List.of()) : NameCleaner.defaults()).plus(extra);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--strip-pattern: " + e.getMessage(), e);
    }
  }

  private FileSource namesFile(String spec) {
    try {
      return Targets.fileSource(spec, namesFormat == null ? null : namesFormat.format, strict,
          problems);
    } catch (ConfigException e) {
      throw new ConfigException(e.getMessage().replaceFirst("^--source", "--names"), e);
    }
  }

  /** The --sink file, removed when the run fails having made it and written nothing. */
  private static Sink<ResolutionRow> resolutionFile(String spec, RunResources opened)
      throws IOException {
    if (spec.equals("-")) {
      throw new ConfigException("--sink - (stdout) is not supported: a sink must remember what "
          + "it stored; name a file");
    }
    Targets.refuseBigQueryLookalike("--sink", spec);
    Targets.refuseDirectoryName("--sink", spec);
    Targets.refuseLinkToNothing("--sink " + spec, Path.of(spec));
    NdjsonRowSink<ResolutionRow> file = ResolutionFiles.sink(Path.of(spec));
    return opened.removedOnFailure(file, file::closeRemovingIfUnwritten);
  }
}

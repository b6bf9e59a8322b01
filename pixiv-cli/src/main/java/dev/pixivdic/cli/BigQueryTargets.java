package dev.pixivdic.cli;

import dev.pixivdic.bigquery.AntiJoinSkip;
import dev.pixivdic.bigquery.BigQueryConnection;
import dev.pixivdic.bigquery.BigQueryNameSource;
import dev.pixivdic.bigquery.BigQueryRejectedException;
import dev.pixivdic.bigquery.BigQueryResolutionSink;
import dev.pixivdic.bigquery.BigQuerySink;
import dev.pixivdic.bigquery.BigQuerySource;
import dev.pixivdic.bigquery.RunLedger;
import dev.pixivdic.bigquery.RunRecord;
import dev.pixivdic.bigquery.TableRef;
import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.Shard;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.internal.ScraperVersion;
import dev.pixivdic.core.resolve.ResolutionRow;
import dev.pixivdic.core.run.RunReport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** BigQuery sources and sinks for {@code bq:PROJECT.DATASET.TABLE} specs, and the run ledger. */
final class BigQueryTargets {

  private static final Logger log = LoggerFactory.getLogger(BigQueryTargets.class);

  /** The view beside the destination giving {@code last_scraped_at} per URL. */
  static final String VIEW_SUFFIX = "_last_scraped";

  private BigQueryTargets() {}

  static TableRef table(String option, String spec) {
    try {
      return TableRef.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage(), e);
    }
  }

  /** The connection of the project that runs the jobs on {@code table}, one per project. */
  static BigQueryConnection connect(BigQueryOptions o, TableRef table) throws IOException {
    return o.connection(o.project != null ? o.project : table.project());
  }

  /**
   * The source of {@code spec}; with a BigQuery sink, its anti-join leaves out what the sink
   * holds and tells {@code skip}, which the run's sink is given too.
   */
  static BigQuerySource source(String spec, BigQueryOptions o, BigQueryScrapeOptions a,
      String sinkSpec, Duration refreshAfter, AntiJoinSkip skip) throws IOException {
    TableRef table = table("--source", spec);
    try {
      BigQuerySource.Builder b = BigQuerySource.builder(connect(o, table), table)
          .urlColumn(a.urlColumn)
          .passThroughColumns(a.passThrough)
          .maximumBytesBilled(o.maxBytesBilled);
      // --refresh-after 0s fetches everything again: nothing to leave out.
      if (Targets.isBigQuery(sinkSpec) && !refreshAfter.isZero()) {
        b.skipStoredIn(table("--sink", sinkSpec), refreshAfter, skip);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * The sink of {@code spec}; with a {@code skip} that a BigQuery source tells, its
   * {@code stored()} queries only what the source's anti-join did not leave out.
   */
  static Sink<ArticleRow> sink(String spec, BigQueryOptions o, BigQueryScrapeOptions a,
      String runId, Shard shard, Optional<AntiJoinSkip> skip) throws IOException {
    TableRef dest = table("--sink", spec);
    BigQuerySink.Mode mode;
    try {
      mode = BigQuerySink.Mode.valueOf(a.sinkMode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--sink-mode is append or merge, was '" + a.sinkMode + "'", e);
    }
    try {
      BigQuerySink.Builder b = BigQuerySink.builder(connect(o, dest), dest);
      skip.ifPresent(b::antiJoinSkip);
      return b.mode(mode)
          .runId(runId)
          .shard(shard)
          .lastScrapedView(dest.sibling(dest.table() + VIEW_SUFFIX))
          .trendViews(true)
          .maximumBytesBilled(o.maxBytesBilled)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * Appends the run to the ledger table {@code scrape_runs} beside the destination, with the
   * connection's retries.
   *
   * @return why the row could not be written (the rows of the run are stored all the same);
   *     empty when it was
   */
  static Optional<String> recordRun(String sinkSpec, BigQueryOptions o, RunReport r,
      ReportWriter.Context c, String command, Shard shard) {
    TableRef dest = table("--sink", sinkSpec);
    try {
      RunRecord record = RunRecord.builder(r.runId(), command, shard.index(), shard.count())
          .startedAt(r.startedAt()).finishedAt(r.finishedAt()).exitCode(c.exitCode())
          .itemsTotal(r.itemsRead()).itemsSkipped(r.skipped())
          .itemsArticle(r.count(Outcome.ARTICLE)).itemsNotFound(r.count(Outcome.NOT_FOUND))
          .itemsBlocked(r.count(Outcome.BLOCKED)).itemsMaintenance(r.count(Outcome.MAINTENANCE))
          .itemsUnrecognized(r.count(Outcome.UNRECOGNIZED)).itemsFailed(r.failed())
          .itemsFailedForGood(r.failedForGood())
          .rowsWritten(r.rowsWritten())
          .requests(c.fetch() == null ? 0 : c.fetch().requestsSent())
          .bytesFetched(c.fetch() == null ? 0 : c.fetch().bytesReceived())
          .scraperVersion(ScraperVersion.get()).source(c.sourceName()).sink(sinkSpec)
          .message(r.stopReason().name())
          .build();
      RunLedger.create(connect(o, dest), dest.sibling(RunLedger.DEFAULT_TABLE)).record(record);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      String why = "the run ledger " + dest.sibling(RunLedger.DEFAULT_TABLE)
          + " has no row for this run: " + e.getMessage();
      log.error("{}", why);
      return Optional.of(why);
    }
  }

  /**
   * Names to resolve from {@code bq:PROJECT.DATASET.TABLE}: the distinct values of
   * {@code column}, the {@code passThrough} columns passing through, leaving out the names that
   * {@code sinkSpec} (when it is a table) holds rows for made within {@code refreshAfter}.
   */
  static BigQueryNameSource names(String spec, String column, List<String> passThrough,
      BigQueryOptions o, String sinkSpec, Duration refreshAfter) throws IOException {
    TableRef table = table("--names", spec);
    BigQueryNameSource.Builder b;
    try {
      b = BigQueryNameSource.builder(connect(o, table), table).column(column);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--column: " + e.getMessage(), e);
    }
    try {
      b.passThroughColumns(passThrough).maximumBytesBilled(o.maxBytesBilled);
      // --refresh-after 0s searches everything again: nothing to leave out.
      if (Targets.isBigQuery(sinkSpec) && !refreshAfter.isZero()) {
        b.skipResolvedIn(table("--sink", sinkSpec), refreshAfter);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--pass-through: " + e.getMessage(), e);
    }
  }

  /**
   * A resolution table ({@code pixiv_search_middle_class_ip_name_url}): rows as
   * {@link dev.pixivdic.core.resolve.internal.ResolutionJson} writes them, keyed by
   * {@code middle_class_ip_name} and dated by {@code update}, appended with load jobs.
   */
  static Sink<ResolutionRow> resolutionSink(String spec, BigQueryOptions o) throws IOException {
    TableRef dest = table("--sink", spec);
    try {
      return BigQueryResolutionSink.create(connect(o, dest), dest, o.maxBytesBilled);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * Whether a failure is the user's to fix (bad table, missing permission) rather than transient.
   */
  static boolean isConfigError(IOException e) {
    return e instanceof BigQueryRejectedException;
  }
}

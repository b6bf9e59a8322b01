package dev.pixivdic.cli;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
import dev.pixivdic.core.resolve.NameItem;
import dev.pixivdic.core.resolve.ResolutionRow;
import java.io.IOException;
import java.time.Duration;

/** BigQuery sources and sinks for {@code bq:PROJECT.DATASET.TABLE} specs. */
final class BigQueryTargets {

  private BigQueryTargets() {}

  static Source<WorkItem> source(String spec, BigQueryOptions o, String sinkSpec, Duration refreshAfter) {
    throw new ConfigException("BigQuery sources are not available in this build: " + spec);
  }

  static Sink<ArticleRow> sink(String spec, BigQueryOptions o, String runId) {
    throw new ConfigException("BigQuery sinks are not available in this build: " + spec);
  }

  /**
   * Names to resolve from {@code bq:PROJECT.DATASET.TABLE}: the distinct values of
   * {@code column}, other columns passing through, leaving out the names that
   * {@code sinkSpec} (when it is a table) holds rows for made within {@code refreshAfter}.
   */
  static Source<NameItem> names(String spec, String column, BigQueryOptions o, String sinkSpec,
      Duration refreshAfter) {
    throw new ConfigException("BigQuery sources are not available in this build: " + spec);
  }

  /**
   * A resolution table ({@code pixiv_search_middle_class_ip_name_url}): rows as
   * {@link dev.pixivdic.core.resolve.ResolutionJson} writes them, keyed by
   * {@code middle_class_ip_name} and dated by {@code update}.
   */
  static Sink<ResolutionRow> resolutionSink(String spec, BigQueryOptions o, String runId) {
    throw new ConfigException("BigQuery sinks are not available in this build: " + spec);
  }

  /** Whether a failure is the user's to fix (bad table, missing permission) rather than transient. */
  static boolean isConfigError(IOException e) {
    return false;
  }
}

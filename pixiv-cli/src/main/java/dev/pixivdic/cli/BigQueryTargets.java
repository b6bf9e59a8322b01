package dev.pixivdic.cli;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.Sink;
import dev.pixivdic.core.Source;
import dev.pixivdic.core.WorkItem;
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

  /** Whether a failure is the user's to fix (bad table, missing permission) rather than transient. */
  static boolean isConfigError(IOException e) {
    return false;
  }
}

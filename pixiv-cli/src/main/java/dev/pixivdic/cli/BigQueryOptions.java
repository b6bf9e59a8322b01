package dev.pixivdic.cli;

import java.net.URI;
import java.util.List;
import picocli.CommandLine.Option;

/** Settings for bq: sources and sinks. */
final class BigQueryOptions {

  @Option(names = "--project", paramLabel = "ID",
      description = "Project that runs the BigQuery jobs (default: the table's project).")
  String project;

  @Option(names = "--location", paramLabel = "LOCATION",
      description = "BigQuery location of the datasets, e.g. asia-northeast1 or US.")
  String location;

  @Option(names = "--bigquery-endpoint", paramLabel = "URL",
      description = "Talk to this BigQuery endpoint without credentials (an emulator or a local stub).")
  URI endpoint;

  @Option(names = "--sink-mode", paramLabel = "append|merge", defaultValue = "append",
      description = "bq: sinks: append rows (default), or merge so the table keeps one row per URL.")
  String sinkMode;

  @Option(names = "--max-bytes-billed", paramLabel = "BYTES", defaultValue = "1073741824",
      description = "Refuse a source query that would bill more than this (default: ${DEFAULT-VALUE}).")
  long maxBytesBilled;

  @Option(names = "--pass-through", paramLabel = "COLUMN", split = ",", defaultValue = "middle_class_ip_name",
      description = "bq: sources: columns copied from the source table to each row (default: ${DEFAULT-VALUE}).")
  List<String> passThrough;

  @Option(names = "--url-column", paramLabel = "COLUMN", defaultValue = "url",
      description = "bq: sources: the column holding the article URL (default: ${DEFAULT-VALUE}; the original table's URL matches).")
  String urlColumn;
}

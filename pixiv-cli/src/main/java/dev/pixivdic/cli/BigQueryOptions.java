package dev.pixivdic.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Settings for bq: sources and sinks that every command shares. */
final class BigQueryOptions {

  @Option(names = "--project", paramLabel = "ID",
      description = "Project that runs the BigQuery jobs (default: the table's project).")
  String project;

  @Option(names = "--location", paramLabel = "LOCATION",
      description = "BigQuery location of the datasets, e.g. asia-northeast1 or US.")
  String location;

  @Option(names = "--bigquery-endpoint", paramLabel = "URL",
      defaultValue = "${env:BIGQUERY_EMULATOR_HOST}",
      description = "Talk to this BigQuery endpoint without credentials (an emulator or a local "
          + "stub; default: $BIGQUERY_EMULATOR_HOST, which BigQuery's Python and Node.js clients "
          + "read too).")
  URI endpoint;

  @Option(names = "--max-bytes-billed", paramLabel = "BYTES", defaultValue = "1073741824",
      description = "Refuse a source query that would bill more than this (default: ${DEFAULT-VALUE}).")
  long maxBytesBilled;
}

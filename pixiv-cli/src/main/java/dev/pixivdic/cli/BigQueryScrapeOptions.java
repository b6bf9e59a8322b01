package dev.pixivdic.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Settings for the article source and sink on BigQuery (scrape, replay). */
final class BigQueryScrapeOptions {

  @Option(names = "--sink-mode", paramLabel = "append|merge", defaultValue = "append",
      description = "bq: sinks: append rows (default), or merge so the table "
          + "keeps one row per URL; a file sink only appends, and refuses merge.")
  String sinkMode;

  @Option(names = "--pass-through", paramLabel = "COLUMN", split = ",",
      defaultValue = "middle_class_ip_name",
      description = "bq: sources: columns copied from the source table to each row "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> passThrough;

  @Option(names = "--url-column", paramLabel = "COLUMN", defaultValue = "url",
      description = "bq: sources: the column holding the article URL (default: ${DEFAULT-VALUE}; "
          + "the original table's URL matches).")
  String urlColumn;

  /**
   * Refuses a {@code --sink-mode} that {@code sink} cannot take: a value other than append or
   * merge, or merge for a file, which only appends (merge was taken and ignored).
   *
   * @throws ConfigException saying which sinks take it
   */
  void checkSinkMode(String sink) {
    String mode = sinkMode.strip().toLowerCase(Locale.ROOT);
    if (!mode.equals("append") && !mode.equals("merge")) {
      throw new ConfigException("--sink-mode is append or merge, was '" + sinkMode + "'");
    }
    if (mode.equals("merge") && !Targets.isBigQuery(sink)) {
      throw new ConfigException("--sink-mode merge is for BigQuery sinks (--sink"
          + " bq:PROJECT.DATASET.TABLE), whose table it keeps at one row per URL; the file "
          + sink + " only appends: leave --sink-mode out, or give a bq: --sink");
    }
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.support.internal.SinkSettings;
import java.util.List;
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
    SinkSettings.sinkModeProblem(sinkMode, sink).ifPresent(why -> {
      throw new ConfigException(why);
    });
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.core.run.internal.RunConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Batching, safety and reporting settings shared by scrape, replay and resolve. */
final class RunOptions {

  @Option(names = "--flush-rows", paramLabel = "N", defaultValue = "500",
      description = "Write a batch when it holds N rows, from 1 to 100000 "
          + "(default: ${DEFAULT-VALUE}).")
  int flushRows;

  @Option(names = "--flush-interval", paramLabel = "DURATION", defaultValue = "15m",
      converter = DurationConverter.FlushInterval.class,
      description = "... or when its oldest row is this old, from 1s to 1d "
          + "(default: ${DEFAULT-VALUE}).")
  Duration flushInterval;

  @Option(names = "--limit", paramLabel = "N",
      description = "Process at most N items (after skipping), from 1 to 1000000000000.")
  Long limit;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Run id written into rows and the report (default: a new one).")
  String runId;

  @Option(names = "--blocked-limit", paramLabel = "N", defaultValue = "5",
      description = "Stop (exit 75) after N blocked pages in a row, from 1 to 1000 "
          + "(default: ${DEFAULT-VALUE}).")
  int blockedLimit;

  @Option(names = "--drift-min-pages", paramLabel = "N", defaultValue = "20",
      description = "The drift guard judges after N pages, from 1 to 1000000; rows of the pages it "
          + "judges (not of not-found pages) are held until then, or until the shard ends "
          + "(default: ${DEFAULT-VALUE}).")
  int driftMinPages;

  @Option(names = "--drift-min-broken", paramLabel = "N", defaultValue = "5",
      description = "... and never on fewer than N broken pages, from 1 to 1000000, so a small "
          + "shard cannot fail on one odd page (default: ${DEFAULT-VALUE}).")
  int driftMinBroken;

  @Option(names = "--drift-threshold", paramLabel = "SHARE", defaultValue = "0.5",
      description = "Stop (exit 65) when more than this share of pages lacks the title or is not "
          + "recognised, from 0.01 to 1; a counter must be missing on 90%% "
          + "(default: ${DEFAULT-VALUE}).")
  double driftThreshold;

  @Option(names = "--report", paramLabel = "FILE",
      converter = dev.pixivdic.support.cli.FileName.class,
      description = "Write the JSON run report here.")
  Path report;

  @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
      description = "Progress on stderr: a bar on a terminal, a line every 30 s otherwise "
          + "(default: ${DEFAULT-VALUE}).")
  ProgressPrinter.Mode progress;

  RunConfig.Builder config() {
    try {
      RunConfig.Builder b = RunConfig.builder()
          .flushRows(flushRows)
          .flushInterval(flushInterval)
          .blockedInARow(blockedLimit)
          .driftMinPages(driftMinPages)
          .driftMinBroken(driftMinBroken)
          .driftThreshold(driftThreshold);
      if (limit != null) {
        b.limit(limit);
      }
      if (runId != null) {
        try {
          b.runId(runId); // the builder's rules, said of the option
        } catch (IllegalArgumentException e) {
          throw new ConfigException(e.getMessage().replaceFirst("^runId", "--run-id"), e);
        }
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }
}

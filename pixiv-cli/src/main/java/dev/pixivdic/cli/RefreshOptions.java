package dev.pixivdic.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How fresh a stored item must be to be skipped: for scrape and resolve, which fetch. Replay
 * declares the option itself, with a default of zero (it re-parses every archived page).
 */
final class RefreshOptions {

  @Option(names = "--refresh-after", paramLabel = "DURATION", defaultValue = "7d",
      converter = DurationConverter.RefreshAfter.class,
      description = "Skip items the sink stored more recently than this, from 0s to 3650d "
          + "(default: ${DEFAULT-VALUE}; 0s refreshes all).")
  Duration refreshAfter;
}

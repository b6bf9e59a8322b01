package dev.pixivdic.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How fresh a stored item must be to be skipped: for scrape and resolve, which fetch. Replay
 * declares the option itself, with a default of zero (it re-parses every archived page).
 */
final class RefreshOptions {

  // Not 7d: a weekly run's window then began at last week's start, and every row last week's
  // run stored after its start was "fresher", so every other week refreshed nothing. A day
  // less than the schedule's period takes in rows stored up to a day into last week's run.

  @Option(names = "--refresh-after", paramLabel = "DURATION", defaultValue = "6d",
      converter = DurationConverter.RefreshAfter.class,
      description = "Skip items the sink stored more recently than this, from 0s to 3650d "
          + "(default: ${DEFAULT-VALUE}; 0s refreshes all).")
  Duration refreshAfter;
}

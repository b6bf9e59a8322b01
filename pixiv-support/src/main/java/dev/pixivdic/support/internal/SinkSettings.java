package dev.pixivdic.support.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The rules of {@code pixiv scrape}'s {@code --sink} and {@code --sink-mode} that hold whatever
 * the file system holds: {@code pixiv} enforces them, and the launcher checks the arguments it
 * would give every pod by the same rules before it creates a Job whose pods could only exit 2.
 */
public final class SinkSettings {

  /** The sink of {@code pixiv scrape} when no {@code --sink} is given: a file. */
  public static final String DEFAULT_SINK = "out/pixiv_detail_info.ndjson";

  private SinkSettings() {}

  /** Whether {@code spec} names a BigQuery table ({@code bq:PROJECT.DATASET.TABLE}). */
  public static boolean isBigQuery(String spec) {
    return spec.startsWith("bq:");
  }

  /**
   * Why {@code sinkMode} cannot be used with {@code sink}: a value other than append or merge
   * (in any case, blanks around it ignored), or merge for a file, which only appends (merge was
   * taken and ignored); empty when it can.
   */
  public static Optional<String> sinkModeProblem(String sinkMode, String sink) {
    String mode = sinkMode.strip().toLowerCase(Locale.ROOT);
    if (!mode.equals("append") && !mode.equals("merge")) {
      return Optional.of("--sink-mode is append or merge, was '" + LogText.escaped(sinkMode)
          + "'");
    }
    if (mode.equals("merge") && !isBigQuery(sink)) {
      return Optional.of("--sink-mode merge is for BigQuery sinks (--sink"
          + " bq:PROJECT.DATASET.TABLE), whose table it keeps at one row per URL; the file "
          + LogText.escaped(sink) + " only appends: leave --sink-mode out, or give a bq: --sink");
    }
    return Optional.empty();
  }
}

package dev.pixivdic.cli;

import dev.pixivdic.core.Shard;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Which shard a run takes: {@code --shard i/n}; else an Indexed Job's {@code JOB_COMPLETION_INDEX}
 * with {@code --shards n} (or {@code PIXIV_SHARDS}); else Cloud Run's
 * {@code CLOUD_RUN_TASK_INDEX}/{@code CLOUD_RUN_TASK_COUNT}; else everything.
 */
final class ShardOptions {

  /** The process environment; tests replace it. */
  static Function<String, String> env = System::getenv;

  @Option(names = "--shard", paramLabel = "i/n",
      description = "Process shard i of n (0-based), e.g. 3/40.")
  String shard;

  @Option(names = "--shards", paramLabel = "N",
      description = "Shard count when the index comes from JOB_COMPLETION_INDEX, from 1 to 100000 (default: $PIXIV_SHARDS).")
  Integer shards;

  /**
   * The shard to run.
   *
   * @throws ConfigException when the settings contradict or are incomplete
   */
  Shard resolve() {
    try {
      if (shard != null) {
        Shard s = Shard.parse(shard);
        if (shards != null && shards != s.count()) {
          throw new ConfigException("--shard " + shard + " contradicts --shards " + shards);
        }
        return s;
      }
      String jobIndex = env.apply("JOB_COMPLETION_INDEX");
      if (jobIndex != null && !jobIndex.isBlank()) {
        Integer n = shards;
        String fromEnv = env.apply("PIXIV_SHARDS");
        if (n == null && fromEnv != null && !fromEnv.isBlank()) {
          n = parseInt("PIXIV_SHARDS", fromEnv);
        }
        if (n == null) {
          throw new ConfigException("JOB_COMPLETION_INDEX is " + jobIndex
              + " but the shard count is unknown: pass --shards N or set PIXIV_SHARDS");
        }
        return new Shard(parseInt("JOB_COMPLETION_INDEX", jobIndex), n);
      }
      String task = env.apply("CLOUD_RUN_TASK_INDEX");
      if (task != null && !task.isBlank()) {
        String count = env.apply("CLOUD_RUN_TASK_COUNT");
        if (count == null || count.isBlank()) {
          throw new ConfigException("CLOUD_RUN_TASK_INDEX is set but CLOUD_RUN_TASK_COUNT is not");
        }
        return new Shard(parseInt("CLOUD_RUN_TASK_INDEX", task), parseInt("CLOUD_RUN_TASK_COUNT", count));
      }
      if (shards != null) {
        throw new ConfigException("--shards " + shards
            + " needs an index: --shard i/n, or JOB_COMPLETION_INDEX from an Indexed Job");
      }
      return Shard.ALL;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, was '" + value + "'");
    }
  }
}

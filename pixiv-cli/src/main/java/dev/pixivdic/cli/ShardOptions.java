package dev.pixivdic.cli;

import dev.pixivdic.core.Shard;
import dev.pixivdic.support.cli.WholeNumbers;
import dev.pixivdic.support.internal.LogText;
import dev.pixivdic.support.internal.WholeNumberText;
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

  @Option(names = "--shards", paramLabel = "N", converter = WholeNumbers.Unsigned.class,
      description = "Shard count when the index comes from JOB_COMPLETION_INDEX, from 1 to 100000 "
          + "(default: $PIXIV_SHARDS).")
  Integer shards;

  /**
   * The shard to run.
   *
   * @throws ConfigException when the settings contradict or are incomplete
   */
  Shard resolve() {
    if (shard != null) {
      return checked("--shard " + shard, () -> {
        Shard s = Shard.parse(shard);
        if (shards != null && shards != s.count()) {
          throw new ConfigException("--shard " + shard + " contradicts --shards " + shards);
        }
        return s;
      });
    }
    String jobIndex = env.apply("JOB_COMPLETION_INDEX");
    if (jobIndex != null && !jobIndex.isBlank()) {
      Integer n = shards;
      String fromEnv = env.apply("PIXIV_SHARDS");
      String from = "--shards " + n;
      if (n == null && fromEnv != null && !fromEnv.isBlank()) {
        n = parseInt("PIXIV_SHARDS", fromEnv);
        from = "PIXIV_SHARDS=" + fromEnv;
      }
      if (n == null) {
        throw new ConfigException("JOB_COMPLETION_INDEX is " + jobIndex
            + " but the shard count is unknown: pass --shards N or set PIXIV_SHARDS");
      }
      int count = n;
      return checked("JOB_COMPLETION_INDEX=" + jobIndex + " with " + from,
          () -> new Shard(parseInt("JOB_COMPLETION_INDEX", jobIndex), count));
    }
    String task = env.apply("CLOUD_RUN_TASK_INDEX");
    if (task != null && !task.isBlank()) {
      String count = env.apply("CLOUD_RUN_TASK_COUNT");
      if (count == null || count.isBlank()) {
        throw new ConfigException("CLOUD_RUN_TASK_INDEX is set but CLOUD_RUN_TASK_COUNT is not");
      }
      return checked("CLOUD_RUN_TASK_INDEX=" + task + " with CLOUD_RUN_TASK_COUNT=" + count,
          () -> new Shard(parseInt("CLOUD_RUN_TASK_INDEX", task),
              parseInt("CLOUD_RUN_TASK_COUNT", count)));
    }
    if (shards != null) {
      throw new ConfigException("--shards " + shards
          + " needs an index: --shard i/n, or JOB_COMPLETION_INDEX from an Indexed Job");
    }
    String sharded = env.apply("PIXIV_SHARDS");
    if (sharded != null && !sharded.isBlank()) {
      parseInt("PIXIV_SHARDS", sharded); // a count that is no number is said first
      // As --shards alone: n pods without an index would each take every item.
      throw new ConfigException("PIXIV_SHARDS=" + sharded.strip()
          + " needs an index: --shard i/n, or JOB_COMPLETION_INDEX from an Indexed Job");
    }
    return Shard.ALL;
  }

  /**
   * The shard {@code make} builds, within the documented shard count; its complaint is prefixed
   * with where the values came from ({@code --shard 0/0: ...}).
   */
  private static Shard checked(String from, java.util.function.Supplier<Shard> make) {
    Shard s;
    try {
      s = make.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(from + ": " + e.getMessage());
    }
    var counts = OptionRanges.of("--shards").orElseThrow();
    if (!counts.contains(s.count())) {
      throw new ConfigException(from + ": the shard count must be " + counts + ", was "
          + s.count());
    }
    return s;
  }

  private static int parseInt(String name, String value) {
    long n = WholeNumberText.parseUnsigned(value).orElse(Long.MIN_VALUE);
    if (n == (int) n) {
      return (int) n;
    }
    if (value.strip().matches("[0-9]+")) {
      // A whole number all the same: what is wrong is its size, which checked() would say.
      throw new ConfigException(name + " is out of range, was '" + value.strip() + "' (the"
          + " shard count must be " + OptionRanges.of("--shards").orElseThrow()
          + ", an index from 0 to the count - 1)");
    }
    throw new ConfigException(name + " must be a whole number in ASCII digits without a sign,"
        + " was '" + LogText.escaped(value) + "'");
  }
}

package dev.pixivdic.support.internal;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The one reading of a whole number that a user or the environment writes (an option, a shard
 * {@code i/n}, {@code PIXIV_SHARDS}, {@code JOB_COMPLETION_INDEX}): ASCII digits with an
 * optional sign, blanks around the value ignored. {@code Integer.parseInt} reads any script's
 * digits ({@code "٣"} is 3, {@code "１"} is 1), which no other number of the commands takes.
 */
public final class WholeNumberText {

  private static final Pattern PLAIN_WHOLE = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern UNSIGNED = Pattern.compile("[0-9]+");

  private WholeNumberText() {}

  /** The value, or empty when it is not such a number or does not fit a {@code long}. */
  public static OptionalLong parse(String text) {
    String s = text.strip();
    if (!PLAIN_WHOLE.matcher(s).matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // too large for a long
    }
  }

  /**
   * The value of a count or an index (a shard {@code i/n}, {@code --shards}, {@code PIXIV_SHARDS},
   * {@code JOB_COMPLETION_INDEX}, {@code CLOUD_RUN_TASK_*}, the launcher's {@code --shards} and
   * {@code --parallelism}): ASCII digits alone, without a sign ({@code +1} and {@code -0} are no
   * such number; a platform never writes one), leading zeros read as in any number
   * ({@code 007} is 7); blanks around the value ignored. Empty when it is not such a number or
   * does not fit a {@code long}.
   */
  public static OptionalLong parseUnsigned(String text) {
    String s = text.strip();
    return UNSIGNED.matcher(s).matches() ? parse(s) : OptionalLong.empty();
  }

  /** Whether the text is written as a whole number, whatever its size. */
  public static boolean isWhole(String text) {
    return PLAIN_WHOLE.matcher(text.strip()).matches();
  }
}

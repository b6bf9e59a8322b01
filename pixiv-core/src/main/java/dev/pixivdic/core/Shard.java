package dev.pixivdic.core;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import dev.pixivdic.support.internal.WholeNumberText;
import java.nio.charset.StandardCharsets;

/**
 * One of {@code count} disjoint slices of the work. A key belongs to shard
 * {@code floorMod(farmHashFingerprint64(key), count)}; the same as BigQuery's
 * {@code MOD(MOD(FARM_FINGERPRINT(key), count) + count, count)}, so a SQL source and a Java
 * source agree on every key. Any count works with any number of items; a shard may be empty.
 *
 * @param index zero-based, {@code 0 <= index < count}
 * @param count the number of shards, at least 1
 */
public record Shard(int index, int count) {

  /** The single shard that holds everything. */
  public static final Shard ALL = new Shard(0, 1);

  private static final HashFunction FARM = Hashing.farmHashFingerprint64();

  public Shard {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be >= 1, was " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard index must be in [0, " + count + "), was " + index);
    }
  }

  /**
   * Parses {@code i/n}, two whole numbers in ASCII digits without a sign ({@code ٠/٢},
   * {@code １/２} and {@code +0/2} are refused; {@code 00/02} is {@code 0/2}).
   *
   * @throws IllegalArgumentException naming the input when it is not of that form
   */
  public static Shard parse(String spec) {
    requireNonNull(spec, "spec");
    int slash = spec.indexOf('/');
    if (slash <= 0 || slash == spec.length() - 1) {
      throw new IllegalArgumentException("a shard is written i/n, e.g. 0/40; got '" + spec + "'");
    }
    return new Shard(number(spec, spec.substring(0, slash)),
        number(spec, spec.substring(slash + 1)));
  }

  private static int number(String spec, String part) {
    long n = WholeNumberText.parseUnsigned(part).orElse(Long.MIN_VALUE);
    if (n != (int) n) {
      throw new IllegalArgumentException("a shard is written i/n in ASCII digits without a"
          + " sign, e.g. 0/40; got '" + spec + "'");
    }
    return (int) n;
  }

  /**
   * The 64-bit FarmHash fingerprint of the key's UTF-8 bytes, equal to BigQuery's FARM_FINGERPRINT.
   */
  public static long fingerprint(String key) {
    return FARM.hashString(key, StandardCharsets.UTF_8).asLong();
  }

  /** The shard index a key falls in among {@code count} shards. */
  public static int indexOf(String key, int count) {
    return Math.floorMod(fingerprint(key), count);
  }

  /** Whether the key belongs to this shard. */
  public boolean contains(String key) {
    return count == 1 || indexOf(key, count) == index;
  }

  /** Whether the article belongs to this shard (by its canonical URL). */
  public boolean contains(ArticleUrl url) {
    return contains(url.canonical());
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}

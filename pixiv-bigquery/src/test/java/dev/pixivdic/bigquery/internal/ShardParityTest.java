package dev.pixivdic.bigquery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.Shard;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ShardParityTest {

  /**
   * BigQuery's {@code MOD(X, Y)} truncates toward zero: the result has the sign of X, as Java's
   * {@code %} on longs. This evaluates {@link Sql#shardFilter}'s left side exactly as BigQuery
   * does, in INT64 arithmetic.
   */
  static long sqlShard(long fingerprint, long count) {
    long inner = fingerprint % count;
    return (inner + count) % count;
  }

  static List<Long> fingerprints() {
    List<Long> fps = new ArrayList<>(List.of(
        // FARM_FINGERPRINT values published in BigQuery's documentation.
        -1541654101129638711L, 2794438866806483259L, -4880158226897771312L,
        Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, -1L, 0L, 1L));
    return fps;
  }

  @Test
  void guavaMatchesTheFingerprintsBigQueryDocuments() {
    assertThat(Shard.fingerprint("1footrue")).isEqualTo(-1541654101129638711L);
    assertThat(Shard.fingerprint("2applefalse")).isEqualTo(2794438866806483259L);
    assertThat(Shard.fingerprint("3true")).isEqualTo(-4880158226897771312L);
  }

  @ParameterizedTest
  @MethodSource("fingerprints")
  void theSqlShardFilterSelectsWhatFloorModSelects(long fp) {
    for (int count : new int[] {1, 2, 3, 7, 40, 41, 1000, Integer.MAX_VALUE}) {
      long sql = sqlShard(fp, count);
      assertThat(sql).as("fp %d, count %d", fp, count).isEqualTo(Math.floorMod(fp, count));
      assertThat(sql).isBetween(0L, count - 1L);
    }
  }

  @Test
  void anAbsBasedFilterWouldDisagreeOnNegativeFingerprintsAndOverflowOnTheMinimum() {
    // Why the filter is MOD(MOD(x, n) + n, n): ABS differs for negatives, and ABS(INT64 min)
    // overflows (an error in BigQuery, a negative number in Java).
    assertThat(Math.abs(-1541654101129638711L) % 40)
        .isNotEqualTo(Math.floorMod(-1541654101129638711L, 40));
    assertThat(Math.abs(Long.MIN_VALUE)).isNegative();
  }

  @Test
  void everyKeyLandsInExactlyOneShardAndTheSqlAgreesWithShardContains() {
    for (int i = 0; i < 2000; i++) {
      String url = "https://dic.pixiv.net/a/" + i + "%27s";
      long fp = Shard.fingerprint(url);
      int n = 40;
      int hits = 0;
      for (int index = 0; index < n; index++) {
        boolean sql = sqlShard(fp, n) == index;
        assertThat(sql).isEqualTo(new Shard(index, n).contains(url));
        hits += sql ? 1 : 0;
      }
      assertThat(hits).isEqualTo(1);
    }
  }

  @Test
  void theFilterTextIsTheFormulaModelledHere() {
    assertThat(Sql.shardFilter("s.`url`")).isEqualTo("MOD(MOD(FARM_FINGERPRINT(s.`url`),"
        + " @shard_count) + @shard_count, @shard_count) = @shard_index");
  }
}

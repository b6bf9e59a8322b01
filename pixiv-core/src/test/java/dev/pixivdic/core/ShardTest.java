package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {

  /**
   * BigQuery's documented FARM_FINGERPRINT examples
   * (CONCAT(CAST(x AS STRING), y, CAST(z AS STRING))).
   */
  @ParameterizedTest
  @CsvSource({"1footrue,-1541654101129638711", "2applefalse,2794438866806483259",
      "3true,-4880158226897771312"})
  void fingerprintEqualsBigQueryFarmFingerprint(String key, long expected) {
    assertThat(Shard.fingerprint(key)).isEqualTo(expected);
  }

  @Test
  void negativeFingerprintsFallInANonNegativeShardLikeSqlDoubleMod() {
    long fp = Shard.fingerprint("1footrue");
    assertThat(fp).isNegative();
    for (int n = 1; n <= 64; n++) {
      long sql = ((fp % n) + n) % n;
      assertThat(Shard.indexOf("1footrue", n)).isEqualTo((int) sql);
    }
    long min = Long.MIN_VALUE;
    for (int n = 1; n <= 64; n++) {
      assertThat(Math.floorMod(min, n)).isEqualTo((int) (((min % n) + n) % n));
    }
  }

  @Test
  void shardsAreDisjointAndCoverEverythingForEveryCountUpTo64() {
    List<String> keys = IntStream.range(0, 500)
        .mapToObj(i -> ArticleUrl.ofTitle("記事" + i).canonical()).toList();
    for (int n = 1; n <= 64; n++) {
      int count = n;
      for (String k : keys) {
        long owners = IntStream.range(0, count).filter(i -> new Shard(i, count).contains(k))
            .count();
        assertThat(owners).as("owners of %s among %d shards", k, n).isEqualTo(1);
      }
    }
  }

  @Test
  void parsesIndexSlashCount() {
    assertThat(Shard.parse("3/40")).isEqualTo(new Shard(3, 40));
    assertThat(Shard.parse("0/1")).isEqualTo(Shard.ALL);
  }

  /** Integer.parseInt reads any script's digits; every whole number of the commands is ASCII. */
  @ParameterizedTest
  @ValueSource(strings = {"٠/٢", "０/２", "0/٢", "١/4"})
  void refusesDigitsOtherThanAscii(String spec) {
    assertThatIllegalArgumentException().isThrownBy(() -> Shard.parse(spec))
        .withMessageContaining("ASCII digits").withMessageContaining(spec);
  }

  @ParameterizedTest
  @ValueSource(strings = {"40/40", "-1/4", "1/0", "1", "a/b", "/4", "3/"})
  void rejectsNonsenseShardsNamingTheProblem(String spec) {
    assertThatIllegalArgumentException().isThrownBy(() -> Shard.parse(spec))
        .withMessageMatching(".*(shard|index|count).*");
  }
}

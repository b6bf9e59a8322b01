package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The counts a figure stands for: wide enough that only a count no reading allows is refused. */
class ShownCountTest {

  private static void assertRange(String shown, long min, long max) {
    for (ShownCount s : new ShownCount[] {ShownCount.ofBare(shown), ShownCount.of(shown)}) {
      assertThat(s).as(shown).isNotNull();
      assertThat(s.exact()).as(shown).isFalse();
      assertThat(new long[] {s.min(), s.max()}).as(shown).containsExactly(min, max);
    }
  }

  @Test
  void anApproximateFigureStandsForWhatLiesLessThanAStepAway() {
    assertRange("約1,200", 1_101, 1_299);
    assertRange("約 1,234", 1_135, 1_333);
    assertRange("約500", 401, 599);
    assertRange("およそ50", 41, 59);
    assertRange("≒1,200", 1_101, 1_299);
    assertRange("1,200程度", 1_101, 1_299);
    assertRange("1,200くらい", 1_101, 1_299);
    assertRange("約1.2万", 11_001, 12_999);
    assertRange("約１，２００", 1_101, 1_299);
  }

  @Test
  void aTildeBeforeIsAboutOrUpToAndABoundIsOneSide() {
    assertRange("~500", 0, 599);
    assertRange("〜500", 0, 599);
    assertRange("～500", 0, 599);
    assertRange("1,000未満", 0, 999);
    assertRange("<1,000", 0, 999);
    assertRange("1,000以下", 0, 1_000);
    assertRange(">999", 1_000, Long.MAX_VALUE);
    assertRange("999+", 1_000, Long.MAX_VALUE);
    assertRange("1,000以上", 1_000, Long.MAX_VALUE);
    assertRange("1,000~", 1_000, Long.MAX_VALUE);
    assertRange("1.2万+", 12_001, Long.MAX_VALUE);
  }

  @Test
  void moreThanAFigureWithAUnitIsMoreThanTheNumberShown() {
    assertRange("1,234+", 1_235, Long.MAX_VALUE);
    assertRange("1.2万+", 12_001, Long.MAX_VALUE);
    assertRange("1.2万超", 12_001, Long.MAX_VALUE);
    assertRange(">1.2万", 12_001, Long.MAX_VALUE);
    assertRange("3.4k+", 3_401, Long.MAX_VALUE);
    assertRange("2.05M+", 2_050_001, Long.MAX_VALUE);
    assertRange("1.234k+", 1_235, Long.MAX_VALUE);
    // At least keeps what the rounded figure stands for.
    assertRange("1.2万以上", 11_500, Long.MAX_VALUE);
  }

  @Test
  void marksOnBothSidesAChangeOrAnOrdinalAreNoFigure() {
    for (String s : new String[] {"約1,000以上", "+12", "#3", "第3", "-5", "1.234", "1 234", "<0",
        "約", "1,000~2,000", "1万弱", "1万強", "1万余"}) {
      assertThat(ShownCount.ofBare(s)).as(s).isNull();
      assertThat(ShownCount.of(s)).as(s).isNull();
    }
  }

  @Test
  void aFirstNumberAfterALabelKeepsItsMark() {
    assertThat(ShownCount.of("閲覧数: 約1,200")).extracting(ShownCount::min, ShownCount::max)
        .containsExactly(1_101L, 1_299L);
    assertThat(ShownCount.of("閲覧数: 1,000以下")).extracting(ShownCount::min, ShownCount::max)
        .containsExactly(0L, 1_000L);
  }

  @Test
  void aBoundAfterANumberMakesItNoCount() {
    assertThat(Text.count("1,000以下")).isNull();
    assertThat(Text.count("1,200~")).isNull();
    assertThat(Text.count("1,200〜1,500")).isNull();
    assertThat(Text.count("1,200件")).isEqualTo(1_200L);
  }
}

package dev.pixivdic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedRatiosTest {

  @Test
  void theSpreadOfPairRatiosIsTheirMedianQuartilesAndRangeWhateverTheirOrder() {
    PairedRatios.Spread s = PairedRatios.Spread.of(new double[] {1.5, 1.1, 1.3, 1.2, 9.0});

    assertThat(s.median()).isEqualTo(1.3);
    assertThat(s.p25()).isEqualTo(1.2);
    assertThat(s.p75()).isEqualTo(1.5);
    assertThat(s.min()).isEqualTo(1.1);
    assertThat(s.max()).isEqualTo(9.0);
  }

  @Test
  void anEvenNumberOfPairsHasTheMeanOfTheMiddleTwoAsItsMedian() {
    PairedRatios.Spread s = PairedRatios.Spread.of(new double[] {1.4, 1.0, 1.2, 1.3});

    assertThat(s.median()).isCloseTo(1.25, within(1e-12));
    assertThat(s.p25()).isCloseTo(1.15, within(1e-12));
  }

  @Test
  void noPairsIsRefusedRatherThanGivingAFigure() {
    assertThatThrownBy(() -> PairedRatios.Spread.of(new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.pixivdic.support.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class RangedDurationConverterTest {

  static final class Timeout extends RangedDurationConverter {
    Timeout() {
      super(Duration.ofSeconds(1), Duration.ofMinutes(10));
    }
  }

  @Test
  void aDurationInTheRangeIsReadInTheGrammar() {
    assertThat(new Timeout().convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(new Timeout().convert("PT10M")).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aDurationOutOfRangeOrOutOfTheGrammarIsRefusedSayingWhy() {
    assertThat(new Timeout().range()).isEqualTo("from 1s to 10m");
    assertThat(new Timeout().min()).isEqualTo(Duration.ofSeconds(1));
    assertThat(new Timeout().max()).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> new Timeout().convert("11m"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'11m' is out of range: the duration must be from 1s to 10m");
    assertThatThrownBy(() -> new Timeout().convert("45"))
        .isInstanceOf(TypeConversionException.class).hasMessageContaining("no unit");
  }

  @Test
  void aRangeThatEndsBeforeItStartsIsAMistake() {
    assertThatThrownBy(() -> new RangedDurationConverter(Duration.ofHours(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

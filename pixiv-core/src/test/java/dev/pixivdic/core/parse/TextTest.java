package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void collapsesAllKindsOfWhitespaceAndTurnsBlankIntoNull() {
    assertThat(Text.norm(" a\u00a0\u3000b\n\tc ")).isEqualTo("a b c");
    assertThat(Text.norm(" \n ")).isNull();
    assertThat(Text.norm("")).isNull();
    assertThat(Text.norm(null)).isNull();
  }

  @Test
  void readsCountsWithSeparatorsAndFullWidthDigits() {
    assertThat(Text.count("1,234")).isEqualTo(1234L);
    assertThat(Text.count("閲覧数: 2,052,836")).isEqualTo(2052836L);
    assertThat(Text.count("１２３")).isEqualTo(123L);
    assertThat(Text.count("0")).isZero();
    assertThat(Text.count("なし")).isNull();
    assertThat(Text.count("99999999999999999999")).isNull();
  }

  @Test
  void aRoundedFigureIsNotACount() {
    assertThat(Text.count("1.2万")).isNull();
    assertThat(Text.count("3.4k")).isNull();
    assertThat(Text.count("総閲覧数: 123.5万")).isNull();
    assertThat(Text.count("1,234件")).isEqualTo(1234L);
    assertThat(Text.bareCount(" 12,345 ")).isEqualTo(12345L);
    assertThat(Text.bareCount("3位")).isNull();
  }

  @Test
  void aReadingHasLettersAndNoKanji() {
    assertThat(Text.isReading("はつねみく")).isTrue();
    assertThat(Text.isReading("しーぷらすぷらす")).isTrue();
    assertThat(Text.isReading("最終更新: 2024/01/01")).isFalse();
    assertThat(Text.isReading("2024")).isFalse();
  }
}

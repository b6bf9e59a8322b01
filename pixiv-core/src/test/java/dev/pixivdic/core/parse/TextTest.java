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
  void aCappedApproximateNegativeOrOddlyGroupedFigureIsNotACount() {
    assertThat(Text.count("999+")).isNull();
    assertThat(Text.count("1,000以上")).isNull();
    assertThat(Text.count("1,000 超")).isNull();
    assertThat(Text.count("約1,200")).isNull();
    assertThat(Text.count("閲覧数: 約 1,200")).isNull();
    assertThat(Text.count("~500")).isNull();
    assertThat(Text.count("-5")).isNull();
    assertThat(Text.count("12万3456")).isNull();
    assertThat(Text.count("1,2345")).isNull();
    assertThat(Text.count("1.234")).isNull();
    assertThat(Text.count("1 234")).isNull();
    assertThat(Text.bareCount("1 234")).as("a space-grouped figure is not bare").isNull();
  }

  @Test
  void aRankOrdinalFractionShareOrExponentIsNotACount() {
    for (String s : new String[] {"ランキング3位", "3 位", "第3", "#3", "12/100", "50%", "５０％",
        "1e9", "1E+9", "1_000", "3番目", "10⁹", "2052836²", "②", "⑫", "1½"}) {
      assertThat(Text.count(s)).as(s).isNull();
      assertThat(Text.bareCount(s)).as(s).isNull();
    }
    assertThat(Text.count("１２３")).as("full-width digits are decimal digits").isEqualTo(123L);
    assertThat(Text.count("12件 / 3ページ")).isEqualTo(12L);
  }

  @Test
  void aCountStaysACountBeforeWordsPunctuationAndLabels() {
    assertThat(Text.count("1,234 bookmarks")).isEqualTo(1234L);
    assertThat(Text.count("コメント - 12")).isEqualTo(12L);
    assertThat(Text.count("作品数 1,234.")).isEqualTo(1234L);
    assertThat(Text.count("1,234, 5,678")).isEqualTo(1234L);
    assertThat(Text.count("１，２３４件")).isEqualTo(1234L);
  }

  @Test
  void aReadingHasLettersAndNoKanji() {
    assertThat(Text.isReading("はつねみく")).isTrue();
    assertThat(Text.isReading("しーぷらすぷらす")).isTrue();
    assertThat(Text.isReading("最終更新: 2024/01/01")).isFalse();
    assertThat(Text.isReading("2024")).isFalse();
  }

  /** A date written as a JSON number was read as seconds of 1970 ("1970-08-23T06:23:21Z"). */
  @Test
  void aJsonNumberIsATimeOnlyAsUnixSecondsOrMilliseconds() {
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    assertThat(ApiJsonReader.time(json.numberNode(20240601L))).isNull();
    assertThat(ApiJsonReader.time(json.numberNode(123L))).isNull();
    assertThat(ApiJsonReader.time(json.numberNode(1717200000L)))
        .isEqualTo(java.time.Instant.parse("2024-06-01T00:00:00Z"));
    assertThat(ApiJsonReader.time(json.numberNode(1717200000123L)))
        .isEqualTo(java.time.Instant.parse("2024-06-01T00:00:00.123Z"));
  }
}

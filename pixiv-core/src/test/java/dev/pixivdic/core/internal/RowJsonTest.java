package dev.pixivdic.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowJsonTest {

  private static ArticleRow full() {
    return ArticleRow.builder(ArticleUrl.ofTitle("μ's"))
        .title("μ's").subTitle("みゅーず").bookmark(12L).checklistCount(12L)
        .summary("ラブライブ!のグループ").viewCount(1_234_567L).commentCount(0L).worksCount(89L)
        .loadedAt(Instant.parse("2026-01-05T04:00:00Z")).middleClassIpName("ラブライブ!")
        .childArticles(List.of("高坂穂乃果")).breadcrumbs(List.of("アニメ", "ラブライブ!"))
        .updatedAt(Instant.parse("2025-12-31T15:00:00Z")).runId("run-1").scraperVersion("0.1.0")
        .passThrough("clean_middle_class_ip_name", "ラブライブ")
        .build();
  }

  @Test
  void writesSnakeCaseColumnsInTableOrderWithNullsAndNoLineBreak() {
    String json = RowJson.write(full());
    assertThat(json).doesNotContain("\n")
        .startsWith("{\"url\":\"https://dic.pixiv.net/a/%CE%BC%27s\",\"title\":\"μ's\","
            + "\"sub_title\":")
        .contains("\"view_count\":1234567", "\"comment_count\":0", "\"novel_view_url\":null",
            "\"loaded_at\":\"2026-01-05T04:00:00Z\"", "\"related_tags\":[]",
            "\"status\":\"ARTICLE\"",
            "\"clean_middle_class_ip_name\":\"ラブライブ\"");
    int last = -1;
    for (RowSchema.Column c : RowSchema.COLUMNS) {
      int at = json.indexOf("\"" + c.name() + "\":");
      assertThat(at).as(c.name()).isGreaterThan(last);
      last = at;
    }
  }

  @Test
  void readsBackWhatItWrote() {
    ArticleRow row = full();
    assertThat(RowJson.read(RowJson.write(row))).isEqualTo(row);
  }

  @Test
  void notFoundRowsCarryTheirStatus() {
    ArticleRow gone =
        ArticleRow.builder(ArticleUrl.ofTitle("消えた記事")).status(Outcome.NOT_FOUND).build();
    assertThat(RowJson.read(RowJson.write(gone)).status()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void rejectsLinesThatAreNotRowsSayingWhy() {
    assertThatIllegalArgumentException().isThrownBy(() -> RowJson.read("[1]"))
        .withMessageContaining("object");
    assertThatIllegalArgumentException().isThrownBy(() -> RowJson.read("{\"title\":\"x\"}"))
        .withMessageContaining("url");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RowJson.read(
            "{\"url\":\"https://dic.pixiv.net/a/x\",\"view_count\":\"many\"}"))
        .withMessageContaining("view_count");
    assertThatIllegalArgumentException().isThrownBy(() -> RowJson.read("{\"url\":"))
        .withMessageContaining("JSON");
    // A line of a resolution file (pixiv resolve's MATCHED) is named by its value, in words.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RowJson.read(
            "{\"url\":\"https://dic.pixiv.net/a/x\",\"status\":\"MATCHED\"}"))
        .withMessage("a row's status is ARTICLE or NOT_FOUND, was 'MATCHED'");
  }

  @Test
  void rowsOnlyHoldStoredOutcomes() {
    assertThatIllegalArgumentException().isThrownBy(() ->
        ArticleRow.builder(ArticleUrl.ofTitle("x")).status(Outcome.BLOCKED).build());
  }
}

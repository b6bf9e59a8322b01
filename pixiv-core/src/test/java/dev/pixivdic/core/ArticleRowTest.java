package dev.pixivdic.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArticleRowTest {

  private static final ArticleRow ROW = ArticleRow.builder(ArticleUrl.ofTitle("東方Project"))
      .title("東方Project").subTitle("とうほうぷろじぇくと").viewCount(98765432L)
      .childArticles(List.of("博麗霊夢")).breadcrumbs(List.of("ゲーム"))
      .updatedAt(Instant.parse("2026-01-02T03:04:05Z")).runId("run-1")
      .passThrough(Map.of("middle_class_ip_name", "東方")).build();

  @Test
  void withUrlKeysTheRowByAnotherUrlKeepingEveryOtherValue() {
    ArticleUrl alias = ArticleUrl.ofTitle("東方プロジェクト");

    ArticleRow moved = ROW.withUrl(alias);

    assertThat(moved.url()).isEqualTo(alias.canonical());
    assertThat(moved).usingRecursiveComparison().ignoringFields("url").isEqualTo(ROW);
    assertThat(ROW.url()).isEqualTo(ArticleUrl.ofTitle("東方Project").canonical());
  }

  @Test
  void withUrlRefusesNoUrl() {
    assertThatNullPointerException().isThrownBy(() -> ROW.withUrl(null)).withMessage("url");
  }
}

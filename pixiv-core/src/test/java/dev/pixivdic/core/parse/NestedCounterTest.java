package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An element inside a counter titled as the same counter (a tooltip with this week's views) is a
 * second finding of the count: the counter's own number and the inner one must agree, else the
 * count is absent and the detail names both. The inner number alone was taken as the article's.
 */
class NestedCounterTest {

  private static final GoldenCorpus.Case DOM = corpus("article/current-dom-full");
  private static final GoldenCorpus.Case LEGACY = corpus("article/legacy-full");
  /** Each counter of the page: its label, the number it shows, the column. */
  private static final List<Counter> COUNTERS = List.of(
      new Counter("閲覧数", "98,765,432", "view_count", ArticleRow::viewCount),
      new Counter("コメント数", "1,234", "comment_count", ArticleRow::commentCount),
      new Counter("作品数", "3,456,789", "works_count", ArticleRow::worksCount),
      new Counter("チェックリスト数", "56,789", "checklist_count", ArticleRow::checklistCount));
  /** Elements inside a counter titled as it, with 5 in place of the number; @ is the label. */
  private static final List<String> INNER = List.of(
      "<ul><li title=\"@\"><div class=\"typography-14\">5</div></li></ul>",
      "<span title=\"@\">5</span>",
      "<div role=\"tooltip\" title=\"総@\"><div class=\"typography-14\">5</div></div>");

  private record Counter(String label, String shown, String column,
      Function<ArticleRow, Long> value) {

    long count() {
      return Long.parseLong(shown.replace(",", ""));
    }
  }

  @Test
  void aCounterHoldingTheSameCounterWithAnotherNumberIsAbsent() {
    ArticleRow whole = row(DOM, new String(DOM.body(), StandardCharsets.UTF_8));
    for (Counter c : COUNTERS) {
      for (String inner : INNER) {
        String html = edited(DOM, ">" + c.shown() + "</div>",
            ">" + c.shown() + "</div>" + inner.replace("@", c.label()));
        ArticleRow r = row(DOM, html);

        assertThat(c.value().apply(r)).as("%s with %s", c.column(), inner).isNull();
        assertThat(r.toBuilder().viewCount(whole.viewCount()).commentCount(whole.commentCount())
            .worksCount(whole.worksCount()).checklistCount(whole.checklistCount())
            .bookmark(whole.bookmark()).build()).as("the other columns").isEqualTo(whole);
        assertThat(detail(DOM, html)).contains(c.column() + " skipped: 2 different values ['"
            + c.count() + "', '5']");
      }
    }
  }

  @Test
  void aCounterHoldingTheSameCounterWithTheSameNumberKeepsIt() {
    for (Counter c : COUNTERS) {
      for (String inner : INNER) {
        ArticleRow r = row(DOM, edited(DOM, ">" + c.shown() + "</div>",
            ">" + c.shown() + "</div>" + inner.replace("@", c.label()).replace(">5<",
                ">" + c.shown() + "<")));

        assertThat(c.value().apply(r)).as("%s with %s", c.column(), inner).isEqualTo(c.count());
      }
    }
  }

  @Test
  void aLegacyChecklistCountHoldingAnotherWithAnotherNumberIsAbsent() {
    String html = edited(LEGACY, "<span class=\"checklist-count\">42</span>",
        "<span class=\"checklist-count\">42<span class=\"checklist-count\">5</span></span>");

    assertThat(row(LEGACY, html).checklistCount()).isNull();
    assertThat(detail(LEGACY, html))
        .contains("legacy checklist_count skipped: 2 different values ['42', '5']");
    for (String wrapped : List.of("<span class=\"checklist-count\"><b>42</b></span>",
        "<span class=\"checklist-count\">42<span class=\"checklist-count\">42</span></span>")) {
      assertThat(row(LEGACY, edited(LEGACY, "<span class=\"checklist-count\">42</span>", wrapped))
          .checklistCount()).as(wrapped).isEqualTo(42L);
    }
  }

  private static String detail(GoldenCorpus.Case c, String html) {
    return ArticleParser.create().parse(Page.of(ArticleUrl.parse(c.url()),
        html.getBytes(StandardCharsets.UTF_8))).detail();
  }
}

package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A legacy counter item holding more than one number (a count and the day's change, a date): its
 * place in the list ties only one number to the counter, so the count is read where the
 * counter's label comes right before it, else it is absent with a note. The item's first number
 * was taken, a year or the day's change among them.
 */
class LegacyCounterItemTest {

  private static final GoldenCorpus.Case LEGACY = corpus("article/legacy-full");
  private static final String ITEMS = "<li><i class=\"icon\"></i>3,456,789</li><li>6</li>"
      + "<li>789</li>";

  private static ParseResult parsed(String items) {
    ParseResult r = ArticleParser.create().parse(Page.of(ArticleUrl.parse(LEGACY.url()),
        edited(LEGACY, ITEMS, items).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.row()).as(r.detail()).isPresent();
    return r;
  }

  private static ArticleRow row(String items) {
    return parsed(items).row().orElseThrow();
  }

  @Test
  void anItemWithSeveralNumbersAndNoLabelIsAbsent() {
    Map<String, String> items = Map.of(
        "<li>2024-06-01 3,456,789</li><li>6</li><li>789</li>", "view_count",
        "<li>3,456,789</li><li><span>昨日</span> 2 <span>今日</span> 6</li><li>789</li>",
            "comment_count",
        "<li>3,456,789</li><li>6</li><li>789 (+12)</li>", "works_count",
        "<li>3,456,789</li><li>6</li><li>前日比作品数 12 789</li>", "works_count");
    items.forEach((html, column) -> {
      ParseResult r = parsed(html);
      ArticleRow row = r.row().orElseThrow();

      assertThat(new Long[] {row.viewCount(), row.commentCount(), row.worksCount()})
          .as(html).containsExactly(column.equals("view_count") ? null : 3_456_789L,
              column.equals("comment_count") ? null : 6L,
              column.equals("works_count") ? null : 789L);
      assertThat(r.detail()).as(html).contains("legacy " + column + " skipped: its item '")
          .contains("holds several numbers, none labelled as the count");
    });
  }

  @Test
  void anItemWithSeveralNumbersIsReadWhereTheLabelTiesOneToTheCounter() {
    ArticleRow r = row("<li>更新 2024-06-01 閲覧数 3,456,789</li>"
        + "<li>前日比 2 コメント 6</li><li>作品数：789（前日比 +12）</li>");

    assertThat(new Long[] {r.viewCount(), r.commentCount(), r.worksCount()})
        .containsExactly(3_456_789L, 6L, 789L);
    assertThat(r).isEqualTo(row(ITEMS));
  }

  @Test
  void aCountAndTheDaysChangeInSeparateElementsAreReadThroughTheLabel() {
    ArticleRow r = row("<li>閲覧数<span>3,456,789</span>（前日比<span>+12</span>）</li>"
        + "<li>6</li><li>作品数 <b>789</b> <i>前日比</i> <b>12</b></li>");

    assertThat(new Long[] {r.viewCount(), r.commentCount(), r.worksCount()})
        .containsExactly(3_456_789L, 6L, 789L);
  }

  @Test
  void anItemLabellingTwoDifferentNumbersAsTheCounterIsAbsent() {
    ParseResult r = parsed("<li>閲覧数 3,456,789 閲覧数 5</li><li>6</li><li>789</li>");

    assertThat(r.row().orElseThrow().viewCount()).isNull();
    assertThat(r.detail())
        .contains("legacy view_count skipped: 2 different values ['3456789', '5']");
  }

  @Test
  void aNumberSplitAcrossElementsOrWithDigitsNestedInItIsAbsent() {
    for (String comment : new String[] {"6<sup>2</sup>", "6<span style=\"display:none\">0</span>",
        "<b>6</b>2", "6<ruby>2<rt>に</rt></ruby>", "1,2<b>34</b>", "1,<b>234</b>",
        "1<b>,234</b>", "コメント ６<sup>２</sup>"}) {
      ParseResult r = parsed("<li>3,456,789</li><li>" + comment + "</li><li>789</li>");
      ArticleRow row = r.row().orElseThrow();

      assertThat(new Long[] {row.viewCount(), row.commentCount(), row.worksCount()})
          .as(comment).containsExactly(3_456_789L, null, 789L);
      assertThat(r.detail()).as(comment)
          .contains("legacy comment_count skipped: its item '")
          .contains("has digits in more than one element");
    }
    ParseResult checklist = ArticleParser.create().parse(Page.of(ArticleUrl.parse(LEGACY.url()),
        edited(LEGACY, "<span class=\"checklist-count\">42</span>",
            "<span class=\"checklist-count\">4<sup>2</sup></span>")
            .getBytes(StandardCharsets.UTF_8)));
    assertThat(checklist.row().orElseThrow().checklistCount()).isNull();
    assertThat(checklist.row().orElseThrow().commentCount()).isEqualTo(6L);
  }

  /**
   * jsoup's text drops a zero-width space and a soft hyphen, and the whitespace rule a control
   * character: {@code 6&#8203;0} was read as 60, {@code コメント数: 1&#8288;2} as 1. The current
   * markup's counter, whose whole text must be a count, refuses them.
   */
  @Test
  void digitsSplitByAnInvisibleCharacterAreNoNumber() {
    for (String comment : new String[] {"6&#8203;0", "6&#173;0", "6&#8204;0", "6&#8205;0",
        "6&#8288;0", "6&#65279;0", "6&#8206;0", "6&#1;0", "6&#847;0", "6&#65024;0",
        "コメント数: 6&#8288;0", "1,&#8203;234", "1&#8203;,234", "6<span>&#8203;</span>0",
        "6&#8203;<b>0</b>", "６&#8203;０"}) {
      ParseResult r = parsed("<li>3,456,789</li><li>" + comment + "</li><li>789</li>");
      ArticleRow row = r.row().orElseThrow();

      assertThat(new Long[] {row.viewCount(), row.commentCount(), row.worksCount()})
          .as(comment).containsExactly(3_456_789L, null, 789L);
    }
    ParseResult checklist = ArticleParser.create().parse(Page.of(ArticleUrl.parse(LEGACY.url()),
        edited(LEGACY, "<span class=\"checklist-count\">42</span>",
            "<span class=\"checklist-count\">4&#8203;2</span>")
            .getBytes(StandardCharsets.UTF_8)));
    assertThat(checklist.row().orElseThrow().checklistCount()).isNull();
    assertThat(checklist.row().orElseThrow().bookmark()).isNull();
    assertThat(checklist.detail()).contains("legacy checklist_count skipped: '42' has digits in"
        + " more than one element, or split by an invisible character");
    // An invisible character beside a number, not inside it, leaves it a count.
    assertThat(row("<li>&#8206;3,456,789&#8206;</li><li>&#8203;6</li><li>789&#173;</li>"))
        .isEqualTo(row(ITEMS));
  }

  /** A control character was dropped from the counter's text, joining the digits around it. */
  @Test
  void theCurrentMarkupsCounterRefusesDigitsSplitByAnInvisibleCharacterToo() {
    GoldenCorpus.Case dom = corpus("article/current-dom-full");
    for (String shown : new String[] {"1,2&#1;34", "1,2&#8203;34", "1,2&#8288;34"}) {
      ArticleRow r = AnotherArticlesValuesTest.row(dom,
          edited(dom, ">1,234</div>", ">" + shown + "</div>"));

      assertThat(r.commentCount()).as(shown).isNull();
      assertThat(r.viewCount()).as(shown).isEqualTo(98_765_432L);
    }
  }

  @Test
  void digitsBesideALabelOrAnIconInTheItemsOwnTextAreStillRead() {
    ArticleRow r = row("<li><i class=\"icon\"></i><span>閲覧数</span> 3,456,789</li>"
        + "<li><b>コメント</b>6</li><li><span>789</span></li>");

    assertThat(new Long[] {r.viewCount(), r.commentCount(), r.worksCount()})
        .containsExactly(3_456_789L, 6L, 789L);
  }
}

package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A counter showing a rounded or capped figure ({@code 205万}, {@code 2.05M}, {@code 999+}) is a
 * finding of the count, though not the count: an exact number found beside it (a tooltip titled
 * as the counter, a second counter, the legacy total line) is taken only when the figure can
 * stand for it, whether the site truncates or rounds. The number beside it was taken whatever
 * the figure said.
 */
class AbbreviatedCounterTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final GoldenCorpus.Case NEXT = corpus("article/current-nextdata-full");
  private static final GoldenCorpus.Case LEGACY = corpus("article/legacy-full");
  /** The page's JSON counts, left out so that the header's counters are all there is. */
  private static final String INFO = "\"articleViewCount\": 2052836, \"commentCount\": 345,"
      + " \"pixivWorkCount\": 1234567, \"checklistCount\": 8901, ";
  private static final String VIEWS = "<div class=\"typography-14\" data-x=\"n\">2,052,836</div>";

  /** The parse of the page, after checking that the fast path, where it serves, agrees. */
  static ParseResult parsed(GoldenCorpus.Case c, String html) {
    Page page = new Page(ArticleUrl.parse(c.url()), 200, "text/html; charset=utf-8",
        html.getBytes(StandardCharsets.UTF_8));
    ParseResult whole = PARSER.parseWhole(page);
    ParseResult fast = PARSER.parseSkeleton(page);
    if (c == NEXT) {
      assertThat(fast).as("the fast path").isNotNull().isEqualTo(whole);
    }
    assertThat(whole.row()).as(whole.detail()).isPresent();
    return whole;
  }

  /** The views counter showing {@code shown}, with a tooltip titled as it holding {@code exact}. */
  private static String withTooltip(String shown, String exact) {
    return edited(NEXT, INFO, "", VIEWS, "<div class=\"typography-14\">" + shown
        + "</div><span title=\"閲覧数\">" + exact + "</span>");
  }

  @Test
  void aTooltipNumberTheFigureCannotStandForIsAbsent() {
    for (String shown : List.of("205.3万", "205.2万", "2.1M", "3.4k", "999+", "1,000以上")) {
      ParseResult r = parsed(NEXT, withTooltip(shown, "5"));

      assertThat(r.row().orElseThrow().viewCount()).as(shown).isNull();
      assertThat(r.detail()).contains("view_count skipped: '5' is not what '" + shown
          + "' shows");
    }
  }

  @Test
  void aTooltipNumberTruncationOrRoundingGivesIsTakenAndOneNeitherGivesIsAbsent() {
    // 2,052,836 is 205.2万 truncated and 205.3万 rounded: which the site shows is not known.
    for (String shown : List.of("205.3万", "205.2万", "2.053M", "2.052M")) {
      assertThat(parsed(NEXT, withTooltip(shown, "2,052,836")).row().orElseThrow().viewCount())
          .as(shown).isEqualTo(2_052_836L);
    }
    // Neither way shows it as these: rounded, 205.1万 is 2,050,500 to 2,051,499 and 205.4万 from
    // 2,053,500; truncated, 205.1万 ends at 2,051,999.
    for (String shown : List.of("205.1万", "205.4万", "2.054M", "2.05万")) {
      assertThat(parsed(NEXT, withTooltip(shown, "2,052,836")).row().orElseThrow().viewCount())
          .as(shown).isNull();
    }
  }

  @Test
  void aTooltipNumberTheFigureStandsForIsTaken() {
    for (String shown : List.of("205万", "2.05M", "2M", "2,052.8k", "2,052.836k", "2,000,000+",
        "2,052,836")) {
      assertThat(parsed(NEXT, withTooltip(shown, "2,052,836")).row().orElseThrow().viewCount())
          .as(shown).isEqualTo(2_052_836L);
    }
  }

  @Test
  void aFigureAloneGivesNoCount() {
    for (String shown : List.of("205万", "2,052.836k", "2,000,000+")) {
      assertThat(parsed(NEXT, edited(NEXT, INFO, "", VIEWS, "<div class=\"typography-14\">"
          + shown + "</div>")).row().orElseThrow().viewCount()).as(shown).isNull();
    }
  }

  @Test
  void aSecondCounterTheFigureCannotStandForIsAbsent() {
    String second = "<li title=\"閲覧数\"><div class=\"typography-14\">@</div></li>";
    for (String exact : List.of("5", "2,054,000")) {
      ParseResult r = parsed(NEXT, edited(NEXT, INFO, "", VIEWS,
          "<div class=\"typography-14\">205.3万</div></li>" + second.replace("@", exact)
              .replace("</li>", "")));

      assertThat(r.row().orElseThrow().viewCount()).as(exact).isNull();
      assertThat(r.detail()).contains("view_count skipped: '" + exact.replace(",", "")
          + "' is not what '205.3万' shows");
    }
    assertThat(parsed(NEXT, edited(NEXT, INFO, "", VIEWS, "<div class=\"typography-14\">"
        + "2.05M</div></li>" + second.replace("@", "2,052,836").replace("</li>", "")))
        .row().orElseThrow().viewCount()).isEqualTo(2_052_836L);
  }

  @Test
  void aLegacyChecklistFigureHoldingAnotherNumberIsAbsent() {
    String checklist = "<span class=\"checklist-count\">42</span>";
    ParseResult r = parsed(LEGACY, edited(LEGACY, checklist,
        "<span class=\"checklist-count\">1.2万<span class=\"checklist-count\">5</span></span>"));

    assertThat(r.row().orElseThrow().checklistCount()).isNull();
    assertThat(r.detail()).contains("legacy checklist_count skipped: '5' is not what '1.2万'");
    ArticleRow fits = parsed(LEGACY, edited(LEGACY, checklist, "<span class=\"checklist-count\">"
        + "1.2万<span class=\"checklist-count\">12,045</span></span>")).row().orElseThrow();
    assertThat(fits.checklistCount()).isEqualTo(12_045L);
  }

  /** Where a total views line goes: before the body, outside the relation block. */
  private static final String TOTAL = "<div id=\"article-body\">";

  @Test
  void aLegacyTotalViewsLineTheItemsFigureCannotStandForIsAbsent() {
    String item = "<li><i class=\"icon\"></i>3,456,789</li>";
    ParseResult r = parsed(LEGACY, edited(LEGACY, item, "<li>345.7万</li>",
        TOTAL, "<p>総閲覧数: 5</p>" + TOTAL));

    assertThat(r.row().orElseThrow().viewCount()).isNull();
    assertThat(r.detail()).contains("legacy view_count skipped: '5' is not what '345.7万'");
    assertThat(parsed(LEGACY, edited(LEGACY, item, "<li>3M</li>",
        TOTAL, "<p>総閲覧数: 3,456,789</p>" + TOTAL)).row().orElseThrow()
        .viewCount()).isEqualTo(3_456_789L);
  }
}

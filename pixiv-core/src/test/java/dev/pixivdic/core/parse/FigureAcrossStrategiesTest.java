package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleUrl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rounded, capped or approximate figure in the header ({@code 1.2万}, {@code 999+},
 * {@code 約1,200}) is checked against the count another strategy reads: the JSON's count is
 * taken only when the header's figure can stand for it, else the strategies disagree and the
 * column is absent. The JSON's count was taken whatever the header showed.
 */
class FigureAcrossStrategiesTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final GoldenCorpus.Case NEXT = corpus("article/current-nextdata-full");
  private static final String JSON_VIEWS = "\"articleViewCount\": 2052836";
  private static final String VIEWS = "<div class=\"typography-14\" data-x=\"n\">2,052,836</div>";

  /** The page with the JSON's view count {@code json} and the header showing {@code shown}. */
  static ParseResult parsed(String json, String shown) {
    return parsed(edited(NEXT, JSON_VIEWS, "\"articleViewCount\": " + json, VIEWS,
        "<div class=\"typography-14\" data-x=\"n\">" + shown + "</div>"));
  }

  /** The parse of the page, after checking that the fast path serves it and agrees. */
  private static ParseResult parsed(String html) {
    Page page = new Page(ArticleUrl.parse(NEXT.url()), 200, "text/html; charset=utf-8",
        html.getBytes(StandardCharsets.UTF_8));
    ParseResult whole = PARSER.parseWhole(page);
    assertThat(PARSER.parseSkeleton(page)).as("the fast path").isNotNull().isEqualTo(whole);
    assertThat(whole.row()).as(whole.detail()).isPresent();
    return whole;
  }

  private static void assertDisagree(String json, String shown, String jsonRead) {
    ParseResult r = parsed(json, shown);

    assertThat(r.row().orElseThrow().viewCount()).as(shown).isNull();
    assertThat(r.provenance()).as(shown).doesNotContainKey("view_count");
    assertThat(r.disagreements()).as(shown).containsExactly(new Disagreement("view_count",
        Map.of(Strategy.NEXT_DATA, jsonRead, Strategy.DOM, shown)));
    assertThat(r.detail()).contains("strategies disagree, left absent: view_count: NEXT_DATA '"
        + jsonRead + "' DOM '" + shown + "'");
    // The other counts of the page are taken as before.
    assertThat(r.row().orElseThrow().commentCount()).isEqualTo(345L);
  }

  private static void assertTaken(String json, String shown, long expected) {
    ParseResult r = parsed(json, shown);

    assertThat(r.row().orElseThrow().viewCount()).as(shown).isEqualTo(expected);
    assertThat(r.provenance()).as(shown).containsEntry("view_count", Strategy.NEXT_DATA);
    assertThat(r.disagreements()).as(shown).isEmpty();
  }

  @Test
  void theJsonCountTheHeadersRoundedFigureContradictsIsADisagreement() {
    assertDisagree("5000", "1.2万", "5000");
    assertDisagree("5000", "205.3万", "5000");
    assertDisagree("5000", "3.4k", "5000");
    assertDisagree("5", "999+", "5");
  }

  @Test
  void theJsonCountTheHeaderShowsIsTakenAsBefore() {
    assertTaken("5000", "5,000", 5_000);
    assertTaken("12345", "1.2万", 12_345);
    assertTaken("2052836", "205.3万", 2_052_836);
    assertTaken("2052836", "205.2万", 2_052_836);
    assertTaken("1500", "999+", 1_500);
  }

  @Test
  void theJsonCountAnApproximateFigureContradictsIsADisagreement() {
    assertDisagree("5000", "約1,200", "5000");
    assertDisagree("1400", "約1,200", "1400");
    assertDisagree("5000", "~500", "5000");
    assertDisagree("1000", "1,000未満", "1000");
    assertDisagree("1001", "1,000以下", "1001");
    assertDisagree("999", "1,000~", "999");
    assertDisagree("1200", "1,200+", "1200");
  }

  @Test
  void theJsonCountAnApproximateFigureCanStandForIsTaken() {
    assertTaken("1234", "約1,200", 1_234);
    assertTaken("1180", "約 1,200", 1_180);
    assertTaken("12345", "約1.2万", 12_345);
    assertTaken("1250", "1,200程度", 1_250);
    assertTaken("300", "〜500", 300);
    assertTaken("999", "1,000未満", 999);
    assertTaken("1000", "1,000以下", 1_000);
    assertTaken("1000", "1,000以上", 1_000);
  }

  @Test
  void aCountBesideAPlusFigureMustBeMoreThanTheNumberShown() {
    assertDisagree("1234", "1,234+", "1234");
    assertDisagree("999", "999+", "999");
    assertDisagree("11600", "1.2万+", "11600");
    assertDisagree("12000", "1.2万+", "12000");
    assertDisagree("3400", "3.4k+", "3400");
    assertTaken("1235", "1,234+", 1_235);
    assertTaken("12001", "1.2万+", 12_001);
    assertTaken("15000", "1.2万+", 15_000);
    // A figure the JSON gives as a string, against the header's count.
    ParseResult r = parsed(edited(NEXT, JSON_VIEWS, "\"articleViewCount\": \"205.2万+\""));
    assertThat(r.row().orElseThrow().viewCount()).isEqualTo(2_052_836L);
    r = parsed(edited(NEXT, JSON_VIEWS, "\"articleViewCount\": \"2,052,836+\""));
    assertThat(r.row().orElseThrow().viewCount()).isNull();
    assertThat(r.disagreements()).containsExactly(new Disagreement("view_count",
        Map.of(Strategy.NEXT_DATA, "2,052,836+", Strategy.DOM, "2052836")));
  }

  @Test
  void aJsonFigureIsCheckedAgainstTheHeadersCount() {
    // The header's exact count against a figure the JSON gives as a string.
    ParseResult r = parsed(edited(NEXT, JSON_VIEWS, "\"articleViewCount\": \"1.2万\""));

    assertThat(r.row().orElseThrow().viewCount()).isNull();
    assertThat(r.disagreements()).containsExactly(new Disagreement("view_count",
        Map.of(Strategy.NEXT_DATA, "1.2万", Strategy.DOM, "2052836")));
    assertThat(parsed("\"205.3万\"", "2,052,836").row().orElseThrow().viewCount())
        .isEqualTo(2_052_836L);
  }

  @Test
  void theJsonCountIsNotTakenWhenTheHeadersOwnFigureContradictsItsNumber() {
    // The header shows 1.2万 and, in a tooltip titled as the counter, 5000: the header has no
    // count, and its figure still contradicts the JSON's 5000.
    ParseResult r = parsed("5000", "1.2万</div><span title=\"閲覧数\">5,000</span><div>");

    assertThat(r.row().orElseThrow().viewCount()).isNull();
    assertThat(r.detail()).contains("view_count skipped: '5000' is not what '1.2万' shows");
    assertThat(r.disagreements()).extracting(Disagreement::column)
        .isEqualTo(List.of("view_count"));
  }
}

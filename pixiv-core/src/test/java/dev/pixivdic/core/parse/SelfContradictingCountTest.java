package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AbbreviatedCounterTest.parsed;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A strategy that finds two different exact counts for one column (a counter and a tooltip
 * titled as it, two labelled numbers in a legacy item), or a count its own figure contradicts,
 * has no count; and the page then contradicts itself, so the count another strategy reads is not
 * taken either: the column is absent with a {@link Disagreement}, as when two strategies read
 * different counts. The other strategy's count was taken, even when it was one of the two.
 */
class SelfContradictingCountTest {

  private static final GoldenCorpus.Case LEGACY = corpus("article/legacy-full");

  /** The page with the JSON's view count {@code json} and the header showing {@code shown}. */
  private static ParseResult header(String json, String shown) {
    return FigureAcrossStrategiesTest.parsed(json, shown);
  }

  private static void assertAbsent(ParseResult r, Strategy other, String otherRead,
      Strategy self, String selfRead) {
    assertThat(r.row().orElseThrow().viewCount()).as(r.detail()).isNull();
    assertThat(r.provenance()).doesNotContainKey("view_count");
    Disagreement expected = new Disagreement("view_count",
        new EnumMap<>(Map.of(other, otherRead, self, selfRead)));
    assertThat(r.disagreements()).containsExactly(expected);
    assertThat(r.detail()).contains("strategies disagree, left absent: " + expected);
  }

  @Test
  void theJsonCountIsNotTakenWhenTheHeaderShowsTwoDifferentCounts() {
    String tooltip = "</div><span title=\"閲覧数\">5</span><div>";
    for (String json : new String[] {"2052836", "5"}) {
      ParseResult r = header(json, "2,052,836" + tooltip);

      assertAbsent(r, Strategy.NEXT_DATA, json, Strategy.DOM, "2052836, 5");
      assertThat(r.detail()).contains("view_count skipped: 2 different values ['2052836', '5']");
      // The other counts of the page are taken as before.
      assertThat(r.row().orElseThrow().commentCount()).isEqualTo(345L);
    }
  }

  @Test
  void theJsonCountIsNotTakenWhenTheHeadersOwnFigureContradictsItsCount() {
    // 12,345 is a count 1.2万 can stand for, but the header's tooltip says 5,000.
    ParseResult r = header("12345", "1.2万</div><span title=\"閲覧数\">5,000</span><div>");

    assertAbsent(r, Strategy.NEXT_DATA, "12345", Strategy.DOM, "5000, 1.2万");
  }

  @Test
  void theJsonCountIsNotTakenWhenALegacyItemLabelsTwoDifferentCounts() {
    String json = "<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"props\":"
        + " {\"pageProps\": {\"info\": {\"tagName\": \"ピカチュウ\", \"articleViewCount\": 3456789,"
        + " \"commentCount\": 6}}}}</script></body>";
    String items = "<li><i class=\"icon\"></i>3,456,789</li>";
    ParseResult agreed = parsed(LEGACY, edited(LEGACY, "</body>", json));
    assertThat(agreed.row().orElseThrow().viewCount()).as(agreed.detail()).isEqualTo(3_456_789L);
    assertThat(agreed.provenance()).containsEntry("view_count", Strategy.NEXT_DATA);

    ParseResult r = parsed(LEGACY, edited(LEGACY, "</body>", json, items,
        "<li>閲覧数 3,456,789 閲覧数 5</li>"));

    assertAbsent(r, Strategy.NEXT_DATA, "3456789", Strategy.LEGACY_DOM, "3456789, 5");
    assertThat(r.row().orElseThrow().commentCount()).isEqualTo(6L);
  }

  @Test
  void aCountFoundTwiceTheSameIsTakenAsBefore() {
    ParseResult r = header("2052836",
        "2,052,836</div><span title=\"閲覧数\">2,052,836</span><div>");

    assertThat(r.row().orElseThrow().viewCount()).isEqualTo(2_052_836L);
    assertThat(r.provenance()).containsEntry("view_count", Strategy.NEXT_DATA);
    assertThat(r.disagreements()).isEmpty();
  }
}

package dev.pixivdic.core.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page cut short on its way (a body whose end the HTTP client could not tell, a page saved
 * while still downloading) is never read as whole: cut at any byte of its document, it gives
 * no article row, so no counter cut inside its digits nor list cut after its first item.
 */
class CutPageTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final String HTML = "text/html; charset=utf-8";
  /** Columns that describe the bytes or the run, not the article. */
  private static final Set<String> NOT_VALUES = Set.of("contentHash", "loadedAt", "runId",
      "scraperVersion");

  private static GoldenCorpus.Case corpusCase(String name) {
    return GoldenCorpus.cases().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"article/legacy-full", "article/current-dom-full",
      "article/current-nextdata-full"})
  void noCutOfACorpusPageGivesAValueTheWholePageDoesNot(String name) throws Exception {
    GoldenCorpus.Case c = corpusCase(name);
    ArticleUrl url = ArticleUrl.parse(c.url());
    byte[] whole = c.body();
    ParseResult expected = PARSER.parse(new Page(url, 200, HTML, whole));
    assertThat(expected.outcome()).isEqualTo(Outcome.ARTICLE);
    ArticleRow wholeRow = expected.row().orElseThrow();
    int end = endOfDocument(whole);
    List<String> wrong = new ArrayList<>();
    for (int n = 0; n < whole.length; n++) {
      ParseResult r = PARSER.parse(new Page(url, 200, HTML, Arrays.copyOf(whole, n)));
      if (r.outcome() == Outcome.ARTICLE) {
        // Equal or absent: a cut may cost values, never change them.
        wrong.addAll(differences(n, r.row().orElseThrow(), wholeRow));
        if (n < end) {
          wrong.add("cut at " + n + " of " + whole.length + " read as an article: "
              + r.detail());
        }
      } else if (n > whole.length / 2 && n < end) {
        // Past its title, the page is known as cut, not as some other page.
        assertThat(r.outcome()).as("cut at %d", n).isEqualTo(Outcome.UNRECOGNIZED);
        assertThat(r.detail()).as("cut at %d", n)
            .contains("the page ends before its document does");
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** The byte offset just past the page's {@code </html>}. */
  private static int endOfDocument(byte[] page) {
    String latin1 = new String(page, ISO_8859_1);
    return latin1.lastIndexOf("</html>") + "</html>".length();
  }

  private static List<String> differences(int n, ArticleRow row, ArticleRow whole)
      throws ReflectiveOperationException {
    List<String> out = new ArrayList<>();
    for (RecordComponent rc : ArticleRow.class.getRecordComponents()) {
      if (NOT_VALUES.contains(rc.getName())) {
        continue;
      }
      Object v = rc.getAccessor().invoke(row);
      boolean absent = v == null || v instanceof Collection<?> list && list.isEmpty();
      if (!absent && !Objects.equals(v, rc.getAccessor().invoke(whole))) {
        out.add("cut at " + n + ": " + rc.getName() + " " + v + ", the whole page's "
            + rc.getAccessor().invoke(whole));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"article/legacy-full", "article/current-nextdata-full"})
  void aPageCutAfterItsCountersIsNoArticleOnEitherPath(String name) {
    GoldenCorpus.Case c = corpusCase(name);
    ArticleUrl url = ArticleUrl.parse(c.url());
    String whole = new String(c.body(), UTF_8);
    byte[] cut = whole.substring(0, whole.lastIndexOf("</body>")).getBytes(UTF_8);
    Page page = new Page(url, 200, HTML, cut);
    ParseResult r = PARSER.parse(page);
    assertThat(r.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(r.row()).isEmpty();
    assertThat(r.detail()).startsWith("the page ends before its document does (no </html> at"
        + " its end): cut short?");
    assertThat(PARSER.parseWhole(page).outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(PARSER.parseSkeleton(page)).isNull();
    // Whole but for trailing whitespace and comments, it is the page.
    byte[] trailing = (whole.strip() + "\n<!-- mirror 3 -->\n").getBytes(UTF_8);
    assertThat(PARSER.parse(new Page(url, 200, HTML, trailing)).row())
        .isEqualTo(PARSER.parse(new Page(url, 200, HTML, c.body())).row());
  }

  @ParameterizedTest
  @ValueSource(strings = {"article/blocked-shibaraku-200", "article/maintenance-200",
      "article/not-found-404", "article/blocked-just-a-moment-503"})
  void aCutPageThatIsNoArticleKeepsItsOutcome(String name) {
    GoldenCorpus.Case c = corpusCase(name);
    ArticleUrl url = ArticleUrl.parse(c.url());
    String whole = new String(c.body(), UTF_8);
    byte[] cut = whole.substring(0, whole.lastIndexOf("</html>") - 3).getBytes(UTF_8);
    Outcome expected = Outcome.valueOf(c.expected().path("outcome").asText());
    assertThat(PARSER.parse(new Page(url, c.httpStatus(), c.contentType(), cut)).outcome())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"search/search-hits-with-sidebar", "search/search-page-2"})
  void noCutOfASearchPageGivesHitsTheWholePageDoesNot(String name) {
    GoldenCorpus.Case c = corpusCase(name);
    URI uri = URI.create(c.url());
    SearchPageParser parser = SearchPageParser.create();
    byte[] whole = c.body();
    SearchResult expected = parser.parse(uri, c.httpStatus(), c.contentType(), whole);
    assertThat(expected.kind()).isEqualTo(SearchResult.Kind.RESULTS);
    int end = endOfDocument(whole);
    for (int n = 0; n < whole.length; n++) {
      SearchResult r = parser.parse(uri, c.httpStatus(), c.contentType(),
          Arrays.copyOf(whole, n));
      if (n < end) {
        assertThat(r.kind()).as("cut at %d", n).isNotEqualTo(SearchResult.Kind.RESULTS);
      } else {
        assertThat(r.hits()).isEqualTo(expected.hits());
      }
    }
    byte[] cut = Arrays.copyOf(whole, end - 1);
    assertThat(parser.parse(uri, c.httpStatus(), c.contentType(), cut).detail())
        .contains("the page ends before its document does");
  }
}

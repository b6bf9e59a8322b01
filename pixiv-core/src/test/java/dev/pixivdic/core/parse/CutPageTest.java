package dev.pixivdic.core.parse;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.internal.DocumentEnd;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
    assertThat(r.detail()).startsWith("the page ends before its document does (no </html>, or"
        + " inside a tag, a comment or an open element): cut short?");
    assertThat(PARSER.parseWhole(page).outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(PARSER.parseSkeleton(page)).isNull();
    // Whole but for what follows its end (comments, a script or text a CDN appends, an end
    // tag with attributes), it is the page.
    ArticleRow wholeRow = PARSER.parse(new Page(url, 200, HTML, c.body())).row().orElseThrow();
    for (String after : List.of("\n<!-- mirror 3 -->\n",
        "\n<script src=\"/cdn-cgi/beacon.min.js\" defer></script>\n", "\nserved by mirror 3\n")) {
      byte[] trailing = (whole.strip() + after).getBytes(UTF_8);
      assertThat(PARSER.parse(new Page(url, 200, HTML, trailing)).row()).as(after)
          .contains(wholeRow);
    }
    byte[] attributes = whole.replace("</html>", "</html foo=\"1\">").getBytes(UTF_8);
    assertThat(PARSER.parse(new Page(url, 200, HTML, attributes)).row()).contains(wholeRow);
  }

  /**
   * An {@code </html>} that the tree builder reads as text, put among the child articles, and
   * the page cut right after it (or a stray one, and the page cut in an element after it): an
   * article row would lack the child articles past the cut, its siblings and the rest.
   */
  @ParameterizedTest
  @ValueSource(strings = {"<a title=\"</html>|\">x</a>", "<a title='</html>|'>x</a>",
      "<textarea></html>|</textarea>", "<xmp></html>|</xmp>", "<noscript></html>|</noscript>",
      "<title></html>|</title>", "<iframe></html>|</iframe>", "<noembed></html>|</noembed>",
      "<noframes></html>|</noframes>", "<svg><![CDATA[</html>|]]></svg>",
      "<template></html>|</template>", "<template><div></html>|</div></template>",
      "<script>document.write('</html>|')</script>", "<style>/* </html>| */</style>",
      "<!-- </html>| -->", "<plaintext></html>|", "</html><div>mo|re</div>"})
  void aPageCutRightAfterAnEndTagThatIsNotItsEndIsNoArticle(String decoy) {
    GoldenCorpus.Case c = corpusCase("article/current-dom-full");
    ArticleUrl url = ArticleUrl.parse(c.url());
    String whole = new String(c.body(), UTF_8);
    int at = whole.indexOf("<a href=\"/a/%E9%9C%A7"); // the second child article
    assertThat(at).isPositive();
    String open = decoy.substring(0, decoy.indexOf('|'));
    String close = decoy.substring(decoy.indexOf('|') + 1);
    String page = whole.substring(0, at) + open + close + whole.substring(at);
    if (!open.startsWith("<plaintext")) {
      // The page with it, whole, is an article with every child article.
      ParseResult r = PARSER.parse(new Page(url, 200, HTML, page.getBytes(UTF_8)));
      assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.ARTICLE);
      assertThat(r.row().orElseThrow().childArticles()).hasSize(2);
    }
    for (String cut : List.of(page.substring(0, at + open.length()),
        page.substring(0, at + open.length()) + "\n  ")) {
      Page p = new Page(url, 200, HTML, cut.getBytes(UTF_8));
      ParseResult r = PARSER.parse(p);
      assertThat(r.outcome()).as(decoy).isEqualTo(Outcome.UNRECOGNIZED);
      assertThat(r.detail()).as(decoy).startsWith(DocumentEnd.CUT);
      assertThat(PARSER.parseWhole(p).outcome()).isEqualTo(Outcome.UNRECOGNIZED);
      assertThat(PARSER.parseSkeleton(p)).isNull();
    }
  }

  /**
   * A page that does not open with {@code <html} (its optional tags left out, as minifiers do)
   * is judged too: cut anywhere inside its body's elements, it gives no row, so no counter cut
   * inside its digits. Every byte in and around the counters and the links' attributes, every
   * seventh elsewhere.
   */
  @Test
  void aPageWithoutItsHtmlTagCutInItsBodyIsNoArticle() throws Exception {
    GoldenCorpus.Case c = corpusCase("article/current-dom-full");
    ArticleUrl url = ArticleUrl.parse(c.url());
    String minified = new String(c.body(), UTF_8).replace("<html lang=\"ja\">", "")
        .replace("</body></html>", "");
    byte[] whole = minified.getBytes(UTF_8);
    ParseResult expected = PARSER.parse(new Page(url, 200, HTML, whole));
    assertThat(expected.outcome()).isEqualTo(Outcome.ARTICLE);
    ArticleRow wholeRow = expected.row().orElseThrow();
    String latin1 = new String(whole, ISO_8859_1);
    int body = latin1.indexOf("<body>") + "<body>".length();
    int counters = latin1.indexOf("<ul class=\"flex gap-8\">");
    int links = latin1.indexOf("</header>");
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (int n = body + 1; n < whole.length; n++) {
      boolean dense = n >= counters && n < links;
      if (!dense && n % 7 != 0) {
        continue;
      }
      checked++;
      ParseResult r = PARSER.parse(new Page(url, 200, HTML, Arrays.copyOf(whole, n)));
      if (r.outcome() == Outcome.ARTICLE) {
        wrong.addAll(differences(n, r.row().orElseThrow(), wholeRow));
        wrong.add("cut at " + n + " of " + whole.length + " read as an article");
      }
    }
    assertThat(checked).isGreaterThan(links - counters);
    assertThat(wrong).isEmpty();
    String works = String.format("%,d", wholeRow.worksCount());
    int inWorks = minified.indexOf(works) + 1;
    ParseResult r = PARSER.parse(new Page(url, 200, HTML,
        minified.substring(0, inWorks).getBytes(UTF_8)));
    assertThat(r.outcome()).isEqualTo(Outcome.UNRECOGNIZED);
    assertThat(r.detail()).startsWith(DocumentEnd.CUT);
  }

  /**
   * Text before the doctype (a stray byte, a NUL, a chunk size leaked into the body, a notice
   * the server printed) opens the body before the page's {@code <html}: the whole page is the
   * same article, and cut at any byte before the end of its {@code </html>} it is no article.
   */
  @ParameterizedTest
  @MethodSource("textsBeforeTheDoctype")
  void aPageWithTextBeforeItsDoctypeIsJudgedAsWithout(String name, String before)
      throws Exception {
    GoldenCorpus.Case c = corpusCase(name);
    ArticleUrl url = ArticleUrl.parse(c.url());
    ArticleRow plainRow = PARSER.parse(new Page(url, 200, HTML, c.body())).row().orElseThrow();
    byte[] prefix = before.getBytes(UTF_8);
    byte[] whole = Arrays.copyOf(prefix, prefix.length + c.body().length);
    System.arraycopy(c.body(), 0, whole, prefix.length, c.body().length);
    ParseResult expected = PARSER.parse(new Page(url, 200, HTML, whole));
    assertThat(expected.outcome()).as(expected.detail()).isEqualTo(Outcome.ARTICLE);
    assertThat(values(expected.row().orElseThrow())).isEqualTo(values(plainRow));
    int end = endOfDocument(whole);
    List<String> wrong = new ArrayList<>();
    for (int n = 0; n < whole.length; n++) {
      ParseResult r = PARSER.parse(new Page(url, 200, HTML, Arrays.copyOf(whole, n)));
      if (r.outcome() == Outcome.ARTICLE && n < end) {
        wrong.add("cut at " + n + " of " + whole.length + " read as an article");
      } else if (r.outcome() == Outcome.ARTICLE) {
        assertThat(values(r.row().orElseThrow())).as("cut at %d", n).isEqualTo(values(plainRow));
      }
    }
    assertThat(wrong).isEmpty();
  }

  static List<Arguments> textsBeforeTheDoctype() {
    List<Arguments> out = new ArrayList<>();
    for (String name : List.of("article/current-dom-full", "article/current-nextdata-full")) {
      for (String before : List.of("x", "\0", "f79\r\n",
          "Warning: Undefined variable $x in /srv/www/index.php on line 3<br>\n")) {
        out.add(Arguments.of(name, before));
      }
    }
    return out;
  }

  /** The row's values by column, but for those that describe the bytes or the run. */
  private static Map<String, Object> values(ArticleRow row) throws ReflectiveOperationException {
    Map<String, Object> out = new TreeMap<>();
    for (RecordComponent rc : ArticleRow.class.getRecordComponents()) {
      if (!NOT_VALUES.contains(rc.getName())) {
        out.put(rc.getName(), String.valueOf(rc.getAccessor().invoke(row)));
      }
    }
    return out;
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

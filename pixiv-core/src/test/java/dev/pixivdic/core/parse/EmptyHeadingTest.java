package dev.pixivdic.core.parse;

import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.corpus;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.edited;
import static dev.pixivdic.core.parse.AnotherArticlesValuesTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.ArticleRow;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Empty and blank h2-h4 headings (an empty section heading, a heading that is only an image): a
 * heading without text names no relation section. Such a heading threw a NullPointerException
 * out of {@link ArticleParser#parse} on a page without tracked relation links, or in or next to
 * a relation section, so the article was never stored.
 */
class EmptyHeadingTest {

  private static final List<String> EMPTY = List.of("<h2></h2>", "<h3> </h3>", "<h4>&nbsp;</h4>");
  private static final GoldenCorpus.Case DOM = corpus("article/current-dom-full");
  private static final GoldenCorpus.Case NEXT = corpus("article/current-nextdata-full");
  /** The page with its relations read from the headings: no link is tracked as a relation. */
  private static final String UNTRACKED =
      edited(DOM, "data-gtm-class=\"article-bottom_", "data-x=\"article-bottom_");

  @Test
  void anEmptyHeadingInOrAroundTrackedRelationsChangesNothing() {
    for (GoldenCorpus.Case c : List.of(DOM, NEXT)) {
      String html = new String(c.body(), StandardCharsets.UTF_8);
      ArticleRow expected = row(c, html);
      assertThat(expected.childArticles()).as(c.name()).isNotEmpty();
      for (int at : tagsAfter(html, "<div data-header-id=")) {
        for (String empty : EMPTY) {
          String page = html.substring(0, at) + empty + html.substring(at);

          assertThat(row(c, page)).as("%s with %s at %d", c.name(), empty, at)
              .isEqualTo(expected);
        }
      }
    }
  }

  /** Between a relation heading and its links an empty heading is the next heading: not here. */
  @Test
  void anEmptyHeadingBesideRelationsReadFromTheirHeadingsChangesNothing() {
    ArticleRow expected = row(DOM, UNTRACKED);
    assertThat(expected.parentArticle()).isEqualTo("同人ゲーム");
    assertThat(expected.childArticles()).containsExactly("博麗霊夢", "霧雨魔理沙");
    List<Integer> places = new ArrayList<>();
    for (int at : tagsAfter(UNTRACKED, "<div data-header-id=")) {
      int section = UNTRACKED.lastIndexOf("<section", at - 1);
      if (section < UNTRACKED.lastIndexOf("</section>", at - 1)
          || at <= UNTRACKED.indexOf("<h2>", section)
          || at > UNTRACKED.lastIndexOf("</a>", UNTRACKED.indexOf("</section>", section))) {
        places.add(at);
      }
    }
    assertThat(places).hasSizeGreaterThan(10);
    for (int at : places) {
      for (String empty : EMPTY) {
        String page = UNTRACKED.substring(0, at) + empty + UNTRACKED.substring(at);

        assertThat(row(DOM, page)).as("%s at %d", empty, at).isEqualTo(expected);
      }
    }
  }

  @Test
  void anEmptyHeadingOnAPageWithoutRelationsChangesNothing() {
    String html = new String(DOM.body(), StandardCharsets.UTF_8).replaceAll(
        "<section.*?</section>", "");
    ArticleRow expected = row(DOM, html);
    for (String empty : EMPTY) {
      assertThat(row(DOM, html.replace("<h2>概要</h2>", "<h2>概要</h2>" + empty)))
          .as(empty).isEqualTo(expected);
      assertThat(row(DOM, html.replace("<h2>概要</h2>", empty + "<h2>概要</h2>")))
          .as(empty).isEqualTo(expected);
    }
  }

  @Test
  void aPageOfATitleAndAnEmptyHeadingIsAnArticle() {
    for (String empty : EMPTY) {
      ParseResult r = ArticleParser.create().parse(Page.of(ArticleUrl.ofTitle("x"),
          ("<html><body><h1 id=\"article-name\">x</h1>" + empty + "</body></html>")
              .getBytes(StandardCharsets.UTF_8)));

      assertThat(r.outcome()).as(empty).isEqualTo(Outcome.ARTICLE);
    }
  }

  /** The offset of every tag from the first {@code from} on. */
  private static List<Integer> tagsAfter(String html, String from) {
    List<Integer> out = new ArrayList<>();
    for (int i = html.indexOf(from); i >= 0; i = html.indexOf('<', i + 1)) {
      out.add(i);
    }
    return out;
  }
}

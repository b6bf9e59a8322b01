package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.parse.Mutations.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The one-walk index gives, for each of its queries, what jsoup's select gives. */
class AnchorsTest {

  private static void assertSameAsJsoup(Document doc, String name) {
    for (String query : Anchors.QUERIES) {
      List<Element> indexed = Anchors.select(doc, query);
      List<Element> selected = doc.select(query);
      assertThat(indexed).as("%s in %s", query, name).hasSameSizeAs(selected);
      for (int i = 0; i < selected.size(); i++) {
        assertThat(indexed.get(i)).as("%s #%d in %s", query, i, name)
            .isSameAs(selected.get(i));
      }
    }
  }

  @Test
  void everyCorpusPageAndEveryMutationOfItGivesJsoupsMatchesInOrder() {
    List<String> checked = new ArrayList<>();
    for (GoldenCorpus.Case c : MutationTest.articleCases()) {
      assertSameAsJsoup(Jsoup.parse(new String(c.body(), StandardCharsets.UTF_8)),
          c.name());
      for (Mutation m : Mutations.all()) {
        MutablePage mutated = MutationTest.mutate(c, m);
        if (mutated.applied) {
          assertSameAsJsoup(Jsoup.parse(new String(mutated.render(),
              StandardCharsets.UTF_8)), m.name() + " of " + c.name());
          checked.add(c.name());
        }
      }
    }
    assertThat(checked).isNotEmpty();
  }

  @Test
  void queriesOutsideTheIndexAndFromOtherRootsGoToJsoup() {
    Document doc = Jsoup.parse("<div id=a><h1>x</h1><a href=/y>y</a></div><a href=/z>z</a>");
    Element div = doc.selectFirst("#a");

    assertThat(Anchors.select(div, "a[href]")).containsExactlyElementsOf(div.select("a[href]"));
    assertThat(Anchors.select(doc, "div h1")).containsExactlyElementsOf(doc.select("div h1"));
    assertThat(Anchors.select(doc, "a[href]")).hasSize(2);
  }
}

package dev.pixivdic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.Outcome;
import dev.pixivdic.core.parse.ArticleParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RealisticPagesTest {

  @Test
  void everyMarkupComesInPagesOfRealisticSizeThatParseToTheirSourceArticle() {
    for (RealisticPages.Generated g : RealisticPages.all()) {
      assertThat(g.size()).as(g.markup() + " page size").isBetween(150_000, 350_000);
      assertThat(ArticleParser.create().parse(g.page()).row())
          .as(g.markup() + " page of " + g.size() + " bytes")
          .isEqualTo(g.expected().row());
      assertThat(g.expected().outcome()).isEqualTo(Outcome.ARTICLE);
    }
  }

  @Test
  void nextDataPagesCarryALargeEmbeddedJsonAndEveryPageALongLinkedBody() {
    for (RealisticPages.Generated g : RealisticPages.all()) {
      String html = new String(g.page().body(), StandardCharsets.UTF_8);
      assertThat(html.split("<a href=\"/a/", -1).length).as(g.markup() + " links")
          .isGreaterThan(50);
      if (g.markup() == RealisticPages.Markup.NEXT_DATA) {
        int start = html.indexOf("__NEXT_DATA__");
        int json = html.substring(start, html.indexOf("</script>", start))
            .getBytes(StandardCharsets.UTF_8).length;
        assertThat(json).as("__NEXT_DATA__ bytes").isGreaterThan(g.size() / 3);
      } else {
        assertThat(html).doesNotContain("__NEXT_DATA__");
      }
    }
  }

  @Test
  void generationIsDeterministic() {
    RealisticPages.Generated a = RealisticPages.generate(RealisticPages.Markup.LEGACY, 200_000);
    RealisticPages.Generated b = RealisticPages.generate(RealisticPages.Markup.LEGACY, 200_000);
    assertThat(a.page().body()).isEqualTo(b.page().body());
  }
}

package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixivdic.core.parse.Mutations.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The one-walk index gives, for each of its queries, what jsoup's select gives. */
class AnchorsTest {

  private static void assertSameAsJsoup(Document doc, String name) {
    assertSameAsJsoup(doc, name, true);
  }

  private static void assertSameAsJsoup(Document doc, String name, boolean inRegions) {
    List<String> queries = new ArrayList<>(Anchors.QUERIES);
    queries.addAll(Anchors.TITLE_QUERIES);
    // Regions the strategies read in: the body, and the blocks around the first title.
    List<Element> regions = new ArrayList<>(List.of(doc.body()));
    Element h1 = inRegions ? doc.selectFirst("h1") : null;
    for (Element x = h1 == null ? null : h1.parent(); x != null && regions.size() < 5;
        x = x.parent()) {
      regions.add(x);
    }
    for (String query : queries) {
      assertSameElements(Anchors.select(doc, query), doc.select(query), query + " in " + name);
      for (Element region : regions) {
        assertSameElements(Anchors.within(region, query), region.select(query),
            query + " within " + region.cssSelector() + " in " + name);
      }
    }
  }

  private static void assertSameElements(List<Element> indexed, List<Element> selected,
      String what) {
    assertThat(indexed).as(what).hasSameSizeAs(selected);
    for (int i = 0; i < selected.size(); i++) {
      assertThat(indexed.get(i)).as("%s #%d", what, i).isSameAs(selected.get(i));
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
              StandardCharsets.UTF_8)), m.name() + " of " + c.name(), false);
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
    assertThat(Anchors.within(div, "div h1")).containsExactlyElementsOf(div.select("div h1"));
  }

  @Test
  void aQueryEndingInATitleGivesOnlyTheTitlesUnderItsBlocksInOrder() {
    Document doc = Jsoup.parse("<h1>site</h1><header><div><h1 id=x>a</h1></div></header>"
        + "<article><h1>b</h1><div class=w-full><h1>c</h1></div></article>"
        + "<div id=content_title><span id=article-name>d</span><h1>e</h1></div>");

    assertThat(Anchors.select(doc, "header h1, article h1")).extracting(Element::text)
        .containsExactly("a", "b", "c");
    assertThat(Anchors.select(doc, "article div.w-full h1")).extracting(Element::text)
        .containsExactly("c");
    assertThat(Anchors.select(doc, "#content_title h1, #content_title #article-name"))
        .extracting(Element::text).containsExactly("d", "e");
    assertThat(Anchors.within(doc.selectFirst("article"), "#article-name, h1"))
        .extracting(Element::text).containsExactly("b", "c");
    assertThat(Anchors.within(doc.selectFirst("div.w-full"), "article div.w-full h1")).isEmpty();
  }

  @Test
  void theCheapTestsInFrontOfJsoupsAdmitEveryCaseOfTagsAndAttributes() {
    Document doc = Jsoup.parse("<SCRIPT ID=__NEXT_DATA__>{}</SCRIPT><DIV Id=article-body></DIV>"
        + "<A HREF=/a/x DATA-GTM-CLASS=article-breadcrumbs_link>x</A>"
        + "<ol ITEMTYPE=https://schema.org/BreadcrumbList></ol><svg><h1>t</h1></svg>");

    assertSameAsJsoup(doc, "upper-case markup");
    assertThat(Anchors.select(doc, "script#__NEXT_DATA__")).hasSize(1);
    assertThat(Anchors.select(doc, "[itemtype$=BreadcrumbList]")).hasSize(1);
  }

  @Test
  void elementsThatPassOnlyPartOfAGateGiveJsoupsMatches() {
    // Links without the attribute a query reads, ids of other case or of a wrong tag, and
    // elements without attributes, in standards and quirks mode.
    String markup = "<a>no href</a><a gtm-class=article-breadcrumbs_link>x</a>"
        + "<a data-gtm-class=x href=/a/y>y</a><A Data-Gtm-Class=article-breadcrumbs_link>z</A>"
        + "<div id=ARTICLE-BODY></div><div id=article-body></div><p id=__NEXT_DATA__></p>"
        + "<h1 id=Article-Name>t</h1><span id=article-name>n</span><h2>h</h2><h4 id=x></h4>"
        + "<section id=Breadcrumbs><div id=article-relation></div></section>"
        + "<div itemtype=x></div><div id=article-abstract ITEMTYPE=BreadcrumbList></div>";
    assertSameAsJsoup(Jsoup.parse("<!DOCTYPE html>" + markup), "standards mode");
    assertSameAsJsoup(Jsoup.parse(markup), "quirks mode");
    assertThat(Anchors.select(Jsoup.parse(markup), "a[href]")).hasSize(1);
  }

  @Test
  void idsAreToldApartByLengthOnlyWhereNoNamedIdHasTheirLength() {
    // Every named id as it is, in upper case, with a byte changed (the same length), one
    // longer and one shorter, on the tags the queries name and another; empty and absent ids.
    StringBuilder markup = new StringBuilder("<div id></div><div id=\"\"></div><h1>t</h1>");
    for (String id : List.of("__NEXT_DATA__", "article-name", "article-abstract",
        "article-body", "article-relation", "breadcrumbs")) {
      for (String variant : List.of(id, id.toUpperCase(Locale.ROOT),
          id.substring(0, id.length() - 1) + "x", id + "x", id.substring(1))) {
        for (String tag : List.of("script", "h1", "div")) {
          markup.append('<').append(tag).append(" id=\"").append(variant).append("\">")
              .append(tag.equals("script") ? "{}" : "x").append("</").append(tag).append('>');
        }
      }
    }
    Document standards = Jsoup.parse("<!DOCTYPE html>" + markup);
    assertSameAsJsoup(standards, "standards mode");
    assertSameAsJsoup(Jsoup.parse(markup.toString()), "quirks mode");
    assertThat(Anchors.select(standards, "#article-body")).hasSize(3);
    assertThat(Anchors.select(standards, "#article-abstract")).hasSize(3);
  }
}

package dev.pixivdic.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.parse.Mutations.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The fast path ({@link Skeleton}) gives exactly the full path's result (outcome, row,
 * provenance, disagreements, detail) on every golden-corpus page and every mutated page, and it
 * is taken on the pages it is for.
 */
class FastPathTest {

  private static final ArticleParser PARSER = ArticleParser.create();
  private static final String UTF8 = "text/html; charset=utf-8";

  /** The names of the pages the fast path served; each one is compared with the full path. */
  private static List<String> compare(List<Page> pages, List<String> names) {
    List<String> fast = new ArrayList<>();
    for (int i = 0; i < pages.size(); i++) {
      Page page = pages.get(i);
      ParseResult whole = PARSER.parseWhole(page);
      ParseResult skeleton = PARSER.parseSkeleton(page);
      if (skeleton != null) {
        assertThat(skeleton).as("fast path of %s", names.get(i)).isEqualTo(whole);
        fast.add(names.get(i));
      }
      assertThat(PARSER.parse(page)).as("parse of %s", names.get(i)).isEqualTo(whole);
    }
    return fast;
  }

  private static Page page(GoldenCorpus.Case c, byte[] body) {
    return new Page(ArticleUrl.parse(c.url()), c.httpStatus(), c.contentType(), body);
  }

  @Test
  void everyCorpusPageGivesTheFullPathsResultAndPagesWithNextDataTakeTheFastPath() {
    List<Page> pages = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> withoutJson = new ArrayList<>();
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      if (c.kind() == GoldenCorpus.Kind.ARTICLE_HTML) {
        pages.add(page(c, c.body()));
        names.add(c.name());
        if (!new String(c.body(), StandardCharsets.UTF_8).contains("__NEXT_DATA__")) {
          withoutJson.add(c.name());
        }
      }
    }

    List<String> fast = compare(pages, names);

    assertThat(fast).contains("article/current-nextdata-full",
        "article/current-nextdata-decoy-commented-next-data",
        "article/current-nextdata-disagreeing-counts");
    assertThat(withoutJson).contains("article/current-dom-full");
    assertThat(fast).noneMatch(n -> n.startsWith("article/legacy-"))
        .doesNotContainAnyElementsOf(withoutJson);
  }

  @Test
  void everyMutatedCorpusPageGivesTheFullPathsResult() {
    List<Page> pages = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Mutation m : Mutations.all()) {
      for (GoldenCorpus.Case c : MutationTest.articleCases()) {
        MutablePage mutated = MutationTest.mutate(c, m);
        if (mutated.applied) {
          pages.add(page(c, mutated.render()));
          names.add(m.name() + " of " + c.name());
        }
      }
    }

    List<String> fast = compare(pages, names);

    assertThat(fast).hasSizeGreaterThan(pages.size() / 10);
  }

  @Test
  void longJsonStringsReadOrNotGiveTheFullPathsResult() throws Exception {
    // The body the site embeds as one long string, on every object, and long abstracts, which
    // are read: the fast path leaves long strings out of what Jackson reads (LongStrings).
    String longText = "本文の\"引用\"と改行\n\\".repeat(60);
    List<Page> pages = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (GoldenCorpus.Case c : GoldenCorpus.cases()) {
      String html = new String(c.body(), StandardCharsets.UTF_8);
      Element script = c.kind() == GoldenCorpus.Kind.ARTICLE_HTML
          ? Jsoup.parse(html).selectFirst("script#__NEXT_DATA__") : null;
      JsonNode root;
      try {
        root = script == null ? null : JsonShapes.read(script.data());
      } catch (JsonShapes.MalformedJsonException e) {
        root = null;
      }
      if (root == null || !root.isObject()) {
        continue;
      }
      lengthen(root, longText);
      String json = JsonShapes.MAPPER.writeValueAsString(root).replace("</", "<\\/");
      pages.add(page(c, html.replace(script.data(), json).getBytes(StandardCharsets.UTF_8)));
      names.add(c.name());
    }

    List<String> fast = compare(pages, names);

    assertThat(fast).contains("article/current-nextdata-full",
        "article/current-nextdata-disagreeing-counts");
  }

  private static void lengthen(JsonNode node, String longText) {
    if (node instanceof ObjectNode o) {
      o.properties().forEach(e -> lengthen(e.getValue(), longText));
      if (o.path("abstract").isTextual()) {
        o.put("abstract", o.get("abstract").asText() + longText);
      }
      o.put("nodes", longText);
    } else if (node.isArray()) {
      node.forEach(n -> lengthen(n, longText));
    }
  }

  @Test
  void aReadOfProseTextAbandonsTheFastPath() {
    // The abstract sits inside a prose block here, so its text is one the skeleton leaves out.
    String html = "<html><head><link rel=canonical href=\"https://dic.pixiv.net/a/X\"></head>"
        + "<body><article><header id=\"article-content-header\"><h1 id=\"article-name\">X</h1>"
        + "</header><div data-header-id=\"h2_0\"><div id=\"article-abstract\"><p>長い概要の文章で"
        + "ある。</p></div></div></article><script id=\"__NEXT_DATA__\">{}</script></body></html>";
    Page page = new Page(ArticleUrl.ofTitle("X"), 200, UTF8,
        html.getBytes(StandardCharsets.UTF_8));

    assertThat(PARSER.parseSkeleton(page)).isNull();
    assertThat(PARSER.parse(page).row().orElseThrow().summary()).isEqualTo("長い概要の文章である。");
  }

  @Test
  void theSystemPropertyForcesTheFullPath() {
    GoldenCorpus.Case c = GoldenCorpus.cases().stream()
        .filter(x -> x.name().equals("article/current-nextdata-full")).findFirst().orElseThrow();
    Page page = page(c, c.body());
    String before = System.getProperty(ArticleParser.FULL_PATH_PROPERTY);
    try {
      System.setProperty(ArticleParser.FULL_PATH_PROPERTY, "true");
      assertThat(PARSER.parse(page)).isEqualTo(PARSER.parseWhole(page));
    } finally {
      if (before == null) {
        System.clearProperty(ArticleParser.FULL_PATH_PROPERTY);
      } else {
        System.setProperty(ArticleParser.FULL_PATH_PROPERTY, before);
      }
    }
  }
}

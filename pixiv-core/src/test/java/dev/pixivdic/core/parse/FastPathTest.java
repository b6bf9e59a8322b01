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
import org.jsoup.nodes.Document;
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
        Document streamed = Skeleton.of(page.body()).parse(page.url().canonical());
        assertThat(elements(streamed))
            .as("the skeleton's elements of %s", names.get(i))
            .isEqualTo(elements(Html.parse(page.body(), page.contentType(),
                page.url().canonical())));
        // The fast path's DOM, decoded from the page known to be well-formed UTF-8.
        assertThat(Skeleton.of(page.body(), true).parse(page.url().canonical()).outerHtml())
            .as("the skeleton decoded by the reader, of %s", names.get(i))
            .isEqualTo(streamed.outerHtml());
        fast.add(names.get(i));
      }
      assertThat(PARSER.parse(page)).as("parse of %s", names.get(i)).isEqualTo(whole);
    }
    return fast;
  }

  /**
   * Every element of the DOM in document order, with its attributes: the skeleton leaves texts
   * out, never an element, so this is the same for the skeleton's DOM and the page's.
   */
  private static List<String> elements(Document doc) {
    List<String> out = new ArrayList<>();
    for (Element e : doc.getAllElements()) {
      if (e != doc) {
        out.add(e.tagName() + e.attributes().html());
      }
    }
    return out;
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

  /**
   * What the strategies read, put inside a prose block among long prose: were the skeleton to
   * leave out elements there (not only texts), a row read from it would differ. Each of these
   * changes the full path's result on one of the pages of the test.
   */
  private static final List<String> READ_IN_PROSE = List.of(
      "<ul class=\"flex\"><li title=\"閲覧数\"><div class=\"typography-14\">7</div></li></ul>",
      "<span title=\"コメント数\"><span class=\"typography-14\">12</span></span>",
      "<a href=\"/a/%E5%88%A5\" data-gtm-class=\"article-bottom_child-article\">別</a>",
      "<nav><ol><li><a href=\"/category/X\" gtm-class=\"article-breadcrumbs_link\">X</a></li>"
          + "</ol></nav>",
      "<a href=\"https://www.pixiv.net/tags/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF/illustrations\">"
          + "<span>イラストを見る</span></a>",
      "<div id=\"article-abstract\"><p>別の概要</p></div>",
      "<div>更新日 <time datetime=\"2001-02-03T04:05:06Z\">2001</time></div>",
      "<img src=\"https://i.pximg.net/other.jpg\" alt=\"初音ミク\">",
      "<div id=\"article-body\"><h2>概要</h2><p>別</p></div>");

  /** Things a strategy looks for, which inside prose the rules leave unread on these pages. */
  private static final List<String> OTHER_IN_PROSE = List.of(
      "<section><h2>子記事</h2><a href=\"/a/%E5%88%A5\">別</a></section>",
      "<h3>兄弟記事</h3><p><a href=\"/a/%E5%88%A5\">別</a></p>",
      "<a href=\"https://www.pixiv.net/tags/%E5%88%9D%E9%9F%B3%E3%83%9F%E3%82%AF/artworks\">"
          + "<span>イラストを見る</span></a>",
      "<p class=\"my-4 text-text3 typography-12\">べつのよみ</p>",
      "<div class=\"text-text2\">別の概要の文章</div>",
      "<h1 id=\"article-name\">初音ミク</h1>",
      "<div id=\"article-relation\"><div class=\"actions\"><div class=\"data\"><ul><li>1</li>"
          + "<li>2</li><li>3</li></ul></div></div></div>",
      "<div id=\"breadcrumbs\"><a href=\"/category/Y\">Y</a></div>",
      "<a href=\"/a/%E5%88%A5\"><p><span>他の記事へ</span><br>長い説明の文章がここに続く</p></a>",
      "<p>総閲覧数: 5</p>",
      "<span><span><b>入れ子の長い本文の文章</b><br></span>続きの長い文章です</span>");

  @Test
  void readableThingsInsideProseGiveTheFullPathsResult() {
    String prose = "<p>長い本文の文章がここに続く。<span>強調された長い文章</span><br>さらに続く。</p>";
    // In the article's prose block, and in a prose block inside the header, where the header's
    // strategies (counters, reading, summary, time, image) look; on a page whose JSON serves
    // most columns, and on one whose JSON is another page's, so that the DOM serves them.
    String body = "<div data-header-id=\"h2_0\">";
    String header = "<header id=\"article-content-header\" class=\"sc-362d9791-0 jobEfL\">";
    List<Page> pages = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> read = new ArrayList<>();
    for (String name : List.of("current-nextdata-full", "current-nextdata-decoy-other-page")) {
      GoldenCorpus.Case c = GoldenCorpus.cases().stream()
          .filter(x -> x.name().equals("article/" + name)).findFirst().orElseThrow();
      String html = new String(c.body(), StandardCharsets.UTF_8);
      assertThat(html).contains(body, header);
      for (String hostile : union(READ_IN_PROSE, OTHER_IN_PROSE)) {
        for (String around : List.of(prose + hostile + prose, hostile + prose,
            prose + "<div>" + hostile + "</div>")) {
          for (String at : List.of(body, header)) {
            String plain = at.equals(body) ? prose : "<div data-header-id=\"h2_9\">" + prose
                + "</div>";
            String block = at.equals(body) ? around : "<div data-header-id=\"h2_9\">" + around
                + "</div>";
            Page page = page(c, html.replace(at, at + block).getBytes(StandardCharsets.UTF_8));
            pages.add(page);
            names.add(block + " in " + name);
            if (!PARSER.parseWhole(page).equals(PARSER.parseWhole(page(c,
                html.replace(at, at + plain).getBytes(StandardCharsets.UTF_8))))) {
              read.add(hostile);
            }
          }
        }
      }
    }

    List<String> fast = compare(pages, names);

    assertThat(read).containsAll(READ_IN_PROSE);
    assertThat(fast).hasSizeGreaterThan(pages.size() / 2);
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
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

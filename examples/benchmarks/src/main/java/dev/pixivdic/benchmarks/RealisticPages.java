package dev.pixivdic.benchmarks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.ArticleUrl;
import dev.pixivdic.core.parse.ArticleParser;
import dev.pixivdic.core.parse.GoldenCorpus;
import dev.pixivdic.core.parse.Page;
import dev.pixivdic.core.parse.ParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark pages of realistic size (150-350 KB), made at benchmark time from the golden
 * corpus's own pages so that the golden corpus stays small and fast to test.
 *
 * <p>Each page keeps its source page's article (header, counts, summary, breadcrumbs,
 * relations) and gains what real article pages are heavy with: a long body of many sections
 * with links to other articles, and for the {@code __NEXT_DATA__} markup the same body again as
 * the {@code nodes} tree plus lists of works, as the site's JSON carries them. The additions
 * sit where the parser reads no column, so a realistic page parses to exactly the row of its
 * source page; {@link #generate} checks that, so a benchmark never measures a page the parser
 * misreads.
 *
 * <p>Deterministic: the same markup and size always give the same bytes.
 */
public final class RealisticPages {

  /** The three markups the parser knows, each with the corpus page it grows from. */
  public enum Markup {
    /** Current markup with the article in {@code __NEXT_DATA__}. */
    NEXT_DATA("article/current-nextdata-full"),
    /** Current markup without embedded JSON: only the DOM has the article. */
    CURRENT_DOM("article/current-dom-full"),
    /** The legacy markup ({@code #article-body}). */
    LEGACY("article/legacy-full");

    final String source;

    Markup(String source) {
      this.source = source;
    }
  }

  /** The sizes generated per markup, in KB (1,000 bytes): the range of real article pages. */
  public static final List<Integer> SIZES_KB = List.of(160, 250, 340);

  /**
   * One generated page.
   *
   * @param markup the markup it is written in
   * @param page the page to parse
   * @param expected what parsing its source page gives (the row must be the same)
   */
  public record Generated(Markup markup, Page page, ParseResult expected) {
    public Generated {
      requireNonNull(markup, "markup");
      requireNonNull(page, "page");
      requireNonNull(expected, "expected");
    }

    public int size() {
      return page.body().length;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = {
    "キャラクター", "作品", "登場", "物語", "シリーズ", "設定", "公式", "声優", "イラスト",
    "世界観", "主人公", "ゲーム", "アニメ", "漫画", "小説", "デザイン", "人気", "初出",
    "関係", "能力", "性格", "外見", "経歴", "活躍", "ファン", "二次創作", "タグ", "投稿",
    "の", "が", "は", "を", "に", "と", "で", "も", "、", "。", "である", "された", "している",
    "Project", "ver.2", "2024年", "第3話", "(CV:", ")", "「", "」", "…"};
  private static final String[] LINKED = {
    "初音ミク", "東方Project", "ピカチュウ", "VOCALOID", "鏡音リン", "博麗霊夢", "霧雨魔理沙",
    "ポケモン", "オリジナル", "擬人化", "女の子", "男の子", "風景", "ファンタジー", "和服"};

  private RealisticPages() {}

  /** Every markup at every size of {@link #SIZES_KB}. */
  public static List<Generated> all() {
    List<Generated> out = new ArrayList<>();
    for (Markup m : Markup.values()) {
      out.addAll(of(m));
    }
    return out;
  }

  /** One markup at every size of {@link #SIZES_KB}. */
  public static List<Generated> of(Markup markup) {
    return SIZES_KB.stream().map(kb -> generate(markup, kb * 1000)).toList();
  }

  /**
   * A page of {@code markup} within 2% of {@code targetBytes}.
   *
   * @throws IllegalStateException if the page does not parse to its source page's row
   */
  public static Generated generate(Markup markup, int targetBytes) {
    GoldenCorpus.Case c = GoldenCorpus.cases().stream()
        .filter(k -> k.name().equals(markup.source)).findFirst()
        .orElseThrow(() -> new IllegalStateException("corpus case " + markup.source
            + " is not on the classpath (pixiv-core's test-jar)"));
    String source = new String(c.body(), StandardCharsets.UTF_8);
    ArticleUrl url = ArticleUrl.parse(c.url());
    ParseResult expected = ArticleParser.create().parse(page(url, source));
    Random random = new Random(markup.ordinal() * 1_000_003L + targetBytes);
    List<Section> sections = new ArrayList<>();
    String html = source;
    while (html.getBytes(StandardCharsets.UTF_8).length < targetBytes * 0.98) {
      int grow = Math.max(2, (targetBytes - html.getBytes(StandardCharsets.UTF_8).length) / 6000);
      for (int i = 0; i < grow; i++) {
        sections.add(Section.random(random, sections.size()));
      }
      html = render(markup, source, sections);
    }
    Page page = page(url, html);
    ParseResult got = ArticleParser.create().parse(page);
    if (!got.outcome().equals(expected.outcome())
        || !got.row().equals(expected.row())
        || !got.provenance().equals(expected.provenance())) {
      throw new IllegalStateException("the generated " + markup + " page of " + page.body().length
          + " bytes parses differently from " + markup.source + ":\n  expected " + expected
          + "\n  got      " + got);
    }
    return new Generated(markup, page, expected);
  }

  /**
   * The page of another article of the same shape: every mention of the source article's title
   * (as text and percent-encoded in links and JSON) names {@code title + "-" + n} instead, and
   * the page's URL is that article's. For workloads that need many distinct articles, such as
   * an archive to replay.
   */
  public static Page renamed(Generated g, int n) {
    String title = g.expected().row().orElseThrow().title();
    String other = title + "-" + n;
    String html = new String(g.page().body(), StandardCharsets.UTF_8)
        .replace(title, other).replace(encode(title), encode(other));
    return page(ArticleUrl.ofTitle(other), html);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Page page(ArticleUrl url, String html) {
    return new Page(url, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static String render(Markup markup, String source, List<Section> sections) {
    StringBuilder body = new StringBuilder();
    for (Section s : sections) {
      s.html(body, markup == Markup.LEGACY);
    }
    switch (markup) {
      case LEGACY:
        return insertBefore(source, "</div><div id=\"article-relation\">", body.toString());
      case CURRENT_DOM:
        return insertBefore(source, "</article>", body.toString());
      default: {
        String html = insertBefore(source, "</article>", body.toString());
        return withBiggerNextData(html, sections);
      }
    }
  }

  /** The article's {@code nodes} become the body's tree, and it gains lists of works. */
  private static String withBiggerNextData(String html, List<Section> sections) {
    String open = "<script id=\"__NEXT_DATA__\" type=\"application/json\">";
    int start = html.indexOf(open) + open.length();
    int end = html.indexOf("</script>", start);
    try {
      JsonNode root = JSON.readTree(html.substring(start, end));
      ObjectNode article = null;
      for (Map.Entry<String, JsonNode> e
          : root.path("props").path("pageProps").path("swrFallback").properties()) {
        if (e.getKey().startsWith("/_api/get_article/")) {
          article = (ObjectNode) e.getValue();
        }
      }
      if (article == null) {
        throw new IllegalStateException("no get_article entry in the source page's JSON");
      }
      ObjectNode nodes = JSON.createObjectNode().put("type", "root");
      ArrayNode children = nodes.putArray("children");
      for (Section s : sections) {
        s.json(children);
      }
      article.put("nodes", JSON.writeValueAsString(nodes));
      ArrayNode illusts = article.putArray("illustListInArticle");
      ArrayNode novels = article.putArray("novelListInArticle");
      for (int i = 0; i < sections.size(); i++) {
        Section s = sections.get(i);
        ObjectNode work = (i % 3 == 0 ? novels : illusts).addObject();
        work.put("id", String.valueOf(100_000 + i)).put("title", s.heading)
            .put("userName", "user" + i).put("url", "https://i.pximg.net/img/" + i + "_p0.jpg");
        ArrayNode tags = work.putArray("tags");
        s.links.forEach(tags::add);
      }
      String json = JSON.writeValueAsString(root).replace("</", "<\\/");
      return html.substring(0, start) + json + html.substring(end);
    } catch (IOException e) {
      throw new UncheckedIOException("the source page's __NEXT_DATA__ is not JSON", e);
    }
  }

  private static String insertBefore(String html, String anchor, String insert) {
    int at = html.indexOf(anchor);
    if (at < 0) {
      throw new IllegalStateException("the source page lacks '" + anchor + "'");
    }
    return html.substring(0, at) + insert + html.substring(at);
  }

  /** One body section: a heading, paragraphs of text, links to other articles. */
  private record Section(int index, String heading, List<String> paragraphs, List<String> links) {

    static Section random(Random r, int index) {
      String heading = words(r, 2 + r.nextInt(3));
      List<String> paragraphs = new ArrayList<>();
      List<String> links = new ArrayList<>();
      for (int p = 0, n = 2 + r.nextInt(4); p < n; p++) {
        paragraphs.add(words(r, 40 + r.nextInt(80)));
        links.add(LINKED[r.nextInt(LINKED.length)]);
      }
      return new Section(index, heading, paragraphs, links);
    }

    void html(StringBuilder out, boolean legacy) {
      String id = "h2_body" + index;
      if (legacy) {
        out.append("<h2 id=\"").append(id).append("\">").append(heading).append("</h2>");
      } else {
        out.append("<div data-header-id=\"").append(id).append("\" class=\"sc-7f1d-0 hGkPqs\">")
            .append("<h2 class=\"sc-7f1d-1 bXyZab\">").append(heading).append("</h2>");
      }
      for (int i = 0; i < paragraphs.size(); i++) {
        String link = links.get(i);
        out.append("<p>").append(paragraphs.get(i)).append(" <a href=\"/a/")
            .append(encode(link))
            .append("\" class=\"sc-7f1d-2 lInKcL\">").append(link).append("</a>。<br>")
            .append("<span class=\"sc-7f1d-3 nOtE\">※").append(heading).append("</span></p>");
      }
      if (!legacy) {
        out.append("</div>");
      }
    }

    void json(ArrayNode children) {
      ObjectNode h = children.addObject().put("type", "heading").put("level", 2);
      h.putArray("children").addObject().put("type", "text").put("text", heading);
      for (int i = 0; i < paragraphs.size(); i++) {
        ArrayNode p = children.addObject().put("type", "p").putArray("children");
        p.addObject().put("type", "text").put("text", paragraphs.get(i));
        p.addObject().put("type", "link").put("href", "/a/" + links.get(i))
            .putArray("children").addObject().put("type", "text").put("text", links.get(i));
      }
    }
  }

  private static String words(Random r, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return s.toString();
  }
}

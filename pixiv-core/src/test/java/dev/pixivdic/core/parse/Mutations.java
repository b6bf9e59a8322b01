package dev.pixivdic.core.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixivdic.core.ArticleUrl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;

/**
 * Markup changes a page can go through over a year of front-end deploys, and decoys a hostile
 * or careless page can carry: content that belongs to other articles. Each mutation changes a
 * {@link MutablePage} using only the given {@link Random}, so a seed reproduces it exactly.
 */
final class Mutations {

  /** Changes a page; false when the page has nothing the mutation could change. */
  @FunctionalInterface
  interface Mutator {
    boolean apply(MutablePage page, Random random);
  }

  /** A named mutation. */
  record Mutation(String name, String description, Mutator mutator) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String[] OTHER_TITLES = {
    "鬼滅の刃", "呪術廻戦", "葬送のフリーレン", "ぼっち・ざ・ろっく!", "ウマ娘プリティーダービー"};
  private static final String[] COUNTER_LABELS = {"閲覧数", "コメント数", "作品数", "チェックリスト数"};
  private static final String[] COUNT_COLUMNS = {
    "view_count", "comment_count", "works_count", "checklist_count"};
  private static final String[] JSON_COUNT_KEYS = {
    "articleViewCount", "commentCount", "pixivWorkCount", "checklistCount"};

  private Mutations() {}

  /** Every mutation, in report order; the first changes nothing but the serialisation. */
  static List<Mutation> all() {
    List<Mutation> out = new ArrayList<>(List.of(
        new Mutation("none", "the page re-serialised, nothing changed", (p, r) -> true),
        new Mutation("renamed-classes", "every class name replaced by a new one",
            Mutations::renameClasses),
        new Mutation("renamed-ids", "every id but __NEXT_DATA__ replaced by a new one",
            Mutations::renameIds),
        new Mutation("extra-wrappers", "a third of the elements wrapped in new div/span elements",
            Mutations::extraWrappers),
        new Mutation("moved-blocks", "the blocks of the page's layout containers reordered",
            Mutations::moveBlocks),
        new Mutation("removed-counters", "some counters removed from the markup and the JSON",
            Mutations::removeCounters),
        new Mutation("truncated-json", "__NEXT_DATA__ cut off part-way",
            Mutations::truncateJson),
        new Mutation("shuffled-json", "the fields of every JSON object reordered",
            Mutations::shuffleJson),
        new Mutation("stripped-tracking", "gtm-class and data-gtm-class attributes removed",
            Mutations::stripTracking),
        new Mutation("decoy-counter-card", "another article's card (title, reading, counters, "
            + "links, image, time) before the header", Mutations::counterCardBeforeHeader),
        new Mutation("decoy-prefetched-json", "another article's _api entries first in the "
            + "swr cache, keyed by its title", (p, r) -> prefetchedJson(p, r, true)),
        new Mutation("decoy-anonymous-json", "another article's _api entries first in the swr "
            + "cache, under keys that name nothing", (p, r) -> prefetchedJson(p, r, false)),
        new Mutation("decoy-json-lists-this", "another article's entry first, listing this "
            + "article as its child with a different summary", Mutations::jsonListsThis),
        new Mutation("relation-wrappers", "relation blocks wrapped in extra elements, with a "
            + "stray 'more' link among them", Mutations::relationWrappers),
        new Mutation("decoy-duplicate-header", "a copy of the header for another article, same "
            + "ids, before the real one", Mutations::duplicateHeader),
        new Mutation("decoy-site-h1", "a site-wide h1 before everything", Mutations::siteH1),
        new Mutation("decoy-prose", "the article's text mentions counts, relation headings and "
            + "links of other articles", Mutations::prose),
        new Mutation("decoy-header-image", "an avatar image first in the header",
            Mutations::headerImage),
        new Mutation("decoy-breadcrumbs", "a second breadcrumb trail, of another article",
            Mutations::otherBreadcrumbs),
        new Mutation("decoy-card-in-header", "another article's counter card inside the header",
            Mutations::cardInsideHeader),
        new Mutation("abbreviated-counts", "counters shown rounded (1.2万, 3.4k) in the markup",
            Mutations::abbreviateCounts),
        new Mutation("decoy-grey-line", "another small grey line (an update note) in the header",
            Mutations::greyLine),
        new Mutation("decoy-ranking-badge", "a ranking badge titled like a counter in the header",
            Mutations::rankingBadge),
        new Mutation("decoy-second-next-data", "a second __NEXT_DATA__ script, another "
            + "article's, before the page's", Mutations::secondNextData),
        new Mutation("decoy-other-page-json", "__NEXT_DATA__ replaced by another article's page",
            Mutations::otherPageJson),
        new Mutation("decoy-stale-copy-json", "a second, different entry and info naming this "
            + "article in the swr cache", Mutations::staleCopy),
        new Mutation("decoy-relations-card", "another article's card with tracked relation "
            + "links and relation headings", Mutations::relationsCard),
        new Mutation("canonical-missing", "no canonical link and no og:url",
            Mutations::canonicalMissing),
        new Mutation("canonical-elsewhere", "canonical link and og:url naming another article",
            Mutations::canonicalElsewhere),
        new Mutation("decoy-json-title-other-key", "another article's _api entries first, its "
            + "article entry renamed to this article's title",
            Mutations::titleUnderOtherKey),
        new Mutation("duplicated-h1", "the title's h1 repeated in a sticky bar at the top",
            Mutations::duplicatedH1),
        new Mutation("decoy-h1-in-header", "another article's h1 in the header, before the title",
            Mutations::decoyH1InHeader),
        new Mutation("decoy-inert-markup", "another article's __NEXT_DATA__ and header inside a "
            + "comment, a template and a noscript", Mutations::inertMarkup),
        new Mutation("odd-number-formats", "counters written 約1,234, 1,234+, 1 234, 1.234 or "
            + "in full-width digits, in the markup and the JSON", Mutations::oddNumbers),
        new Mutation("huge-page", "the page grown past 2 MB with other articles' cards around "
            + "the article", Mutations::hugePage)));
    List<Mutation> singles = List.copyOf(out.subList(1, out.size()));
    out.add(new Mutation("three-at-once", "three of the above, chosen by the seed, together",
        (p, r) -> {
          List<Mutation> pool = new ArrayList<>(singles);
          Collections.shuffle(pool, r);
          boolean any = false;
          for (Mutation m : pool.subList(0, 3)) {
            any |= m.mutator().apply(p, r);
          }
          return any;
        }));
    return out;
  }

  // ---- markup changes -------------------------------------------------------------------

  private static boolean renameClasses(MutablePage p, Random r) {
    Map<String, String> names = new HashMap<>();
    for (Element e : p.doc.select("[class]")) {
      List<String> renamed = new ArrayList<>();
      for (String c : e.classNames()) {
        renamed.add(names.computeIfAbsent(c, k -> "c" + Integer.toHexString(r.nextInt())));
      }
      e.attr("class", String.join(" ", renamed));
    }
    return !names.isEmpty();
  }

  private static boolean renameIds(MutablePage p, Random r) {
    boolean any = false;
    for (Element e : p.doc.select("[id]")) {
      if (!e.id().equals("__NEXT_DATA__")) {
        e.attr("id", "i" + Integer.toHexString(r.nextInt()));
        any = true;
      }
    }
    return any;
  }

  private static boolean extraWrappers(MutablePage p, Random r) {
    List<Element> all = new ArrayList<>(p.doc.body().select("*"));
    boolean any = false;
    for (Element e : all) {
      if (e == p.doc.body() || e.is("script, style") || r.nextInt(3) != 0) {
        continue;
      }
      e.wrap(r.nextBoolean() ? "<div class=\"wrap-" + r.nextInt(99) + "\"></div>"
          : "<span></span>");
      any = true;
    }
    return any;
  }

  private static boolean moveBlocks(MutablePage p, Random r) {
    boolean any = false;
    for (Element container : p.doc.select("body, body > div, #__next > div, main, article, "
        + "header, #wrapper, #content, #article-relation, nav")) {
      List<Element> kids = new ArrayList<>(container.children());
      if (kids.size() < 2) {
        continue;
      }
      Collections.shuffle(kids, r);
      for (Element k : kids) {
        container.appendChild(k);
      }
      any = true;
    }
    return any;
  }

  private static boolean stripTracking(MutablePage p, Random r) {
    Elements tagged = p.doc.select("[gtm-class], [data-gtm-class]");
    tagged.removeAttr("gtm-class").removeAttr("data-gtm-class");
    return !tagged.isEmpty();
  }

  private static boolean removeCounters(MutablePage p, Random r) {
    List<Integer> which = new ArrayList<>(List.of(0, 1, 2, 3));
    Collections.shuffle(which, r);
    which = which.subList(0, 1 + r.nextInt(4));
    boolean any = false;
    Elements legacyCounts = p.doc.select("#article-relation .actions .data ul li");
    List<Element> legacy = legacyCounts.size() == 3 ? List.copyOf(legacyCounts) : List.of();
    for (int i : which) {
      p.removed.add(COUNT_COLUMNS[i]);
      if (i == 3) {
        p.removed.add("bookmark");
      }
      for (Element e : p.doc.select("[title*=" + COUNTER_LABELS[i] + "]")) {
        e.remove();
        any = true;
      }
      if (i < 3 && !legacy.isEmpty()) {
        legacy.get(i).remove();
        any = true;
      }
      if (i == 0) {
        for (Element e : p.doc.getElementsContainingOwnText("総閲覧数")) {
          e.remove();
          any = true;
        }
      }
      if (i == 3) {
        any |= !p.doc.select(".checklist-count").remove().isEmpty();
      }
      if (p.nextData != null) {
        for (JsonNode n : p.nextData.findParents(JSON_COUNT_KEYS[i])) {
          ((ObjectNode) n).remove(JSON_COUNT_KEYS[i]);
          any = true;
        }
      }
    }
    return any;
  }

  private static boolean truncateJson(MutablePage p, Random r) {
    Element script = p.nextDataScript();
    if (script == null) {
      return false;
    }
    String data = script.data();
    p.nextData = null;
    p.rawNextData = data.substring(0, (int) (data.length() * (0.1 + 0.8 * r.nextDouble())));
    return true;
  }

  private static boolean shuffleJson(MutablePage p, Random r) {
    if (p.nextData == null) {
      return false;
    }
    p.nextData = shuffled(p.nextData, r);
    return true;
  }

  private static JsonNode shuffled(JsonNode n, Random r) {
    if (n.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      n.properties().forEach(fields::add);
      Collections.shuffle(fields, r);
      ObjectNode out = MutablePage.JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> f : fields) {
        out.set(f.getKey(), shuffled(f.getValue(), r));
      }
      return out;
    }
    if (n.isArray()) {
      ArrayNode out = MutablePage.JSON.createArrayNode();
      n.forEach(x -> out.add(shuffled(x, r)));
      return out;
    }
    return n;
  }

  private static boolean relationWrappers(MutablePage p, Random r) {
    boolean any = false;
    Elements items = p.doc.select("#article-relation .relation > .items");
    for (Element e : items) {
      if (r.nextBoolean()) {
        e.wrap("<div class=\"relation-wrap\"><div></div></div>");
        any = true;
      }
      if (r.nextInt(3) == 0) {
        Element ul = e.selectFirst("ul");
        (ul != null ? ul : e).appendElement("li").appendElement("a")
            .attr("href", "/search?query=" + p.url.encodedTitle()).text("もっと見る");
      }
    }
    if (!items.isEmpty() && r.nextBoolean()) {
      items.first().parent().appendElement("div").addClass("items")
          .appendElement("a").attr("href", "#more").text("関連記事をもっと見る");
      any = true;
    }
    for (Element a : p.doc.select("a[data-gtm-class*=article-bottom_]")) {
      a.wrap(r.nextBoolean() ? "<div class=\"card\"></div>" : "<li><div></div></li>");
      any = true;
    }
    for (Element h : p.doc.select("h2, h3")) {
      String t = Text.norm(h.text());
      if (t != null && List.of("親記事", "子記事", "兄弟記事").contains(t) && r.nextBoolean()) {
        h.parent().appendElement("a").attr("href", "/search?query=" + p.url.encodedTitle())
            .text("もっと見る");
        any = true;
      }
    }
    return any;
  }

  /** 12,345 as 1.2万 and 3,456 as 3.5k: what a front end shows when space is short. */
  private static String abbreviated(long n) {
    return n >= 10_000 ? String.format(Locale.ROOT, "%.1f万", n / 10_000.0)
        : String.format(Locale.ROOT, "%.1fk", n / 1_000.0);
  }

  private static boolean abbreviateCounts(MutablePage p, Random r) {
    List<Element> numbers = counterElements(p);
    numbers.addAll(p.doc.getElementsContainingOwnText("総閲覧数"));
    return rewriteCounts(numbers, Mutations::abbreviated);
  }

  /** The markup's counter numbers: the current header's and the legacy list's. */
  private static List<Element> counterElements(MutablePage p) {
    List<Element> numbers = new ArrayList<>();
    for (String label : COUNTER_LABELS) {
      numbers.addAll(p.doc.select("[title*=" + label + "] .typography-14"));
    }
    numbers.addAll(p.doc.select("#article-relation .actions .data ul li"));
    return numbers;
  }

  /** Rewrites each figure of 1,000 or more in {@code numbers}; false when there was none. */
  private static boolean rewriteCounts(List<Element> numbers,
      LongFunction<String> as) {
    boolean any = false;
    for (Element e : numbers) {
      Long n = Text.count(e.text());
      if (n != null && n >= 1_000) {
        e.text(e.text().replace(comma(n), as.apply(n)));
        any = true;
      }
    }
    return any;
  }

  private static boolean greyLine(MutablePage p, Random r) {
    Element header = p.header();
    if (header == null) {
      return false;
    }
    String line = "最終更新: 2024/0" + (1 + r.nextInt(9)) + "/1" + r.nextInt(10);
    if (p.legacy()) {
      Element content = header.parent();
      content.appendElement("p").addClass("subscript").text(line);
    } else {
      header.appendElement("p").addClass("my-4").addClass("text-text3")
          .addClass("typography-12").text(line);
    }
    return true;
  }

  private static boolean rankingBadge(MutablePage p, Random r) {
    Element header = p.doc.selectFirst("#article-content-header");
    if (header == null) {
      return false;
    }
    header.appendElement("span").attr("title", "閲覧数ランキング")
        .appendElement("div").addClass("typography-14").text((1 + r.nextInt(99)) + "位");
    return true;
  }

  /** Another article's whole page JSON: its route and its entries. */
  private static ObjectNode otherPage(Decoy d) {
    ObjectNode root = MutablePage.JSON.createObjectNode();
    ObjectNode swr = root.putObject("props").putObject("pageProps").putObject("swrFallback");
    swr.set("/_api/get_article/" + d.enc() + "?lang=ja", articleEntry(d, null));
    swr.set("/_api/get_article_info/" + d.enc(), infoEntry(d));
    swr.set("/_api/get_breadcrumbs/" + d.enc(), crumbsEntry(d));
    root.put("page", "/a/[name]");
    root.putObject("query").put("name", d.title);
    return root;
  }

  private static boolean secondNextData(MutablePage p, Random r) {
    Element script = new Element("script").attr("id", "__NEXT_DATA__")
        .attr("type", "application/json");
    script.appendChild(new DataNode(otherPage(Decoy.of(r)).toString()));
    Element own = p.nextDataScript();
    if (own != null) {
      own.before(script);
    } else {
      p.doc.body().appendChild(script);
    }
    return true;
  }

  private static boolean otherPageJson(MutablePage p, Random r) {
    Element own = p.nextDataScript();
    if (own == null) {
      own = p.doc.body().appendElement("script").attr("id", "__NEXT_DATA__")
          .attr("type", "application/json");
    }
    ObjectNode other = otherPage(Decoy.of(r));
    // The other page's swr cache holds an anonymous info object too.
    ((ObjectNode) other.path("props").path("pageProps").path("swrFallback"))
        .set("info", infoEntry(Decoy.of(r)));
    p.nextData = other;
    p.rawNextData = null;
    return true;
  }

  private static boolean staleCopy(MutablePage p, Random r) {
    // A second copy needs a first: alone, an entry naming the article is the page's own claim.
    if (p.nextData == null || JsonEntries.forPage(p.nextData,
        PageIdentity.of(p.url, List.of())).article() == null) {
      return false;
    }
    Decoy d = Decoy.of(r);
    ObjectNode copy = articleEntry(d, null);
    copy.put("tagName", p.title);
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    entries.put("/_api/get_article/" + p.url.encodedTitle() + "?lang=en", copy);
    entries.put("/_api/get_article_info/" + p.url.encodedTitle() + "?stale=1", infoEntry(d));
    return prepend(p, entries);
  }

  private static boolean relationsCard(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    StringBuilder s = new StringBuilder("<section class=\"popular\"><a href=\"/a/")
        .append(d.enc()).append("\">").append(d.title).append("</a><h3>子記事</h3>");
    for (String c : d.children) {
      s.append("<a href=\"/a/").append(ArticleUrl.percentEncode(c))
          .append("\" data-gtm-class=\"article-bottom_child-article\">").append(c).append("</a>");
    }
    s.append("<h3>親記事</h3><a href=\"/a/").append(ArticleUrl.percentEncode(d.parent))
        .append("\" data-gtm-class=\"article-bottom_parent-article\">").append(d.parent)
        .append("</a></section>");
    Element header = p.header();
    if (header != null && r.nextBoolean()) {
      header.before(s.toString());
    } else {
      p.doc.body().append(s.toString());
    }
    return true;
  }

  private static boolean canonicalMissing(MutablePage p, Random r) {
    return !p.doc.select("link[rel=canonical], meta[property=og:url]").remove().isEmpty();
  }

  private static boolean canonicalElsewhere(MutablePage p, Random r) {
    // Not a decoy's title: a canonical link makes the page an alias of the article it names,
    // whose own entries are then the page's (see docs/parsing.md).
    String other = ArticleUrl.ORIGIN + "/a/" + ArticleUrl.percentEncode("別の記事" + r.nextInt(9));
    p.doc.select("link[rel=canonical], meta[property=og:url]").remove();
    p.doc.head().appendElement("link").attr("rel", "canonical").attr("href", other);
    p.doc.head().appendElement("meta").attr("property", "og:url").attr("content", other);
    return true;
  }

  private static boolean titleUnderOtherKey(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    ObjectNode entry = articleEntry(d, null);
    entry.put("tagName", p.title);
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    entries.put("/_api/get_article/" + d.enc() + "?lang=ja", entry);
    entries.put("/_api/get_article_info/" + d.enc(), infoEntry(d));
    return prepend(p, entries);
  }

  /** The h1 that holds the article's title, or null. */
  private static Element titleH1(MutablePage p) {
    for (Element h1 : p.doc.select("h1")) {
      if (p.title.equals(Text.norm(h1.text()))) {
        return h1;
      }
    }
    return null;
  }

  private static boolean duplicatedH1(MutablePage p, Random r) {
    Element h1 = titleH1(p);
    if (h1 == null) {
      return false;
    }
    Element bar = p.doc.body().prependElement("div").addClass("sticky");
    bar.appendChild(h1.clone().removeAttr("id"));
    if (r.nextBoolean()) {
      bar.appendElement("span").attr("title", "閲覧数").appendElement("div")
          .addClass("typography-14").text("?");
    }
    return true;
  }

  private static boolean decoyH1InHeader(MutablePage p, Random r) {
    Element h1 = titleH1(p);
    if (h1 == null) {
      return false;
    }
    Decoy d = Decoy.of(r);
    h1.before("<h1 class=\"related\"><a href=\"/a/" + d.enc() + "\">" + d.title + "</a></h1>");
    return true;
  }

  private static boolean inertMarkup(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    String json = otherPage(d).toString();
    String header = "<div id=\"article-content-header\"><h1 id=\"article-name\">" + d.title
        + "</h1><span title=\"閲覧数\"><div class=\"typography-14\">" + comma(d.views)
        + "</div></span><span title=\"作品数\"><div class=\"typography-14\">"
        + comma(d.works) + "</div></span></div>";
    String script = "<script id=\"__NEXT_DATA__\" type=\"application/json\">" + json
        + "</script>";
    p.doc.body().prepend("<!-- " + script + header + " -->");
    p.doc.body().prepend("<template>" + header + "</template>");
    p.doc.body().append("<noscript>" + header + "</noscript>");
    return true;
  }

  private static boolean oddNumbers(MutablePage p, Random r) {
    List<Element> numbers = counterElements(p);
    numbers.addAll(p.doc.select(".checklist-count"));
    boolean any = rewriteCounts(numbers, n -> odd(n, r));
    if (p.nextData != null) {
      for (String key : JSON_COUNT_KEYS) {
        for (JsonNode parent : p.nextData.findParents(key)) {
          JsonNode v = parent.get(key);
          if (v.canConvertToLong() && v.asLong() >= 1_000) {
            ((ObjectNode) parent).put(key, odd(v.asLong(), r));
            any = true;
          }
        }
      }
    }
    return any;
  }

  /** A figure as a careless front end might write it: exact only in full-width digits. */
  private static String odd(long n, Random r) {
    String c = comma(n);
    return switch (r.nextInt(6)) {
      case 0 -> "約" + c;
      case 1 -> c + "+";
      case 2 -> c.replace(',', ' ');
      case 3 -> c.replace(',', '.');
      case 4 -> c + "以上";
      default -> fullWidth(c);
    };
  }

  private static String fullWidth(String s) {
    StringBuilder out = new StringBuilder();
    for (char ch : s.toCharArray()) {
      out.append(ch >= '0' && ch <= '9' ? (char) (ch - '0' + '０') : ch == ',' ? '，' : ch);
    }
    return out.toString();
  }

  private static boolean hugePage(MutablePage p, Random r) {
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    while (before.length() + after.length() < 2_200_000) {
      String card = card(Decoy.of(r)) + "<p>" + "関連する話題。".repeat(20) + "</p>";
      (r.nextBoolean() ? before : after).append(card);
    }
    Element header = p.header();
    if (header != null) {
      header.before(before.toString());
    } else {
      p.doc.body().prepend(before.toString());
    }
    p.doc.body().append(after.toString());
    return true;
  }

  // ---- decoys: content of other articles ------------------------------------------------

  /** Another article's values: all differ from any corpus article's. */
  record Decoy(String title, String reading, long views, long comments, long works,
      long checklist, String parent, List<String> children, List<String> crumbs) {

    static Decoy of(Random r) {
      String t = OTHER_TITLES[r.nextInt(OTHER_TITLES.length)];
      return new Decoy(t, "でこい" + r.nextInt(100), 1_000_000 + r.nextInt(9_000_000),
          500 + r.nextInt(900), 10_000 + r.nextInt(90_000), 2_000 + r.nextInt(8_000),
          "デコイ親" + r.nextInt(10), List.of("デコイ子A", "デコイ子B"),
          List.of("デコイ分類", "デコイ小分類"));
    }

    String enc() {
      return ArticleUrl.percentEncode(title);
    }

    long count(int i) {
      return new long[] {views, comments, works, checklist}[i];
    }
  }

  private static String comma(long n) {
    return String.format("%,d", n);
  }

  /** A "popular article" card for {@code d}, made of the page's own components. */
  private static String card(Decoy d) {
    StringBuilder s = new StringBuilder("<section class=\"popular\"><article class=\"card\">")
        .append("<a href=\"/a/").append(d.enc()).append("\"><h2>").append(d.title)
        .append("</h2></a><p class=\"my-4 text-text3 typography-12 subscript\">")
        .append(d.reading).append("</p><img src=\"https://i.pximg.net/c/240x240/decoy/")
        .append(d.enc()).append(".jpg\" alt=\"").append(d.title).append("\">")
        .append("<time datetime=\"2020-01-01T00:00:00Z\">2020-01-01</time><ul class=\"flex\">");
    for (int i = 0; i < 4; i++) {
      s.append("<li title=\"").append(COUNTER_LABELS[i]).append("\"><div class=\"typography-14\">")
          .append(comma(d.count(i))).append("</div></li>");
    }
    s.append("</ul><div class=\"actions\"><div class=\"data\"><ul>");
    for (int i = 0; i < 3; i++) {
      s.append("<li>").append(comma(d.count(i))).append("</li>");
    }
    s.append("</ul></div></div><span class=\"checklist-count\">").append(d.checklist)
        .append("</span><p>総閲覧数: ").append(comma(d.views)).append("</p>")
        .append("<div class=\"mt-8 text-text2 typography-14\">").append(d.title)
        .append("の概要。</div>")
        .append(links(d)).append("</article></section>");
    return s.toString();
  }

  private static String links(Decoy d) {
    return "<a href=\"https://www.pixiv.net/tags/" + d.enc() + "/artworks\">イラストを見る</a>"
        + "<a href=\"https://www.pixiv.net/tags/" + d.enc() + "/novels\">小説を読む</a>"
        + "<a href=\"https://www.pixiv.net/upload.php?tag=" + d.enc() + "\">イラストを投稿する</a>"
        + "<a href=\"https://www.pixiv.net/novel/upload.php?tag=" + d.enc() + "\">小説を投稿する</a>";
  }

  private static boolean counterCardBeforeHeader(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    Element header = p.header();
    if (header != null) {
      header.before(card(d));
    } else {
      p.doc.body().prepend(card(d));
    }
    return true;
  }

  private static boolean cardInsideHeader(MutablePage p, Random r) {
    Element header = p.header();
    if (header == null) {
      return false;
    }
    Decoy d = Decoy.of(r);
    if (r.nextBoolean()) {
      header.prepend(card(d));
    } else {
      header.append(card(d));
    }
    return true;
  }

  private static ObjectNode articleEntry(Decoy d, String childTitle) {
    ObjectNode a = MutablePage.JSON.createObjectNode();
    a.put("id", 900_000 + d.comments);
    a.put("tagName", d.title);
    a.put("yomigana", d.reading);
    a.put("abstract", d.title + "の概要。");
    ArrayNode cats = a.putArray("categories");
    d.crumbs.forEach(cats::add);
    a.putArray("tagNameListInArticleJa").add("デコイタグ");
    a.putObject("mainIllust").put("imageUrl", "https://i.pximg.net/decoy/" + d.enc() + ".jpg");
    a.put("updatedAtTimestamp", 1_500_000_000L);
    ObjectNode rel = a.putObject("relatedArticles");
    rel.putObject("parent_article").put("tagName", d.parent).put("abstract", "親");
    ArrayNode kids = rel.putArray("child_articles");
    if (childTitle != null) {
      kids.addObject().put("tagName", childTitle).put("abstract", "別の記事から見た概要。")
          .put("yomigana", "べつ");
    }
    d.children.forEach(c -> kids.addObject().put("tagName", c).put("abstract", "子"));
    rel.putArray("sibling_articles").addObject().put("tagName", "デコイ兄弟");
    return a;
  }

  private static ObjectNode infoEntry(Decoy d) {
    ObjectNode i = MutablePage.JSON.createObjectNode();
    for (int k = 0; k < 4; k++) {
      i.put(JSON_COUNT_KEYS[k], d.count(k));
    }
    i.put("lastUpdatedAt", "2020-01-01 00:00:00");
    return i;
  }

  private static ArrayNode crumbsEntry(Decoy d) {
    ArrayNode c = MutablePage.JSON.createArrayNode();
    d.crumbs.forEach(x -> c.addObject().put("tagName", x).put("url", "/category/" + x));
    return c;
  }

  /** Puts entries first in the page's swr cache; false when the JSON cannot be edited. */
  private static boolean prepend(MutablePage p, Map<String, JsonNode> entries) {
    ObjectNode map = p.fallbackMap();
    if (map == null) {
      return false;
    }
    Map<String, JsonNode> old = new LinkedHashMap<>();
    map.properties().forEach(e -> old.put(e.getKey(), e.getValue()));
    map.removeAll();
    entries.forEach(map::set);
    old.forEach(map::set);
    return true;
  }

  private static boolean prefetchedJson(MutablePage p, Random r, boolean named) {
    Decoy d = Decoy.of(r);
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    String enc = d.enc();
    entries.put(named ? "/_api/get_article/" + enc + "?lang=ja" : "prefetch-article",
        articleEntry(d, null));
    entries.put(named ? "/_api/get_article_info/" + enc : "prefetch-info", infoEntry(d));
    entries.put(named ? "/_api/get_breadcrumbs/" + enc : "prefetch-breadcrumbs", crumbsEntry(d));
    return prepend(p, entries);
  }

  private static boolean jsonListsThis(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    entries.put("/_api/get_article/" + d.enc() + "?lang=ja", articleEntry(d, p.title));
    return prepend(p, entries);
  }

  private static boolean duplicateHeader(MutablePage p, Random r) {
    Element header = p.header();
    if (header == null) {
      return false;
    }
    Decoy d = Decoy.of(r);
    Element copy = header.clone();
    for (Element h1 : copy.select("h1")) {
      h1.text(d.title);
    }
    for (Element e : copy.select("p.text-text3, p.subscript")) {
      e.text(d.reading);
    }
    for (int i = 0; i < 4; i++) {
      for (Element c : copy.select("[title*=" + COUNTER_LABELS[i] + "] .typography-14")) {
        c.text(comma(d.count(i)));
      }
    }
    for (Element a : copy.select("a[href]")) {
      a.attr("href", a.attr("href").replace(p.url.encodedTitle(), d.enc()));
    }
    for (Element img : copy.select("img")) {
      img.attr("src", "https://i.pximg.net/decoy/" + d.enc() + ".jpg");
    }
    header.before(copy);
    Element relation = p.doc.selectFirst("#article-relation");
    if (relation != null) {
      Element rel = relation.clone();
      Elements li = rel.select(".actions .data ul li");
      for (int i = 0; i < li.size() && i < 3; i++) {
        li.get(i).text(comma(d.count(i)));
      }
      rel.select(".checklist-count").forEach(e -> e.text(String.valueOf(d.checklist)));
      for (Element a : rel.select("a[href]")) {
        a.attr("href", "/a/" + ArticleUrl.percentEncode(d.children.get(0)));
      }
      copy.after(rel);
    }
    return true;
  }

  private static boolean siteH1(MutablePage p, Random r) {
    p.doc.body().prepend("<header class=\"site\"><h1><a href=\"/\">ピクシブ百科事典</a></h1>"
        + "<p class=\"subscript\">みんなで作る百科事典</p></header>");
    return true;
  }

  private static boolean prose(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    String text = "<div data-header-id=\"h2_9\"><h2>余談</h2><p>" + d.title + "の総閲覧数: "
        + comma(d.views) + "を超えた。<abbr title=\"閲覧数\">" + comma(d.views) + "</abbr></p>"
        + "<h3>親記事</h3><ul><li><a href=\"/a/" + d.enc() + "\">" + d.title + "</a></li></ul>"
        + "<h3>子記事</h3><ul><li><a href=\"/a/" + ArticleUrl.percentEncode(d.children.get(0))
        + "\">" + d.children.get(0) + "</a></li></ul><p>" + links(d) + "</p></div>";
    Element body = p.doc.selectFirst("#article-body");
    if (body == null) {
      body = p.doc.selectFirst("article");
    }
    if (body == null) {
      return false;
    }
    if (r.nextBoolean()) {
      body.append(text);
    } else {
      body.prepend(text);
    }
    return true;
  }

  private static boolean headerImage(MutablePage p, Random r) {
    Element header = p.header();
    if (header == null) {
      return false;
    }
    header.prepend("<img src=\"https://i.pximg.net/user-profile/img/avatar_" + r.nextInt(999)
        + "_50.jpg\" alt=\"ユーザーのアイコン\">");
    return true;
  }

  private static boolean otherBreadcrumbs(MutablePage p, Random r) {
    Decoy d = Decoy.of(r);
    StringBuilder trail = new StringBuilder("<nav class=\"card-crumbs\"><ol>");
    StringBuilder legacy = new StringBuilder("<div id=\"breadcrumbs\"><ul>");
    StringBuilder micro = new StringBuilder(
        "<ol itemscope itemtype=\"https://schema.org/BreadcrumbList\">");
    for (String c : d.crumbs) {
      trail.append("<li><a href=\"/category/").append(c)
          .append("\" gtm-class=\"article-breadcrumbs_link\">").append(c).append("</a></li>");
      legacy.append("<li><a href=\"/category/").append(c).append("\">").append(c)
          .append("</a></li>");
      micro.append("<li itemprop=\"itemListElement\" itemscope itemtype=\"https://schema.org/"
          + "ListItem\"><a itemprop=\"item\" href=\"/category/").append(c)
          .append("\"><span itemprop=\"name\">").append(c).append("</span></a></li>");
    }
    String html = "<aside class=\"popular\"><a href=\"/a/" + d.enc() + "\">" + d.title + "</a>"
        + trail + "</ol></nav>" + (p.legacy() ? legacy + "</ul></div>" + micro + "</ol>" : "")
        + "</aside>";
    Element main = p.doc.selectFirst("main, #content");
    if (main != null && r.nextBoolean()) {
      main.append(html);
    } else {
      p.doc.body().prepend(html);
    }
    return true;
  }
}
